// The chaos run: the production build on one PostgreSQL server, as several processes (intake-only
// and worker-only), one of them killed with SIGKILL in every cycle and replaced, while a load
// generator keeps posting signed events and the emulated org fails a fifth of its API calls (503,
// UNABLE_TO_LOCK_ROW, expired sessions, latency) and runs out of its daily API requests once. The
// load generator behaves as a platform's webhook sender: a request whose process died, or that was
// not answered 202, is sent again with the same events (at-least-once from the client's side), and
// every event of a request answered 202 is counted as accepted. At the end, with faults cleared
// and the queue drained, the org must hold exactly one Task per accepted event.
// Used by test/chaos.postgres.test.ts (a few cycles) and bench/chaos.mts (`npm run chaos`).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signatureHeader } from '../../src/auth/signature.js';
import { BATCH_MEDIA_TYPE, SINGLE_MEDIA_TYPE } from '../../src/intake/route.js';
import { PostgresDb } from '../../src/db/postgres.js';
import { createEmulator, type RunningEmulator } from '../../../emulator/src/index.js';
import { executeSoql } from '../../../emulator/src/soql/index.js';
import { prng } from '../../../emulator/src/seed/demo.js';
import { startPostgres, type TestPostgres } from '../../../scripts/postgres-test-server.mjs';

const TOKEN = `chaos-operator-${randomBytes(12).toString('hex')}`;
const WORKSPACE = 'chaos';

export interface ChaosOptions {
  cycles: number;
  /** The production build to start processes from (helpers/build.ts: a folder of the caller's own). */
  build: string;
  /** Intake-only processes alive at any time. */
  intakes?: number;
  /** Worker-only processes alive at any time. */
  workers?: number;
  /** Share of the org's API calls that meet a fault. */
  faultShare?: number;
  /** Events that must be accepted between two kills (the load keeps flowing meanwhile). */
  eventsPerCycle?: number;
  /** Requests in flight at once. */
  senders?: number;
  /** Upper bound for the drain at the end; the run fails when it is reached. */
  drainTimeoutMs?: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface ChaosFigures {
  cycles: number;
  killed: { intake: number; worker: number };
  /** Kills of a worker holding leased events, and of an intake with requests unanswered. */
  killedBusy: { intake: number; worker: number };
  requests: { sent: number; retried: number };
  accepted: number;
  tasks: number;
  /** Accepted events without a Task (must be 0). */
  lost: number;
  /** Tasks beyond the first for one external key (must be 0). */
  duplicated: number;
  /** Tasks whose key belongs to no accepted event (must be 0). */
  unexpected: number;
  statuses: Record<string, number>;
  apiCalls: number;
  faults: Record<string, number>;
  dailyLimitExhausted: boolean;
  elapsedMs: number;
}

type Role = 'intake' | 'worker';

interface Proc {
  role: Role;
  /** Intake requests sent to it and not answered yet. */
  inFlight: number;
  child: ChildProcess;
  url: string;
  exited: Promise<void>;
}

/** Starts one production process; resolves when its log says it serves. */
async function startProcess(
  serve: string,
  role: Role,
  env: Record<string, string>,
  running: Set<ChildProcess>,
): Promise<Proc> {
  const dataDir = mkdtempSync(join(tmpdir(), 'relay-chaos-'));
  const child = spawn(process.execPath, [serve], {
    env: {
      PATH: process.env.PATH,
      RELAY_DATA_DIR: dataDir,
      ...env,
      ...(role === 'intake' ? { RELAY_WORKER: 'off' } : { RELAY_INTAKE: 'off' }),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running.delete(child);
      rmSync(dataDir, { recursive: true, force: true });
      resolve();
    }),
  );
  const tail: string[] = [];
  let buffered = '';
  const url = await new Promise<string>((resolve, reject) => {
    // The log (JSON lines) goes to stderr.
    child.stderr!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      for (const line of parts) {
        tail.push(line);
        if (tail.length > 20) tail.shift();
        if (line.includes('"msg":"relay companion serving"')) resolve((JSON.parse(line) as { url: string }).url);
      }
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`serve.js (${role}) exited with ${code ?? signal}: ${tail.join('\n')}`)),
    );
  });
  return { role, child, url, exited, inFlight: 0 };
}

async function operator(url: string, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function control(emu: RunningEmulator, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${emu.url}/__emulator/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (res.status >= 300) throw new Error(`${method} /__emulator/${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Polls until `check` is true; each failed check waits a little before the next. */
async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`chaos: ${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function activityEvent(n: number, email: string, random: () => number): Record<string, unknown> {
  const time = new Date(Date.UTC(2026, 11, 1, 9, 0, 0) + n * 1000).toISOString();
  if (random() < 0.3)
    return {
      specversion: '1.0',
      id: `chaos-m-${n}`,
      source: 'chaos',
      type: 'relay.message.sent',
      time,
      data: {
        messageId: `cm-${n}`,
        channel: 'email',
        from: { email: 'emma.kim@relay.test' },
        to: { email },
        subject: `Chaos ${n}`,
      },
    };
  return {
    specversion: '1.0',
    id: `chaos-v-${n}`,
    source: 'chaos',
    type: 'relay.visit',
    time,
    data: {
      visitId: `cv-${n}`,
      visitor: { email },
      document: { name: 'Chaos deck' },
      durationSeconds: 30 + (n % 300),
      percentViewed: n % 101,
      active: false,
    },
  };
}

const keyOf = (event: Record<string, unknown>): string => {
  const data = event.data as { visitId?: string; messageId?: string };
  return `${WORKSPACE}:${data.visitId ?? data.messageId}`;
};

export async function runChaos(options: ChaosOptions): Promise<ChaosFigures> {
  const log = options.log ?? (() => {});
  const random = prng(options.seed ?? 14);
  const chooser = prng((options.seed ?? 14) + 1);
  const faultShare = options.faultShare ?? 0.2;
  const eventsPerCycle = options.eventsPerCycle ?? 40;
  const started = Date.now();
  const running = new Set<ChildProcess>();
  const serve = join(options.build, 'serve.js');
  let pg: TestPostgres | undefined;
  let emu: RunningEmulator | undefined;
  let db: PostgresDb | undefined;
  let loadRunning = true;
  let faultsRunning = true;
  /** Set when the run fails: requests still in flight give up instead of waiting for an intake. */
  let abandoned = false;
  const background: Promise<void>[] = [];
  try {
    pg = await startPostgres();
    emu = await createEmulator({ port: 0, seed: 'demo' });
    const org = emu.org;
    const env = {
      RELAY_DATABASE_URL: pg.url,
      RELAY_PORT: '0',
      RELAY_OPERATOR_TOKEN: TOKEN,
      RELAY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      // 'info': the line that says the process serves is an info line.
      RELAY_LOG_LEVEL: 'info',
      RELAY_INTAKE_RATE_PER_SECOND: '1000000',
      // Small batches soon after arrival: many batches, so kills land in the middle of one.
      RELAY_BATCH_SIZE: '25',
      RELAY_BATCH_WAIT_MS: '100',
      RELAY_WORKER_CONCURRENCY: '2',
      // The shortest lease: a killed worker's batch is taken over two seconds after its last renewal.
      RELAY_LEASE_SECONDS: '2',
      // A fifth of the calls fail: short backoffs and enough attempts that none is dead-lettered.
      RELAY_RETRY_BASE_MS: '100',
      RELAY_RETRY_MAX_MS: '1000',
      RELAY_RETRY_MAX_ATTEMPTS: '100',
      RELAY_LIMIT_PAUSE_SECONDS: '1',
      RELAY_SF_TIMEOUT_SECONDS: '10',
    };
    const procs: Proc[] = [];
    // The first process migrates the database alone; the others start on a migrated one.
    procs.push(await startProcess(serve, 'intake', env, running));
    const intakes = options.intakes ?? 2;
    const workers = options.workers ?? 2;
    const starting: Promise<Proc>[] = [];
    for (let i = 1; i < intakes; i++) starting.push(startProcess(serve, 'intake', env, running));
    for (let i = 0; i < workers; i++) starting.push(startProcess(serve, 'worker', env, running));
    procs.push(...(await Promise.all(starting)));
    db = await PostgresDb.open(pg.url);

    const created = await operator(procs[0]!.url, 'POST', '/v1/admin/workspaces', { name: 'Chaos', id: WORKSPACE });
    const secret = created.signingSecret as string;
    await operator(procs[0]!.url, 'POST', `/v1/admin/workspaces/${WORKSPACE}/connect`, {
      flow: 'client_credentials',
      loginUrl: emu.url,
      clientId: 'relay-dev',
      clientSecret: 'relay-dev-secret',
    });
    // The org's daily allowance far above what the run spends, so Relay's share never pauses it.
    await control(emu, 'POST', 'limits', { DailyApiRequests: 5_000_000 });
    await control(emu, 'POST', 'usage/reset', {});

    const people = [
      ...executeSoql('SELECT Email FROM Contact WHERE Email != null', org.soql, { includeDeleted: false }).records,
      ...executeSoql('SELECT Email FROM Lead WHERE IsConverted = false AND Email != null', org.soql, {
        includeDeleted: false,
      }).records,
    ].map((r) => (r as { Email: string }).Email);
    const taskKeys = (): string[] =>
      executeSoql(
        `SELECT relay__ExternalKey__c FROM Task WHERE relay__ExternalKey__c LIKE '${WORKSPACE}:%'`,
        org.soql,
        {
          includeDeleted: false,
        },
      ).records.map((r) => (r as { relay__ExternalKey__c: string }).relay__ExternalKey__c);

    // The load: requests of 1–10 events to a random live intake, each sent until answered 202.
    const accepted = new Set<string>();
    const requests = { sent: 0, retried: 0 };
    let next = 0;
    const liveIntakes = () => procs.filter((p) => p.role === 'intake' && p.child.exitCode === null && !p.child.killed);
    const sendUntilAccepted = async (events: Record<string, unknown>[]) => {
      const single = events.length === 1;
      const raw = JSON.stringify(single ? events[0] : events);
      for (let attempt = 0; !abandoned; attempt++) {
        if (attempt > 0) requests.retried += 1;
        requests.sent += 1;
        const targets = liveIntakes();
        const target = targets[Math.floor(random() * targets.length)];
        if (!target) {
          await new Promise((r) => setTimeout(r, 20));
          continue;
        }
        target.inFlight += 1;
        try {
          const res = await fetch(`${target.url}/v1/events`, {
            method: 'POST',
            headers: {
              'content-type': single ? SINGLE_MEDIA_TYPE : BATCH_MEDIA_TYPE,
              'relay-workspace': WORKSPACE,
              'relay-signature': signatureHeader(secret, raw),
            },
            body: raw,
          });
          await res.arrayBuffer();
          if (res.status === 202) {
            for (const e of events) accepted.add(keyOf(e));
            return;
          }
          if (res.status < 500 && res.status !== 429) throw new Error(`intake refused a valid request: ${res.status}`);
        } catch (error) {
          // The process died under the request (connection reset or refused): send it again.
          if (error instanceof Error && error.message.startsWith('intake refused')) throw error;
        } finally {
          target.inFlight -= 1;
        }
      }
    };
    for (let lane = 0; lane < (options.senders ?? 4); lane++) {
      background.push(
        (async () => {
          while (loadRunning) {
            const size = random() < 0.5 ? 1 : 1 + Math.floor(random() * 10);
            const events = Array.from({ length: size }, () => {
              const n = next++;
              return activityEvent(n, people[n % people.length]!, random);
            });
            await sendUntilAccepted(events);
            // Paced like a platform's webhooks rather than a flood, so the sync keeps up and every
            // kill lands while batches are running.
            await new Promise((r) => setTimeout(r, 25));
          }
        })(),
      );
    }

    // Faults: for every five API calls the org counted, one more fault waits for the next call.
    const faults: Record<string, number> = {};
    let exhausted = false;
    let limitSpent = false;
    background.push(
      (async () => {
        let seen = 0;
        let owed = 0;
        while (faultsRunning) {
          const usage = (await control(emu!, 'GET', 'usage')) as { apiRequests: number };
          owed += (usage.apiRequests - seen) * faultShare;
          seen = usage.apiRequests;
          const batch: Record<string, unknown>[] = [];
          for (; owed >= 1; owed -= 1) {
            const pick = random();
            if (pick < 0.35) {
              batch.push({ status: 503, errorCode: 'SERVER_UNAVAILABLE' });
              faults['503 SERVER_UNAVAILABLE'] = (faults['503 SERVER_UNAVAILABLE'] ?? 0) + 1;
            } else if (pick < 0.65) {
              batch.push({ errorCode: 'UNABLE_TO_LOCK_ROW' });
              faults.UNABLE_TO_LOCK_ROW = (faults.UNABLE_TO_LOCK_ROW ?? 0) + 1;
            } else if (pick < 0.8) {
              await control(emu!, 'POST', 'faults', { expireSessions: true });
              faults['expired sessions'] = (faults['expired sessions'] ?? 0) + 1;
            } else {
              batch.push({ latencyMs: 200 + Math.floor(random() * 800) });
              faults['latency 0.2–1 s'] = (faults['latency 0.2–1 s'] ?? 0) + 1;
            }
          }
          if (batch.length > 0) await control(emu!, 'POST', 'faults', batch);
          await new Promise((r) => setTimeout(r, 100));
        }
      })(),
    );

    // The cycles: once enough events were accepted since the last kill, a random process dies.
    const killed = { intake: 0, worker: 0 };
    const midBatch = { intake: 0, worker: 0 };
    const exhaustAt = Math.floor(options.cycles / 3);
    let tasksAtKill = taskKeys().length;
    for (let cycle = 1; cycle <= options.cycles; cycle++) {
      const target = accepted.size + eventsPerCycle;
      await until(() => accepted.size >= target, `${eventsPerCycle} more accepted events`, 60_000);
      // During sync: Tasks were written since the last kill (not while the daily limit is spent).
      if (!limitSpent)
        await until(() => taskKeys().length > tasksAtKill, 'a Task written since the last kill', 120_000);
      if (cycle === exhaustAt + 1 || (options.cycles < 3 && cycle === 1)) {
        // The daily limit runs out: the next calls answer 403 REQUEST_LIMIT_EXCEEDED until it is raised.
        await control(emu, 'POST', 'limits', { DailyApiRequests: { Max: 5_000_000, Remaining: 0 } });
        await until(
          async () =>
            (
              await db!.query<{ n: number }>(
                'SELECT count(*)::int AS n FROM workspace_sync_state WHERE paused_reason IS NOT NULL',
              )
            ).rows[0]!.n > 0,
          'a pause for the spent daily limit',
          60_000,
        );
        exhausted = true;
        limitSpent = true;
        faults['daily limit exhausted'] = 1;
        log(`cycle ${cycle}: daily API requests exhausted, the workspace paused`);
      }
      // A worker or an intake process, half and half, from a sequence of its own: the same kills every run.
      const role: Role = chooser() < 0.5 ? 'worker' : 'intake';
      const victims = procs.filter((p) => p.role === role && p.child.exitCode === null && !p.child.killed);
      let victim = victims[Math.floor(chooser() * victims.length)]!;
      if (role === 'worker' && !limitSpent) {
        // Mid-batch: the worker that holds leased events right now (its lease owner names its pid).
        let holder: Proc | undefined;
        await until(
          async () => {
            const { rows } = await db!.query<{ lease_owner: string }>(
              "SELECT DISTINCT lease_owner FROM events WHERE status = 'processing'",
            );
            const pids = new Set(rows.map((r) => Number(r.lease_owner.split(':')[1])));
            holder = victims.find((p) => pids.has(p.child.pid!));
            return holder !== undefined;
          },
          'a worker holding a batch',
          120_000,
        );
        victim = holder!;
        midBatch.worker += 1;
      }
      if (role === 'intake' && victim.inFlight > 0) midBatch.intake += 1;
      victim.child.kill('SIGKILL');
      await victim.exited;
      killed[victim.role] += 1;
      tasksAtKill = taskKeys().length;
      procs.splice(procs.indexOf(victim), 1);
      procs.push(await startProcess(serve, victim.role, env, running));
      if (exhausted && cycle === exhaustAt + 2) {
        await control(emu, 'POST', 'limits', { DailyApiRequests: { Max: 5_000_000, Remaining: 5_000_000 } });
        limitSpent = false;
        log(`cycle ${cycle}: daily API requests available again`);
      }
      if (cycle % 10 === 0 || options.cycles <= 10)
        log(`cycle ${cycle}: killed a ${victim.role}; ${accepted.size} events accepted, ${taskKeys().length} Tasks`);
    }
    if (options.cycles >= 3 && !exhausted) throw new Error('chaos: the daily limit was never exhausted');
    await control(emu, 'POST', 'limits', { DailyApiRequests: { Max: 5_000_000, Remaining: 5_000_000 } });

    // The end: no more load, no more faults, and the queue drains.
    loadRunning = false;
    faultsRunning = false;
    await Promise.all(background.splice(0));
    await control(emu, 'DELETE', 'faults');
    const apiCalls = ((await control(emu, 'GET', 'usage')) as { apiRequests: number }).apiRequests;
    await until(
      async () =>
        (
          await db!.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM events WHERE status IN ('pending', 'processing', 'retrying', 'deferred')",
          )
        ).rows[0]!.n === 0,
      'the queue drained',
      options.drainTimeoutMs ?? 300_000,
    );
    const statuses: Record<string, number> = {};
    for (const row of (
      await db.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM events GROUP BY status')
    ).rows)
      statuses[row.status] = row.n;

    const keys = taskKeys();
    const distinct = new Set(keys);
    return {
      cycles: options.cycles,
      killed,
      killedBusy: midBatch,
      requests,
      accepted: accepted.size,
      tasks: keys.length,
      lost: [...accepted].filter((k) => !distinct.has(k)).length,
      duplicated: keys.length - distinct.size,
      unexpected: [...distinct].filter((k) => !accepted.has(k)).length,
      statuses,
      apiCalls,
      faults,
      dailyLimitExhausted: exhausted,
      elapsedMs: Date.now() - started,
    };
  } finally {
    abandoned = true;
    loadRunning = false;
    faultsRunning = false;
    await Promise.allSettled(background);
    for (const child of running) child.kill('SIGKILL');
    await db?.close();
    await emu?.close();
    await pg?.stop();
  }
}
