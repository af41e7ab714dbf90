// The Relay run: a fresh emulator process and a fresh companion process (PGlite in a temporary
// folder, or PostgreSQL), the dataset posted signed through the real intake over HTTP in batches of
// 1,000 as fast as intake takes them, then a wait until every event has its final outcome.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signatureHeader } from '../../companion/src/auth/signature.js';
import { BATCH_MEDIA_TYPE } from '../../companion/src/intake/route.js';
import { startPostgres, type TestPostgres } from '../../scripts/postgres-test-server.mjs';
import { startChild, treeCpuSeconds, type Child } from './child.mjs';
import { expectations, type GeneratedEvent } from './dataset.mjs';
import { percentile, sleep } from './stats.mjs';
import type { RunFigures } from './types.mjs';
import { emulatorUsage, resetEmulatorUsage, taskCheck } from './org-figures.mjs';

const HERE = new URL('.', import.meta.url).pathname;

/**
 * The node flags `npm start` runs the companion with (root package.json), so the benchmark measures
 * the process as it is deployed: `--max-old-space-size` in particular decides how far V8's heap
 * grows between collections.
 */
export function npmStartFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(HERE, '..', '..', 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  const words = pkg.scripts.start.split(/\s+/);
  const flags: string[] = [];
  for (let i = 1; i < words.length && words[i]!.startsWith('--'); i += 1) {
    if (words[i] === '--import')
      i += 1; // tsx: startChild adds it
    else flags.push(words[i]!);
  }
  return flags;
}
const SECRET = 'bench-signing-secret-0123456789abcdef';
const FINAL = ['synced', 'skipped', 'failed'];

export interface RelayRunOptions {
  storage: 'pglite' | 'postgres';
  /** Requests in flight at once. */
  concurrency: number;
  /** Give up waiting for the sync after this long. */
  timeoutMs: number;
  /** Extra node flags for the companion (`--cpu-prof`…). */
  nodeArgs: string[];
  /** Log the statements PGlite spent its time on (sql-profile.mts). */
  sqlProfile?: boolean;
  /** One event per request at this steady rate, instead of batches of 1,000 as fast as intake takes them. */
  trickle?: { eventsPerSecond: number };
  /** Extra environment of the companion process (e.g. RELAY_BATCH_WAIT_MS). */
  companionEnv?: Record<string, string>;
  /**
   * A backlog: the whole dataset is stored while the workspace is paused, then the worker syncs
   * it. Calls, CPU and events/s synced are measured from the resume, not from the first post.
   */
  backlog?: boolean;
  /** How long the companion may take to start (a loaded machine needs more than the default). */
  readyTimeoutMs?: number;
  log(line: string): void;
}

interface Posted {
  accepted: number;
  /** A backlog run: how long storing the dataset took (before the measured sync). */
  postSeconds?: number;
  duplicates: number;
  /** ms since epoch when the last request was answered. */
  lastAnsweredAt: number;
  requestMs: number[];
}

async function send(url: string, body: string, out: Posted): Promise<void> {
  const t = performance.now();
  const res = await fetch(`${url}/v1/events`, {
    method: 'POST',
    headers: {
      'content-type': BATCH_MEDIA_TYPE,
      'relay-workspace': 'bench',
      // Signed at send time: the signature window is 5 minutes.
      'relay-signature': signatureHeader(SECRET, body),
    },
    body,
  });
  const answer = (await res.json()) as { accepted?: number; duplicates?: number };
  if (res.status !== 202) throw new Error(`intake answered ${res.status}: ${JSON.stringify(answer)}`);
  out.accepted += answer.accepted ?? 0;
  out.duplicates += answer.duplicates ?? 0;
  out.requestMs.push(performance.now() - t);
  out.lastAnsweredAt = Date.now();
}

async function post(url: string, bodies: string[], concurrency: number): Promise<Posted> {
  let next = 0;
  const out: Posted = { accepted: 0, duplicates: 0, lastAnsweredAt: 0, requestMs: [] };
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let body = bodies[next++]; body !== undefined; body = bodies[next++]) await send(url, body, out);
    }),
  );
  return out;
}

/** One request every `intervalMs`, on a fixed schedule (a slow answer does not push the rest back). */
async function postPaced(url: string, bodies: string[], intervalMs: number): Promise<Posted> {
  const out: Posted = { accepted: 0, duplicates: 0, lastAnsweredAt: 0, requestMs: [] };
  const start = Date.now();
  for (let i = 0; i < bodies.length; i += 1) {
    await sleep(Math.max(0, start + i * intervalMs - Date.now()));
    await send(url, bodies[i]!, out);
  }
  return out;
}

/** Stores every body while the workspace is paused; the sync starts when the caller resumes it. */
async function storeBacklog(
  companion: Child,
  url: string,
  bodies: string[],
  options: RelayRunOptions,
): Promise<Posted> {
  await companion.call('pause');
  const started = Date.now();
  const posted = await post(url, bodies, options.concurrency);
  posted.postSeconds = (Date.now() - started) / 1000;
  options.log(`  relay ${options.storage}: ${posted.accepted} events stored as a backlog in ${posted.postSeconds} s`);
  return posted;
}

export async function runRelay(events: readonly GeneratedEvent[], options: RelayRunOptions): Promise<RunFigures> {
  const expected = expectations(events);
  const children: Child[] = [];
  let pg: TestPostgres | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'relay-bench-'));
  try {
    const emulator = await startChild(join(HERE, 'emulator-process.mts'), { BENCH_DAILY_API_REQUESTS: '100000' });
    children.push(emulator);
    const emulatorUrl = String(emulator.ready.url);
    if (options.storage === 'postgres') pg = await startPostgres();
    const companion = await startChild(
      join(HERE, 'companion-process.mts'),
      {
        RELAY_PORT: '0',
        RELAY_HOST: '127.0.0.1',
        RELAY_LOG_LEVEL: 'warn',
        RELAY_DATA_DIR: dataDir,
        ...(pg ? { RELAY_DATABASE_URL: pg.url } : {}),
        BENCH_EMULATOR_URL: emulatorUrl,
        BENCH_SECRET: SECRET,
        ...(options.sqlProfile ? { BENCH_SQL_PROFILE: '1' } : {}),
        ...options.companionEnv,
      },
      [...npmStartFlags(), ...options.nodeArgs],
      options.readyTimeoutMs,
    );
    children.push(companion);
    const companionUrl = String(companion.ready.url);

    // Bodies are built before the clock starts: the figure is the companion's, not the client's.
    const perRequest = options.trickle ? 1 : 1000;
    const bodies: string[] = [];
    for (let i = 0; i < events.length; i += perRequest) {
      bodies.push(JSON.stringify(events.slice(i, i + perRequest).map((g) => g.event)));
    }
    await resetEmulatorUsage(emulatorUrl);
    const postmaster = pg ? Number(readFileSync(join(pg.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]) : 0;
    const stored = options.backlog ? await storeBacklog(companion, companionUrl, bodies, options) : null;
    if (stored) await resetEmulatorUsage(emulatorUrl);
    const cpu0 = {
      companion: companion.cpuSeconds(),
      emulator: emulator.cpuSeconds(),
      client: process.cpuUsage(),
      postgres: postmaster ? treeCpuSeconds(postmaster) : 0,
    };
    const t0 = Date.now();
    if (stored) await companion.call('resume');
    const posting = stored
      ? Promise.resolve(stored)
      : options.trickle
        ? postPaced(companionUrl, bodies, 1000 / options.trickle.eventsPerSecond)
        : post(companionUrl, bodies, options.concurrency);
    let posted: Posted | undefined;
    let postError: unknown;
    posting.then(
      (p) => (posted = p),
      (e: unknown) => (postError = e ?? new Error('intake failed')),
    );

    const memoryAtStart = (await companion.call<{ now: NodeJS.MemoryUsage }>('memory')).now;
    const peakBeforeRunMb = companion.memory().peakMb;
    let counts: Record<string, number> = {};
    let lastLog = 0;
    for (;;) {
      await sleep(1000);
      if (postError) throw postError;
      // The engine's counters are free to read; the database is asked only to confirm the end.
      const answered = await companion.call<Record<string, number>>('outcomes');
      const done = FINAL.reduce((n, s) => n + (answered[s] ?? 0), 0);
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        options.log(
          `  relay ${options.storage}: ${JSON.stringify(answered)} after ${Math.round((Date.now() - t0) / 1000)} s`,
        );
      }
      if (posted && done >= events.length) {
        counts = await companion.call<Record<string, number>>('statusCounts');
        if (FINAL.reduce((n, s) => n + (counts[s] ?? 0), 0) >= events.length) break;
      }
      if (Date.now() - t0 > options.timeoutMs) {
        counts = await companion.call<Record<string, number>>('statusCounts');
        options.log(`  relay ${options.storage}: gave up waiting after ${options.timeoutMs / 1000} s`);
        break;
      }
    }
    const settledAt = Date.now();
    posted ??= await posting;
    const cpu = {
      companion: companion.cpuSeconds() - cpu0.companion,
      emulator: emulator.cpuSeconds() - cpu0.emulator,
      client: (process.cpuUsage(cpu0.client).user + process.cpuUsage(cpu0.client).system) / 1e6,
      postgres: postmaster ? treeCpuSeconds(postmaster) - cpu0.postgres : 0,
    };
    const usage = await emulatorUsage(emulatorUrl);
    const summary = await companion.call<{
      synced: number;
      latencyP50Ms: number | null;
      latencyP95Ms: number | null;
      lastCompletedAt: number | null;
      counters: unknown;
      failures: unknown[];
      skippedReasons: unknown[];
    }>('summary');
    const memoryAtPeak = (await companion.call<{ highest: NodeJS.MemoryUsage }>('memory')).highest;
    const tasks = await emulator.call<Parameters<typeof taskCheck>[0]>('tasks');
    if (process.env.BENCH_ALLOC_PROFILE) {
      for (const a of await companion.call<Array<{ site: string; mb: number }>>('allocations')) {
        options.log(`  alloc ${String(a.mb).padStart(6)} MB ${a.site}`);
      }
    }
    if (options.sqlProfile) {
      for (const e of await companion.call<Array<{ sql: string; count: number; ms: number }>>('sqlProfile')) {
        options.log(`  sql ${String(e.ms).padStart(7)} ms ${String(e.count).padStart(7)}× ${e.sql}`);
      }
    }
    const memory = companion.memory();
    const lastOutcomeAt = Math.min(summary.lastCompletedAt ?? settledAt, settledAt);
    const wallSeconds = (lastOutcomeAt - t0) / 1000;
    const finalCount = FINAL.reduce((n, s) => n + (counts[s] ?? 0), 0);
    const busy = (s: number) => ({ cpuSeconds: s, busy: s / wallSeconds });
    const notes: string[] = [];
    if (finalCount < events.length) notes.push(`only ${finalCount} of ${events.length} events reached an outcome`);
    if (summary.failures.length) notes.push(`not synced: ${JSON.stringify(summary.failures)}`);
    notes.push(`skipped: ${JSON.stringify(summary.skippedReasons)}`);
    const mb = (n: number | undefined) => Math.round((n ?? 0) / 2 ** 20);
    const breakdown = (m: NodeJS.MemoryUsage | undefined) =>
      m
        ? `RSS ${mb(m.rss)} MB (V8 heap ${mb(m.heapTotal)} of which used ${mb(m.heapUsed)}, external incl. WASM ${mb(m.external)})`
        : '—';
    notes.push(
      `companion memory when idle before the run: ${breakdown(memoryAtStart)}; at its highest (50 ms samples): ${breakdown(memoryAtPeak)}; peak (VmHWM) ${Math.round(peakBeforeRunMb)} MB by the end of start-up, ${Math.round(memory.peakMb)} MB by the end of the run`,
    );
    notes.push(
      `intake request p50/p95 ${Math.round(percentile(posted.requestMs, 50) ?? 0)}/${Math.round(percentile(posted.requestMs, 95) ?? 0)} ms; engine counters ${JSON.stringify(summary.counters)}`,
    );
    return {
      system: 'relay',
      storage: options.storage,
      events: events.length,
      datasetEvents: events.length,
      sampled: false,
      apiCalls: usage.apiRequests,
      apiCallsByEndpoint: usage.byEndpoint,
      callsPer1000: (usage.apiRequests / events.length) * 1000,
      acceptedPerSec: stored
        ? stored.accepted / (stored.postSeconds ?? 1)
        : posted.accepted / ((posted.lastAnsweredAt - t0) / 1000),
      syncedPerSec: finalCount / wallSeconds,
      wallSeconds,
      latencyP50Ms: summary.latencyP50Ms,
      latencyP95Ms: summary.latencyP95Ms,
      serviceP50Ms: null,
      serviceP95Ms: null,
      peakRssMb: memory.peakMb,
      processes: {
        companion: busy(cpu.companion),
        ...(postmaster ? { 'PostgreSQL server': busy(cpu.postgres) } : {}),
        emulator: busy(cpu.emulator),
        client: busy(cpu.client),
      },
      tasks: taskCheck(tasks, expected),
      outcomes: counts,
      notes,
    };
  } finally {
    for (const child of children.reverse()) await child.stop().catch(() => undefined);
    await pg?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
