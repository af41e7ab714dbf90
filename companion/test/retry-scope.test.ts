// "Retry all" re-queues only what a retry can fix: unmatched events go back to the queue when a
// matching person exists now or a switch now creates one, and the answer says how many were left
// and why. Against the emulator over HTTP, on PGlite.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NO_SECRET_TASKS, startSyncEnv, type SyncEnv } from './sync-helpers/env.js';
import { visitEvent } from './sync-helpers/e2e-suite.js';

describe('retry of unmatched events', () => {
  let env: SyncEnv;
  before(async () => {
    env = await startSyncEnv();
  });
  after(async () => env?.close());

  test('re-queues only those a lookup now finds, reports the rest as still unmatched, and they stay listed', async () => {
    const ws = await env.newWorkspace('retry-scope');
    await env.post(
      [visitEvent('r-found', 'Found.Later@nowhere.example'), visitEvent('r-ghost', 'still.nobody@nowhere.example')],
      ws,
    );
    await env.settle(20_000, ws.id);
    assert.deepEqual(
      (await env.events(ws.id)).map((e) => [e.status, e.result?.errorCode]),
      [
        ['skipped', 'NO_MATCH'],
        ['skipped', 'NO_MATCH'],
      ],
    );
    // The admin creates one of the two people in Salesforce.
    env.insert('Contact', [{ LastName: 'Later', FirstName: 'Found', Email: 'found.later@nowhere.example' }]);

    const res = await env.packageApi('POST', '/v1/package/errors/retry', ws.orgKey, { all: true, workspace: ws.id });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.queued, 1, JSON.stringify(res.json));
    assert.deepEqual(
      res.json.left.map((l: { category: string; count: number }) => [l.category, l.count]),
      [['unmatched', 1]],
    );
    assert.match(res.json.left[0].reason, /^still unmatched, not retried/);
    assert.equal(res.json.message, `Re-queued 1 event. Left 1 event (unmatched): ${res.json.left[0].reason}.`);
    await env.settle(20_000, ws.id);
    const rows = await env.events(ws.id);
    const by = (v: string) => rows.find((r) => r.event_id.startsWith(`evt-${v}-`))!;
    assert.equal(by('r-found').status, 'synced', JSON.stringify(by('r-found')));
    assert.equal(by('r-ghost').status, 'skipped');
    assert.equal(by('r-ghost').attempts, 1, 'not sent round again');
    const errors = await env.packageApi('GET', `/v1/package/errors?workspace=${ws.id}`, ws.orgKey);
    assert.deepEqual(
      errors.json.items.map((i: { subject: string }) => i.subject),
      ['still.nobody@nowhere.example'],
    );
  });

  test('"retry all" across categories leaves failures a retry alone cannot fix; retrying their category re-queues them', async () => {
    const ws = await env.newWorkspace('retry-failed');
    const [c] = env.soql<{ Email: string }>('SELECT Email FROM Contact ORDER BY Email LIMIT 1 OFFSET 33');
    await env.control('POST', '/__emulator/rules', NO_SECRET_TASKS);
    try {
      await env.post([visitEvent('r-secret', c!.Email, { document: { name: 'Secret plan' } })], ws);
      await env.settle(20_000, ws.id);
      assert.equal((await env.events(ws.id))[0]!.error_category, 'validation');
      const all = await env.packageApi('POST', '/v1/package/errors/retry', ws.orgKey, { all: true, workspace: ws.id });
      assert.equal(all.json.queued, 0, JSON.stringify(all.json));
      assert.deepEqual(
        all.json.left.map((l: { category: string; count: number }) => [l.category, l.count]),
        [['validation', 1]],
      );
      assert.match(all.json.left[0].reason, /^failed for a reason a retry alone does not change/);
      assert.equal((await env.events(ws.id))[0]!.status, 'failed', 'left as it was');
      // The admin fixes the rule, then retries that category: it goes.
      await env.control('DELETE', '/__emulator/rules');
      const category = await env.packageApi('POST', '/v1/package/errors/retry', ws.orgKey, {
        all: true,
        category: 'validation',
        workspace: ws.id,
      });
      assert.deepEqual([category.json.queued, category.json.left], [1, []]);
      await env.settle(20_000, ws.id);
      assert.equal((await env.events(ws.id))[0]!.status, 'synced');
    } finally {
      await env.control('DELETE', '/__emulator/rules');
    }
  });

  test('with CreateLeadsForUnmatched switched on since, every unmatched event is re-queued and syncs', async () => {
    const ws = await env.newWorkspace('retry-switch');
    await env.post([visitEvent('r-lead', 'new.person@leads.example')], ws);
    await env.settle(20_000, ws.id);
    await env.setSetting('CreateLeadsForUnmatched', 'true');
    try {
      const res = await env.packageApi('POST', '/v1/package/errors/retry', ws.orgKey, { all: true, workspace: ws.id });
      assert.deepEqual([res.json.queued, res.json.left], [1, []]);
      await env.settle(20_000, ws.id);
      assert.equal((await env.events(ws.id))[0]!.status, 'synced');
    } finally {
      await env.setSetting('CreateLeadsForUnmatched', 'false');
    }
  });
});
