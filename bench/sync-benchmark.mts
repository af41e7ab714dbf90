// Issue 4's benchmark (`npm run bench`): the dataset of 1,000 and of 100,000 visit and message
// events synced by Relay (real companion process, real intake over HTTP, real worker and sync
// engine, emulator process as the org) and by a per-record jsforce baseline, in the same script on
// the same machine; figures and ratios go to bench/results.json and bench/RESULTS.md.
//
//   npm run bench                       1,000 and 100,000 events, PGlite, baseline sampled at 5,000
//   npm run bench -- --quick            1,000 events only (prints; --write to keep the files)
//   npm run bench -- --postgres         also run Relay on PostgreSQL (scripts/postgres-test-server.mjs)
//   npm run bench -- --render          RESULTS.md again from results.json (no run)
//   options: --sizes 1000,100000  --baseline-sample 5000  --concurrency 4  --no-write
//            --profile (--cpu-prof of the companion and the baseline into bench/.profiles/)
//            --sql-profile (time PGlite spent per statement, logged)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { expectations, generateEvents } from './lib/dataset.mjs';
import { runRelay } from './lib/relay-run.mjs';
import { runBaseline } from './lib/baseline-run.mjs';
import { renderResults, type BenchResults, type SizeResults } from './lib/report.mjs';

const HERE = new URL('.', import.meta.url).pathname;
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    postgres: { type: 'boolean', default: false },
    sizes: { type: 'string' },
    'baseline-sample': { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '4' },
    profile: { type: 'boolean', default: false },
    'sql-profile': { type: 'boolean', default: false },
    write: { type: 'boolean' },
    render: { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
  },
});
const sizes = (values.sizes ?? (values.quick ? '1000' : '1000,100000')).split(',').map(Number);
const sample = Number(values['baseline-sample']);
const write = values['no-write'] ? false : (values.write ?? !values.quick);
const profileDir = join(HERE, '.profiles');
if (values.profile) mkdirSync(profileDir, { recursive: true });
const nodeArgs = (who: string) => [
  ...(values.profile ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, who)}`] : []),
  // Extra flags for the measured processes, for diagnosis (e.g. BENCH_NODE_ARGS=--trace-gc).
  ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
];
const log = (line: string) => console.log(line);

if (values.render) {
  // RESULTS.md again from results.json (after editing findings.md or the report), without a run.
  const saved = JSON.parse(readFileSync(join(HERE, 'results.json'), 'utf8')) as BenchResults;
  writeFileSync(join(HERE, 'RESULTS.md'), renderResults(saved));
  console.log('wrote bench/RESULTS.md from bench/results.json');
  process.exit(0);
}

const started = Date.now();
const results: BenchResults = {
  date: new Date().toISOString(),
  command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  machine: {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    loadAverageAtStart: loadavg().map((n) => Math.round(n * 100) / 100),
  },
  sizes: [],
  totalSeconds: 0,
};

for (const size of sizes) {
  log(`\n== ${size.toLocaleString('en-US')} events`);
  const events = generateEvents(size);
  const entry: SizeResults = { size, dataset: expectations(events), relay: [], baseline: null };
  for (const storage of values.postgres ? (['pglite', 'postgres'] as const) : (['pglite'] as const)) {
    const run = await runRelay(events, {
      storage,
      concurrency: Number(values.concurrency),
      timeoutMs: 20 * 60_000,
      nodeArgs: nodeArgs(`companion-${storage}-${size}`),
      sqlProfile: values['sql-profile'],
      log,
    });
    log(`  relay ${storage}: ${JSON.stringify({ ...run, notes: undefined })}`);
    entry.relay.push(run);
  }
  entry.baseline = await runBaseline(Math.min(size, sample), size, {
    nodeArgs: nodeArgs(`baseline-${size}`),
    log,
  });
  log(`  baseline: ${JSON.stringify({ ...entry.baseline, notes: undefined })}`);
  results.sizes.push(entry);
}
results.totalSeconds = Math.round((Date.now() - started) / 1000);

const markdown = renderResults(results);
console.log(`\n${markdown}`);
if (write) {
  writeFileSync(join(HERE, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(HERE, 'RESULTS.md'), markdown);
  log(`wrote bench/results.json and bench/RESULTS.md (${results.totalSeconds} s)`);
}
