// `npm test -w companion`: every test file, four at a time, the longest first. The runner takes
// files in the order given, so a long file started last would run on alone after the others ended
// and stretch the suite by its own length; started first, it overlaps the short ones.
// Usage: node test/run.mjs [file ...]   (default: test/*.test.ts)
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, relative } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const workspace = join(here, '..');

/** The files that take longest (a minute or more on a loaded 2-core machine), longest first. */
const LONGEST = [
  'chaos.postgres.test.ts',
  'start.test.ts',
  'e2e-sync.pglite.test.ts',
  'e2e-sync.postgres.test.ts',
  'worker.pglite.test.ts',
  'worker.postgres.test.ts',
  'crash.pglite.test.ts',
  'crash.postgres.test.ts',
  'soak.pglite.test.ts',
];

const all = readdirSync(here)
  .filter((f) => f.endsWith('.test.ts'))
  .sort();
const rank = (f) => (LONGEST.includes(f) ? LONGEST.indexOf(f) : LONGEST.length);
const chosen =
  process.argv.length > 2 ? process.argv.slice(2) : all.sort((a, b) => rank(a) - rank(b)).map((f) => join(here, f));
const files = chosen.map((f) => relative(workspace, f));

const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=4', ...files], {
  cwd: workspace,
  stdio: 'inherit',
});
child.on('close', (code, signal) => {
  process.exitCode = signal ? 1 : (code ?? 1);
});
