// What the package's status, the console's progress line and Sync health's error list say about
// the same events: one vocabulary (waiting, retrying, failed, skipped by a rule, paused with a
// reason), each event counted once and the same way everywhere, and the configuration status shows
// read afresh. Against the emulator over HTTP, on PGlite.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NO_SECRET_TASKS, startSyncEnv, type SyncEnv } from './sync-helpers/env.js';
import { visitEvent } from './sync-helpers/e2e-suite.js';
import { formatProgress } from '../src/demo/progress.js';

describe('status vocabulary', () => {
  let env: SyncEnv;
  before(async () => {
    env = await startSyncEnv();
  });
  after(async () => env?.close());

  const status = async (ws: { id: string; orgKey: string }) =>
    (await env.packageApi('GET', `/v1/package/status?workspace=${ws.id}`, ws.orgKey)).json;

  test('visit updates deferred to the next cadence slot are waiting, not paused, while nothing is paused', async () => {
    const ws = await env.newWorkspace('cadence-words');
    const [c] = env.soql<{ Email: string }>('SELECT Email FROM Contact ORDER BY Email LIMIT 1 OFFSET 30');
    const v = (seconds: number) =>
      visitEvent('v-open', c!.Email, { durationSeconds: seconds, active: true }, `2026-11-20T10:00:${seconds}Z`);
    await env.post([v(10)], ws);
    await env.settle(20_000, ws.id);
    await env.post([v(20)], ws);
    await env.settle(20_000, ws.id);
    assert.ok((await env.events(ws.id)).some((e) => /^VISIT_CADENCE/.test(e.status_reason ?? '')));
    const s = await status(ws);
    assert.equal(s.backlog.pausedReason, null);
    assert.equal(s.backlog.paused, 0, 'nothing is paused');
    assert.equal(s.backlog.waiting, 1, 'the deferred update waits for its slot');
  });

  test('a MonthlyTaskQuota changed in the org shows in the next status, not a minute later', async () => {
    const ws = await env.newWorkspace('quota-words');
    const [c] = env.soql<{ Email: string }>('SELECT Email FROM Contact ORDER BY Email LIMIT 1 OFFSET 31');
    await env.post([visitEvent('v-q', c!.Email)], ws);
    await env.settle(20_000, ws.id);
    // The engine's own copy is fresh for a long while, as it is in production (50 s).
    env.sync.engine.configs.refreshAfterMs = 3_600_000;
    try {
      assert.equal((await status(ws)).quota.limit, 100_000);
      await env.setSetting('MonthlyTaskQuota', '500');
      const s = await status(ws);
      assert.equal(s.quota.limit, 500, 'status reads the configuration it shows');
      assert.ok(Date.parse(s.configuration.readAt) > Date.now() - 5_000, 'read just now');
    } finally {
      await env.setSetting('MonthlyTaskQuota', '100000');
      env.sync.engine.configs.refreshAfterMs = 0;
    }
  });

  test('an unmatched event and a failed one are counted the same way by status, the console line and Sync health', async () => {
    const ws = await env.newWorkspace('words');
    const [c] = env.soql<{ Email: string }>('SELECT Email FROM Contact ORDER BY Email LIMIT 1 OFFSET 32');
    await env.control('POST', '/__emulator/rules', NO_SECRET_TASKS);
    try {
      await env.post(
        [
          visitEvent('w-ok', c!.Email),
          visitEvent('w-secret', c!.Email, { document: { name: 'Secret plan' } }),
          visitEvent('w-ghost', 'ghost@nowhere.example'),
        ],
        ws,
      );
      await env.settle(20_000, ws.id);
    } finally {
      await env.control('DELETE', '/__emulator/rules');
    }
    const s = await status(ws);
    assert.deepEqual(
      { ...s.backlog, pausedUntil: undefined },
      {
        waiting: 0,
        retrying: 0,
        failed: 1,
        skipped: 1,
        skippedBy: { unmatched: 1 },
        paused: 0,
        pausedReason: null,
        pausedUntil: undefined,
      },
    );
    const line = formatProgress(new Date(), await env.sync.queue.backlog(ws.id), 3);
    assert.match(line, / · failed 1 · skipped 1 \(unmatched 1\) · /, line);
    const errors = (await env.packageApi('GET', `/v1/package/errors?workspace=${ws.id}`, ws.orgKey)).json;
    const count = (kind: string) =>
      errors.groups
        .filter((g: { kind: string }) => g.kind === kind)
        .reduce((n: number, g: { count: number }) => n + g.count, 0);
    assert.equal(count('failed'), s.backlog.failed, 'Sync health lists as failed what status counts as failed');
    assert.equal(count('skipped'), s.backlog.skippedBy.unmatched, 'and as skipped what status counts as skipped');
    assert.deepEqual(
      errors.groups.map((g: { category: string; kind: string }) => [g.category, g.kind]),
      [
        ['unmatched', 'skipped'],
        ['validation', 'failed'],
      ],
    );
  });
});
