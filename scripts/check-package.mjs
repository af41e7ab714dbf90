// `npm run check:package`: what a deploy would reject, checked without an org.
//   1. Every -meta.xml is well-formed XML (LWC templates are HTML; the platform compiler checks them)
//      and every <apiVersion> in it equals sfdx-project.json's sourceApiVersion: one API version
//      everywhere, bumped in one place.
//   2. `sf project convert source` turns force-app into a Metadata API package whose package.xml
//      lists every metadata type the source holds, and which carries no TypeScript source, tsconfig
//      or Jest test (.forceignore keeps them out).
//   3. Every LWC bundle, as deployed (the .js tsc emitted, never the .ts), compiles with the
//      platform's own compiler (@lwc/sfdc-lwc-compiler, type "platform", namespace relay); a
//      bundle with no .js would ship empty and fails.
//   4. No packaged permission set grants what installing a managed package drops without a word:
//      object permissions on standard objects, and user (system) permissions. Those belong in
//      config/post-install (deployed into the org after installing, README "Post-install").
// Run after `npm run build:lwc` (the npm script does both).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import platformCompiler from '@lwc/sfdc-lwc-compiler';

const root = resolve(new URL('..', import.meta.url).pathname);
const sourceRoot = join(root, 'force-app');
const lwcRoot = join(sourceRoot, 'main', 'default', 'lwc');
const NAMESPACE = 'relay';

/** Source folder (or file suffix) → the Metadata API type it must produce in package.xml. */
const TYPE_OF_FOLDER = {
  applications: 'CustomApplication',
  classes: 'ApexClass',
  customMetadata: 'CustomMetadata',
  customPermissions: 'CustomPermission',
  externalCredentials: 'ExternalCredential',
  flexipages: 'FlexiPage',
  lwc: 'LightningComponentBundle',
  namedCredentials: 'NamedCredential',
  notificationtypes: 'CustomNotificationType',
  permissionsets: 'PermissionSet',
  tabs: 'CustomTab',
  triggers: 'ApexTrigger',
};
const TYPE_OF_SUFFIX = {
  '.object-meta.xml': 'CustomObject',
  '.field-meta.xml': 'CustomField',
  '.validationRule-meta.xml': 'ValidationRule',
  '.listView-meta.xml': 'ListView',
};

const failures = [];
const fail = (message) => failures.push(message);

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : walk(path);
    return [path];
  });
}

// Limits a deploy enforces that no XML schema states (Metadata API Developer Guide).
const LIMITS = [
  { suffix: '.md-meta.xml', tag: 'label', max: 40 },
  { suffix: '.field-meta.xml', tag: 'label', max: 40 },
  { suffix: '.field-meta.xml', tag: 'description', max: 1000 },
  { suffix: '.field-meta.xml', tag: 'inlineHelpText', max: 510 },
  { suffix: '.object-meta.xml', tag: 'label', max: 40 },
  { suffix: '.permissionset-meta.xml', tag: 'label', max: 80 },
  { suffix: '.customPermission-meta.xml', tag: 'label', max: 80 },
  { suffix: '.notiftype-meta.xml', tag: 'customNotifTypeName', max: 80 },
  { suffix: '.notiftype-meta.xml', tag: 'masterLabel', max: 80 },
  { suffix: '.notiftype-meta.xml', tag: 'description', max: 255 },
];

function lengthProblems(file, xml) {
  const problems = [];
  for (const { suffix, tag, max } of LIMITS) {
    if (!file.endsWith(suffix)) continue;
    const match = xml.match(new RegExp(`<${tag}>([^<]*)</${tag}>`));
    if (match && match[1].length > max) problems.push(`<${tag}> is ${match[1].length} characters; the limit is ${max}`);
  }
  if (file.endsWith('.md-meta.xml')) {
    const recordName = basename(file, '.md-meta.xml').split('.').pop();
    if (recordName.length > 40) problems.push(`record name ${recordName} is over 40 characters`);
  }
  return problems;
}

/** Files that failed the well-formedness check; later checks skip them instead of crashing on them. */
const malformed = new Set();

/**
 * The validator lets some truncations through (a closing tag missing its `>` at the end of the
 * document), so a document it accepts is also parsed; either refusal names the file.
 */
function wellFormedProblem(xml) {
  const result = XMLValidator.validate(xml, { allowBooleanAttributes: true });
  if (result !== true) return `${result.err.line}:${result.err.col}: not well-formed XML: ${result.err.msg}`;
  try {
    new XMLParser().parse(xml);
    return null;
  } catch (error) {
    return ` not well-formed XML: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function checkWellFormed(files) {
  const { sourceApiVersion } = JSON.parse(readFileSync(join(root, 'sfdx-project.json'), 'utf8'));
  let count = 0;
  for (const file of files) {
    if (!file.endsWith('-meta.xml')) continue;
    const xml = readFileSync(file, 'utf8');
    count += 1;
    const problem = wellFormedProblem(xml);
    if (problem) {
      malformed.add(file);
      fail(`${relative(root, file)}:${problem}`);
      continue;
    }
    for (const problem of lengthProblems(file, xml)) fail(`${relative(root, file)}: ${problem}`);
    for (const [, version] of xml.matchAll(/<apiVersion>([^<]*)<\/apiVersion>/g)) {
      if (version.trim() !== sourceApiVersion) {
        fail(`${relative(root, file)}: apiVersion ${version.trim()} differs from sourceApiVersion ${sourceApiVersion}`);
      }
    }
  }
  console.log(`check:package: ${count - malformed.size} of ${count} metadata XML file(s) well-formed`);
}

function expectedTypes(files) {
  const types = new Set();
  const defaultRoot = join(sourceRoot, 'main', 'default');
  for (const file of files) {
    if (!file.endsWith('-meta.xml')) continue;
    const suffix = Object.keys(TYPE_OF_SUFFIX).find((s) => file.endsWith(s));
    if (suffix) {
      types.add(TYPE_OF_SUFFIX[suffix]);
      continue;
    }
    const rel = relative(defaultRoot, file);
    const folder = rel.startsWith('..') ? basename(join(file, '..', '..')) : rel.split('/')[0];
    if (TYPE_OF_FOLDER[folder]) types.add(TYPE_OF_FOLDER[folder]);
    else if (file.endsWith('.cls-meta.xml')) types.add('ApexClass');
    else if (file.endsWith('.trigger-meta.xml')) types.add('ApexTrigger');
  }
  return types;
}

function convertSource() {
  const outputDir = mkdtempSync(join(tmpdir(), 'relay-mdapi-'));
  const sf = join(root, 'node_modules', '.bin', 'sf');
  try {
    execFileSync(sf, ['project', 'convert', 'source', '--root-dir', 'force-app', '--output-dir', outputDir, '--json'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SF_DISABLE_TELEMETRY: 'true', SF_AUTOUPDATE_DISABLE: 'true', SF_LOG_LEVEL: 'fatal' },
    });
  } catch (error) {
    const output = `${error.stdout ?? ''}${error.stderr ?? ''}`;
    let reason = output.trim();
    try {
      reason = JSON.parse(error.stdout.toString()).message ?? reason;
    } catch {
      // not JSON: keep the raw output
    }
    fail(`sf project convert source failed: ${reason}`);
    return { outputDir, manifest: null };
  }
  const manifestXml = readFileSync(join(outputDir, 'package.xml'), 'utf8');
  const parsed = new XMLParser({ isArray: (name) => name === 'types' || name === 'members' }).parse(manifestXml);
  const manifest = new Map(parsed.Package.types.map((t) => [t.name, t.members.map(String)]));
  return { outputDir, manifest };
}

function checkConvertedPackage(sourceFiles) {
  const { outputDir, manifest } = convertSource();
  try {
    if (!manifest) return;
    const expected = expectedTypes(sourceFiles);
    for (const type of [...expected].sort()) {
      if (!manifest.has(type)) fail(`package.xml lacks metadata type ${type}, which force-app holds`);
    }
    const forbidden = walk(outputDir).filter((f) => {
      const rel = relative(outputDir, f);
      return /\.ts$/.test(rel) || /(^|\/)__tests__\//.test(rel) || /(^|\/)(tsconfig|jsconfig)[^/]*\.json$/.test(rel);
    });
    for (const f of forbidden)
      fail(`converted package contains ${relative(outputDir, f)}; .forceignore must exclude it`);
    const summary = [...manifest.entries()].map(([type, members]) => `${type} (${members.length})`).join(', ');
    console.log(`check:package: sf project convert source: ${summary}`);
    if (process.env.RELAY_PRINT_MANIFEST) console.log(readFileSync(join(outputDir, 'package.xml'), 'utf8'));
  } finally {
    rmSync(outputDir, { recursive: true, force: true });
  }
}

async function compileBundles() {
  if (!existsSync(lwcRoot)) return;
  // `__tests__` at the top holds the jest tests' shared helpers, not a bundle (.forceignore keeps it out).
  const bundles = readdirSync(lwcRoot, { withFileTypes: true }).filter(
    (d) => d.isDirectory() && !d.name.startsWith('.') && !d.name.startsWith('__'),
  );
  let compiled = 0;
  for (const bundle of bundles) {
    const dir = join(lwcRoot, bundle.name);
    const files = {};
    for (const file of readdirSync(dir)) {
      const path = join(dir, file);
      if (!statSync(path).isFile()) continue;
      if (/\.(js|html|css|svg)$/.test(file)) files[file] = readFileSync(path, 'utf8');
    }
    if (!files[`${bundle.name}.js`]) {
      const hasTs = existsSync(join(dir, `${bundle.name}.ts`));
      fail(
        `lwc/${bundle.name}: no ${bundle.name}.js to deploy${hasTs ? ' (run npm run build:lwc: tsc emits it from the .ts)' : ''}`,
      );
      continue;
    }
    const report = await platformCompiler.compile({
      bundle: { namespace: NAMESPACE, name: bundle.name, type: 'platform', files },
      outputConfigs: [{ minify: false, env: { NODE_ENV: 'production' } }],
    });
    // Diagnostic levels: 0 fatal, 1 error, 2 warning, 3 log. Warnings (unused imports, eval…) fail
    // too: they are what a security review or the next platform release turns into errors.
    const blocking = report.diagnostics.filter((d) => d.level <= 2);
    for (const d of blocking) {
      const where = d.filename ? `lwc/${bundle.name}/${d.filename}` : `lwc/${bundle.name}`;
      fail(`${where}: platform compiler ${d.level <= 1 ? 'error' : 'warning'}: ${d.message}`);
    }
    if (!report.success && blocking.length === 0)
      fail(`lwc/${bundle.name}: platform compiler failed without a diagnostic`);
    compiled += 1;
  }
  console.log(`check:package: ${compiled} LWC bundle(s) compiled by the platform compiler (namespace ${NAMESPACE})`);
}

/** A custom object, metadata type, event or setting ends in __c, __mdt, __e, __x, __b or __kav. */
const isCustomObject = (name) => /__(c|mdt|e|x|b|kav)$/.test(name);

function checkPermissionSets(files) {
  const parser = new XMLParser({ isArray: (name) => ['objectPermissions', 'userPermissions'].includes(name) });
  let count = 0;
  for (const file of files.filter((f) => f.endsWith('.permissionset-meta.xml') && !malformed.has(f))) {
    count += 1;
    const set = parser.parse(readFileSync(file, 'utf8')).PermissionSet ?? {};
    for (const p of set.objectPermissions ?? []) {
      if (!isCustomObject(String(p.object))) {
        fail(
          `${relative(root, file)}: object permission on the standard object ${p.object}: a managed package installs it without it; grant it in config/post-install`,
        );
      }
    }
    for (const p of set.userPermissions ?? []) {
      fail(
        `${relative(root, file)}: user permission ${p.name}: a managed package installs it without it; grant it in config/post-install`,
      );
    }
  }
  console.log(`check:package: ${count} packaged permission set(s) grant only what a package can install`);
}

const sourceFiles = walk(sourceRoot);
checkWellFormed(sourceFiles);
checkPermissionSets(sourceFiles);
checkConvertedPackage(sourceFiles);
await compileBundles();

if (failures.length > 0) {
  for (const f of failures) console.error(`error ${f}`);
  console.error(`check:package: ${failures.length} problem(s)`);
  process.exitCode = 1;
} else {
  console.log('check:package: ok');
}
