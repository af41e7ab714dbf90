// The scale benchmark (`npm run bench:scale`, issue 14 item 6): the production build
// (`npm run build`, serve.js) on one PostgreSQL server as one intake-only process and 1, 2 and 4
// worker-only processes, 10 workspaces on 5 emulated orgs (2 per org, created and connected through
// the operator API), every workspace posted the same dataset signed through intake; then the same
// workload on embedded PGlite in one process. Each run starts on fresh orgs and a fresh database.
// Ratios are taken within the run: N workers against 1 worker, PGlite against PostgreSQL 1 worker.
// Prints the figures; exits 1 when a Task is missing or duplicated.
//
//   npm run bench:scale                                  60,000 events (6,000 per workspace)
//   npm run bench:scale -- --events 50000 --workers 1,2 --skip-pglite
import { rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { buildCompanion } from '../companion/test/helpers/build.js';
import { expectations, generateEvents } from './lib/dataset.mjs';
import { runScale, type ScaleFigures } from './lib/scale-run.mjs';
import { scaleReport } from './lib/scale-report.mjs';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '60000' },
    workers: { type: 'string', default: '1,2,4' },
    orgs: { type: 'string', default: '5' },
    'per-org': { type: 'string', default: '2' },
    intakes: { type: 'string', default: '1' },
    'skip-pglite': { type: 'boolean', default: false },
  },
});
const orgs = Number(values.orgs);
const perOrg = Number(values['per-org']);
const workspaces = orgs * perOrg;
const dataset = generateEvents(Math.round(Number(values.events) / workspaces));
const expectedPerWorkspace = expectations(dataset).tasks;
const log = (line: string) => console.log(line);

const started = Date.now();
const load = loadavg().map((n) => n.toFixed(2));
log(
  `scale: ${(dataset.length * workspaces).toLocaleString('en-US')} events (${dataset.length.toLocaleString('en-US')} to each of ${workspaces} workspaces on ${orgs} orgs); ${cpus().length} cores, load average at start ${load.join(' / ')}`,
);
const build = await buildCompanion();
const runs: ScaleFigures[] = [];
try {
  const plan = [
    ...values.workers.split(',').map((n) => ({ storage: 'postgres' as const, workers: Number(n) })),
    ...(values['skip-pglite'] ? [] : [{ storage: 'pglite' as const, workers: 1 }]),
  ];
  for (const { storage, workers } of plan) {
    log(`  ${storage}, ${workers} worker process(es)…`);
    const run = await runScale(
      {
        build,
        storage,
        workers,
        intakes: Number(values.intakes),
        orgs,
        workspacesPerOrg: perOrg,
        dataset,
        timeoutMs: 20 * 60_000,
        log,
      },
      expectedPerWorkspace,
    );
    log(
      `    ${run.label}: ${Math.round(run.syncedPerSec)} events/s synced in ${run.wallSeconds.toFixed(1)} s; ${JSON.stringify(run.outcomes.statuses)}`,
    );
    runs.push(run);
  }
} finally {
  rmSync(build, { recursive: true, force: true });
}
log(`\n${scaleReport(runs)}\n`);
log(
  `${cpus().length} cores, load average at start ${load.join(' / ')}, at the end ${loadavg()
    .map((n) => n.toFixed(2))
    .join(' / ')}; ${Math.round((Date.now() - started) / 1000)} s in all`,
);
const broken = runs.filter((r) => r.tasks.duplicates > 0 || r.tasks.distinct !== r.tasks.expected);
for (const r of broken)
  log(`FAILED: ${r.label}: ${r.tasks.distinct} of ${r.tasks.expected} Tasks, ${r.tasks.duplicates} duplicates`);
process.exit(broken.length > 0 ? 1 : 0);
