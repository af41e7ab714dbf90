// Proves the semantic Apex check (scripts/check-apex-semantics.mjs) fails on planted semantic
// errors, naming file and line (the real project passing is npm test's check:apex-semantics step).
// The run uses a copy of the project (sfdx-project.json and force-app), so the real classes, objects and custom metadata, and the
// `relay` namespace, are what the planted code is resolved against. The planted copy carries one
// kind of fault per file and is analysed once: the check counts each blocking issue, so "5 blocking"
// (one per planted statement) shows each fault fails the check on its own.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(new URL('../..', import.meta.url).pathname);
const script = join(root, 'scripts/check-apex-semantics.mjs');
const classes = 'force-app/main/default/classes';

const apexMeta = `<?xml version="1.0" encoding="UTF-8"?>
<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">
    <apiVersion>66.0</apiVersion>
    <status>Active</status>
</ApexClass>
`;

// Each fault: a class of its own; the line the check must name is the line of the marked statement.
const FAULTS = {
  UnknownMethodCall: [
    'public with sharing class UnknownMethodCall {',
    '    public static void run() {',
    '        RelayNamespace.noSuchMethod();',
    '    }',
    '}',
  ],
  WrongTypes: [
    'public with sharing class WrongTypes {',
    '    public static void run() {',
    "        Integer count = 'text';",
    '    }',
    '    public static void pass() {',
    "        WrongTypes.takesIds('not a list');",
    '    }',
    '    private static void takesIds(List<Id> ids) {',
    '    }',
    '}',
  ],
  UnknownField: [
    'public with sharing class UnknownField {',
    '    public static Object run() {',
    '        return relay__FieldMapping__mdt.NoSuchField__c;',
    '    }',
    '    public static Object read(FieldMapping__mdt mapping) {',
    '        return mapping.NoSuchField__c;',
    '    }',
    '}',
  ],
};

function copyProject() {
  const dir = mkdtempSync(join(tmpdir(), 'relay-apex-semantics-'));
  for (const entry of ['sfdx-project.json', '.forceignore', 'force-app']) {
    if (existsSync(join(root, entry))) cpSync(join(root, entry), join(dir, entry), { recursive: true });
  }
  return dir;
}

function check(plant) {
  let result;
  return () => {
    result ??= new Promise((done) => {
      const dir = copyProject();
      plant(dir);
      execFile('node', [script, dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        rmSync(dir, { recursive: true, force: true });
        done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}\n${stderr}` });
      });
    });
    return result;
  };
}

const planted = check((dir) => {
  for (const [name, lines] of Object.entries(FAULTS)) {
    writeFileSync(join(dir, classes, `${name}.cls`), `${lines.join('\n')}\n`);
    writeFileSync(join(dir, classes, `${name}.cls-meta.xml`), apexMeta);
  }
});

describe('semantic Apex check', { concurrency: true }, () => {
  test('fails on a call to an unknown method, naming file and line', async () => {
    const { code, output } = await planted();
    assert.notEqual(code, 0);
    assert.match(output, /error \S*UnknownMethodCall\.cls:3:\d+: Missing: No matching method found for 'noSuchMethod'/);
  });

  test('fails on a wrong type: a String assigned to an Integer, and passed where a List<Id> is expected', async () => {
    const { code, output } = await planted();
    assert.notEqual(code, 0);
    assert.match(
      output,
      /error \S*WrongTypes\.cls:3:\d+: Error: Incompatible types in assignment, from 'System\.String' to 'System\.Integer'/,
    );
    assert.match(
      output,
      /error \S*WrongTypes\.cls:6:\d+: Missing: No matching method found for 'takesIds'.*System\.List<System\.Id>/,
    );
  });

  test('fails on an unknown field of a custom metadata type, with or without the namespace', async () => {
    const { code, output } = await planted();
    assert.notEqual(code, 0);
    const field = /Missing: Unknown field 'NoSuchField__c' on SObject 'Schema\.relay__FieldMapping__mdt'/.source;
    assert.match(output, new RegExp(`error \\S*UnknownField\\.cls:3:\\d+: ${field}`));
    assert.match(output, new RegExp(`error \\S*UnknownField\\.cls:6:\\d+: ${field}`));
  });

  // The project itself passing is the check:apex-semantics step of npm test; here, exactly the five
  // planted statements block, so the rest of the copy (the real project) added none.
  test('counts each planted fault as blocking on its own, and nothing else', async () => {
    const { output } = await planted();
    assert.match(output, /check:apex-semantics: \d+ issue\(s\), 5 blocking/);
  });
});
