// The queue and worker against a real database (PGlite or PostgreSQL), with a test double of the
// sync engine's processor: batches and StoredEvent shape, retries with backoff and dead-letter,
// permanent failures and retryEvents, deferrals, pause/resume without spinning, processor
// failures, lease fencing, concurrent workers, graceful shutdown and tenant isolation.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { backendByName, type Backend, type BackendName } from '../helpers/backends.js';
import { startHarness, statusCounts, waitFor, type Harness } from '../helpers/harness.js';
import { testConfig } from '../helpers/config.js';
import { RecordingProcessor } from '../helpers/recording-processor.js';
import { message, visit } from '../helpers/events.js';
import { createCompanion } from '../../src/app.js';
import { claimBatch } from '../../src/queue/claims.js';
import { SYNC_QUEUE } from '../../src/queue/names.js';
import { applyOutcomes } from '../../src/queue/outcomes.js';

interface Row {
  [key: string]: unknown;
  event_id: string;
  status: string;
  attempts: number;
  error_category: string | null;
  error_code: string | null;
  error_field: string | null;
  error_message: string | null;
  status_reason: string | null;
  result: Record<string, unknown> | null;
  next_attempt_at: Date;
  lease_token: string | null;
}

async function row(h: Harness, id: string, workspaceId = h.workspace.id): Promise<Row> {
  const { rows } = await h.db.query<Row>('SELECT * FROM events WHERE workspace_id = $1 AND event_id = $2', [
    workspaceId,
    id,
  ]);
  assert.ok(rows[0], `event ${id} exists`);
  return rows[0];
}

const settled = (h: Harness, id: string, status: string, workspaceId?: string) =>
  waitFor(
    async () => ((await row(h, id, workspaceId)).status === status ? row(h, id, workspaceId) : null),
    20000,
    `${id} to be ${status}`,
  );

export function workerSuite(name: BackendName): void {
  describe(`queue and worker on ${name}`, () => {
    let backend: Backend;
    let h: Harness | undefined;
    let p: RecordingProcessor;

    before(() => {
      backend = backendByName(name);
    });
    afterEach(async () => {
      await h?.close();
      h = undefined;
    });
    after(async () => {
      await backend.shutdown();
    });

    const start = async (worker: Parameters<typeof testConfig>[1] = {}) => {
      p = new RecordingProcessor();
      h = await startHarness(backend, { config: testConfig({}, worker), processor: p.processor });
      return h;
    };

    it('hands accepted events to the processor at once (woken by intake, not by a poll) and records the outcome', async () => {
      // Polling an hour apart, only intake's wake-up or the minute sweep can start the batch; posted
      // early in a minute, a batch that starts within that minute was started by intake. (No bound
      // in milliseconds: a loaded machine stretches those, not the order of things.)
      const h = await start({ pollIntervalSeconds: 3600 });
      const intoMinute = Date.now() % 60_000;
      if (intoMinute > 35_000) await new Promise((resolve) => setTimeout(resolve, 60_100 - intoMinute));
      const posted = Date.now();
      assert.equal((await h.post([visit(1), message(2)])).status, 202);
      const done = await settled(h, 'evt-visit-1', 'synced');
      await settled(h, 'evt-msg-2', 'synced');
      const nextMinute = Math.ceil((posted + 1) / 60_000) * 60_000;
      assert.ok(
        p.calls[0]!.at < nextMinute,
        `first batch ${p.calls[0]!.at - posted} ms after the post, past the minute`,
      );
      assert.equal(done.attempts, 1);
      assert.equal(done.lease_token, null);
      assert.deepEqual(done.result, { taskId: `00T${'1'.padStart(15, '0')}` });
      const seen = p.eventsSeen();
      const v = seen.find((e) => e.id === 'evt-visit-1')!;
      assert.equal(v.workspaceId, 'acme');
      assert.equal(v.source, 'docsend');
      assert.equal(v.type, 'relay.visit');
      assert.equal(v.time, '2026-11-20T10:00:00.000Z');
      assert.equal(v.attempts, 0);
      assert.match(v.seq, /^\d+$/);
      assert.match(v.receivedAt, /^\d{4}-\d\d-\d\dT/);
      assert.equal((v.data as { visitor: { email: string } }).visitor.email, 'person1@example.com');
      assert.equal(seen.find((e) => e.id === 'evt-msg-2')!.time, '2026-11-20T09:05:00.123Z');
      const backlog = await h.companion.queue.backlog('acme');
      assert.equal(backlog.synced, 2);
      assert.ok(backlog.lastSyncAt);
    });

    it('gathers a trickle into one batch: partial batches wait batchWaitMs for company, a full batch goes at once', async () => {
      const h = await start({ batchSize: 10, batchWaitMs: 3000 });
      const posted = Date.now();
      for (let i = 0; i < 4; i += 1) {
        assert.equal((await h.post([visit(i)])).status, 202);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await waitFor(async () => (await statusCounts(h.db, 'acme')).synced === 4);
      assert.equal(p.calls.length, 1, 'four requests, one batch');
      assert.equal(p.calls[0]!.events.length, 4);
      assert.ok(p.calls[0]!.at - posted >= 2500, `held ${p.calls[0]!.at - posted} ms for company`);

      const full = Date.now();
      await h.post(Array.from({ length: 10 }, (_, i) => visit(100 + i)));
      await waitFor(async () => (await statusCounts(h.db, 'acme')).synced === 14);
      assert.equal(p.calls.length, 2);
      assert.ok(p.calls[1]!.at - full < 2000, `a full batch waited ${p.calls[1]!.at - full} ms`);
    });

    it('batches per workspace in intake order, never more than batchSize', async () => {
      const h = await start({ batchSize: 25 });
      const other = await h.addWorkspace('globex');
      await h.post(Array.from({ length: 120 }, (_, i) => visit(i)));
      await h.post(
        Array.from({ length: 30 }, (_, i) => visit(i)),
        { workspace: other },
      );
      await waitFor(
        async () =>
          (await statusCounts(h.db, 'acme')).synced === 120 && (await statusCounts(h.db, 'globex')).synced === 30,
      );
      for (const call of p.calls) {
        assert.ok(call.events.length <= 25);
        assert.ok(
          call.events.every((e) => e.workspaceId === call.workspaceId),
          'one workspace per batch',
        );
        const seqs = call.events.map((e) => BigInt(e.seq));
        assert.deepEqual(
          seqs,
          [...seqs].sort((a, b) => (a < b ? -1 : 1)),
        );
      }
      assert.equal(p.eventsSeen().length, 150, 'each event processed exactly once');
    });

    it('claims backlog batches while more than backlogThreshold events are due, then batches of batchSize', async () => {
      const h = await start({ batchSize: 10, backlogThreshold: 50, backlogBatchSize: 40 });
      // Stored while paused: all 200 are due when the worker looks.
      await h.companion.queue.pauseWorkspace('acme', new Date(Date.now() + 3_600_000), 'TEST_BACKLOG');
      await h.post(Array.from({ length: 200 }, (_, i) => visit(i)));
      await h.companion.queue.resumeWorkspace('acme');
      await waitFor(async () => (await statusCounts(h.db, 'acme')).synced === 200);
      // 200, 160, 120 and 80 due are above 50: backlog batches; 40 left go in the usual batches.
      assert.deepEqual(
        p.calls.map((c) => c.events.length),
        [40, 40, 40, 40, 10, 10, 10, 10],
      );
      assert.equal(new Set(p.eventsSeen().map((e) => e.seq)).size, 200, 'each event processed exactly once');
    });

    it('retries a transient failure with growing, jittered delays and dead-letters it after maxAttempts', async () => {
      const h = await start({ maxAttempts: 4, backoffBaseMs: 200, backoffMaxMs: 400 });
      p.rule = (e) =>
        e.id === 'evt-visit-1'
          ? { seq: e.seq, status: 'retry', errorCode: 'SERVER_UNAVAILABLE', message: '503 from Salesforce' }
          : { seq: e.seq, status: 'synced', result: {} };
      await h.post([visit(1), visit(2)]);
      const after1 = await waitFor(async () => {
        const r = await row(h, 'evt-visit-1');
        return r.status === 'retrying' ? r : null;
      });
      assert.equal(after1.attempts, 1);
      assert.equal(after1.error_code, 'SERVER_UNAVAILABLE');
      assert.equal(after1.error_message, '503 from Salesforce');
      const failed = await settled(h, 'evt-visit-1', 'failed');
      assert.equal(failed.attempts, 4);
      assert.equal(failed.error_category, 'transient');
      assert.equal(failed.error_code, 'SERVER_UNAVAILABLE');
      assert.equal(failed.error_message, '503 from Salesforce (gave up after 4 attempts)');
      assert.equal((await row(h, 'evt-visit-2')).status, 'synced');
      const times = p.callsFor('evt-visit-1').map((c) => c.at);
      assert.equal(times.length, 4);
      const gaps = times.slice(1).map((t, i) => t - times[i]!);
      // Attempt n waits between half and all of min(400, 200·2^(n-1)) ms.
      assert.ok(gaps[0]! >= 100, `first gap ${gaps[0]}`);
      assert.ok(gaps[1]! >= 200 && gaps[2]! >= 200, `gaps ${gaps.join(', ')}`);
      assert.deepEqual(
        p.callsFor('evt-visit-1').map((c) => c.events.find((e) => e.id === 'evt-visit-1')!.attempts),
        [0, 1, 2, 3],
      );
    });

    it("honours a processor's retryAfterMs", async () => {
      const h = await start({ backoffBaseMs: 10, backoffMaxMs: 20 });
      let first = true;
      p.rule = (e) => {
        if (first) {
          first = false;
          return {
            seq: e.seq,
            status: 'retry',
            errorCode: 'UNABLE_TO_LOCK_ROW',
            message: 'locked',
            retryAfterMs: 1200,
          };
        }
        return { seq: e.seq, status: 'synced', result: {} };
      };
      await h.post(visit(1));
      await settled(h, 'evt-visit-1', 'synced');
      const [a, b] = p.calls.map((c) => c.at);
      assert.ok(b! - a! >= 1100, `retried after ${b! - a!} ms`);
    });

    it('quarantines a permanent failure with its field until retried, by id or by category', async () => {
      const h = await start();
      let fixed = false;
      p.rule = (e) =>
        fixed
          ? { seq: e.seq, status: 'synced', result: { fixed: true } }
          : e.id === 'evt-visit-1'
            ? {
                seq: e.seq,
                status: 'failed',
                category: 'validation',
                errorCode: 'STRING_TOO_LONG',
                field: 'Company',
                message: 'Company: data value too large',
              }
            : {
                seq: e.seq,
                status: 'failed',
                category: 'permission',
                errorCode: 'INSUFFICIENT_ACCESS',
                message: 'no access',
              };
      await h.post([visit(1), visit(2), visit(3)]);
      const failed = await settled(h, 'evt-visit-1', 'failed');
      await settled(h, 'evt-visit-3', 'failed');
      assert.equal(failed.error_category, 'validation');
      assert.equal(failed.error_code, 'STRING_TOO_LONG');
      assert.equal(failed.error_field, 'Company');
      const calls = p.calls.length;
      await new Promise((r) => setTimeout(r, 600));
      assert.equal(p.calls.length, calls, 'a quarantined event is not retried by itself');

      fixed = true;
      assert.equal(await h.companion.queue.retryEvents('acme', ['evt-visit-1', 'evt-unknown']), 1);
      const retried = await settled(h, 'evt-visit-1', 'synced');
      assert.equal(retried.attempts, 1, 'a retry starts a fresh attempt budget');
      assert.equal(retried.error_code, null);
      assert.equal((await row(h, 'evt-visit-2')).status, 'failed');
      assert.equal(await h.companion.queue.retryEvents('acme', { category: 'permission' }), 2);
      await settled(h, 'evt-visit-2', 'synced');
      await settled(h, 'evt-visit-3', 'synced');
      assert.equal(await h.companion.queue.retryEvents('acme', {}), 0);
    });

    it('defers an event until the given time without counting an attempt', async () => {
      const h = await start();
      const seen: number[] = [];
      p.rule = (e) => {
        seen.push(Date.now());
        return seen.length === 1
          ? {
              seq: e.seq,
              status: 'deferred',
              reason: 'visit cadence',
              until: new Date(Date.now() + 1200).toISOString(),
            }
          : { seq: e.seq, status: 'synced', result: {} };
      };
      await h.post(visit(1));
      const deferred = await waitFor(async () => {
        const r = await row(h, 'evt-visit-1');
        return r.status === 'deferred' ? r : null;
      });
      assert.equal(deferred.attempts, 0);
      assert.equal(deferred.status_reason, 'visit cadence');
      const done = await settled(h, 'evt-visit-1', 'synced');
      assert.equal(done.attempts, 1);
      assert.equal(seen.length, 2, 'not attempted while deferred');
      assert.ok(seen[1]! - seen[0]! >= 1100, `attempted again after ${seen[1]! - seen[0]!} ms`);
    });

    it('pauses the whole workspace (REQUEST_LIMIT_EXCEEDED) without polling it, then resumes', async () => {
      const h = await start({ batchSize: 5 });
      let paused = false;
      p.beforeBatch = async (ctx) => {
        if (!paused) {
          paused = true;
          await ctx.pause(new Date(Date.now() + 1500), 'REQUEST_LIMIT_EXCEEDED');
        }
      };
      p.rule = (e, ctx) =>
        p.calls.length === 1
          ? {
              seq: e.seq,
              status: 'deferred',
              reason: 'REQUEST_LIMIT_EXCEEDED',
              until: new Date(Date.now() + 1500).toISOString(),
            }
          : { seq: e.seq, status: 'synced', result: { workspace: ctx.workspace.id } };
      await h.post(Array.from({ length: 12 }, (_, i) => visit(i)));
      await waitFor(async () => p.calls.length === 1 && (await statusCounts(h.db, 'acme')).deferred === 5);
      const backlog = await h.companion.queue.backlog('acme');
      assert.equal(backlog.pausedReason, 'REQUEST_LIMIT_EXCEEDED');
      // New events during the pause nudge the worker, which must not claim anything.
      await h.post([visit(100), visit(101)]);
      await new Promise((r) => setTimeout(r, 900));
      assert.equal(p.calls.length, 1, 'no batch while paused');
      await waitFor(async () => (await statusCounts(h.db, 'acme')).synced === 14, 10000);
      assert.ok(p.calls[1]!.at - p.calls[0]!.at >= 1400, 'resumed when the pause ended');
      assert.equal(p.eventsSeen().filter((e) => e.id === 'evt-visit-0').length, 2, 'deferred once, then synced');
    });

    it('resumeWorkspace ends a pause early', async () => {
      const h = await start();
      await h.companion.queue.pauseWorkspace('acme', new Date(Date.now() + 60_000), 'MONTHLY_QUOTA');
      await h.post(visit(1));
      await new Promise((r) => setTimeout(r, 700));
      assert.equal(p.calls.length, 0);
      await h.companion.queue.resumeWorkspace('acme');
      await settled(h, 'evt-visit-1', 'synced');
      assert.equal((await h.companion.queue.backlog('acme')).pausedUntil, null);
    });

    it('a processor that throws retries the whole batch; a missing outcome retries that event', async () => {
      const h = await start({ maxAttempts: 5 });
      p.beforeBatch = () => {
        if (p.calls.length === 1) throw new Error('connection reset');
      };
      p.rule = (e) =>
        e.id === 'evt-visit-2' && p.calls.length === 2 ? null : { seq: e.seq, status: 'synced', result: {} };
      await h.post([visit(1), visit(2)]);
      await waitFor(async () => (await statusCounts(h.db, 'acme')).synced === 2);
      // Call 1 throws: both retried (PROCESSOR_ERROR). Call 2: evt-visit-1 synced, evt-visit-2 gets
      // no outcome and is retried (NO_OUTCOME). Call 3: evt-visit-2 synced.
      assert.deepEqual(
        p.calls.map((c) => c.events.map((e) => `${e.id}@${e.attempts}`)),
        [['evt-visit-1@0', 'evt-visit-2@0'], ['evt-visit-1@1', 'evt-visit-2@1'], ['evt-visit-2@2']],
      );
      assert.equal((await row(h, 'evt-visit-1')).attempts, 2);
      assert.equal((await row(h, 'evt-visit-2')).attempts, 3);
      assert.equal(h.companion.worker!.stats.processorErrors, 1);
    });

    it('discards the answer of a worker whose lease was lost (fencing)', async () => {
      const h = await start({ enabled: false } as never);
      await h.post([visit(1), visit(2)]);
      const common = { workspaceId: 'acme', limit: 10, owner: 'test', leaseMs: 60_000, maxAttempts: 5 };
      const a = randomUUID();
      const first = await claimBatch(h.db, { ...common, token: a });
      assert.equal(first.length, 2);
      assert.equal(
        (await claimBatch(h.db, { ...common, token: randomUUID() })).length,
        0,
        'leased rows are not claimed twice',
      );
      await h.db.query(`UPDATE events SET lease_expires_at = now() - interval '1 second' WHERE workspace_id = 'acme'`);
      const b = randomUUID();
      const second = await claimBatch(h.db, { ...common, token: b });
      assert.equal(second.length, 2, 'expired leases are claimed again');
      assert.equal(second[0]!.attempts, 1, 'the lost attempt counts');
      const policy = { maxAttempts: 5, baseMs: 10, maxMs: 10 };
      const stale = await applyOutcomes(
        h.db,
        a,
        first,
        first.map((e) => ({ seq: e.seq, status: 'synced' as const, result: { by: 'a' } })),
        policy,
      );
      assert.equal(stale.stale, 2);
      assert.equal((await row(h, 'evt-visit-1')).status, 'processing');
      const fresh = await applyOutcomes(
        h.db,
        b,
        second,
        second.map((e) => ({ seq: e.seq, status: 'synced' as const, result: { by: 'b' } })),
        policy,
      );
      assert.equal(fresh.synced, 2);
      assert.deepEqual((await row(h, 'evt-visit-1')).result, { by: 'b' });
    });

    it('dead-letters an event whose worker keeps dying (lost leases count as attempts)', async () => {
      const h = await start({ enabled: false, maxAttempts: 2 } as never);
      await h.post(visit(1));
      const common = { workspaceId: 'acme', limit: 10, owner: 'test', leaseMs: 60_000, maxAttempts: 2 };
      await claimBatch(h.db, { ...common, token: randomUUID() });
      await h.db.query(`UPDATE events SET lease_expires_at = now() - interval '1 second'`);
      const again = await claimBatch(h.db, { ...common, token: randomUUID() });
      assert.equal(again.length, 1);
      await h.db.query(`UPDATE events SET lease_expires_at = now() - interval '1 second'`);
      assert.equal((await claimBatch(h.db, { ...common, token: randomUUID() })).length, 0);
      const r = await row(h, 'evt-visit-1');
      assert.equal(r.status, 'failed');
      assert.equal(r.error_category, 'transient');
      assert.equal(r.error_code, 'WORKER_LOST');
    });

    it('keeps tenants apart: a workspace cannot retry, count or receive another workspace’s events', async () => {
      const h = await start();
      const globex = await h.addWorkspace('globex');
      p.rule = (e) => ({ seq: e.seq, status: 'failed', category: 'validation', errorCode: 'X', message: 'x' });
      await h.post(visit(1));
      await h.post(visit(1), { workspace: globex });
      await settled(h, 'evt-visit-1', 'failed');
      await settled(h, 'evt-visit-1', 'failed', 'globex');
      assert.equal(await h.companion.queue.retryEvents('globex', ['evt-visit-1']), 1, 'its own copy only');
      assert.equal((await row(h, 'evt-visit-1', 'acme')).status, 'failed');
      assert.equal(await h.companion.queue.retryEvents('nobody', ['evt-visit-1']), 0);
      assert.equal(await h.companion.queue.retryEvents('nobody', {}), 0);
      assert.equal((await h.companion.queue.backlog('globex')).total, 1);
      for (const call of p.calls) assert.ok(call.events.every((e) => e.workspaceId === call.workspaceId));
    });

    it(
      'two workers on one database process every event exactly once',
      { skip: name === 'pglite' ? 'PGlite is single-process; the in-process concurrency test below covers it' : false },
      async () => {
        const h = await start({ batchSize: 10, concurrency: 2 });
        const p2 = new RecordingProcessor();
        const second = await createCompanion({
          config: testConfig({}, { batchSize: 10, concurrency: 2 }),
          db: await h.database.open(),
          processor: p2.processor,
          listen: false,
        });
        try {
          const workspaces = [
            'acme',
            ...(await Promise.all(['w2', 'w3', 'w4'].map((id) => h.addWorkspace(id)))).map((w) => w.id),
          ];
          for (const id of workspaces) {
            const ws = id === 'acme' ? h.workspace : { id, secret: `secret-${id}-0123456789abcdef`, orgKey: '' };
            for (let i = 0; i < 3; i += 1)
              await h.post(
                Array.from({ length: 100 }, (_, k) => visit(i * 100 + k)),
                { workspace: ws },
              );
          }
          await waitFor(async () => {
            const { rows } = await h.db.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM events WHERE status = 'synced'`,
            );
            return rows[0]!.n === 1200;
          }, 30000);
          const all = [...p.eventsSeen(), ...p2.eventsSeen()].map((e) => e.seq);
          assert.equal(all.length, 1200, 'no event handed out twice');
          assert.equal(new Set(all).size, 1200);
          assert.ok(p.calls.length > 0 && p2.calls.length > 0, 'both workers took part');
        } finally {
          await second.close();
          await second.db.close();
        }
      },
    );

    it('one process syncs several workspaces in parallel, each event once', async () => {
      const h = await start({ batchSize: 10, concurrency: 3 });
      const others = await Promise.all(['w2', 'w3'].map((id) => h.addWorkspace(id)));
      for (const ws of [h.workspace, ...others])
        await h.post(
          Array.from({ length: 200 }, (_, k) => visit(k)),
          { workspace: ws },
        );
      await waitFor(async () => {
        const { rows } = await h.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM events WHERE status = 'synced'`,
        );
        return rows[0]!.n === 600;
      }, 30000);
      const all = p.eventsSeen().map((e) => e.seq);
      assert.equal(all.length, 600);
      assert.equal(new Set(all).size, 600);
    });

    it("a small workspace's event is synced within a batch of a big workspace's backlog, even with one worker slot", async () => {
      // One slot: the big workspace's drain holds the only one, so only the worker itself can make
      // room for the small workspace (several slots would hide the question behind parallelism).
      const h = await start({ batchSize: 10, concurrency: 1 });
      const small = await h.addWorkspace('small');
      let posted = false;
      p.beforeBatch = async (ctx) => {
        if (ctx.workspace.id !== h.workspace.id || posted) return;
        posted = true;
        // While the big workspace's first batch runs: the small workspace's event is stored and its
        // sync job is queued before this batch ends.
        assert.equal((await h.post(visit(1), { workspace: small })).status, 202);
        await waitFor(
          async () =>
            (await h.companion.boss.findJobs(SYNC_QUEUE, { data: { workspaceId: small.id }, queued: true })).length > 0,
          10000,
          "the small workspace's sync job",
        );
      };
      await h.post(Array.from({ length: 200 }, (_, i) => visit(i)));
      await waitFor(
        async () =>
          (await statusCounts(h.db, h.workspace.id)).synced === 200 &&
          (await statusCounts(h.db, small.id)).synced === 1,
        30000,
        'both workspaces synced',
      );
      const order = p.calls.map((c) => c.workspaceId);
      const smallAt = order.indexOf(small.id);
      const bigBefore = order.slice(0, smallAt).filter((w) => w === h.workspace.id).length;
      const bigAfter = order.slice(smallAt + 1).filter((w) => w === h.workspace.id).length;
      assert.equal(order.length, 21, `20 batches of the big workspace and 1 of the small one: ${order.join(' ')}`);
      assert.ok(
        bigBefore <= 2,
        `the small workspace went after the batch it arrived during (or the next), not after ${bigBefore} big batches: ${order.join(' ')}`,
      );
      assert.ok(
        bigAfter >= 17,
        `the big workspace's backlog was still there when the small one was synced: ${bigAfter} batches after`,
      );
    });

    it('on close, asks the running processor to stop and hands its unfinished batch back untouched', async () => {
      const h = await start({ shutdownGraceMs: 300 });
      let aborted = false;
      p.beforeBatch = (ctx) =>
        new Promise<void>((_resolve, reject) => {
          ctx.signal.addEventListener('abort', () => {
            aborted = true;
            reject(ctx.signal.reason as Error);
          });
        });
      await h.post([visit(1), visit(2)]);
      await waitFor(async () => p.calls.length === 1);
      await h.companion.close();
      assert.ok(aborted, 'the processor saw the abort signal');
      const r = await row(h, 'evt-visit-1');
      assert.equal(r.status, 'pending');
      assert.equal(r.attempts, 0);
      assert.equal(r.lease_token, null);
    });
  });
}
