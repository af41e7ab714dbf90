// Reverse sync's delivery guarantees and scheduling: an event the receiver keeps refusing is retried
// with backoff, then dead-lettered — listed in the package API's errors under category `delivery`,
// never dropped — and delivered once retried from there; a receiver refusing one event (4xx) does not
// hold back the others; polls are pg-boss schedules, one per workspace with an outbound URL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startReverseEnv, waitFor, type ReverseEnv, type RestClient } from './reverse-helpers/env.js';
import { POLL_QUEUE } from '../src/reverse/index.js';
import { updateWorkspace } from '../src/workspaces/store.js';
import { parseConfig } from '../src/config/env.js';
import { demoConnection, ensureDemoWorkspace } from '../src/demo/workspace.js';

const MINUTE = 61_000;

describe('reverse sync delivery and schedules', () => {
  let env: ReverseEnv;
  let ava: RestClient;

  before(async () => {
    env = await startReverseEnv({ reverse: { schedule: true, delivery: { maxAttempts: 3 } } });
    ava = await env.asUser('mia.garcia@relay.test');
    await env.setSetting('CreatePlatformContacts', 'true');
    await env.refreshConfig();
    await env.reverse.poll(env.ws.id);
  });
  after(async () => {
    await env?.close();
  });

  const packageApi = async (method: 'GET' | 'POST', url: string, body?: unknown) => {
    const res = await env.harness.companion.app.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${env.ws.orgKey}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    return { status: res.statusCode, json: res.json() as any };
  };

  test('one pg-boss poll schedule per workspace with an outbound URL, removed when the URL goes', async () => {
    const other = await env.harness.addWorkspace('no-outbound');
    await env.connect(other);
    await updateWorkspace(env.harness.db, other.id, { outboundUrl: null });
    assert.deepEqual(await env.reverse.reconcileSchedules(), [env.ws.id]);
    const schedules = await env.harness.companion.boss.getSchedules(POLL_QUEUE);
    assert.deepEqual(
      schedules.map((s) => [s.key, s.cron, (s.data as { workspaceId: string }).workspaceId]),
      [[env.ws.id, '* * * * *', env.ws.id]],
    );
    await updateWorkspace(env.harness.db, other.id, { outboundUrl: env.receiver.url });
    assert.deepEqual(await env.reverse.reconcileSchedules(), [env.ws.id, other.id].sort());
    await updateWorkspace(env.harness.db, other.id, { outboundUrl: null });
    await env.reverse.reconcileSchedules();
    assert.deepEqual(
      (await env.harness.companion.boss.getSchedules(POLL_QUEUE)).map((s) => s.key),
      [env.ws.id],
    );
  });

  test("npm start's demo workspace gets RELAY_DEMO_OUTBOUND_URL and, with it, a poll schedule", async () => {
    // The demo workspace joins the test workspace's org, whose key it is given (one key per org).
    const config = parseConfig({ RELAY_DEMO_OUTBOUND_URL: env.receiver.url, RELAY_DEMO_WORKSPACE_ID: 'demo-reverse' });
    const demo = await ensureDemoWorkspace(
      env.harness.companion,
      config,
      await demoConnection(config, env.emu.url),
      env.ws.orgKey,
    );
    assert.equal(demo.workspace.outboundUrl, env.receiver.url);
    assert.ok((await env.reverse.reconcileSchedules()).includes('demo-reverse'));
    const unset = await ensureDemoWorkspace(
      env.harness.companion,
      parseConfig({ RELAY_DEMO_WORKSPACE_ID: 'demo-reverse' }),
      await demoConnection(config, env.emu.url),
      env.ws.orgKey,
    );
    assert.equal(unset.workspace.outboundUrl, null, 'unset: no reverse delivery');
    assert.ok(!(await env.reverse.reconcileSchedules()).includes('demo-reverse'));
  });

  test('a poll job (what the schedule sends) polls the workspace and delivers', async () => {
    await ava.create('Contact', { LastName: 'Scheduled', Email: 'scheduled@job.example' });
    await env.advance(MINUTE);
    await env.harness.companion.boss.send(POLL_QUEUE, { workspaceId: env.ws.id });
    await waitFor(
      async () => env.receiver.received.some((r) => r.json.data.fields.Email === 'scheduled@job.example'),
      15_000,
      'the scheduled poll to deliver',
    );
  });

  test('refused every time: retried with backoff, then dead and listed in the package errors (delivery)', async () => {
    await env.receiver.setMode('fail', 500);
    const id = await ava.create('Contact', { LastName: 'Undeliverable', Email: 'dead@letter.example' });
    await env.advance(MINUTE);
    await env.reverse.pollAndDeliver(env.ws.id);
    await waitFor(
      async () => {
        const { rows } = await env.harness.db.query<{ status: string; attempts: number }>(
          'SELECT status, attempts FROM reverse_outbox WHERE workspace_id = $1 AND record_id = $2',
          [env.ws.id, id],
        );
        return rows[0]?.status === 'dead' && rows[0].attempts === 3;
      },
      10_000,
      'the event to be dead-lettered after 3 attempts',
    );
    assert.equal(env.receiver.failures, 3);
    // The Setup page's status shows the outbound side too: one event given up on.
    const held = (await packageApi('GET', '/v1/package/status')).json.outbound;
    assert.equal(held.enabled, true);
    assert.equal(held.failed, 1);
    assert.equal(held.retrying, 0);
    const errors = await packageApi('GET', '/v1/package/errors?category=delivery');
    assert.equal(errors.status, 200);
    assert.deepEqual(errors.json.groups, [
      { category: 'delivery', label: 'Not delivered to the platform', count: 1, kind: 'failed' },
    ]);
    const [item] = errors.json.items;
    assert.equal(item.category, 'delivery');
    assert.equal(item.type, 'relay.salesforce.contact.created');
    assert.equal(item.errorCode, 'HTTP_500');
    assert.equal(item.recordId, id);
    assert.equal(item.subject, 'dead@letter.example');
    assert.equal(item.attempts, 3);
    assert.match(item.message, /HTTP 500/);
    const csv = await env.harness.companion.app.inject({
      method: 'GET',
      url: '/v1/package/errors.csv?category=delivery',
      headers: { authorization: `Bearer ${env.ws.orgKey}` },
    });
    assert.match(csv.body, /relay\.salesforce\.contact\.created/);

    // Retried from the package once the receiver is back: delivered, and gone from the errors.
    await env.receiver.setMode('ok');
    const retried = await packageApi('POST', '/v1/package/errors/retry', { all: true, category: 'delivery' });
    assert.equal(retried.json.queued, 1);
    // The receiver has the event before Relay has recorded its answer: wait for the record.
    await waitFor(
      async () => {
        const { rows } = await env.harness.db.query<{ status: string }>(
          'SELECT status FROM reverse_outbox WHERE workspace_id = $1 AND record_id = $2',
          [env.ws.id, id],
        );
        return env.receiver.received.some((r) => r.json.data.id === id) && rows[0]?.status === 'delivered';
      },
      10_000,
      'the retried event to be delivered and recorded so',
    );
    const after = await packageApi('GET', '/v1/package/errors?category=delivery');
    assert.deepEqual(after.json.items, []);
    // A poll holds what it detected in reverse_pending until it has read it, and the status counts
    // it as pending meanwhile. The schedule's worker stops first (waiting for a poll it runs), so
    // this test's poll is the only one; a change that announces nothing, and the poll's read (one
    // record: a plain queryAll, which sees deleted rows too) held 1.5 s while the status is asked.
    await env.harness.companion.boss.offWork(POLL_QUEUE, { wait: true });
    await ava.update('Contact', id, { LastName: 'Undeliverable' });
    await env.advance(MINUTE);
    await env.control('POST', '/__emulator/faults', { method: 'GET', path: '/queryAll', latencyMs: 1_500 });
    const polling = env.reverse.poll(env.ws.id);
    await waitFor(
      async () =>
        (await env.harness.db.query<{ n: number }>('SELECT count(*)::int AS n FROM reverse_pending')).rows[0]!.n > 0,
      10_000,
      'the poll to hold its detection',
    );
    assert.equal((await packageApi('GET', '/v1/package/status')).json.outbound.pending, 1, 'held: pending');
    const outcome = await polling;
    assert.equal(outcome.status === 'polled' && outcome.detected, 1, 'this poll detected the change');
    assert.deepEqual((await env.control('GET', '/__emulator/faults')).faults, [], 'the held read was the poll');
    const delivered = (await packageApi('GET', '/v1/package/status')).json.outbound;
    assert.deepEqual(
      { ...delivered, lastDeliveredAt: undefined },
      {
        enabled: true,
        pending: 0,
        retrying: 0,
        failed: 0,
        lastDeliveredAt: undefined,
        receiverBackoffUntil: null,
        rejected: 0,
      },
    );
    assert.ok(Date.now() - Date.parse(delivered.lastDeliveredAt) < 60_000, 'just delivered');
  });

  test('a receiver refusing one event (4xx) does not hold back the others; retried by id it arrives', async () => {
    const seen = env.receiver.received.length;
    env.receiver.setRefuse((event) => (event?.data?.fields?.Email === 'poison@refused.example' ? 422 : null));
    const poison = await ava.create('Contact', { LastName: 'Poison', Email: 'poison@refused.example' });
    const fine = await ava.create('Contact', { LastName: 'Fine', Email: 'fine@accepted.example' });
    await env.advance(MINUTE);
    await env.reverse.pollAndDeliver(env.ws.id);
    await waitFor(
      async () => env.receiver.received.slice(seen).some((r) => r.json.data.id === fine),
      10_000,
      'the other event',
    );
    const dead = await waitFor(
      async () => {
        const { items } = (await packageApi('GET', '/v1/package/errors?category=delivery')).json;
        return items.find((i: { recordId: string }) => i.recordId === poison);
      },
      10_000,
      'the refused event to be dead-lettered',
    );
    assert.equal(dead.errorCode, 'HTTP_422');
    env.receiver.setRefuse(null);
    const retried = await packageApi('POST', '/v1/package/errors/retry', { eventIds: [dead.eventId] });
    assert.equal(retried.json.queued, 1);
    await waitFor(
      async () => env.receiver.received.slice(seen).some((r) => r.json.data.id === poison),
      10_000,
      'the retried event',
    );
  });
});
