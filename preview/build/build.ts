// Builds the browser preview of the package's Lightning Web Components (`npm run build:preview`).
//
// 1. The components are compiled by tsc with the package's own tsconfig (force-app/main/default/lwc)
//    into .build/, beside copies of their .html/.css: the preview runs the same JavaScript that
//    `npm run build:lwc` emits and Salesforce receives, without writing into force-app.
// 2. The preview runtime (platform stand-ins, page entries; src/runtime) is compiled by tsc too.
// 3. Rollup with @lwc/rollup-plugin (namespace `c` from the folder layout) bundles both with the
//    real lightning-base-components (`lightning/*`), @lwc/engine-dom and @lwc/synthetic-shadow;
//    platform-only imports resolve to the stand-ins (platform-modules.ts).
//
// The bundle runs in production mode, as Lightning Experience runs for users; RELAY_PREVIEW_DEBUG=on
// builds it in development mode (LWC's warnings and the base components' assertions, as with
// Salesforce's Debug Mode for Lightning components).
//
// The output goes to .build/<hash>/ where the hash covers every input (sources, this builder,
// tool versions); `.build/current` names the latest. A build whose hash exists is skipped, so
// `npm start` and the tests can call this on every start. Usage: build.ts [--force] [--quiet]
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rollup, type RollupLog } from 'rollup';
import lwc from '@lwc/rollup-plugin';
import replace from '@rollup/plugin-replace';
import { platformModules } from './platform-modules.js';

const previewDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(previewDir, '..');
const lwcDir = join(repoRoot, 'force-app/main/default/lwc');
const buildRoot = join(previewDir, '.build');
const require = createRequire(import.meta.url);

/** Packages whose versions change the output. */
const TOOL_PACKAGES = [
  'lwc',
  '@lwc/engine-dom',
  '@lwc/synthetic-shadow',
  '@lwc/rollup-plugin',
  '@lwc/compiler',
  'lightning-base-components',
  'rollup',
  'typescript',
];

function listFiles(dir: string, keep: (path: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === '__tests__' || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      out.push(...listFiles(path, keep));
    } else if (keep(path)) {
      out.push(path);
    }
  }
  return out.sort();
}

/** Component sources: everything but tsc's emitted .js (ignored by git, maybe stale) and tests. */
function isComponentSource(path: string): boolean {
  if (path.endsWith('.js')) return false;
  return /\.(ts|html|css|json|xml|svg)$/.test(path) && !path.endsWith('tsconfig.paths.json');
}

function packageVersion(name: string): string {
  try {
    const pkg = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return 'missing';
  }
}

/** Production unless RELAY_PREVIEW_DEBUG=on asks for development mode. */
export function buildMode(env: NodeJS.ProcessEnv = process.env): 'production' | 'development' {
  return /^(on|true|1)$/i.test(env.RELAY_PREVIEW_DEBUG ?? '') ? 'development' : 'production';
}

export function inputHash(): string {
  const hash = createHash('sha256');
  hash.update(`mode=${buildMode()}\0`);
  const files = [
    ...listFiles(lwcDir, isComponentSource),
    ...listFiles(join(repoRoot, 'types'), (p) => p.endsWith('.ts')),
    ...listFiles(join(previewDir, 'src'), () => true),
    ...listFiles(join(previewDir, 'build'), () => true),
    join(previewDir, 'tsconfig.runtime.json'),
  ];
  for (const file of files) {
    hash.update(relative(repoRoot, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  for (const name of TOOL_PACKAGES) hash.update(`${name}@${packageVersion(name)}\0`);
  return hash.digest('hex').slice(0, 16);
}

function tsc(args: string[]): void {
  const bin = require.resolve('typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [bin, ...args], { cwd: repoRoot, stdio: 'pipe' });
  } catch (error) {
    const out = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`tsc ${args.join(' ')} failed:\n${out.stdout?.toString() ?? ''}${out.stderr?.toString() ?? ''}`);
  }
}

/** Copies each component's templates, styles and metadata; tsc adds the .js beside them. */
function stageComponents(modulesDir: string): string[] {
  const names: string[] = [];
  for (const entry of readdirSync(lwcDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name.startsWith('__')) continue;
    const from = join(lwcDir, entry.name);
    const to = join(modulesDir, 'c', entry.name);
    mkdirSync(to, { recursive: true });
    for (const file of readdirSync(from)) {
      if (/\.(html|css|svg)$/.test(file) && statSync(join(from, file)).isFile())
        cpSync(join(from, file), join(to, file));
    }
    names.push(entry.name);
  }
  return names;
}

async function bundle(workDir: string, outDir: string, quiet: boolean): Promise<void> {
  const runtimeDir = join(workDir, 'runtime');
  const modulesDir = join(workDir, 'modules');
  const warnings: string[] = [];
  const build = await rollup({
    input: { record: join(runtimeDir, 'record.js'), setup: join(runtimeDir, 'setup.js') },
    onwarn(warning: RollupLog) {
      // Circular imports and template lint inside lightning-base-components are theirs and harmless.
      if (warning.code === 'CIRCULAR_DEPENDENCY' || warning.code === 'THIS_IS_UNDEFINED') return;
      if (`${warning.id ?? ''} ${warning.message}`.includes('lightning-base-components')) return;
      warnings.push(`${warning.code ?? ''} ${warning.message}`);
    },
    plugins: [
      replace({
        preventAssignment: true,
        values: { 'process.env.NODE_ENV': JSON.stringify(buildMode()), 'import.meta.env.SSR': 'false' },
      }),
      lwc({
        rootDir: modulesDir,
        // Some base components render lwc:component / lwc:is, as the platform allows them to.
        enableDynamicComponents: true,
        // lightning-combobox and friends attach ElementInternals (the package's gates are all
        // open off-platform); under synthetic shadow the engine allows it only with this flag.
        enableSyntheticElementInternals: true,
        modules: [{ dir: modulesDir }, { npm: 'lightning-base-components' }],
        // The runtime and the stand-ins are plain modules, not components.
        exclude: [`${runtimeDir}/**`],
      }),
      platformModules({ runtimeDir }),
    ],
  });
  await build.write({
    dir: outDir,
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    sourcemap: false,
  });
  await build.close();
  if (!quiet) for (const w of warnings) console.warn(`preview build: ${w}`);
}

export interface BuildResult {
  hash: string;
  dir: string;
  built: boolean;
}

/** Builds the preview unless a build of the same inputs exists; returns its folder. */
export async function buildPreview(options: { force?: boolean; quiet?: boolean } = {}): Promise<BuildResult> {
  const hash = inputHash();
  const dir = join(buildRoot, hash);
  if (!options.force && existsSync(join(dir, 'record.js')) && existsSync(join(dir, 'setup.js'))) {
    writeFileSync(join(buildRoot, 'current'), `${hash}\n`);
    return { hash, dir, built: false };
  }
  const workDir = join(buildRoot, `work-${process.pid}-${Date.now()}`);
  mkdirSync(workDir, { recursive: true });
  // The companion stops a build it started when it closes: leave no half-built folder behind.
  const stop = () => {
    rmSync(workDir, { recursive: true, force: true });
    process.exit(143);
  };
  process.once('SIGTERM', stop);
  try {
    execFileSync(process.execPath, [join(repoRoot, 'scripts/lwc-paths.mjs')], { cwd: repoRoot });
    stageComponents(join(workDir, 'modules'));
    tsc(['-p', relative(repoRoot, lwcDir), '--outDir', join(workDir, 'modules', 'c'), '--rootDir', lwcDir]);
    tsc(['-p', relative(repoRoot, join(previewDir, 'tsconfig.runtime.json')), '--outDir', join(workDir, 'runtime')]);
    const outDir = join(workDir, 'out');
    await bundle(workDir, outDir, options.quiet ?? false);
    writeFileSync(join(outDir, 'build.json'), `${JSON.stringify({ hash, builtAt: new Date().toISOString() })}\n`);
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    try {
      renameSync(outDir, dir);
    } catch (error) {
      // Another process finished the same build first: its output is identical.
      if (!existsSync(join(dir, 'record.js'))) throw error;
    }
    writeFileSync(join(buildRoot, 'current'), `${hash}\n`);
    // Older builds are no longer linked from new pages; a page opened a moment ago may still load
    // its files, so only builds (and abandoned work folders) older than ten minutes are removed.
    const cutoff = Date.now() - 10 * 60_000;
    for (const entry of readdirSync(buildRoot)) {
      const path = join(buildRoot, entry);
      if (entry !== hash && entry !== 'current' && statSync(path).mtimeMs < cutoff) {
        rmSync(path, { recursive: true, force: true });
      }
    }
    return { hash, dir, built: true };
  } finally {
    process.off('SIGTERM', stop);
    rmSync(workDir, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const force = process.argv.includes('--force');
  const quiet = process.argv.includes('--quiet');
  const started = Date.now();
  buildPreview({ force, quiet })
    .then((result) => {
      const what = result.built ? `built in ${((Date.now() - started) / 1000).toFixed(1)} s` : 'up to date';
      console.log(`preview ${what}: ${relative(repoRoot, result.dir)}`);
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    });
}
