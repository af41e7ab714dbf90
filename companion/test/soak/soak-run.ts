// The soak: valid events for the emulator's seeded Contacts and Leads (and a few for people who do
// not exist), interleaved with invalid requests (bad signature, bad JSON, missing fields),
// duplicates and byte-for-byte replays, sent concurrently over HTTP with HMAC signatures to the
// real intake of a listening companion; several workspaces on one org are synced by concurrent
// worker batches, with a match cache whose entries expire within the run. Then the figures: what
// was sent, accepted and refused, how every event ended, and the Tasks in the org by external key.
// Used by test/soak.pglite.test.ts (short) and bench/soak.mts (`npm run soak`, long, both databases).
import { signatureHeader } from '../../src/auth/signature.js';
import { BATCH_MEDIA_TYPE, SINGLE_MEDIA_TYPE } from '../../src/intake/route.js';
import type { BackendName } from '../helpers/backends.js';
import type { TestWorkspace } from '../helpers/harness.js';
import { startSyncEnv, type SyncEnv } from '../sync-helpers/env.js';
// The emulator's seeded PRNG: the same soak every run.
import { prng } from '../../../emulator/src/seed/demo.js';

export interface SoakOptions {
  backend: BackendName;
  /** Valid events whose person exists. */
  validEvents: number;
  /** Workspaces sharing the org (synced in parallel). */
  workspaces?: number;
  /** Requests in flight at once. */
  senders?: number;
  /** Worker batch size (small: many batches). */
  batchSize?: number;
  /** Match cache TTL: short, so entries expire while batches run. */
  matchCacheTtlMs?: number;
  settleTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface SoakFigures {
  database: BackendName;
  requests: number;
  sent: { valid: number; unknownPerson: number; duplicates: number; replays: number; invalid: number };
  accepted: number;
  duplicatesAnswered: number;
  refused: Record<string, number>;
  /** Invalid requests answered other than 4xx (must be 0). */
  invalidNot4xx: number;
  /** Valid requests not answered 202 (must be 0). */
  validNot202: number;
  statuses: Record<string, number>;
  skipped: Record<string, number>;
  /** Valid events of existing people that did not end `synced` (must be 0). */
  notSynced: number;
  /** NO_MATCH for people who exist (must be 0). */
  noMatchExisting: number;
  tasks: number;
  expectedTasks: number;
  duplicateTasks: number;
  elapsedMs: { send: number; sync: number; total: number };
}

interface Request {
  kind: 'valid' | 'duplicate' | 'replay' | 'bad-signature' | 'bad-json' | 'missing-fields';
  ws: TestWorkspace;
  raw: string;
  contentType: string;
  signature: string;
}

function activityEvent(n: number, email: string, random: () => number): Record<string, unknown> {
  const time = new Date(Date.UTC(2026, 10, 20, 9, 0, 0) + n * 1000).toISOString();
  if (random() < 0.3)
    return {
      specversion: '1.0',
      id: `soak-m-${n}`,
      source: 'soak',
      type: 'relay.message.sent',
      time,
      data: {
        messageId: `m-${n}`,
        channel: 'email',
        from: { email: 'emma.kim@relay.test' },
        to: { email: random() < 0.2 ? email.toUpperCase() : email },
        subject: `Soak ${n}`,
      },
    };
  return {
    specversion: '1.0',
    id: `soak-v-${n}`,
    source: 'soak',
    type: 'relay.visit',
    time,
    data: {
      visitId: `v-${n}`,
      visitor: { email: random() < 0.2 ? email.toUpperCase() : email },
      document: { name: 'Soak deck' },
      durationSeconds: 30 + (n % 300),
      percentViewed: n % 101,
      active: false,
    },
  };
}

const sign = (ws: TestWorkspace, raw: string) => signatureHeader(ws.secret, raw);

function invalidRequest(kind: Request['kind'], ws: TestWorkspace, n: number): Request {
  const event = activityEvent(1_000_000 + n, 'invalid@soak.example', () => 0.5);
  if (kind === 'bad-signature') {
    const raw = JSON.stringify(event);
    return { kind, ws, raw, contentType: SINGLE_MEDIA_TYPE, signature: sign({ ...ws, secret: 'not-the-secret' }, raw) };
  }
  if (kind === 'bad-json') {
    const raw = `{"specversion":"1.0","id":"broken-${n}",`;
    return { kind, ws, raw, contentType: SINGLE_MEDIA_TYPE, signature: sign(ws, raw) };
  }
  const data = { ...(event.data as Record<string, unknown>) };
  delete data.visitor;
  delete data.to;
  const raw = JSON.stringify({ ...event, id: `missing-${n}`, data });
  return { kind, ws, raw, contentType: SINGLE_MEDIA_TYPE, signature: sign(ws, raw) };
}

interface Plan {
  requests: Request[];
  /** Event id → whether its person exists, per workspace id. */
  expected: Map<string, Map<string, boolean>>;
  sent: SoakFigures['sent'];
}

/** Every request of the soak, shuffled: valid ones in requests of 1–20 events, the rest interleaved. */
function plan(options: SoakOptions, workspaces: TestWorkspace[], people: string[]): Plan {
  const random = prng(11);
  const requests: Request[] = [];
  const expected = new Map(workspaces.map((w) => [w.id, new Map<string, boolean>()]));
  const sent = { valid: 0, unknownPerson: 0, duplicates: 0, replays: 0, invalid: 0 };
  const unknownEvery = 50;
  const total = options.validEvents + Math.floor(options.validEvents / (unknownEvery - 1));
  for (let n = 0; n < total;) {
    const ws = workspaces[Math.floor(random() * workspaces.length)]!;
    const size = random() < 0.5 ? 1 : 1 + Math.floor(random() * 20);
    const events: Record<string, unknown>[] = [];
    for (let i = 0; i < size && n < total; i++, n++) {
      const unknown = n % unknownEvery === unknownEvery - 1;
      const email = unknown ? `nobody.${n}@nowhere.example` : people[n % people.length]!;
      const event = activityEvent(n, email, random);
      events.push(event);
      expected.get(ws.id)!.set(event.id as string, !unknown);
      if (unknown) sent.unknownPerson += 1;
      else sent.valid += 1;
    }
    const single = events.length === 1;
    const raw = JSON.stringify(single ? events[0] : events);
    const request: Request = {
      kind: 'valid',
      ws,
      raw,
      contentType: single ? SINGLE_MEDIA_TYPE : BATCH_MEDIA_TYPE,
      signature: sign(ws, raw),
    };
    requests.push(request);
    if (random() < 0.05) {
      requests.push({ ...request, kind: 'replay' }); // the same bytes and signature again
      sent.replays += events.length;
    }
    if (random() < 0.1) {
      const again = JSON.stringify(events[0]); // the first event again, newly signed
      requests.push({ kind: 'duplicate', ws, raw: again, contentType: SINGLE_MEDIA_TYPE, signature: sign(ws, again) });
      sent.duplicates += 1;
    }
    if (random() < 0.15) {
      const kinds = ['bad-signature', 'bad-json', 'missing-fields'] as const;
      requests.push(invalidRequest(kinds[Math.floor(random() * kinds.length)]!, ws, requests.length));
      sent.invalid += 1;
    }
  }
  // Shuffled: replays and duplicates may arrive before their original.
  for (let i = requests.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [requests[i], requests[j]] = [requests[j]!, requests[i]!];
  }
  return { requests, expected, sent };
}

interface Answers {
  accepted: number;
  duplicates: number;
  refused: Record<string, number>;
  invalidNot4xx: number;
  validNot202: number;
}

async function send(url: string, requests: Request[], senders: number): Promise<Answers> {
  const answers: Answers = { accepted: 0, duplicates: 0, refused: {}, invalidNot4xx: 0, validNot202: 0 };
  let next = 0;
  const lane = async () => {
    for (let r = requests[next++]; r; r = requests[next++]) {
      const res = await fetch(`${url}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': r.contentType, 'relay-workspace': r.ws.id, 'relay-signature': r.signature },
        body: r.raw,
      });
      const json = (await res.json().catch(() => ({}))) as {
        accepted?: number;
        duplicates?: number;
        error?: { code?: string } | string;
        code?: string;
      };
      const valid = r.kind === 'valid' || r.kind === 'duplicate' || r.kind === 'replay';
      if (valid) {
        if (res.status !== 202) answers.validNot202 += 1;
        answers.accepted += json.accepted ?? 0;
        answers.duplicates += json.duplicates ?? 0;
        continue;
      }
      if (res.status < 400 || res.status >= 500) answers.invalidNot4xx += 1;
      const code = typeof json.error === 'object' ? json.error.code : (json.code ?? json.error);
      const reason = `${r.kind} → ${res.status} ${code ?? ''}`.trim();
      answers.refused[reason] = (answers.refused[reason] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: senders }, lane));
  return answers;
}

async function outcomes(env: SyncEnv, expected: Plan['expected']) {
  const statuses: Record<string, number> = {};
  const skipped: Record<string, number> = {};
  let notSynced = 0;
  let noMatchExisting = 0;
  for (const [wsId, byId] of expected) {
    for (const row of await env.events(wsId)) {
      statuses[row.status] = (statuses[row.status] ?? 0) + 1;
      const code = row.error_code ?? (row.result?.errorCode as string | undefined) ?? null;
      if (row.status === 'skipped') {
        const reason = code ?? row.status_reason?.split(':')[0] ?? 'skipped';
        skipped[reason] = (skipped[reason] ?? 0) + 1;
      }
      const exists = byId.get(row.event_id);
      if (exists && row.status !== 'synced') notSynced += 1;
      if (exists && code === 'NO_MATCH') noMatchExisting += 1;
    }
  }
  return { statuses, skipped, notSynced, noMatchExisting };
}

function taskFigures(env: SyncEnv, expected: Plan['expected']) {
  let tasks = 0;
  let duplicateTasks = 0;
  let expectedTasks = 0;
  for (const [wsId, byId] of expected) {
    expectedTasks += [...byId.values()].filter(Boolean).length;
    const keys = env.tasks(wsId).map((t) => t.relay__ExternalKey__c);
    tasks += keys.length;
    duplicateTasks += keys.length - new Set(keys).size;
  }
  return { tasks, expectedTasks, duplicateTasks };
}

export async function runSoak(options: SoakOptions): Promise<SoakFigures> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  const env = await startSyncEnv({
    backend: options.backend,
    listen: true,
    // Thousands of requests a second from one client: the per-workspace intake rate is not tested here.
    configure: (c) => ({ ...c, security: { ...c.security, intakeRatePerSecond: 1_000_000 } }),
    worker: { batchSize: options.batchSize ?? 100, concurrency: options.workspaces ?? 3, maxAttempts: 10 },
    engine: { matchCacheTtlMs: options.matchCacheTtlMs ?? 250, configRefreshMs: 5_000 },
  });
  try {
    const workspaces: TestWorkspace[] = [];
    for (let i = 0; i < (options.workspaces ?? 3); i++) workspaces.push(await env.newWorkspace(`soak-${i}`));
    const people = [
      ...env.soql<{ Email: string }>('SELECT Email FROM Contact WHERE Email != null'),
      ...env.soql<{ Email: string }>('SELECT Email FROM Lead WHERE IsConverted = false AND Email != null'),
    ].map((r) => r.Email);
    const { requests, expected, sent } = plan(options, workspaces, people);
    log(`${options.backend}: ${requests.length} requests for ${people.length} seeded people`);
    const sendStart = Date.now();
    const answers = await send(env.harness.companion.url!, requests, options.senders ?? 8);
    const sendMs = Date.now() - sendStart;
    log(`${options.backend}: sent in ${sendMs} ms; syncing`);
    for (const ws of workspaces) await env.settle(options.settleTimeoutMs ?? 120_000, ws.id);
    const syncMs = Date.now() - sendStart - sendMs;
    return {
      database: options.backend,
      requests: requests.length,
      sent,
      accepted: answers.accepted,
      duplicatesAnswered: answers.duplicates,
      refused: answers.refused,
      invalidNot4xx: answers.invalidNot4xx,
      validNot202: answers.validNot202,
      ...(await outcomes(env, expected)),
      ...taskFigures(env, expected),
      elapsedMs: { send: sendMs, sync: syncMs, total: Date.now() - started },
    };
  } finally {
    await env.close();
  }
}
