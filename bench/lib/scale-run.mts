// One run of the scale benchmark: fresh emulated orgs (one process each, with the benchmark's
// population), a fresh database (a PostgreSQL server of its own, or a PGlite folder), the
// production build as intake-only and worker-only processes (or, on PGlite, one process doing both),
// workspaces created and connected through the operator API, then the same dataset posted signed to
// every workspace and a wait until every event has its final outcome.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../companion/src/db/open.js';
import { startPostgres, type TestPostgres } from '../../scripts/postgres-test-server.mjs';
import { startChild, treeCpuSeconds, type Child } from './child.mjs';
import type { GeneratedEvent } from './dataset.mjs';
import { emulatorUsage, resetEmulatorUsage, type OrgTasks } from './org-figures.mjs';
import { eventFigures, waitingEvents, type EventFigures } from './scale-figures.mjs';
import { startServe, type ServeProcess } from './serve-process.mjs';
import { sleep } from './stats.mjs';
import { createTenants, OPERATOR_TOKEN, postAll, type Tenant } from './tenants.mjs';

const HERE = new URL('.', import.meta.url).pathname;

export interface ScaleRunOptions {
  build: string;
  storage: 'postgres' | 'pglite';
  /** Worker-only processes (PostgreSQL); ignored on PGlite (one process does everything). */
  workers: number;
  intakes: number;
  orgs: number;
  workspacesPerOrg: number;
  /** Posted to every workspace (each workspace gets the same events under its own name). */
  dataset: readonly GeneratedEvent[];
  timeoutMs: number;
  log(line: string): void;
}

export interface ScaleFigures {
  label: string;
  events: number;
  wallSeconds: number;
  syncedPerSec: number;
  postSeconds: number;
  apiCalls: number;
  callsPer1000: number;
  /** Peak RSS (VmHWM) of each worker process (on PGlite: the one process), MB. */
  workerPeakMb: number[];
  intakePeakMb: number[];
  /** Cores busy on average from the first post to the drain seen (CPU seconds / wall seconds), by kind of process. */
  busy: Record<string, number>;
  /** CPU seconds used by Relay's processes and its database server, and by everything the run started. */
  relayCpuSeconds: number;
  allCpuSeconds: number;
  tasks: { expected: number; distinct: number; duplicates: number };
  outcomes: EventFigures;
}

const ENV = {
  RELAY_PORT: '0',
  RELAY_HOST: '127.0.0.1',
  RELAY_OPERATOR_TOKEN: OPERATOR_TOKEN,
  // 'info': the line that says the process serves is an info line (the worker logs nothing per batch).
  RELAY_LOG_LEVEL: 'info',
  // The intake rate limit is not what is measured.
  RELAY_INTAKE_RATE_PER_SECOND: '1000000',
  RELAY_INTAKE_BURST: '1000000',
};

/** Bodies of 1,000 events, workspaces interleaved so every workspace has a backlog from the start. */
function jobs(tenants: readonly Tenant[], dataset: readonly GeneratedEvent[]) {
  const out: { tenant: Tenant; body: string }[] = [];
  for (let i = 0; i < dataset.length; i += 1000) {
    const body = JSON.stringify(dataset.slice(i, i + 1000).map((g) => g.event));
    for (const tenant of tenants) out.push({ tenant, body });
  }
  return out;
}

interface Started {
  processes: ServeProcess[];
  pg?: TestPostgres;
  dirs: string[];
}

/** The first process migrates the database alone; the others start on a migrated one. */
async function startProcesses(o: ScaleRunOptions, s: Started): Promise<void> {
  const env = { ...ENV, RELAY_ENCRYPTION_KEY: randomBytes(32).toString('base64') };
  const start = (role: 'intake' | 'worker' | 'both') => {
    const dir = mkdtempSync(join(tmpdir(), 'relay-scale-'));
    s.dirs.push(dir);
    return startServe(o.build, role, {
      ...env,
      RELAY_DATA_DIR: dir,
      ...(s.pg ? { RELAY_DATABASE_URL: s.pg.url } : {}),
    });
  };
  if (o.storage === 'pglite') {
    s.processes.push(await start('both'));
    return;
  }
  s.processes.push(await start('intake'));
  const rest = [...Array<'intake'>(o.intakes - 1).fill('intake'), ...Array<'worker'>(o.workers).fill('worker')];
  s.processes.push(...(await Promise.all(rest.map(start))));
}

/** Polls the queue gauge until nothing waits twice in a row after posting ended. */
async function drain(url: string, posting: Posting, o: ScaleRunOptions, t0: number) {
  let zeros = 0;
  let lastLog = Date.now();
  while (zeros < 2) {
    await sleep(1000);
    if (posting.error) throw posting.error;
    const waiting = await waitingEvents(url);
    zeros = posting.done && waiting === 0 ? zeros + 1 : 0;
    if (Date.now() - lastLog > 15_000) {
      lastLog = Date.now();
      o.log(`    ${waiting.toLocaleString('en-US')} waiting after ${Math.round((Date.now() - t0) / 1000)} s`);
    }
    if (Date.now() - t0 > o.timeoutMs) throw new Error(`not drained after ${o.timeoutMs / 1000} s`);
  }
}

function cpuOf(s: Started, orgs: Child[], postmaster: number) {
  const byRole = (role: string) => s.processes.filter((p) => p.role === role).reduce((n, p) => n + p.cpuSeconds(), 0);
  const client = process.cpuUsage();
  return {
    worker: byRole('worker') + byRole('both'),
    intake: byRole('intake'),
    'PostgreSQL server': postmaster ? treeCpuSeconds(postmaster) : 0,
    'emulated orgs': orgs.reduce((n, c) => n + c.cpuSeconds(), 0),
    'benchmark client': (client.user + client.system) / 1e6,
  };
}

/** Orgs, database and processes, then the workspaces; the orgs' usage counters start at 0 after it. */
async function setUp(o: ScaleRunOptions, s: Started, orgs: Child[]): Promise<{ orgUrls: string[]; tenants: Tenant[] }> {
  const starting = Array.from({ length: o.orgs }, () =>
    startChild(join(HERE, 'emulator-process.mts'), { BENCH_DAILY_API_REQUESTS: '5000000' }),
  );
  orgs.push(...(await Promise.all(starting)));
  if (o.storage === 'postgres') s.pg = await startPostgres();
  await startProcesses(o, s);
  const orgUrls = orgs.map((c) => String(c.ready.url));
  // The connect calls each make one verifying API call: not part of the measured run.
  const tenants = await createTenants(s.processes[0]!.url, orgUrls, o.workspacesPerOrg);
  await Promise.all(orgUrls.map(resetEmulatorUsage));
  return { orgUrls, tenants };
}

interface Posting {
  done: boolean;
  error?: unknown;
  /** ms since epoch when the last request was answered. */
  at?: number;
}

/** Posts in the background; the drain loop reads `done` and `error`. */
function startPosting(urls: string[], work: ReturnType<typeof jobs>): Posting {
  const posting: Posting = { done: false };
  postAll(urls, work, 4).then(
    () => Object.assign(posting, { done: true, at: Date.now() }),
    (error: unknown) => (posting.error = error ?? new Error('posting failed')),
  );
  return posting;
}

export async function runScale(o: ScaleRunOptions, expectedPerWorkspace: number): Promise<ScaleFigures> {
  const label =
    o.storage === 'pglite' ? 'PGlite, 1 process' : `PostgreSQL, ${o.workers} worker${o.workers > 1 ? 's' : ''}`;
  const s: Started = { processes: [], dirs: [] };
  const orgs: Child[] = [];
  try {
    const { orgUrls, tenants } = await setUp(o, s, orgs);
    const work = jobs(tenants, o.dataset);
    const postmaster = s.pg ? Number(readFileSync(join(s.pg.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]) : 0;
    const cpu0 = cpuOf(s, orgs, postmaster);

    const t0 = Date.now();
    const intakeUrls = s.processes.filter((p) => p.role !== 'worker').map((p) => p.url);
    const posting = startPosting(intakeUrls, work);
    await drain(intakeUrls[0]!, posting, o, t0);
    const cpu1 = cpuOf(s, orgs, postmaster);
    const cpuWindow = (Date.now() - t0) / 1000;

    const memory = (role: string) => s.processes.filter((p) => p.role === role).map((p) => p.memory().peakMb);
    const workerPeakMb = o.storage === 'pglite' ? memory('both') : memory('worker');
    const intakePeakMb = memory('intake');
    const usage = await Promise.all(orgUrls.map(emulatorUsage));
    const orgTasks = await Promise.all(orgs.map((c) => c.call<OrgTasks>('tasks')));
    for (const p of s.processes) await p.stop();
    const db = await openDatabase({ databaseUrl: s.pg?.url, dataDir: s.dirs[0]! });
    const ev = await eventFigures(db).finally(() => db.close());

    const events = o.dataset.length * tenants.length;
    const wallSeconds = (ev.lastCompletedAt - ev.firstReceivedAt) / 1000;
    const apiCalls = usage.reduce((n, u) => n + u.apiRequests, 0);
    const used = Object.fromEntries(Object.entries(cpu1).map(([k, v]) => [k, v - cpu0[k as keyof typeof cpu0]]));
    const busy = Object.fromEntries(Object.entries(used).map(([k, v]) => [k, v / cpuWindow]));
    return {
      label,
      events,
      wallSeconds,
      syncedPerSec: ev.final / wallSeconds,
      postSeconds: ((posting.at ?? t0) - t0) / 1000,
      apiCalls,
      callsPer1000: (apiCalls / events) * 1000,
      workerPeakMb,
      intakePeakMb,
      busy,
      relayCpuSeconds: used.worker! + used.intake! + used['PostgreSQL server']!,
      allCpuSeconds: Object.values(used).reduce((a, b) => a + b, 0),
      tasks: {
        expected: expectedPerWorkspace * tenants.length,
        distinct: orgTasks.reduce((n, t) => n + t.distinctKeys, 0),
        duplicates: orgTasks.reduce((n, t) => n + t.duplicates, 0),
      },
      outcomes: ev,
    };
  } finally {
    for (const p of s.processes) await p.stop().catch(() => undefined);
    for (const c of orgs) await c.stop().catch(() => undefined);
    await s.pg?.stop();
    for (const dir of s.dirs) rmSync(dir, { recursive: true, force: true });
  }
}
