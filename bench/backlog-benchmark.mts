// The backlog benchmark (`npm run bench:backlog`): issue 14's "Bulk for backlogs". The sync
// benchmark's dataset (bench/lib/dataset.mts) is stored while the workspace is paused — activities
// already due when the worker starts — and then synced, twice in the same run on the same machine:
//   Bulk       PostgreSQL's defaults: more than RELAY_BACKLOG_THRESHOLD (10,000) due events are claimed
//              RELAY_BACKLOG_BATCH_SIZE (20,000) at a time, their Tasks written with one Bulk API
//              2.0 job and their people looked up 25 queries to a Composite Batch call;
//   Composite  the baseline: RELAY_BACKLOG_THRESHOLD above the backlog, batches of 1,000, one
//              Composite lookup and one Composite write of 5 Collections × 200 each.
// Calls (lookups included) from the emulator's usage counter, events/s from the resume to the last
// outcome, peak RSS of the companion process (VmHWM: intake included), Tasks checked in the org.
// Figures go to bench/BACKLOG.md and bench/backlog-results.json.
//
//   npm run bench:backlog                      100,000 events, PGlite
//   npm run bench:backlog -- --postgres        also PostgreSQL (scripts/postgres-test-server.mjs)
//   options: --size 100000  --backlog-batch 20000 (the Bulk path's RELAY_BACKLOG_BATCH_SIZE)  --no-write
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { expectations, generateEvents } from './lib/dataset.mjs';
import { runRelay } from './lib/relay-run.mjs';
import type { RunFigures } from './lib/types.mjs';

const HERE = new URL('.', import.meta.url).pathname;
const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '100000' },
    // RELAY_BACKLOG_BATCH_SIZE of the Bulk path: PostgreSQL's default, set explicitly because on
    // embedded PGlite backlog batches are opt-in.
    'backlog-batch': { type: 'string', default: '20000' },
    postgres: { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
  },
});
const size = Number(values.size);
const log = (line: string) => console.log(line);

interface BacklogRun {
  path: 'Bulk' | 'Composite';
  figures: RunFigures;
}

const PATHS: { path: BacklogRun['path']; env: Record<string, string> }[] = [
  { path: 'Composite', env: { RELAY_BACKLOG_THRESHOLD: '10000000' } },
  { path: 'Bulk', env: { RELAY_BACKLOG_BATCH_SIZE: values['backlog-batch'] } },
];

const events = generateEvents(size);
const expected = expectations(events);
const started = Date.now();
const loadAtStart = loadavg().map((n) => Math.round(n * 100) / 100);
const runs: BacklogRun[] = [];
for (const storage of values.postgres ? (['pglite', 'postgres'] as const) : (['pglite'] as const)) {
  for (const { path, env } of PATHS) {
    log(`\n== ${size.toLocaleString('en-US')} due events, ${path}, ${storage}`);
    const figures = await runRelay(events, {
      storage,
      concurrency: 4,
      timeoutMs: 30 * 60_000,
      nodeArgs: [],
      backlog: true,
      companionEnv: env,
      // Start-up (PGlite's initdb, migrations) took over a minute on the shared machine.
      readyTimeoutMs: 300_000,
      log,
    });
    log(`  ${JSON.stringify({ ...figures, notes: undefined })}`);
    runs.push({ path, figures });
  }
}

const n = (x: number, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits });
/** Lookup calls: the Composite or Composite Batch reads and the query pages they led to. */
function lookupCalls(byEndpoint: Record<string, number>): number {
  return (byEndpoint['POST /composite/batch'] ?? 0) + (byEndpoint['GET /query'] ?? 0);
}

function row(r: BacklogRun, baseline: BacklogRun | undefined): string {
  const f = r.figures;
  const ratio = (a: number, b: number | undefined) => (b ? `${n(a / b, 2)}×` : '—');
  return [
    `| ${r.path} | ${f.storage}`,
    n(f.apiCalls),
    n(f.callsPer1000, 2),
    JSON.stringify(f.apiCallsByEndpoint).replace(/[{}"]/g, '').replace(/,/g, ', '),
    n(f.syncedPerSec),
    ratio(f.syncedPerSec, baseline?.figures.syncedPerSec),
    n(f.wallSeconds, 1),
    n(f.peakRssMb),
    `${n(f.tasks.distinctKeys)} / ${n(f.tasks.expected)} / ${n(f.tasks.duplicates)}`,
    `${JSON.stringify(f.outcomes).replace(/[{}"]/g, '')} |`,
  ].join(' | ');
}

const lines = [
  '# Backlog benchmark: Bulk API 2.0 against Composite on a due backlog',
  '',
  `\`npm run bench:backlog${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\`, ${new Date().toISOString().slice(0, 16)} UTC, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}; load average at start ${loadAtStart.join(' / ')} (a shared machine: compare ratios within a run). ${n(size)} events of the sync benchmark's dataset (${n(expected.tasks)} Tasks expected) stored while the workspace was paused, then synced from the resume; ${Math.round((Date.now() - started) / 1000)} s in all.`,
  '',
  '| path | storage | API calls | calls per 1,000 (lookups included) | calls by endpoint | events/s synced | vs Composite | seconds | peak RSS MB | Tasks distinct / expected / duplicates | outcomes |',
  '|---|---|--:|--:|---|--:|--:|--:|--:|---|---|',
  ...runs.map((r) =>
    row(
      r,
      runs.find((b) => b.path === 'Composite' && b.figures.storage === r.figures.storage),
    ),
  ),
  '',
  `Lookup calls (Composite Batch and query pages) per run: ${runs.map((r) => `${r.path} ${r.figures.storage} ${lookupCalls(r.figures.apiCallsByEndpoint)}`).join(', ')}; the Composite path's lookups ride in its \`POST /composite\` calls with the writes' own.`,
  '',
  '## Notes per run',
  '',
  ...runs.flatMap((r) => [`- ${r.path}, ${r.figures.storage}:`, ...r.figures.notes.map((note) => `  - ${note}`)]),
  '',
];
const markdown = lines.join('\n');
console.log(`\n${markdown}`);
if (!values['no-write']) {
  writeFileSync(join(HERE, 'BACKLOG.md'), markdown);
  writeFileSync(join(HERE, 'backlog-results.json'), `${JSON.stringify(runs, null, 2)}\n`);
  log('wrote bench/BACKLOG.md and bench/backlog-results.json');
}
