// Notices end to end: a companion syncing into the emulated org over HTTP, a real local receiver as
// the workspace's outbound URL. Each cause — the quota warning, the quota stop, the org's daily
// limit — reaches the Relay admins' bell (the emulator's sent custom notifications) and the
// platform (a signed CloudEvent) exactly once however many batches see it; a new month, or a new
// stop after recovery, notifies again; a bell Salesforce refuses is retried without holding the sync.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSyncEnv, type SyncEnv } from './sync-helpers/env.js';
import { startReceiver, type Receiver } from './reverse-helpers/env.js';
import { waitFor, type TestWorkspace } from './helpers/harness.js';
import { updateWorkspace } from '../src/workspaces/store.js';
import { verifySignature } from '../src/auth/signature.js';
import { monthOf } from '../src/sync/quota.js';

interface SentNotification {
  notificationType: string;
  recipientIds: string[];
  deliveredTo: string[];
  title: string;
  body: string;
  targetPageRef: string | null;
}

let env: SyncEnv;
let receiver: Receiver;
let contacts: string[];

function visit(ws: TestWorkspace, n: number, email: string) {
  return {
    specversion: '1.0',
    id: `evt-${ws.id}-${n}`,
    source: 'docsend',
    type: 'relay.visit',
    time: '2026-11-20T10:00:00Z',
    data: {
      visitId: `v-${ws.id}-${n}`,
      visitor: { email },
      document: { name: 'Pitch deck' },
      durationSeconds: 60,
      percentViewed: 50,
      active: false,
    },
  };
}

/** Posts one batch of new visits and waits until the worker has answered every event. */
async function batch(ws: TestWorkspace, from: number, count: number): Promise<void> {
  const events = Array.from({ length: count }, (_, i) => visit(ws, from + i, contacts[(from + i) % contacts.length]!));
  await env.post(events, ws);
  await env.settle(20_000, ws.id);
}

async function bells(): Promise<SentNotification[]> {
  await env.sync.notices.idle();
  return ((await env.control('GET', '/__emulator/notifications')) as { notifications: SentNotification[] })
    .notifications;
}

/** Delivers what the outbox holds now (instead of waiting for the 2-second sweep) and waits for `n` notices. */
async function delivered(ws: TestWorkspace, n: number): Promise<void> {
  await waitFor(
    async () => {
      await env.sync.reverse.sweep();
      return outbound(ws).length >= n;
    },
    10_000,
    `${n} outbound notices`,
  );
}

/** Outbound notices the receiver got for a workspace: `type/cause`, in order. */
function outbound(ws: TestWorkspace): string[] {
  return receiver.received
    .filter((r) => r.json?.source === `relay/notices/${ws.id}`)
    .map((r) => `${r.json.type}/${r.json.data.cause}`);
}

async function workspaceWithOutbound(id: string): Promise<TestWorkspace> {
  const ws = await env.newWorkspace(id);
  await updateWorkspace(env.harness.db, ws.id, { outboundUrl: receiver.url });
  return ws;
}

describe('notices', () => {
  before(async () => {
    receiver = await startReceiver();
    env = await startSyncEnv({ notices: { bellBaseMs: 50, bellMaxMs: 200, sweepMs: 100 } });
    contacts = env.soql<{ Email: string }>('SELECT Email FROM Contact ORDER BY Email LIMIT 40').map((c) => c.Email);
  });
  after(async () => {
    await env.close();
    await receiver.close();
  });

  test('the quota warning and the quota stop notify admins and the platform once each over several batches, and again in a new month', async () => {
    const ws = await workspaceWithOutbound('nq');
    const [admin] = env.soql<{ Id: string }>("SELECT Id FROM User WHERE Username = 'admin@relay.test'");
    await env.control('DELETE', '/__emulator/notifications');
    try {
      await env.setSetting('MonthlyTaskQuota', '5');
      await env.setSetting('QuotaWarningPercent', '60');
      await batch(ws, 0, 3); // 3 of 5: the warning share
      await batch(ws, 3, 1); // 4 of 5: still warned, not again
      await batch(ws, 4, 3); // 5 of 5, two held: syncing stops for the quota
      await batch(ws, 7, 2); // held again: not again
      await delivered(ws, 2);

      let sent = await bells();
      assert.deepEqual(
        sent.map((n) => n.title),
        ['Relay: monthly Task quota almost used', 'Relay stopped creating Tasks: monthly quota reached'],
      );
      assert.ok(sent.every((n) => n.notificationType === 'relay__RelayAlert'));
      assert.deepEqual(sent[0]!.deliveredTo, [admin!.Id], 'the RelayAdmin holder');
      assert.match(sent[0]!.body, /3 of 5 Tasks/);
      assert.match(JSON.parse(sent[1]!.targetPageRef!).attributes.apiName, /Relay_Setup/);
      assert.deepEqual(outbound(ws), [
        'relay.notice.quota_warning/quota_warning',
        'relay.notice.sync_stopped/quota_stop',
      ]);
      const first = receiver.received.find((r) => r.json?.source === `relay/notices/${ws.id}`)!;
      assert.equal(
        verifySignature({
          header: first.headers['relay-signature'] as string,
          secret: ws.secret,
          body: Buffer.from(first.body),
          nowSeconds: Math.floor(Date.now() / 1000),
        }).ok,
        true,
        'signed like every outbound event',
      );
      assert.deepEqual(first.json.data.details, { month: monthOf(new Date()), used: 3, limit: 5, warningPercent: 60 });

      // A new month: last month's count and notices are history, this month's quota starts at 0.
      const previous = monthOf(new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 1, 15)));
      await env.harness.db.query('UPDATE sync_task_quota SET month = $2 WHERE workspace_id = $1', [ws.id, previous]);
      await env.harness.db.query("UPDATE notices SET period = $2 WHERE workspace_id = $1 AND period <> ''", [
        ws.id,
        previous,
      ]);
      await batch(ws, 20, 3);
      await batch(ws, 23, 3);
      await delivered(ws, 4);
      sent = await bells();
      assert.equal(sent.length, 4, 'the warning and the stop again, once each');
      assert.deepEqual(outbound(ws).slice(2), [
        'relay.notice.quota_warning/quota_warning',
        'relay.notice.sync_stopped/quota_stop',
      ]);
    } finally {
      await env.setSetting('MonthlyTaskQuota', '100000');
      await env.setSetting('QuotaWarningPercent', '80');
    }
  });

  test("the org's daily limit notifies once per pause, however many batches it refuses, and again after a recovery", async () => {
    const ws = await workspaceWithOutbound('nl');
    await env.control('DELETE', '/__emulator/notifications');
    await batch(ws, 0, 1);

    const stop = async (from: number, refusals: number) => {
      await env.fault({ errorCode: 'REQUEST_LIMIT_EXCEEDED', count: refusals });
      await env.post([visit(ws, from, contacts[from]!)], ws);
      // Every refusal is a batch that paused; the event syncs once Salesforce accepts calls again.
      await waitFor(
        async () => (await env.events(ws.id)).find((r) => r.event_id === `evt-${ws.id}-${from}`)?.status === 'synced',
        20_000,
        'the sync after the pause',
      );
    };
    await stop(1, 2);
    await waitFor(async () => (await bells()).length >= 1, 10_000, 'the bell once calls are accepted again');
    await stop(2, 1);
    await waitFor(async () => (await bells()).length >= 2, 10_000, 'the second bell');
    await delivered(ws, 2);

    const sent = await bells();
    assert.deepEqual(
      sent.map((n) => n.title),
      [
        "Relay paused syncing: the org's daily API limit is spent",
        "Relay paused syncing: the org's daily API limit is spent",
      ],
    );
    assert.deepEqual(outbound(ws), ['relay.notice.sync_stopped/daily_limit', 'relay.notice.sync_stopped/daily_limit']);
    const { rows } = await env.harness.db.query<{ closed: boolean; bell_status: string }>(
      'SELECT closed_at IS NOT NULL AS closed, bell_status FROM notices WHERE workspace_id = $1 ORDER BY id',
      [ws.id],
    );
    assert.deepEqual(rows, [
      { closed: true, bell_status: 'sent' },
      { closed: true, bell_status: 'sent' },
    ]);
  });

  test('a bell Salesforce refuses never holds the sync back and is sent by a later try', async () => {
    const ws = await workspaceWithOutbound('nf');
    await env.control('DELETE', '/__emulator/notifications');
    try {
      await env.setSetting('MonthlyTaskQuota', '2');
      await env.setSetting('QuotaWarningPercent', '50');
      await env.fault({
        method: 'POST',
        path: '/actions/standard/customNotificationAction',
        status: 503,
        errorCode: 'SERVER_UNAVAILABLE',
        count: 1,
      });
      await batch(ws, 0, 1);
      assert.equal((await env.events(ws.id))[0]!.status, 'synced', 'the batch synced whatever the bell did');
      await waitFor(async () => (await bells()).length === 1, 10_000, 'the bell on a later try');
      const { rows } = await env.harness.db.query<{ bell_status: string; bell_attempts: number }>(
        'SELECT bell_status, bell_attempts FROM notices WHERE workspace_id = $1',
        [ws.id],
      );
      assert.deepEqual(rows, [{ bell_status: 'sent', bell_attempts: 2 }]);
      assert.deepEqual(outbound(ws).length <= 1, true);
    } finally {
      await env.setSetting('MonthlyTaskQuota', '100000');
      await env.setSetting('QuotaWarningPercent', '80');
    }
  });
});
