// Defect: POST /v1/contacts/exists cached "does not exist" for every email it asked about, whatever
// the answers were: an email whose lookup query was not answered with a complete query result was
// answered `"exists":false` and remembered so for the cache's lifetime. Now absence is answered and
// cached only for emails a complete answer covered; the rest answers 503 (try again) uncached.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startReverseEnv, type ReverseEnv } from './reverse-helpers/env.js';

let env: ReverseEnv;
before(async () => {
  env = await startReverseEnv();
});
after(async () => {
  await env?.close();
});

test('an email whose Lead query was not answered completely is neither answered absent nor cached', async () => {
  const [lead] = env.soql<{ Id: string; Email: string }>(
    'SELECT Id, Email FROM Lead WHERE IsConverted = false ORDER BY Email DESC LIMIT 1',
  );
  assert.ok(lead);
  // 999 unknown emails that sort before the Lead's: the Lead's email is in the last Lead query
  // chunk. That one subrequest answers 200 with an error body instead of a query result (the
  // emulator's subrequest fault: the lookups go out as one Composite Batch call).
  const emails = [...Array.from({ length: 999 }, (_, i) => `a.filler.${i}@nowhere.example`), lead.Email];
  await env.control('POST', '/__emulator/faults', {
    method: 'GET',
    path: '/query',
    subrequest: true,
    queryContains: `'${lead.Email}'`,
    status: 200,
    errorCode: 'UNKNOWN_EXCEPTION',
    count: 1,
  });

  const first = await env.signed('POST', '/v1/contacts/exists', { emails });
  assert.notEqual(first.json.results?.[lead.Email]?.exists, false, 'not answered absent');
  assert.equal(first.status, 503, JSON.stringify(first.json).slice(0, 300));
  assert.deepEqual(await env.control('GET', '/__emulator/faults'), { faults: [] }, 'the fault was used');
  const cache = env.sync.engine.cache(env.ws.id);
  assert.equal(cache.person(lead.Email.toLowerCase()), undefined, 'nothing cached for the Lead');
  assert.equal(cache.person('a.filler.0@nowhere.example'), null, 'what a complete answer covered is cached');

  const again = await env.signed('POST', '/v1/contacts/exists', { emails: [lead.Email] });
  assert.deepEqual(again.json.results, {
    [lead.Email]: { exists: true, type: 'Lead', id: lead.Id, url: `${env.emu.url}/lightning/r/Lead/${lead.Id}/view` },
  });
});
