// The conflict log end to end: a Contact in the emulated org changed by a sales user (over its REST
// API) and by the platform (signed prospect events through intake and the worker), with reverse sync
// keeping the baselines. Both directions log the field, both values, both times and the winner by the
// field's direction, and the winner is what ends up in Salesforce and in what the platform hears;
// one-way fields, one-sided changes and Relay's own writes log nothing; the package API and the
// platform API list the entries, each workspace its own. Time moves with the emulator's clock.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createEmulator, type RunningEmulator } from '../../emulator/src/index.js';
import { startReverseEnv, waitFor, type ReverseEnv, type RestClient } from './reverse-helpers/env.js';
import type { TestWorkspace } from './helpers/harness.js';

const MINUTE = 61_000;
const HOUR = 3_600_000;

interface ContactRow {
  Id: string;
  FirstName: string | null;
  LastName: string;
  Phone: string | null;
  Title: string | null;
  LastModifiedDate: string;
}

describe('conflict log', () => {
  let env: ReverseEnv;
  let ava: RestClient;
  let other: RunningEmulator;
  let globex: TestWorkspace;
  let contactId: string;
  const email = 'ada.conflict@engine.example';
  let seq = 0;

  before(async () => {
    env = await startReverseEnv();
    ava = await env.asUser('ava.reed@relay.test');
    other = await createEmulator({ port: 0, seed: 'empty', orgId: '00D0000000000CCCAA' });
    globex = await env.harness.addWorkspace('globex');
    await env.connect(globex, other.url);
    // Phone flows one way only in this org: the platform owns it.
    await env.setMapping('Contact_Phone', { relay__Direction__c: 'PlatformToSalesforce' });
    await env.setSetting('CreatePlatformContacts', 'true');
    await env.refreshConfig();
    await env.reverse.poll(env.ws.id); // watching starts
    contactId = await ava.create('Contact', {
      FirstName: 'Ada',
      LastName: 'Lovelace',
      Email: email,
      Title: 'Analyst',
      Phone: '+14155550100',
    });
    await cycle(); // announced: the platform's baseline of the Contact
  });
  after(async () => {
    await env?.close();
    await other?.close();
  });

  async function cycle() {
    await env.advance(MINUTE);
    return (await env.reverse.pollAndDeliver(env.ws.id)).poll;
  }

  const contact = () =>
    env.soql<ContactRow>(
      `SELECT Id, FirstName, LastName, Phone, Title, LastModifiedDate FROM Contact WHERE Id = '${contactId}'`,
    )[0]!;

  /** Posts a prospect for the Contact, changed on the platform at `time`; returns its event id. */
  async function prospect(time: number, fields: Record<string, unknown>): Promise<string> {
    const id = `conflict-prospect-${++seq}`;
    const res = await env.harness.post({
      specversion: '1.0',
      id,
      source: 'outreach',
      type: 'relay.prospect.upserted',
      time: new Date(time).toISOString(),
      data: { prospectId: 'p-ada', fields: { email, ...fields } },
    });
    assert.equal(res.status, 202, JSON.stringify(res.json));
    return id;
  }

  async function eventStatus(id: string, status: string) {
    await waitFor(
      async () => {
        const { rows } = await env.harness.db.query<{ status: string }>(
          'SELECT status FROM events WHERE workspace_id = $1 AND event_id = $2',
          [env.ws.id, id],
        );
        return rows[0]?.status === status;
      },
      20_000,
      `event ${id} ${status}`,
    );
  }

  async function packageConflicts(workspace: TestWorkspace = env.ws, query = '') {
    const res = await env.harness.companion.app.inject({
      method: 'GET',
      url: `/v1/package/conflicts${query}`,
      headers: { authorization: `Bearer ${workspace.orgKey}` },
    });
    assert.equal(res.statusCode, 200, res.body);
    return res.json().conflicts as any[];
  }

  test('platform → Salesforce: a two-way field both sides changed is logged, and the later change (the platform’s) is written', async () => {
    await ava.update('Contact', contactId, { FirstName: 'Augusta', Phone: '+14155550111' });
    const salesforceAt = Date.parse(contact().LastModifiedDate);
    const platformAt = salesforceAt + 5 * MINUTE;
    const eventId = await prospect(platformAt, {
      firstName: 'Ada Augusta', // both changed: a conflict the platform wins (later)
      lastName: 'King', // the platform alone changed it: no conflict
      phone: '+14155550122', // one-way: never a conflict
    });
    await eventStatus(eventId, 'synced');
    const entries = await packageConflicts();
    assert.equal(entries.length, 1, JSON.stringify(entries));
    assert.deepEqual(
      { ...entries[0], id: undefined, detectedAt: undefined },
      {
        id: undefined,
        detectedAt: undefined,
        workspace: env.ws.id,
        recordId: contactId,
        object: 'Contact',
        email,
        field: 'FirstName',
        direction: 'TwoWay',
        platformValue: 'Ada Augusta',
        salesforceValue: 'Augusta',
        platformChangedAt: new Date(platformAt).toISOString(),
        salesforceChangedAt: new Date(salesforceAt).toISOString(),
        winner: 'platform',
        detectedBy: 'sync',
        eventId,
      },
    );
    const now = contact();
    assert.equal(now.FirstName, 'Ada Augusta');
    assert.equal(now.LastName, 'King');
    assert.equal(now.Phone, '+14155550122');
  });

  test('Relay’s own write echoing back logs nothing: not by the poll, not by the same prospect sent again', async () => {
    const poll = await cycle();
    assert.equal(poll.status, 'polled');
    if (poll.status === 'polled') assert.equal(poll.skipped.own, 1, JSON.stringify(poll));
    const again = await prospect(Date.parse(contact().LastModifiedDate) + MINUTE, {
      firstName: 'Ada Augusta',
      lastName: 'King',
    });
    await eventStatus(again, 'synced');
    await cycle();
    assert.equal((await packageConflicts()).length, 1);
  });

  test('platform → Salesforce: Salesforce wins a later change and a PreferSalesforceUnlessBlank field; its values stay and reach the platform', async () => {
    const before = env.receiver.received.length;
    await ava.update('Contact', contactId, { FirstName: 'Countess', Title: 'Mathematician' });
    const salesforceAt = Date.parse(contact().LastModifiedDate);
    // The platform's change is older (an event delayed an hour); its last name is new to Salesforce.
    const eventId = await prospect(salesforceAt - HOUR, {
      firstName: 'Lady Ada',
      title: 'Enchantress of Numbers',
      lastName: 'Noel',
    });
    await eventStatus(eventId, 'synced');
    const logged = (await packageConflicts()).filter((e) => e.eventId === eventId);
    assert.deepEqual(logged.map((e) => [e.field, e.direction, e.platformValue, e.salesforceValue, e.winner]).sort(), [
      ['FirstName', 'TwoWay', 'Lady Ada', 'Countess', 'salesforce'],
      ['Title', 'PreferSalesforceUnlessBlank', 'Enchantress of Numbers', 'Mathematician', 'salesforce'],
    ]);
    assert.equal(logged[0]!.platformChangedAt, new Date(salesforceAt - HOUR).toISOString());
    assert.equal(contact().FirstName, 'Countess');
    assert.equal(contact().Title, 'Mathematician');
    assert.equal(contact().LastName, 'Noel', 'the rest of the prospect is written');
    // Relay wrote the record last, yet the values Salesforce won with are announced (its own last
    // name is not).
    await cycle();
    await waitFor(async () => env.receiver.received.length > before, 10_000, 'the announcement');
    const got = env.receiver.received.at(-1)!.json;
    assert.deepEqual(got.data.changedFields, ['FirstName', 'Title']);
    assert.equal(got.data.fields.FirstName, 'Countess');
  });

  test('Salesforce → platform: a prospect not synced yet meets a person’s edit; each field goes to its later change', async () => {
    await env.setSetting('RelayActive', 'false');
    await env.refreshConfig();
    const base = Date.parse(contact().LastModifiedDate);
    const older = await prospect(base - HOUR, { lastName: 'Byron' }); // older than the person's edit
    const newer = await prospect(base + 10 * HOUR, { firstName: 'Ada B.' }); // newer than it
    await eventStatus(older, 'deferred');
    await eventStatus(newer, 'deferred');
    await ava.update('Contact', contactId, { FirstName: 'Augusta Ada', LastName: 'Lovelace-King' });
    const salesforceAt = Date.parse(contact().LastModifiedDate);
    const before = env.receiver.received.length;
    await cycle();
    await waitFor(async () => env.receiver.received.length > before, 10_000, 'the announcement');
    const got = env.receiver.received.at(-1)!.json;
    assert.deepEqual(got.data.changedFields, ['LastName'], 'the platform’s newer first name is not overwritten');
    const reverse = (await packageConflicts()).filter((e) => e.detectedBy === 'reverse');
    assert.deepEqual(
      reverse
        .map((e) => [e.field, e.platformValue, e.salesforceValue, e.winner, e.eventId, e.salesforceChangedAt])
        .sort(),
      [
        ['FirstName', 'Ada B.', 'Augusta Ada', 'platform', newer, new Date(salesforceAt).toISOString()],
        ['LastName', 'Byron', 'Lovelace-King', 'salesforce', older, new Date(salesforceAt).toISOString()],
      ],
    );
    // Relay switched on again: the waiting prospects sync, and each decision holds.
    const total = (await packageConflicts()).length;
    await env.setSetting('RelayActive', 'true');
    await env.refreshConfig();
    await env.harness.companion.queue.releaseDeferred(env.ws.id, ['RELAY_INACTIVE']);
    await eventStatus(older, 'synced');
    await eventStatus(newer, 'synced');
    assert.equal(contact().FirstName, 'Ada B.');
    assert.equal(contact().LastName, 'Lovelace-King');
    assert.equal((await packageConflicts()).length, total, 'the same conflicts are not logged twice');
  });

  test('a field changed in Salesforce only logs nothing, keeps the person’s value over the platform’s unchanged one, and is announced', async () => {
    const total = (await packageConflicts()).length;
    const lastName = contact().LastName; // the value the platform was last given
    await ava.update('Contact', contactId, { LastName: 'Lovelace-Byron' });
    const again = await prospect(Date.parse(contact().LastModifiedDate) + MINUTE, { lastName });
    await eventStatus(again, 'synced');
    assert.equal(contact().LastName, 'Lovelace-Byron');
    const before = env.receiver.received.length;
    await cycle();
    await waitFor(async () => env.receiver.received.length > before, 10_000, 'the announcement');
    assert.deepEqual(env.receiver.received.at(-1)!.json.data.changedFields, ['LastName']);
    assert.equal((await packageConflicts()).length, total);
  });

  test('the platform API lists the workspace’s conflicts since a time, in pages; another workspace sees none', async () => {
    const all = await env.signed('GET', '/v1/conflicts');
    assert.equal(all.status, 200, JSON.stringify(all.json));
    assert.equal(all.json.conflicts.length, 5);
    assert.equal(all.json.nextAfter, null);
    const ids = all.json.conflicts.map((c: any) => Number(c.id));
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b),
      'oldest first',
    );
    const first = await env.signed('GET', '/v1/conflicts?limit=2');
    assert.equal(first.json.conflicts.length, 2);
    const rest = await env.signed('GET', `/v1/conflicts?after=${first.json.nextAfter}`);
    assert.deepEqual(
      [...first.json.conflicts, ...rest.json.conflicts].map((c: any) => c.id),
      all.json.conflicts.map((c: any) => c.id),
    );
    const later = await env.signed(
      'GET',
      `/v1/conflicts?since=${encodeURIComponent(new Date(Date.now() + HOUR).toISOString())}`,
    );
    assert.deepEqual(later.json.conflicts, []);
    const bad = await env.signed('GET', '/v1/conflicts?since=yesterday');
    assert.equal(bad.status, 400);
    assert.match(bad.json.error.message, /^since:/);
    const theirs = await env.signed('GET', '/v1/conflicts', undefined, globex);
    assert.deepEqual(theirs.json, { conflicts: [], nextAfter: null });
    const unsigned = await env.harness.companion.app.inject({ method: 'GET', url: '/v1/conflicts' });
    assert.equal(unsigned.statusCode, 401);
  });

  test('the package API lists the org’s conflicts newest first; another org’s key sees none', async () => {
    const mine = await packageConflicts();
    assert.equal(mine.length, 5);
    assert.ok(mine.every((e) => e.workspace === env.ws.id));
    assert.deepEqual(
      mine.map((e) => Number(e.id)),
      mine.map((e) => Number(e.id)).sort((a, b) => b - a),
    );
    assert.equal((await packageConflicts(env.ws, '?limit=2')).length, 2);
    assert.deepEqual(await packageConflicts(globex), []);
    const named = await env.harness.companion.app.inject({
      method: 'GET',
      url: `/v1/package/conflicts?workspace=${globex.id}`,
      headers: { authorization: `Bearer ${env.ws.orgKey}` },
    });
    assert.equal(named.statusCode, 404, 'a workspace of another org is not found');
  });
});
