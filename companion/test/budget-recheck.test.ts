// An API_BUDGET pause is looked at again: while a workspace is paused for Relay's share of the
// org's daily limit, the recheck (its schedule driven by the test, no wait on real time) reads the
// org's limit and the share in one call and resumes syncing once they allow it; the Setup page's
// and the operator's "check now" do the same on demand. Against the emulator over HTTP, on PGlite.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSyncEnv, waitFor, type SyncEnv } from './sync-helpers/env.js';
import { visitEvent } from './sync-helpers/e2e-suite.js';
import type { TestWorkspace } from './helpers/harness.js';
import { readPause } from '../src/queue/workspace-state.js';
import { TEST_OPERATOR_TOKEN } from './helpers/config.js';

describe('API budget pause', () => {
  let env: SyncEnv;
  /** The recheck's tick, run when the test says the schedule has come round. */
  let tick: (() => Promise<void>) | undefined;
  let everyMs = 0;
  before(async () => {
    env = await startSyncEnv({
      budgetRecheck: {
        schedule: (run, ms) => {
          tick = run;
          everyMs = ms;
          return () => (tick = undefined);
        },
      },
    });
  });
  after(async () => env?.close());

  /** Spends Relay's share: 1 % of a limit that leaves one call after what Relay already used. */
  async function pauseForBudget(ws: TestWorkspace, email: string, id: string): Promise<string> {
    await env.post([visitEvent(`${id}-0`, email)], ws);
    await env.settle(20_000, ws.id);
    const orgId = env.sync.engine.knownClient(ws.id)!.session!.orgId;
    const usage = await env.sync.engine.budget.usage(orgId, 1);
    await env.setSetting('MaxApiSharePercent', '1');
    const max = (usage.relayUsed + 1) * 100;
    await env.control('POST', '/__emulator/limits', { DailyApiRequests: { Max: max, Remaining: max - 50 } });
    await env.post([visitEvent(`${id}-1`, email)], ws);
    await waitFor(
      async () => (await readPause(env.harness.db, ws.id)).pausedReason === 'API_BUDGET',
      20_000,
      'the API_BUDGET pause',
    );
    return orgId;
  }

  /** What an admin does: a higher daily limit in the org and a larger share for Relay. */
  async function raiseLimits(): Promise<void> {
    await env.control('POST', '/__emulator/limits', { DailyApiRequests: { Max: 200_000, Remaining: 190_000 } });
    await env.setSetting('MaxApiSharePercent', '25');
  }

  test('the scheduled recheck reads the raised limit and share, resumes, and the held event syncs', async () => {
    assert.ok(tick, 'the recheck is scheduled');
    assert.equal(everyMs, 5 * 60_000, 'every 5 minutes by default');
    const ws = await env.newWorkspace('budget-lift');
    const [c] = env.soql<{ Email: string }>('SELECT Email FROM Contact ORDER BY Email LIMIT 1 OFFSET 20');
    const orgId = await pauseForBudget(ws, c!.Email, 'bl');
    try {
      const held = (await env.events(ws.id)).find((e) => e.event_id.startsWith('evt-bl-1'))!;
      assert.equal(held.status, 'deferred');
      assert.match(held.status_reason ?? '', /^API_BUDGET/);
      await raiseLimits();
      assert.equal(
        (await readPause(env.harness.db, ws.id)).pausedReason,
        'API_BUDGET',
        'nothing lifts the pause before the recheck',
      );

      await tick!();

      assert.equal((await readPause(env.harness.db, ws.id)).pausedReason, null, 'the pause ended');
      await waitFor(
        async () => (await env.events(ws.id)).find((e) => e.event_id.startsWith('evt-bl-1'))?.status === 'synced',
        20_000,
        'the held event to sync',
      );
      assert.equal(env.tasks(ws.id).length, 2, 'the held visit wrote its Task');
      const status = await env.packageApi('GET', `/v1/package/status?workspace=${ws.id}`, ws.orgKey);
      assert.equal(status.json.backlog.pausedReason, null);
      assert.equal(status.json.apiUsage.max, 200_000, 'the fresh limit');
      assert.equal(status.json.apiUsage.maxSharePercent, 25, 'the fresh share');
    } finally {
      await restore(orgId, ws);
    }
  });

  test('"check now" answers still paused with the numbers, then resumed once the limit is raised', async () => {
    const ws = await env.newWorkspace('budget-now');
    const [c] = env.soql<{ Email: string }>('SELECT Email FROM Contact ORDER BY Email LIMIT 1 OFFSET 21');
    const orgId = await pauseForBudget(ws, c!.Email, 'bn');
    try {
      const still = await env.packageApi('POST', `/v1/package/budget/check`, ws.orgKey, { workspace: ws.id });
      assert.equal(still.status, 200, still.text);
      assert.equal(still.json.resumed, false);
      assert.equal(still.json.paused, true);
      assert.equal(still.json.maxSharePercent, 1);
      assert.ok(still.json.relayUsedToday >= still.json.relayBudget, JSON.stringify(still.json));
      assert.match(still.json.message, /^Still paused: Relay has used \d+ of \d+ calls today \(1 % of the org's \d+\)/);

      await raiseLimits();
      const operator = await fetchOperator(`/v1/admin/workspaces/${ws.id}/budget-check`);
      assert.equal(operator.status, 200, JSON.stringify(operator.json));
      assert.equal(operator.json.resumed, true);
      assert.equal(operator.json.paused, false);
      assert.equal(operator.json.max, 200_000);
      assert.equal(operator.json.maxSharePercent, 25);
      await waitFor(
        async () => (await env.events(ws.id)).find((e) => e.event_id.startsWith('evt-bn-1'))?.status === 'synced',
        20_000,
        'the held event to sync',
      );
    } finally {
      await restore(orgId, ws);
    }
  });

  test('reading the status while paused reads the changed configuration and limit, and resumes', async () => {
    const ws = await env.newWorkspace('budget-status');
    const [c] = env.soql<{ Email: string }>('SELECT Email FROM Contact ORDER BY Email LIMIT 1 OFFSET 22');
    const orgId = await pauseForBudget(ws, c!.Email, 'bs');
    try {
      const paused = await env.packageApi('GET', `/v1/package/status?workspace=${ws.id}`, ws.orgKey);
      assert.equal(paused.json.backlog.pausedReason, 'API_BUDGET');
      assert.equal(paused.json.backlog.paused, 1);
      await raiseLimits();
      const status = await env.packageApi('GET', `/v1/package/status?workspace=${ws.id}`, ws.orgKey);
      assert.equal(status.json.apiUsage.maxSharePercent, 25);
      assert.equal(status.json.apiUsage.max, 200_000);
      assert.equal(status.json.backlog.pausedReason, null, 'the new share and limit ended the pause');
      await waitFor(
        async () => (await env.events(ws.id)).find((e) => e.event_id.startsWith('evt-bs-1'))?.status === 'synced',
        20_000,
        'the held event to sync',
      );
    } finally {
      await restore(orgId, ws);
    }
  });

  test("a check Salesforce refuses for the org's own limit answers 503 with the code; no org, 409", async () => {
    const ws = await env.newWorkspace('budget-refused');
    await env.fault({ method: 'POST', path: '/composite', errorCode: 'REQUEST_LIMIT_EXCEEDED', count: 1 });
    const refused = await env.packageApi('POST', '/v1/package/budget/check', ws.orgKey, { workspace: ws.id });
    assert.equal(refused.status, 503, refused.text);
    assert.equal(refused.json.error.code, 'REQUEST_LIMIT_EXCEEDED');
    const lone = await env.harness.addWorkspace('budget-no-org');
    const none = await fetchOperator(`/v1/admin/workspaces/${lone.id}/budget-check`);
    assert.equal(none.status, 409);
    assert.match(none.json.error.message, /^workspace: the workspace is not connected/);
  });

  async function fetchOperator(path: string): Promise<{ status: number; json: any }> {
    const res = await env.harness.companion.app.inject({
      method: 'POST',
      url: path,
      headers: { authorization: `Bearer ${TEST_OPERATOR_TOKEN}` },
    });
    return { status: res.statusCode, json: res.json() };
  }

  async function restore(orgId: string, ws: TestWorkspace): Promise<void> {
    await env.control('POST', '/__emulator/limits', { DailyApiRequests: { Max: 100_000, Remaining: 90_000 } });
    await env.sync.engine.budget.observe(orgId, 10_000, 100_000);
    await env.setSetting('MaxApiSharePercent', '20');
    await env.harness.companion.queue.resumeWorkspace(ws.id);
  }
});
