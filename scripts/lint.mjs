// `npm run lint`: ESLint and Prettier over the whole repository, side by side (each is one thread),
// and both always run, so one pass reports every rule broken and every unformatted file at once.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const PRETTIER_FILES = '**/*.{cls,trigger,ts,mts,js,mjs,cjs,html,css,xml,json}';

/** Runs a tool, prints its output once it ends, and resolves with whether it passed. */
const run = (args) =>
  new Promise((done) => {
    execFile('npx', args, { cwd: root, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      process.stdout.write(stdout);
      process.stderr.write(stderr);
      done(!error);
    });
  });

const [eslint, prettier] = await Promise.all([
  run(['eslint', '--max-warnings', '0', '.']),
  run(['prettier', '--check', PRETTIER_FILES]),
]);
if (!eslint) console.error('lint: ESLint found problems (above)');
if (!prettier)
  console.error('lint: Prettier found unformatted files (above); `npx prettier --write <file>` fixes them');
process.exitCode = eslint && prettier ? 0 : 1;
