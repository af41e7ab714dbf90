// `npm run typecheck`: tsc --strict over everything TypeScript, since neither Jest (LWC) nor tsx
// (companion, emulator, preview, bench) checks types when it runs them. LWC sources and their
// tests first, then each workspace's own typecheck script, then the benchmark scripts.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const run = (command, args, cwd = root) => spawnSync(command, args, { cwd, stdio: 'inherit' }).status === 0;

const steps = [
  [
    'LWC',
    () =>
      run('node', ['scripts/lwc-paths.mjs']) &&
      run('npx', ['tsc', '-p', 'force-app/main/default/lwc/tsconfig.tests.json']),
  ],
];
const { workspaces = [] } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
for (const workspace of workspaces) {
  const manifest = join(root, workspace, 'package.json');
  if (!existsSync(manifest) || !JSON.parse(readFileSync(manifest, 'utf8')).scripts?.typecheck) continue;
  steps.push([workspace, () => run('npm', ['run', '--silent', 'typecheck'], join(root, workspace))]);
}
if (existsSync(join(root, 'bench', 'tsconfig.json'))) steps.push(['bench', () => run('npx', ['tsc', '-p', 'bench'])]);

const failed = steps.filter(([, check]) => !check()).map(([name]) => name);
if (failed.length > 0) {
  console.error(`typecheck: type errors in ${failed.join(', ')}`);
  process.exitCode = 1;
} else {
  console.log(`typecheck: ${steps.map(([name]) => name).join(', ')} clean`);
}
