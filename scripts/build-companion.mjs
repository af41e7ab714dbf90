// `npm run build`: the companion as plain JavaScript for production (`node companion/dist/app/serve.js`),
// so no TypeScript loader runs in production. One bundle of companion/src/serve.ts (npm packages stay
// imports, resolved from node_modules), and beside it, in lwc/, each LWC module the companion loads
// at run time (sync/package-module.ts) compiled from the same TypeScript source, with the
// `c/<name>` imports that only the LWC compiler knows resolved to their files. The bundle sits two
// folders below companion/, where src/config/version.ts finds package.json from either place.
import { build } from 'esbuild';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = resolve(new URL('..', import.meta.url).pathname);
const lwcDir = join(root, 'force-app/main/default/lwc');
// `--out <dir>`: another folder two levels below companion/ (tests build their own, so two test
// files never delete each other's bundle).
const { values } = parseArgs({ options: { out: { type: 'string' } } });
const outDir = values.out ? resolve(values.out) : join(root, 'companion/dist/app');

/** LWC modules without a template: the rule and catalogue modules the companion imports. */
function serviceModules() {
  return readdirSync(lwcDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('_'))
    .map((d) => d.name)
    .filter((n) => existsSync(join(lwcDir, n, `${n}.ts`)) && !existsSync(join(lwcDir, n, `${n}.html`)));
}

const lwcSpecifiers = {
  name: 'lwc-specifiers',
  setup(b) {
    b.onResolve({ filter: /^c\/[A-Za-z0-9_]+$/ }, (args) => {
      const name = args.path.slice(2);
      return { path: join(lwcDir, name, `${name}.ts`) };
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
};

rmSync(outDir, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: [join(root, 'companion/src/serve.ts')],
  outfile: join(outDir, 'serve.js'),
  packages: 'external',
});
await build({
  ...common,
  entryPoints: Object.fromEntries(serviceModules().map((n) => [n, join(lwcDir, n, `${n}.ts`)])),
  outdir: join(outDir, 'lwc'),
  plugins: [lwcSpecifiers],
});
console.log(`built ${join(outDir, 'serve.js')} and ${serviceModules().length} package modules in lwc/`);
