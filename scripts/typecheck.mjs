// `npm run typecheck`: tsc --strict over everything TypeScript, since neither Jest (LWC) nor tsx
// (companion, emulator, preview, bench) checks types when it runs them: the LWC sources and their
// tests, each workspace's own typecheck script, the benchmark scripts. Each tsc is one thread, so
// the projects are checked side by side, one per core; each one's output is printed when it ends.
import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
/** Runs a command, prints what it wrote once it is done, and resolves with whether it passed. */
const run = (command, args, cwd = root) =>
  new Promise((done) => {
    execFile(command, args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      process.stdout.write(stdout);
      process.stderr.write(stderr);
      done(!error);
    });
  });

const steps = [
  [
    'LWC',
    async () =>
      (await run('node', ['scripts/lwc-paths.mjs'])) &&
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

const failed = [];
const queue = [...steps];
const lane = async () => {
  for (let step = queue.shift(); step; step = queue.shift()) {
    const [name, check] = step;
    if (!(await check())) failed.push(name);
  }
};
await Promise.all(Array.from({ length: Math.max(1, Math.min(availableParallelism(), 4)) }, lane));
if (failed.length > 0) {
  console.error(`typecheck: type errors in ${failed.join(', ')}`);
  process.exitCode = 1;
} else {
  console.log(`typecheck: ${steps.map(([name]) => name).join(', ')} clean`);
}
