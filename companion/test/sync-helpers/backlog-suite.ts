// A due backlog above RELAY_BACKLOG_THRESHOLD: claimed in backlog batches, its Tasks written with
// one Bulk API 2.0 upsert job and its people looked up with Composite Batch calls — against the
// same events synced below the threshold through Composite, in a second companion and emulated org
// of the same seed. Real intake, worker and engine over HTTP; the emulators count every call per
// endpoint. Run on PGlite and on PostgreSQL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BackendName } from '../helpers/backends.js';
import type { TestWorkspace } from '../helpers/harness.js';
import { startSyncEnv, type EventRow, type SyncEnv } from './env.js';

const LONG_DOCUMENT = `Quarterly board pack ${'x'.repeat(80)}`;

interface Person {
  email: string;
  company?: string;
}

/** Visits of `people`, one per person and round, plus a re-sent update of every tenth visit. */
function visits(prefix: string, people: Person[], rounds: number, longEvery = 0): unknown[] {
  const out: unknown[] = [];
  for (let r = 0; r < rounds; r++) {
    people.forEach((p, i) => {
      const n = r * people.length + i;
      const visitId = `${prefix}-v${n}`;
      const long = longEvery > 0 && n % longEvery === longEvery - 1;
      const data = {
        visitId,
        visitor: { email: p.email, ...(p.company ? { company: p.company } : {}) },
        document: { name: long ? LONG_DOCUMENT : `Deck ${n % 7}` },
        durationSeconds: 30 + (n % 90),
        percentViewed: n % 100,
        active: false,
      };
      const base = { specversion: '1.0', source: 'docsend', type: 'relay.visit', time: '2026-11-20T10:00:00Z' };
      out.push({ ...base, id: `${visitId}-a`, data });
      // The same visit's final state again (a webhook redelivery with more time): coalesced.
      if (n % 10 === 0)
        out.push({
          ...base,
          id: `${visitId}-b`,
          time: '2026-11-20T10:05:00Z',
          data: { ...data, durationSeconds: 600 },
        });
    });
  }
  return out;
}

/** Posts events in requests of 1,000 (the intake's limit) while the workspace is paused. */
async function postBacklog(env: SyncEnv, ws: TestWorkspace, events: unknown[]): Promise<void> {
  await env.sync.queue.pauseWorkspace(ws.id, new Date(Date.now() + 3_600_000), 'TEST_BACKLOG');
  for (let i = 0; i < events.length; i += 1000) await env.post(events.slice(i, i + 1000), ws);
  await env.resetUsage();
  await env.sync.queue.resumeWorkspace(ws.id);
}

/** Relay's Tasks in an org as they read, without ids: who and what by email and name. */
function taskView(env: SyncEnv, ws: TestWorkspace): string[] {
  const names = new Map<string, string>();
  for (const r of env.soql<{ Id: string; Email: string }>('SELECT Id, Email FROM Contact')) names.set(r.Id, r.Email);
  for (const r of env.soql<{ Id: string; Email: string }>('SELECT Id, Email FROM Lead')) names.set(r.Id, r.Email);
  for (const r of env.soql<{ Id: string; Name: string }>('SELECT Id, Name FROM Account')) names.set(r.Id, r.Name);
  for (const r of env.soql<{ Id: string; Email: string }>('SELECT Id, Email FROM User')) names.set(r.Id, r.Email);
  const name = (id: string | null) => (id ? (names.get(id) ?? `unknown ${id}`) : null);
  return env
    .tasks(ws.id)
    .map((t) =>
      JSON.stringify({
        key: t.relay__ExternalKey__c.slice(ws.id.length + 1),
        subject: t.Subject,
        description: t.Description,
        status: t.Status,
        who: name(t.WhoId),
        what: name(t.WhatId),
        owner: name(t.OwnerId),
        date: t.ActivityDate,
      }),
    )
    .sort();
}

/** Each event's end: status, error and result, by its id (the same in both workspaces). */
function outcomes(rows: EventRow[]) {
  return rows
    .map((r) =>
      JSON.stringify({
        id: r.event_id,
        status: r.status,
        code: r.error_code,
        field: r.error_field,
        category: r.error_category,
        reason: r.result?.matchReason ?? r.status_reason ?? null,
        created: r.result?.created ?? null,
      }),
    )
    .sort();
}

/** Calls per endpoint, without the lookups' and writes' kind: what the test asserts on. */
const calls = (byEndpoint: Record<string, number>, key: string) => byEndpoint[key] ?? 0;

export function backlogBulkSuite(backend: BackendName): void {
  describe(`a due backlog above RELAY_BACKLOG_THRESHOLD goes through Bulk API 2.0 (${backend})`, () => {
    // Below: batches of 1,000, never a backlog batch (it would be no bigger), Composite writes.
    let viaComposite: SyncEnv;
    // Above: more than 300 due events are claimed 50,000 at a time; more than 200 Tasks in a batch
    // go out as one Bulk job. (The defaults are 10,000, 20,000 and 10,000: the threshold lowered so
    // that the comparison stays small, the batch raised so that the 5,500 below are one batch.)
    let viaBulk: SyncEnv;
    let people: Person[];

    before(async () => {
      viaComposite = await startSyncEnv({
        backend,
        worker: { batchSize: 1000, backlogThreshold: 300, backlogBatchSize: 1000 },
        engine: { tuning: { bulkThreshold: 10_000 } },
      });
      viaBulk = await startSyncEnv({
        backend,
        // A backlog batch takes seconds on a loaded machine: the production lease (60 s), not the
        // tests' 5 s, so that its renewals are not what the test measures.
        worker: { batchSize: 1000, backlogThreshold: 300, backlogBatchSize: 50_000, leaseMs: 60_000 },
        engine: { tuning: { bulkThreshold: 200, bulkPollMs: 200 } },
      });
      const contacts = viaComposite.soql<{ Email: string }>('SELECT Email FROM Contact WHERE Email != null');
      const leads = viaComposite.soql<{ Email: string }>(
        'SELECT Email FROM Lead WHERE Email != null AND IsConverted = false',
      );
      const accounts = viaComposite.soql<{ Name: string }>('SELECT Name FROM Account');
      people = [
        ...contacts.map((r) => ({ email: r.Email })),
        ...leads.map((r) => ({ email: r.Email })),
        // Strangers of a known company (Task on the Account) and strangers nobody knows (skipped).
        ...accounts.map((r, i) => ({ email: `stranger${i}@backlog.example`, company: r.Name })),
        ...Array.from({ length: 20 }, (_, i) => ({ email: `nobody${i}@backlog.example` })),
      ];
      // A shorter Subject in both orgs: the long document's Task is refused by Salesforce itself.
      for (const env of [viaComposite, viaBulk])
        await env.control('POST', '/__emulator/schema/Task/fields', { name: 'Subject', length: 60 });
    });
    after(async () => {
      await viaComposite?.close();
      await viaBulk?.close();
    });

    /** The same backlog into a new workspace of each companion; both settled. */
    async function syncBoth(name: string, events: unknown[]): Promise<[TestWorkspace, TestWorkspace]> {
      const a = await viaComposite.newWorkspace(`${name}below`);
      const b = await viaBulk.newWorkspace(`${name}above`);
      await postBacklog(viaComposite, a, events);
      await postBacklog(viaBulk, b, events);
      await viaComposite.settle(60_000, a.id);
      await viaBulk.settle(60_000, b.id);
      return [a, b];
    }

    test('the same Tasks, WhoIds and outcomes as through Composite; rows Salesforce refuses fail alike', async () => {
      // Fewer than 1,000 events: one batch on both sides, so coalescing is alike too.
      const [a, b] = await syncBoth('same', visits('bl', people, Math.ceil(600 / people.length), 97));
      const bulkUsage = await viaBulk.usage();
      const compositeUsage = await viaComposite.usage();
      assert.equal(calls(compositeUsage.byEndpoint, 'POST /jobs/ingest'), 0, JSON.stringify(compositeUsage.byEndpoint));
      assert.equal(calls(bulkUsage.byEndpoint, 'POST /jobs/ingest'), 1, JSON.stringify(bulkUsage.byEndpoint));
      assert.ok(!Object.keys(bulkUsage.byEndpoint).some((k) => k.includes('/composite/sobjects')));
      // Rows failed: the failed results were read (as the job's counters said).
      assert.equal(calls(bulkUsage.byEndpoint, 'GET /jobs/ingest/:jobId/failedResults'), 1);

      const tasks = taskView(viaComposite, a);
      assert.ok(tasks.length > 400, `${tasks.length} Tasks`);
      assert.deepEqual(taskView(viaBulk, b), tasks);
      assert.deepEqual(outcomes(await viaBulk.events(b.id)), outcomes(await viaComposite.events(a.id)));
      const refused = (await viaBulk.events(b.id)).filter((r) => r.status === 'failed');
      assert.ok(refused.length >= 3, `the long documents' events failed: ${refused.length}`);
      for (const r of refused)
        assert.deepEqual([r.error_code, r.error_field, r.error_category], ['STRING_TOO_LONG', 'Subject', 'validation']);
    });

    test('rows of a job that met a locked row are retried (transient), to the same end as through Composite', async () => {
      // Composite's first Task write meets the lock (its lookup call takes the fault's first use);
      // the Bulk job closed under the fault fails every row with UNABLE_TO_LOCK_ROW.
      await viaComposite.fault({ method: 'POST', path: '/composite', errorCode: 'UNABLE_TO_LOCK_ROW', count: 2 });
      await viaBulk.fault({ method: 'PATCH', path: '/jobs/ingest/*', errorCode: 'UNABLE_TO_LOCK_ROW', count: 1 });
      const [a, b] = await syncBoth('locked', visits('lk', people.slice(0, 400), 1));
      const usage = await viaBulk.usage();
      // The locked job, then its rows again: retries come due spread by the backoff's jitter, so
      // they may take more than one batch (one job each above the Bulk threshold).
      assert.ok(calls(usage.byEndpoint, 'POST /jobs/ingest') >= 2, JSON.stringify(usage.byEndpoint));
      const rows = await viaBulk.events(b.id);
      assert.ok(
        rows.every((r) => r.status !== 'failed' && r.status !== 'retrying'),
        JSON.stringify(rows.filter((r) => r.status === 'failed').slice(0, 3)),
      );
      const written = rows.filter((r) => r.status === 'synced');
      assert.ok(written.length > 300 && written.every((r) => r.attempts >= 1), 'every written row was tried again');
      assert.deepEqual(taskView(viaBulk, b), taskView(viaComposite, a));
    });

    test('5,500 due events for 5,000 people: one backlog batch, one Bulk job, people matched 25 queries a call, no Composite', async (t) => {
      const ws = await viaBulk.newWorkspace('bigbacklog');
      // 4,000 people the org knows (inserted directly, not counted), and 1,000 strangers.
      const known = Array.from({ length: 2000 }, (_, i) => ({
        FirstName: 'Back',
        LastName: `Log ${i}`,
        Email: `known${i}@backlog-contacts.example`,
      }));
      viaBulk.insert('Contact', known);
      viaBulk.insert(
        'Lead',
        known.map((c, i) => ({ ...c, Email: `lead${i}@backlog-leads.example`, Company: `Lead Co ${i % 50}` })),
      );
      const crowd: Person[] = [
        ...known.map((c) => ({ email: c.Email })),
        ...known.map((_, i) => ({ email: `lead${i}@backlog-leads.example` })),
        ...Array.from({ length: 1000 }, (_, i) => ({ email: `walkin${i}@backlog.example` })),
      ];
      // 5,000 visits and 500 redeliveries of them. (The calls per 1,000 at 100,000, where the job's
      // fixed calls are spread thin, are the backlog benchmark's figure: npm run bench:backlog.)
      const events = visits(ws.id, crowd, 1);
      await postBacklog(viaBulk, ws, events);
      await viaBulk.settle(120_000, ws.id);
      const usage = await viaBulk.usage();
      t.diagnostic(`${events.length} events: ${usage.apiRequests} calls ${JSON.stringify(usage.byEndpoint)}`);
      const rows = await viaBulk.events(ws.id);
      assert.equal(rows.filter((r) => r.status === 'synced').length, 4_400, 'known people synced');
      assert.equal(rows.filter((r) => r.status === 'skipped').length, 1_100, 'strangers skipped as unmatched');
      assert.equal(viaBulk.tasks(ws.id).length, 4_000, 'one Task per visit, redeliveries coalesced');
      assert.equal(calls(usage.byEndpoint, 'POST /jobs/ingest'), 1);
      assert.equal(calls(usage.byEndpoint, 'POST /composite'), 0, 'no lookup through /composite');
      assert.ok(calls(usage.byEndpoint, 'POST /composite/batch') <= 2, JSON.stringify(usage.byEndpoint));
      // The job's calls and at most two lookup calls: the whole backlog in one batch.
      assert.ok(usage.apiRequests <= 10, `${usage.apiRequests} calls for ${events.length}`);
    });
  });
}
