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

  test("share one API budget: together they never spend more than Relay's share of the org's daily limit", async () => {
    const contacts = env.soql<{ Email: string }>('SELECT Email FROM Contact ORDER BY Email LIMIT 12 OFFSET 50');
    const orgId = env.sync.engine.knownClient(north.id)!.session!.orgId;
    const before = await env.sync.engine.budget.usage(orgId, 1);
    try {
      // 1 % of the limit leaves Relay room for 3 more calls, for both workspaces together.
      await env.setSetting('MaxApiSharePercent', '1');
      await env.control('POST', '/__emulator/limits', {
        DailyApiRequests: { Max: (before.relayUsed + 3) * 100, Remaining: (before.relayUsed + 3) * 100 - 50 },
      });
      // Each event alone in its own batch: every batch would cost at least one call.
      for (let i = 0; i < 6; i += 1) {
        await env.post([visitEvent(`n-b${i}`, contacts[i]!.Email)], north);
        await env.post([visitEvent(`s-b${i}`, contacts[6 + i]!.Email)], south);
      }
      await waitFor(
        async () => {
          const held = [...(await env.events(north.id)), ...(await env.events(south.id))].filter((e) =>
            /^API_BUDGET/.test(e.status_reason ?? ''),
          );
          return held.length > 0 && (await env.events(north.id)).every((e) => e.status !== 'pending');
        },
        30_000,
        'both workspaces to reach the shared budget',
      );
      const after = await env.sync.engine.budget.usage(orgId, 1);
      assert.ok(after.relayUsed <= after.relayBudget!, `${after.relayUsed} calls for a budget of ${after.relayBudget}`);
      const statuses = await Promise.all(
        [north, south].map(
          async (w) => (await env.packageApi('GET', `/v1/package/status?workspace=${w.id}`, w.orgKey)).json,
        ),
      );
      assert.equal(statuses[0].apiUsage.relayUsedToday, statuses[1].apiUsage.relayUsedToday, 'one figure for the org');
      assert.equal(statuses[0].apiUsage.relayBudget, after.relayBudget, 'one budget, not one per workspace');
    } finally {
      await env.control('POST', '/__emulator/limits', { DailyApiRequests: { Max: 100_000, Remaining: 90_000 } });
      await env.sync.engine.budget.observe(orgId, 10_000, 100_000);
      await env.setSetting('MaxApiSharePercent', '20');
      await env.harness.companion.queue.resumeWorkspace(north.id);
      await env.harness.companion.queue.resumeWorkspace(south.id);
    }
  });
});
