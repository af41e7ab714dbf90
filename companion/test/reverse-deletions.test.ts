// Reverse sync announces a deletion only for a record the platform was told about (its creation or
// an update was delivered before). Any other deletion — an imported record skipped as a bulk import,
// a record created and deleted between two polls, one that existed before watching began — is
// dropped, counted in the poll's outcome and recorded with its reason, never sent with empty fields.
// Real companion and emulator over HTTP, a real receiver; time moves with the emulator's clock.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startReverseEnv, waitFor, type ReverseEnv, type RestClient } from './reverse-helpers/env.js';

const MINUTE = 61_000;

describe('reverse sync deletions', () => {
  let env: ReverseEnv;
  let ava: RestClient;

  before(async () => {
    env = await startReverseEnv();
    ava = await env.asUser('ava.reed@relay.test');
    // The demo org was seeded this minute: watching starts after it.
    await env.advance(MINUTE);
    await env.setSetting('CreatePlatformContacts', 'true');
    await env.refreshConfig();
    const first = await env.reverse.poll(env.ws.id);
    assert.equal(first.status, 'polled', 'watching starts');
  });
  after(async () => {
    await env?.close();
  });

  async function cycle() {
    await env.advance(MINUTE);
    const { poll } = await env.reverse.pollAndDeliver(env.ws.id);
    assert.equal(poll.status, 'polled', JSON.stringify(poll));
    if (poll.status !== 'polled') throw new Error('not polled');
    await env.reverse.sweep();
    return poll;
  }

  async function skipReason(recordId: string): Promise<string | null | undefined> {
    const { rows } = await env.harness.db.query<{ skipped: string | null }>(
      'SELECT skipped FROM reverse_records WHERE workspace_id = $1 AND left(record_id, 15) = left($2, 15)',
      [env.ws.id, recordId],
    );
    return rows[0]?.skipped;
  }

  const deletions = () => env.receiver.received.filter((r) => r.json?.type === 'relay.salesforce.contact.deleted');

  test('a bulk-imported Contact deleted before the platform heard of it is not announced, and counted', async () => {
    const people = Array.from({ length: 60 }, (_, i) => ({
      attributes: { type: 'Contact' },
      LastName: `Imported${i}`,
      Email: `imported.${i}@bulk-delete.example`,
    }));
    const imported = await ava.request('POST', '/composite/sobjects', { allOrNone: true, records: people });
    assert.equal(imported.status, 200);
    const ids = (imported.json as { id: string }[]).map((r) => r.id);
    // Deleted in the same minute as its import: the poll sees only the deletion.
    await ava.remove('Contact', ids[0]!);
    const poll = await cycle();
    assert.equal(poll.skipped.bulk, 59, JSON.stringify(poll));
    assert.equal(poll.skipped.unannounced, 1, JSON.stringify(poll));
    assert.equal(poll.queued, 0);
    // Deleted later, after the import was skipped as such.
    await ava.remove('Contact', ids[1]!);
    const later = await cycle();
    assert.equal(later.queued, 0, JSON.stringify(later));
    assert.deepEqual(deletions(), []);
    assert.equal(await skipReason(ids[0]!), 'unannounced');
  });

  test('a Contact that existed before watching began is not announced as deleted', async () => {
    const seeded = env.soql<{ Id: string }>('SELECT Id FROM Contact ORDER BY Email LIMIT 1')[0]!.Id;
    await ava.remove('Contact', seeded);
    const poll = await cycle();
    assert.equal(poll.skipped.unannounced, 1, JSON.stringify(poll));
    assert.equal(poll.queued, 0);
    assert.deepEqual(deletions(), []);
    assert.equal(await skipReason(seeded), 'unannounced');
  });

  test('a Contact the platform was sent is announced as deleted with its last values', async () => {
    // Minutes after the import, so this Contact is not taken for its tail.
    await env.advance(5 * MINUTE);
    const id = await ava.create('Contact', { FirstName: 'Kept', LastName: 'Known', Email: 'known@deleted.example' });
    const created = await cycle();
    assert.equal(created.queued, 1, JSON.stringify(created));
    await ava.remove('Contact', id);
    const poll = await cycle();
    assert.equal(poll.queued, 1, JSON.stringify(poll));
    const got = await waitFor(async () => deletions().find((r) => r.json.data.id === id), 10_000, 'the deletion');
    assert.equal(got.json.data.fields.FirstName, 'Kept');
  });
});
