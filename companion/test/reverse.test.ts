// Reverse sync end to end: Contacts and Leads changed in the emulated org by a sales user (over its
// REST API) arrive at a real local HTTP receiver as signed CloudEvents with the right type and
// changedFields; Relay's own writes are not echoed; the switch off means nothing is polled or sent;
// a receiver that is down gets the events later, none lost; API calls per poll cycle are bounded.
// Time moves with the emulator's clock (getUpdated works in whole minutes), never by sleeping.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startReverseEnv, waitFor, type ReverseEnv, type RestClient } from './reverse-helpers/env.js';
import { verifySignature } from '../src/auth/signature.js';
import { POLL_QUEUE } from '../src/reverse/index.js';

const MINUTE = 61_000;

describe('reverse sync', () => {
  let env: ReverseEnv;
  let ava: RestClient;
  let orgId: string;

  before(async () => {
    env = await startReverseEnv();
    // Every poll here is the test's own (it counts their calls); the minute schedule, on the real
    // clock, would add a poll of its own whenever the suite runs past a minute on a loaded machine.
    await env.harness.companion.boss.offWork(POLL_QUEUE, { wait: true });
    ava = await env.asUser('ava.reed@relay.test');
    orgId = (await env.control('GET', '/__emulator/state')).orgId;
  });
  after(async () => {
    await env?.close();
  });

  /** One cycle a minute later: detection, read, outbox, and the delivery round. */
  async function cycle() {
    await env.advance(MINUTE);
    const { poll } = await env.reverse.pollAndDeliver(env.ws.id);
    return poll;
  }

  /** What the package's Setup page reads (GET /v1/package/status). */
  async function packageStatus() {
    const res = await env.harness.companion.app.inject({
      method: 'GET',
      url: '/v1/package/status',
      headers: { authorization: `Bearer ${env.ws.orgKey}` },
    });
    return res.json();
  }

  /** The deliveries after the first `seen`, once there are `count` of them. */
  async function received(seen: number, count = 1) {
    await waitFor(async () => env.receiver.received.length >= seen + count, 10_000, `${count} more deliveries`);
    return env.receiver.received.slice(seen);
  }

  test('off by default: no change detection call, nothing sent', async () => {
    await env.refreshConfig();
    await ava.create('Contact', { LastName: 'Quiet', Email: 'quiet@off.example' });
    await env.advance(MINUTE);
    await env.resetUsage();
    const out = await env.reverse.poll(env.ws.id);
    assert.deepEqual(out, { status: 'skipped', reason: 'CreatePlatformContacts is off' });
    const usage = await env.usage();
    assert.equal(usage.apiRequests, 0, JSON.stringify(usage.byEndpoint));
    await env.reverse.sweep();
    assert.equal(env.receiver.received.length, 0);
    assert.deepEqual(
      (await packageStatus()).outbound,
      {
        enabled: false,
        pending: 0,
        retrying: 0,
        failed: 0,
        lastDeliveredAt: null,
        receiverBackoffUntil: null,
        rejected: 0,
      },
      'the Setup page says nothing goes to the platform',
    );
  });

  test('switched on: watching starts at that minute, with no call and no backfill', async () => {
    await env.setSetting('CreatePlatformContacts', 'true');
    await env.refreshConfig();
    await env.resetUsage();
    const first = await env.reverse.poll(env.ws.id);
    assert.equal(first.status, 'polled');
    assert.equal((await env.usage()).apiRequests, 0, 'the first cycle only starts watching');
    const idle = await cycle();
    assert.equal(idle.status, 'polled');
    if (idle.status === 'polled') assert.equal(idle.queued, 0, 'the Contact created while off is not sent');
    assert.equal((await env.usage()).apiRequests, 1, 'an idle cycle is one Composite call');
    assert.equal(env.receiver.received.length, 0);
  });

  let contactId: string;

  test('a Contact created by a sales user arrives as relay.salesforce.contact.created, signed', async () => {
    contactId = await ava.create('Contact', {
      FirstName: 'Grace',
      LastName: 'Hopper',
      Email: 'Grace.Hopper@navy.example',
      Title: 'Rear Admiral',
      Department: 'Computing',
    });
    const poll = await cycle();
    assert.equal(poll.status, 'polled');
    const [got] = await received(0);
    const e = got!.json;
    assert.equal(e.specversion, '1.0');
    assert.equal(e.type, 'relay.salesforce.contact.created');
    assert.equal(e.source, `relay/salesforce/${orgId}`);
    assert.match(e.id, /^[0-9a-f-]{36}$/);
    assert.match(e.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(e.subject, contactId);
    assert.deepEqual(e.data, {
      id: contactId,
      // The admin-chosen fields: active Contact mappings that let Salesforce values reach the platform
      // (Department is not mapped and stays out).
      fields: {
        Email: 'Grace.Hopper@navy.example',
        FirstName: 'Grace',
        LastName: 'Hopper',
        Phone: null,
        Title: 'Rear Admiral',
      },
      changedFields: ['Email', 'FirstName', 'LastName', 'Title'],
      tags: [],
    });
    assert.equal(got!.headers['content-type'], 'application/cloudevents+json; charset=utf-8');
    assert.equal(got!.headers['relay-workspace'], env.ws.id);
    const check = verifySignature({
      header: got!.headers['relay-signature'] as string,
      secret: env.ws.secret,
      body: Buffer.from(got!.body),
      nowSeconds: Math.floor(Date.now() / 1000),
    });
    assert.equal(check.ok, true, 'signed with the workspace secret over the raw body');
  });

  test('an update arrives as contact.updated with exactly the changed fields', async () => {
    await ava.update('Contact', contactId, { Title: 'Commodore', Department: 'Navy' });
    await cycle();
    const [got] = await received(1);
    assert.equal(got!.json.type, 'relay.salesforce.contact.updated');
    assert.deepEqual(got!.json.data.changedFields, ['Title']);
    assert.equal(got!.json.data.fields.Title, 'Commodore');
    const before = env.receiver.received.length;
    // An unmapped field alone is not a change the platform hears about.
    await ava.update('Contact', contactId, { Department: 'Fleet' });
    await cycle();
    await env.reverse.sweep();
    assert.equal(env.receiver.received.length, before);
  });

  test("Relay's own writes are not echoed: the platform's PATCH, and a person's later edit carries only theirs", async () => {
    const n = env.receiver.received.length;
    const patched = await env.signed('PATCH', `/v1/contacts/${contactId}`, { fields: { Title: 'Admiral' } });
    assert.equal(patched.status, 200, JSON.stringify(patched.json));
    await cycle();
    await env.reverse.sweep();
    assert.equal(env.receiver.received.length, n, 'the write Relay made is not sent back');
    // A PATCH, then a sales user's edit before the next poll: the last modifier is the user, and the
    // platform's own Title is not among the changed fields.
    await env.signed('PATCH', `/v1/contacts/${contactId}`, { fields: { Title: 'Fleet Admiral' } });
    await ava.update('Contact', contactId, { Phone: '+1 212 555 0199' });
    await cycle();
    const [got] = await received(n);
    assert.equal(env.receiver.received.length, n + 1);
    assert.deepEqual(got!.json.data.changedFields, ['Phone']);
    assert.equal(got!.json.data.fields.Title, 'Fleet Admiral');
  });

  test('a Lead the sync engine creates or updates for the platform is not echoed', async () => {
    const n = env.receiver.received.length;
    const lead = env.soql<{ Id: string; Email: string }>(
      'SELECT Id, Email FROM Lead WHERE IsConverted = false AND Email != null ORDER BY Email LIMIT 1',
    )[0]!;
    await env.harness.post([
      {
        specversion: '1.0',
        id: 'prospect-echo-1',
        source: 'outreach',
        type: 'relay.prospect.upserted',
        time: new Date().toISOString(),
        data: { prospectId: 'p-1', fields: { email: lead.Email, title: 'Head of Echo', lastName: 'Echo' } },
      },
      {
        specversion: '1.0',
        id: 'prospect-echo-2',
        source: 'outreach',
        type: 'relay.prospect.upserted',
        time: new Date().toISOString(),
        data: { prospectId: 'p-2', fields: { email: 'brand.new@prospect.example', lastName: 'New', company: 'Newco' } },
      },
    ]);
    await waitFor(
      async () => {
        const { rows } = await env.harness.db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM events WHERE workspace_id = $1 AND event_id LIKE 'prospect-echo-%' AND status = 'synced'",
          [env.ws.id],
        );
        return rows[0]!.n === 2;
      },
      20_000,
      'the prospects to sync',
    );
    const created = env.soql<{ Id: string }>("SELECT Id FROM Lead WHERE Email = 'brand.new@prospect.example'");
    assert.equal(created.length, 1);
    const poll = await cycle();
    assert.equal(poll.status, 'polled');
    if (poll.status === 'polled') assert.ok(poll.skipped.own >= 2, JSON.stringify(poll));
    await env.reverse.sweep();
    assert.equal(env.receiver.received.length, n);
    // A sales user edits the Lead Relay created: it is announced (as updated: the platform made it),
    // with only what the user changed.
    await ava.update('Lead', created[0]!.Id, { Title: 'Founder' });
    await cycle();
    const [got] = await received(n);
    assert.equal(got!.json.type, 'relay.salesforce.lead.updated');
    assert.deepEqual(got!.json.data.changedFields, ['Title']);
  });

  test('tags come from what the platform told Relay about the person', async () => {
    const n = env.receiver.received.length;
    await env.harness.post({
      specversion: '1.0',
      id: 'list-tags-1',
      source: 'andsend',
      type: 'relay.list.member.added',
      time: new Date().toISOString(),
      data: { listId: 'l-1', listName: 'Webinar', contact: { email: 'grace.hopper@navy.example', tags: 'vip,navy' } },
    });
    await waitFor(
      async () => {
        const { rows } = await env.harness.db.query<{ tags: string[] }>(
          "SELECT tags FROM sync_people WHERE workspace_id = $1 AND email = 'grace.hopper@navy.example'",
          [env.ws.id],
        );
        return rows[0]?.tags.length === 2;
      },
      20_000,
      'the person facts',
    );
    await ava.update('Contact', contactId, { FirstName: 'Amazing Grace' });
    await cycle();
    const [got] = await received(n);
    assert.deepEqual([...got!.json.data.tags].sort(), ['navy', 'vip']);
    assert.deepEqual(got!.json.data.changedFields, ['FirstName']);
  });

  test('a deletion arrives as contact.deleted with the last values the platform was given', async () => {
    const n = env.receiver.received.length;
    await ava.remove('Contact', contactId);
    await cycle();
    const [got] = await received(n);
    assert.equal(got!.json.type, 'relay.salesforce.contact.deleted');
    assert.equal(got!.json.data.id, contactId);
    assert.deepEqual(got!.json.data.changedFields, []);
    assert.equal(got!.json.data.fields.FirstName, 'Amazing Grace');
  });

  test('a Lead created by a sales user arrives as lead.created (Company is platform-to-Salesforce only)', async () => {
    const n = env.receiver.received.length;
    const id = await ava.create('Lead', {
      LastName: 'Lovelace',
      Company: 'Analytical Engines',
      Email: 'ada@engines.example',
    });
    await cycle();
    const [got] = await received(n);
    assert.equal(got!.json.type, 'relay.salesforce.lead.created');
    assert.equal(got!.json.data.id, id);
    assert.deepEqual(Object.keys(got!.json.data.fields).sort(), ['Email', 'FirstName', 'LastName', 'Phone', 'Title']);
  });

  test('a burst of records by one user (a data import) is skipped unless IncludeBulkImports', async () => {
    const n = env.receiver.received.length;
    const people = (tag: string, count: number) =>
      Array.from({ length: count }, (_, i) => ({
        attributes: { type: 'Contact' },
        LastName: `Import${tag}${i}`,
        Email: `import.${tag}.${i}@bulk.example`,
      }));
    const imported = await ava.request('POST', '/composite/sobjects', { allOrNone: true, records: people('a', 60) });
    assert.equal(imported.status, 200);
    const liam = await env.asUser('liam.patel@relay.test');
    await liam.create('Contact', { LastName: 'Single', Email: 'single@interactive.example' });
    const poll = await cycle();
    assert.equal(poll.status, 'polled');
    if (poll.status === 'polled') assert.equal(poll.skipped.bulk, 60, JSON.stringify(poll));
    const [got] = await received(n);
    await env.reverse.sweep();
    assert.equal(env.receiver.received.length, n + 1, 'only the interactive Contact');
    assert.equal(got!.json.data.fields.Email, 'single@interactive.example');

    await env.setSetting('IncludeBulkImports', 'true');
    await env.refreshConfig();
    await ava.request('POST', '/composite/sobjects', { allOrNone: true, records: people('b', 60) });
    await cycle();
    await received(n + 1, 60);
    assert.ok(env.receiver.received.slice(n + 1).every((r) => r.json.type === 'relay.salesforce.contact.created'));
    await env.setSetting('IncludeBulkImports', 'false');
    await env.refreshConfig();
  });

  test('receiver down: events are retried with backoff and all delivered, in order, when it is back', async () => {
    // Minutes after Ava's import, so her next Contacts are not taken for its tail.
    await env.advance(5 * MINUTE);
    const n = env.receiver.received.length;
    await env.receiver.setMode('down');
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1)
      ids.push(await ava.create('Contact', { LastName: `Outage${i}`, Email: `outage${i}@down.example` }));
    await cycle();
    await ava.update('Contact', ids[0]!, { Title: 'Survivor' });
    await cycle();
    // Refused connections, then 503s: attempts pile up on the first event while the receiver is out.
    await waitFor(
      async () => {
        const { rows } = await env.harness.db.query<{ attempts: number }>(
          "SELECT max(attempts)::int AS attempts FROM reverse_outbox WHERE workspace_id = $1 AND status = 'pending'",
          [env.ws.id],
        );
        return (rows[0]?.attempts ?? 0) >= 2;
      },
      10_000,
      'failed attempts',
    );
    const outbound = (await packageStatus()).outbound;
    assert.ok(outbound.retrying >= 1 && outbound.failed === 0, JSON.stringify(outbound));
    await env.receiver.setMode('fail', 503);
    await waitFor(async () => env.receiver.failures >= 1, 10_000, 'a 503');
    assert.equal(env.receiver.received.length, n);
    await env.receiver.setMode('ok');
    const got = await received(n, 4);
    assert.equal(env.receiver.received.length, n + 4);
    const forFirst = got.filter((r) => r.json.data.id === ids[0]).map((r) => r.json.type);
    assert.deepEqual(forFirst, ['relay.salesforce.contact.created', 'relay.salesforce.contact.updated']);
    // The receiver holds the last event before Relay has recorded its 202: wait for the record.
    const undelivered = async () =>
      (
        await env.harness.db.query<{ status: string; n: number }>(
          "SELECT status, count(*)::int AS n FROM reverse_outbox WHERE workspace_id = $1 AND status <> 'delivered' GROUP BY status",
          [env.ws.id],
        )
      ).rows;
    await waitFor(async () => (await undelivered()).length === 0, 10_000, 'every delivery recorded').catch(() => {});
    assert.deepEqual(await undelivered(), [], 'nothing pending or dead');
  });

  test('API calls per cycle are bounded: 1 to detect, 1 to read ~3,000 records, the rest next cycle', async () => {
    const many = Array.from({ length: 4_000 }, (_, i) => ({ LastName: `Mass${i}`, Email: `mass${i}@calls.example` }));
    env.emu.org.insert(
      'Lead',
      many.map((r) => ({ ...r, Company: 'Mass Co' })),
      { system: true },
    );
    await env.advance(MINUTE);
    await env.resetUsage();
    const first = await env.reverse.poll(env.ws.id);
    assert.equal(first.status, 'polled');
    if (first.status !== 'polled') return;
    assert.equal(first.detected, 4_000);
    assert.equal(first.calls, 2, JSON.stringify(first));
    assert.ok(first.read >= 2_500 && first.read < 4_000, `read ${first.read}`);
    assert.equal((await env.usage()).apiRequests, 2);
    // No new minute: no detection call; the leftover is read with one more call.
    await env.resetUsage();
    const second = await env.reverse.poll(env.ws.id);
    assert.equal(second.status === 'polled' && second.calls, 1);
    assert.equal(second.status === 'polled' && second.pending, 0);
    assert.equal((await env.usage()).apiRequests, 1);
  });

  test('switched off again: nothing polled, and switching on later does not send what changed meanwhile', async () => {
    await env.setSetting('CreatePlatformContacts', 'false');
    await env.refreshConfig();
    const n = env.receiver.received.length;
    await ava.create('Contact', { LastName: 'Meanwhile', Email: 'meanwhile@off.example' });
    await env.resetUsage();
    const off = await cycle();
    assert.equal(off.status, 'skipped');
    assert.equal((await env.usage()).apiRequests, 0);
    await env.setSetting('CreatePlatformContacts', 'true');
    await env.refreshConfig();
    await env.reverse.poll(env.ws.id); // watching starts again
    await cycle();
    await env.reverse.sweep();
    assert.equal(env.receiver.received.length, n);
  });
});
