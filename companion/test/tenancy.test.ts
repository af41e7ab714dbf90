// Several workspaces on one org: they share the org's API budget (MaxApiSharePercent of the daily
// limit is Relay's, not each workspace's), its configuration and its org key; each keeps its own
// events, Tasks and monthly quota. Against the emulator over HTTP, on PGlite.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSyncEnv, waitFor, type SyncEnv } from './sync-helpers/env.js';
import { visitEvent } from './sync-helpers/e2e-suite.js';
import type { TestWorkspace } from './helpers/harness.js';

describe('two workspaces on one org', () => {
  let env: SyncEnv;
  let north: TestWorkspace;
  let south: TestWorkspace;
  before(async () => {
    env = await startSyncEnv();
    north = await env.newWorkspace('north');
    south = await env.newWorkspace('south');
  });
  after(async () => env?.close());

  test('share one org key: the package sees both, each item and status line saying whose it is', async () => {
    assert.equal(north.orgKey, south.orgKey, 'the org has one key');
    const [c] = env.soql<{ Id: string; Email: string }>(
      'SELECT Id, Email FROM Contact ORDER BY Email LIMIT 1 OFFSET 40',
    );
    await env.post([visitEvent('n-1', c!.Email)], north);
    await env.post([visitEvent('s-1', c!.Email)], south);
    await env.settle(20_000, north.id);
    await env.settle(20_000, south.id);
    const engagement = await env.packageApi('GET', `/v1/package/engagement?recordId=${c!.Id}`, north.orgKey);
    assert.deepEqual(engagement.json.items.map((i: { workspaceId: string }) => i.workspaceId).sort(), [
      'north',
      'south',
    ]);
    const status = await env.packageApi('GET', '/v1/package/status', north.orgKey);
    assert.deepEqual(
      status.json.workspaces.map((w: { id: string }) => w.id),
      ['acme', 'north', 'south'],
    );
    const chosen = await env.packageApi('GET', '/v1/package/status?workspace=south', north.orgKey);
    assert.equal(chosen.json.workspace.id, 'south');
    const foreign = await env.packageApi('GET', '/v1/package/status?workspace=elsewhere', north.orgKey);
    assert.equal(foreign.status, 404);
  });

  test("share one API budget: a workspace that never made a call is held once the others spent the org's share", async () => {
    const [c] = env.soql<{ Email: string }>('SELECT Email FROM Contact ORDER BY Email LIMIT 1 OFFSET 60');
    const west = await env.newWorkspace('west');
    const orgId = env.sync.engine.knownClient(north.id)!.session!.orgId;
    const before = await env.sync.engine.budget.usage(orgId, 1);
    assert.ok(before.relayUsed > 0, 'north and south have made calls to the org');
    try {
      // 1 % of the limit is what north and south already used, plus the one call that tells Relay
      // the new limit (Sforce-Limit-Info): nothing is left for west of its own.
      await env.setSetting('MaxApiSharePercent', '1');
      await env.control('POST', '/__emulator/limits', {
        DailyApiRequests: { Max: (before.relayUsed + 1) * 100, Remaining: (before.relayUsed + 1) * 100 - 50 },
      });
      await env.post([visitEvent('w-1', c!.Email)], west);
      await waitFor(
        async () => (await env.events(west.id)).some((e) => /^API_BUDGET/.test(e.status_reason ?? '')),
        30_000,
        "west's event to be held for the org's budget",
      );
      const after = await env.sync.engine.budget.usage(orgId, 1);
      assert.ok(after.relayUsed <= after.relayBudget!, `${after.relayUsed} calls for a budget of ${after.relayBudget}`);
      assert.ok(after.relayUsed <= before.relayUsed + 1, 'west made at most the call that learnt the limit');
      // Each status reads its workspace's configuration (a call), so they are read one after the other.
      const statuses: any[] = [];
      for (const w of [west, north])
        statuses.unshift((await env.packageApi('GET', `/v1/package/status?workspace=${w.id}`, w.orgKey)).json);
      assert.equal(statuses[1].backlog.pausedReason, 'API_BUDGET');
      const org = await env.sync.engine.budget.usage(orgId, 1);
      assert.equal(statuses[0].apiUsage.relayUsedToday, org.relayUsed, "one figure for the org: all workspaces' calls");
      assert.equal(statuses[0].apiUsage.relayBudget, statuses[1].apiUsage.relayBudget, 'one budget for the org');
      assert.equal(statuses[1].apiUsage.relayBudget, after.relayBudget, 'one budget, not one per workspace');
    } finally {
      await env.control('POST', '/__emulator/limits', { DailyApiRequests: { Max: 100_000, Remaining: 90_000 } });
      await env.sync.engine.budget.observe(orgId, 10_000, 100_000);
      await env.setSetting('MaxApiSharePercent', '20');
      await env.harness.companion.queue.resumeWorkspace(west.id);
    }
  });
});
