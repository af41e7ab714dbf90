// Proves each offline check can fail: a copy of the project gets faults, each in its own file, and
// the matching npm script (and `npm test`'s runner for that step) must exit non-zero naming each file.
// A check that cannot fail checks nothing.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(new URL('../..', import.meta.url).pathname);
const COPIED = [
  'force-app',
  // check:parity compares the companion's setting defaults with the package's records.
  'companion/src/sync/settings.ts',
  'types',
  'scripts',
  'config',
  'sfdx-project.json',
  'package.json',
  '.forceignore',
  '.prettierrc',
  '.prettierignore',
  'eslint.config.js',
  'jest.config.js',
  'jest.setup.js',
];

function copyProject() {
  const dir = mkdtempSync(join(tmpdir(), 'relay-checks-'));
  for (const entry of COPIED) {
    // What git holds: not the `.js` the LWC build emits beside each `.ts` (another step may be
    // writing them at this moment; the checks that need them build them in the copy).
    const source = (path) => !(path.endsWith('.js') && existsSync(`${path.slice(0, -3)}.ts`));
    if (existsSync(join(root, entry))) cpSync(join(root, entry), join(dir, entry), { recursive: true, filter: source });
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

/**
 * Runs a command and resolves with its exit code and output. Asynchronous, so the cases of this
 * file (run concurrently) check in parallel on every core instead of one after another.
 */
function run(command, args, options = {}) {
  return new Promise((resolve) => {
    execFile(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, status: code, stdout, stderr, output: `${stdout}\n${stderr}` });
    });
  });
}

function runScript(dir, script) {
  return run('npm', ['run', '--silent', script], {
    cwd: dir,
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
}

/**
 * Runs one check once on a copy of the project carrying several faults, each in its own file, and
 * hands every case the same result: a check reports every problem it finds, so one run proves
 * several faults are caught, for a fraction of the machine time of one copy per fault.
 */
function checkOnce(script, ...faults) {
  let result;
  return () => {
    result ??= (async () => {
      const dir = copyProject();
      for (const apply of faults) apply(dir);
      const outcome = typeof script === 'function' ? await script(dir) : await runScript(dir, script);
      rmSync(dir, { recursive: true, force: true });
      return outcome;
    })();
    return result;
  };
}

function editFile(dir, path, edit) {
  const file = join(dir, path);
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
}

const apexMeta = `<?xml version="1.0" encoding="UTF-8"?>
<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">
    <apiVersion>66.0</apiVersion>
    <status>Active</status>
</ApexClass>
`;

function addApexClass(dir, name, body) {
  const classes = join(dir, 'force-app/main/default/classes');
  mkdirSync(classes, { recursive: true });
  writeFileSync(join(classes, `${name}.cls`), body);
  writeFileSync(join(classes, `${name}.cls-meta.xml`), apexMeta);
}

const brokenApex = (d) =>
  addApexClass(d, 'BrokenSyntax', 'public with sharing class BrokenSyntax {\n    Integer x = ;\n}\n');
const unsafeApex = (d) =>
  addApexClass(
    d,
    'UnsafeQuery',
    [
      '/**',
      " * @description Reads contacts without enforcing the user's access.",
      ' */',
      'public with sharing class UnsafeQuery {',
      '    /**',
      '     * @description Returns one contact.',
      '     * @return the contacts',
      '     */',
      '    public static List<Contact> first() {',
      '        return [SELECT Id FROM Contact LIMIT 1];',
      '    }',
      '}',
      '',
    ].join('\n'),
  );
const catalogueDrift = (d) =>
  editFile(d, 'force-app/main/default/classes/PlatformFieldCatalog.cls', (source) =>
    source.replace(
      "new PlatformField('title', 'Title', TYPE_TEXT, 128)",
      "new PlatformField('title', 'Title', TYPE_TEXT, 129)",
    ),
  );
const directionLabelDrift = (d) =>
  editFile(d, 'force-app/main/default/lwc/mappingCatalog/mappingCatalog.ts', (source) =>
    source.replace("TwoWay: 'Two-way'", "TwoWay: 'Both ways'"),
  );
const lwcTypeError = (d) =>
  editFile(
    d,
    'force-app/main/default/lwc/errorUtils/errorUtils.ts',
    (source) => `${source}\nexport const wrong: number = 'not a number';\n`,
  );
const innerHtml = (d) =>
  editFile(d, 'force-app/main/default/lwc/errorPanel/errorPanel.ts', (source) =>
    source.replace(
      '  get messages(): string[] {',
      "  renderedCallback(): void {\n    this.template.querySelector('div')!.innerHTML = '<b>unsafe</b>';\n  }\n\n  get messages(): string[] {",
    ),
  );
const unformatted = (d) =>
  writeFileSync(
    join(d, 'force-app/main/default/lwc/errorUtils/unformatted.ts'),
    'export   const  messy = {a:1,\n b:2}\n',
  );
const malformedXml = (d) =>
  editFile(d, 'force-app/main/default/permissionsets/RelayAdmin.permissionset-meta.xml', (source) =>
    source.replace('</PermissionSet>', '</PermissionSet'),
  );
const standardGrant = (d) =>
  editFile(d, 'force-app/main/default/permissionsets/RelayUser.permissionset-meta.xml', (source) =>
    source.replace(
      '</PermissionSet>',
      '<objectPermissions><allowCreate>false</allowCreate><allowDelete>false</allowDelete><allowEdit>true</allowEdit>' +
        '<allowRead>true</allowRead><modifyAllRecords>false</modifyAllRecords><object>Lead</object>' +
        '<viewAllRecords>false</viewAllRecords></objectPermissions>' +
        '<userPermissions><enabled>true</enabled><name>ApiEnabled</name></userPermissions></PermissionSet>',
    ),
  );
// Two @api declarations of one name compile in TypeScript but the platform compiler rejects them.
const duplicateApi = (d) =>
  editFile(d, 'force-app/main/default/lwc/errorPanel/errorPanel.ts', (source) =>
    source.replace(
      "  @api friendlyMessage = 'Something went wrong.';",
      "  @api friendlyMessage = 'Something went wrong.';\n\n  @api get headline(): string {\n    return '';\n  }\n\n  @api set headline(_value: string) {}",
    ),
  );

const apex = checkOnce('check:apex', brokenApex, unsafeApex);
const parity = checkOnce('check:parity', catalogueDrift, directionLabelDrift);
const lint = checkOnce('lint', innerHtml, unformatted);
const packageCheck = checkOnce('check:package', malformedXml, standardGrant, duplicateApi);
// The typecheck fault runs through `npm test`'s runner, which prints the step's output and its verdict.
const runner = checkOnce((dir) => run('node', ['scripts/test-all.mjs', 'typecheck'], { cwd: dir }), lwcTypeError);

describe('offline checks fail on faulty input', { concurrency: true }, () => {
  test('check:apex fails on an Apex syntax error and names the file and line', async () => {
    const { code, output } = await apex();
    assert.notEqual(code, 0);
    assert.match(output, /BrokenSyntax\.cls:2:\d+: syntax error/);
  });

  test('check:apex fails on SOQL without USER_MODE or a CRUD check, naming the file', async () => {
    const { code, output } = await apex();
    assert.notEqual(code, 0);
    assert.match(output, /UnsafeQuery\.cls:\d+:\d+: ApexCRUDViolation/);
  });

  test('check:parity fails when an Apex table and its TypeScript copy differ, naming both files and the entry', async () => {
    const { code, output } = await parity();
    assert.notEqual(code, 0);
    assert.match(
      output,
      /"platform field catalogue" differs between \S*PlatformFieldCatalog\.cls .* and \S*mappingCatalog\.ts/,
    );
    assert.match(output, /\[4\]: \{"name":"title","label":"Title","type":"Text","maxLength":129\} here/);
  });

  test('check:parity fails when a TypeScript copy drifts from the package metadata', async () => {
    const { code, output } = await parity();
    assert.notEqual(code, 0);
    assert.match(output, /"mapping direction labels" differs .*mappingCatalog\.ts.*Direction__c\.field-meta\.xml/);
  });

  test('typecheck fails on an LWC type error and names the file', async () => {
    const { output } = await runner();
    assert.match(output, /errorUtils\.ts\(\d+,\d+\): error TS2322/);
  });

  test("npm test's runner exits non-zero when a step fails", async () => {
    const { code, stdout } = await runner();
    assert.notEqual(code, 0);
    assert.match(stdout, /FAIL .* typecheck/);
  });

  test('lint fails on innerHTML in a component and names the file', async () => {
    const { code, output } = await lint();
    assert.notEqual(code, 0);
    assert.match(output, /errorPanel\.ts[\s\S]*@lwc\/lwc\/no-inner-html/);
  });

  test('lint fails on an unformatted file and names it', async () => {
    const { code, output } = await lint();
    assert.notEqual(code, 0);
    assert.match(output, /unformatted\.ts/);
  });

  test('check:package fails on malformed metadata XML and names the file', async () => {
    const { code, output } = await packageCheck();
    assert.notEqual(code, 0);
    assert.match(output, /RelayAdmin\.permissionset-meta\.xml:.*not well-formed XML/);
  });

  test('check:package fails on a standard-object or user permission in a packaged permission set', async () => {
    const { code, output } = await packageCheck();
    assert.notEqual(code, 0);
    assert.match(output, /RelayUser\.permissionset-meta\.xml: object permission on the standard object Lead/);
    assert.match(output, /RelayUser\.permissionset-meta\.xml: user permission ApiEnabled/);
  });

  test('check:package fails when a bundle the platform compiler rejects is deployed', async () => {
    const { code, output } = await packageCheck();
    assert.notEqual(code, 0);
    assert.match(output, /lwc\/errorPanel.*platform compiler error/);
  });

  test('the package check fails on a checkout straight from git, whose bundles have no JavaScript yet', async () => {
    // The copy holds what git holds: each bundle's .ts, not the .js tsc emits beside it.
    const dir = copyProject();
    const { code, output } = await run('node', ['scripts/check-package.mjs'], { cwd: dir });
    rmSync(dir, { recursive: true, force: true });
    assert.notEqual(code, 0);
    assert.match(output, /lwc\/errorPanel: no errorPanel\.js to deploy \(run npm run build:lwc/);
  });

  test('check:cycles fails on an import cycle, type-only imports included, and names its modules', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relay-cycles-'));
    cpSync(join(root, 'companion/src'), join(dir, 'src'), { recursive: true });
    const clean = await run('node', [join(root, 'scripts/check-cycles.mjs'), join(dir, 'src')]);
    // The sync engine must not know the composition root; a type import is enough to tie them.
    const engine = join(dir, 'src/sync/engine.ts');
    writeFileSync(
      engine,
      `import type { Companion } from '../app.js';\nexport type Root = Companion;\n${readFileSync(engine, 'utf8')}`,
    );
    const planted = await run('node', [join(root, 'scripts/check-cycles.mjs'), join(dir, 'src')]);
    rmSync(dir, { recursive: true, force: true });
    assert.equal(clean.status, 0, clean.stdout + clean.stderr);
    assert.notEqual(planted.status, 0);
    assert.match(planted.stderr, /import cycle.*\n.*app\.ts.*sync\/engine\.ts/);
  });
});
