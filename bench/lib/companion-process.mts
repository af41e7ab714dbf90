// The companion under test, alone in its process so its peak RSS is its own: `createCompanion`, the
// production wiring (production settings: 50 s configuration refresh, batches of 1,000), real
// intake over HTTP and the worker, on PGlite in RELAY_DATA_DIR or PostgreSQL at RELAY_DATABASE_URL.
// One workspace, `bench`, connected to the emulator through its development client.
//
// Environment: the companion's own (RELAY_*), BENCH_EMULATOR_URL, BENCH_SECRET.
import { parseConfig } from '../../companion/src/config/env.js';
import { createCompanion } from '../../companion/src/app.js';
import { PgliteDb } from '../../companion/src/db/pglite.js';
import { serveParent } from './child.mjs';
import { profileSql } from './sql-profile.mjs';
import { startAllocationProfile } from './alloc-profile.mjs';

export const WORKSPACE_ID = 'bench';

const config = parseConfig(process.env);
const companion = await createCompanion({ config });
const db = companion.db;
// A data folder used before (a restart) keeps its workspace: connect it to this run's emulator,
// through the operator's own connect (one verifying call, made before the measured run).
const existing = await companion.operator.getWorkspace(WORKSPACE_ID);
const workspace =
  existing ??
  (
    await companion.operator.createWorkspace(
      { id: WORKSPACE_ID, name: 'Benchmark', signingSecret: process.env.BENCH_SECRET! },
      'bench',
    )
  ).workspace;
await companion.operator.connectServer(
  workspace,
  {
    flow: 'client_credentials',
    loginUrl: process.env.BENCH_EMULATOR_URL!,
    clientId: 'relay-dev',
    clientSecret: 'relay-dev-secret',
  },
  'bench',
);

/**
 * Outcomes the engine has answered so far, from its in-memory counters: the parent polls this every
 * second, and a count(*) over 100,000 events would take PGlite's one connection ~130 ms each time.
 */
function outcomes(): Record<string, number> {
  const c = companion.engine.counters.snapshot(WORKSPACE_ID);
  return c ? { synced: c.synced, skipped: c.skipped, failed: c.failed, retry: c.retry, deferred: c.deferred } : {};
}

/** Events per status in the database: the parent's final check. */
async function statusCounts(): Promise<Record<string, number>> {
  const { rows } = await db.query<{ status: string; n: number }>(
    'SELECT status, count(*)::int AS n FROM events WHERE workspace_id = $1 GROUP BY status',
    [WORKSPACE_ID],
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** Intake-to-Task latency of synced events (completed_at − received_at) and the run's time span. */
async function summary() {
  const { rows } = await db.query<Record<string, number | null>>(
    `SELECT count(*)::int AS synced,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - received_at)) * 1000 AS p50_ms,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - received_at)) * 1000 AS p95_ms,
            max(extract(epoch FROM completed_at - received_at)) * 1000 AS max_ms
       FROM events WHERE workspace_id = $1 AND status = 'synced'`,
    [WORKSPACE_ID],
  );
  const span = await db.query<Record<string, number | null>>(
    `SELECT extract(epoch FROM min(received_at)) * 1000 AS first_received,
            extract(epoch FROM max(received_at)) * 1000 AS last_received,
            extract(epoch FROM max(completed_at)) * 1000 AS last_completed
       FROM events WHERE workspace_id = $1`,
    [WORKSPACE_ID],
  );
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const r = rows[0]!;
  const s = span.rows[0]!;
  return {
    synced: Number(r.synced),
    latencyP50Ms: num(r.p50_ms),
    latencyP95Ms: num(r.p95_ms),
    latencyMaxMs: num(r.max_ms),
    firstReceivedAt: num(s.first_received),
    lastReceivedAt: num(s.last_received),
    lastCompletedAt: num(s.last_completed),
    counters: companion.engine.counters.snapshot(WORKSPACE_ID),
    failures: (
      await db.query(
        `SELECT status, error_code, error_message, count(*)::int AS n FROM events
          WHERE workspace_id = $1 AND status NOT IN ('synced', 'skipped')
          GROUP BY 1, 2, 3 ORDER BY n DESC LIMIT 5`,
        [WORKSPACE_ID],
      )
    ).rows,
    skippedReasons: (
      await db.query(
        `SELECT split_part(status_reason, ' matches ', 1) AS reason, count(*)::int AS n FROM events
          WHERE workspace_id = $1 AND status = 'skipped' GROUP BY 1 ORDER BY n DESC LIMIT 5`,
        [WORKSPACE_ID],
      )
    ).rows,
  };
}

// Resident memory sampled every 50 ms, with what it was made of at its highest (VmHWM gives the
// peak's size but not its parts).
let highest = process.memoryUsage();
const sampler = setInterval(() => {
  if (process.memoryUsage.rss() > highest.rss) highest = process.memoryUsage();
}, 50);
sampler.unref();
const memory = () => ({ now: process.memoryUsage(), highest });

const sqlProfile =
  process.env.BENCH_SQL_PROFILE && db instanceof PgliteDb ? profileSql(db.pglite) : () => [] as unknown[];

const stopAllocationProfile = process.env.BENCH_ALLOC_PROFILE ? await startAllocationProfile() : null;
const allocations = async () => (stopAllocationProfile ? stopAllocationProfile() : []);

// A backlog run (bench/backlog-benchmark.mts) stores the whole dataset while the workspace is
// paused, then lets the worker at it: events already due when syncing starts.
const pause = async () =>
  companion.queue.pauseWorkspace(WORKSPACE_ID, new Date(Date.now() + 86_400_000), 'BENCH_BACKLOG');
const resume = async () => companion.queue.resumeWorkspace(WORKSPACE_ID);

serveParent(
  { url: companion.url, storage: config.databaseUrl ? 'postgres' : 'pglite' },
  { outcomes, statusCounts, summary, memory, sqlProfile, allocations, pause, resume },
  () => companion.close(),
);
