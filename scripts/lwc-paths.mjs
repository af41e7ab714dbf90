// Writes force-app/main/default/lwc/tsconfig.paths.json: one `c/<name>` path per component, so
// tsc resolves `import x from 'c/errorUtils'` to errorUtils/errorUtils.ts the way the LWC module
// resolver does. TypeScript allows one `*` per path pattern, so `c/*` -> `./*/*` cannot express
// it; the list is regenerated before every tsc run instead of being kept by hand.
import { readdirSync, existsSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const lwcDir = fileURLToPath(new URL('../force-app/main/default/lwc/', import.meta.url));

export function componentPaths(dir = lwcDir) {
  const paths = {};
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name.startsWith('__')) continue;
    const source = join(dir, entry.name, `${entry.name}.ts`);
    if (existsSync(source)) paths[`c/${entry.name}`] = [`./${entry.name}/${entry.name}.ts`];
  }
  return Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b)));
}

const target = join(lwcDir, 'tsconfig.paths.json');
const next = `${JSON.stringify({ compilerOptions: { paths: componentPaths() } }, null, 2)}\n`;
const previous = existsSync(target) ? readFileSync(target, 'utf8') : '';
if (next !== previous) writeFileSync(target, next);
