// The platform API (docs/platform-api.md) over the real companion and the emulated org over HTTP: lookup by
// email and phone, the batched existence check, PATCH with its allow-list, the error answers, the
// signatures every route requires, tenant isolation (a second workspace on another org sees none of
// the first one's records) and the OpenAPI document.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createEmulator, type RunningEmulator } from '../../emulator/src/index.js';
import { startReverseEnv, type ReverseEnv, type RestClient } from './reverse-helpers/env.js';
import { signatureHeader } from '../src/auth/signature.js';
import type { TestWorkspace } from './helpers/harness.js';
import { lightningUrl } from '../src/api/platform/record-url.js';

interface Person {
  Id: string;
  Email: string;
  FirstName: string;
  LastName: string;
  Title: string | null;
  Phone: string | null;
}

describe('platform API', () => {
  let env: ReverseEnv;
  let other: RunningEmulator;
  let globex: TestWorkspace;
  let ava: RestClient;
  let contact: Person;
  let lead: Person;
  let converted: { Id: string; Email: string; ConvertedContactId: string };

  before(async () => {
    env = await startReverseEnv();
    other = await createEmulator({ port: 0, seed: 'empty' });
    globex = await env.harness.addWorkspace('globex');
    await env.connect(globex, other.url);
    ava = await env.asUser();
    contact = env.soql<Person>(
      'SELECT Id, Email, FirstName, LastName, Title, Phone FROM Contact ORDER BY Email LIMIT 1',
    )[0]!;
    lead = env.soql<Person>(
      'SELECT Id, Email, FirstName, LastName, Title, Phone FROM Lead WHERE IsConverted = false ORDER BY Email LIMIT 1',
    )[0]!;
    converted = env.soql<{ Id: string; Email: string; ConvertedContactId: string }>(
      'SELECT Id, Email, ConvertedContactId FROM Lead WHERE IsConverted = true ORDER BY Email LIMIT 1',
    )[0]!;
    await env.refreshConfig();
    await env.refreshConfig(globex);
  });
  after(async () => {
    await env?.close();
    await other?.close();
  });

  /** The Lightning page of a record on the emulated org's host (its instance URL). */
  const lightning = (type: string, id: string) => `${env.emu.url}/lightning/r/${type}/${id}/view`;

  const calls = async (work: () => Promise<unknown>) => {
    await env.resetUsage();
    await work();
    return (await env.usage()).apiRequests;
  };

  describe('authentication', () => {
    test('every route needs Relay-Workspace and a Relay-Signature over the raw body (empty for GET)', async () => {
      const requests = [
        { method: 'GET' as const, url: `/v1/contacts/lookup?email=${encodeURIComponent(contact.Email)}`, raw: '' },
        { method: 'POST' as const, url: '/v1/contacts/exists', raw: JSON.stringify({ emails: [contact.Email] }) },
        {
          method: 'PATCH' as const,
          url: `/v1/contacts/${contact.Id}`,
          raw: JSON.stringify({ fields: { Title: 'X' } }),
        },
      ];
      for (const r of requests) {
        const variants: Record<string, string>[] = [
          {},
          { 'relay-workspace': env.ws.id },
          { 'relay-workspace': env.ws.id, 'relay-signature': signatureHeader('secret-wrong-0123456789abcdef', r.raw) },
          { 'relay-workspace': env.ws.id, 'relay-signature': signatureHeader(env.ws.secret, `${r.raw} `) },
          // Another workspace's id with this workspace's signature: never crosses tenants.
          { 'relay-workspace': globex.id, 'relay-signature': signatureHeader(env.ws.secret, r.raw) },
        ];
        for (const headers of variants) {
          const res = await env.harness.companion.app.inject({
            method: r.method,
            url: r.url,
            headers: { ...headers, ...(r.raw ? { 'content-type': 'application/json' } : {}) },
            ...(r.raw ? { payload: r.raw } : {}),
          });
          assert.equal(res.statusCode, 401, `${r.method} ${r.url} ${JSON.stringify(Object.keys(headers))}`);
          assert.equal(res.json().error.code, 'UNAUTHENTICATED');
        }
      }
      assert.equal(env.soql<Person>(`SELECT Title FROM Contact WHERE Id = '${contact.Id}'`)[0]!.Title, contact.Title);
    });

    test('OpenAPI documents the platform routes as signed, with their answers', async () => {
      const doc = (await env.harness.companion.app.inject({ method: 'GET', url: '/openapi.json' })).json();
      const ops = [
        doc.paths['/v1/contacts/lookup'].get,
        doc.paths['/v1/contacts/exists'].post,
        doc.paths['/v1/contacts/{id}'].patch,
        doc.paths['/v1/contacts/{id}/revert'].post,
        doc.paths['/v1/events/{source}/{id}'].get,
      ];
      for (const op of ops) {
        assert.ok(op && !op['x-undocumented']);
        assert.deepEqual(op.security, [{ relayWorkspace: [], relaySignature: [] }]);
        assert.ok(op.responses['200'] && op.responses['401']);
      }
      assert.ok(ops[2].responses['403'] && ops[2].responses['404'] && ops[2].responses['422']);
      assert.ok(ops[3].responses['403'] && ops[3].responses['409']);
      assert.ok(ops[4].responses['404']);
      assert.deepEqual(
        ops[0].parameters.map((p: { name: string }) => p.name),
        ['email', 'phone'],
      );
    });
  });

  describe('GET /v1/contacts/lookup', () => {
    test('by email, case-insensitively: the Contact with the admin-chosen fields, in one call', async () => {
      let res!: { status: number; json: any };
      const n = await calls(async () => {
        res = await env.signed('GET', `/v1/contacts/lookup?email=${encodeURIComponent(contact.Email.toUpperCase())}`);
      });
      assert.equal(res.status, 200, JSON.stringify(res.json));
      assert.equal(n, 1);
      // The demo's converted Leads share their Contact's email; they are represented by the Contact.
      assert.deepEqual(res.json, {
        matches: [
          {
            id: contact.Id,
            type: 'Contact',
            fields: {
              Email: contact.Email,
              FirstName: contact.FirstName,
              LastName: contact.LastName,
              Phone: contact.Phone,
              Title: contact.Title,
            },
            matchedBy: 'email',
            url: lightning('Contact', contact.Id),
          },
        ],
      });
    });

    test('an open Lead: its readable fields (Company maps platform → Salesforce only, so it is left out)', async () => {
      const res = await env.signed('GET', `/v1/contacts/lookup?email=${encodeURIComponent(lead.Email)}`);
      assert.equal(res.status, 200);
      assert.equal(res.json.matches.length, 1);
      assert.equal(res.json.matches[0].type, 'Lead');
      assert.equal(res.json.matches[0].id, lead.Id);
      assert.equal(res.json.matches[0].url, lightning('Lead', lead.Id));
      assert.deepEqual(Object.keys(res.json.matches[0].fields).sort(), [
        'Email',
        'FirstName',
        'LastName',
        'Phone',
        'Title',
      ]);
    });

    test('by phone in E.164, whatever formatting Salesforce holds', async () => {
      // Seeded as "+1 212 555 1xxx".
      const e164 = `+${contact.Phone!.replace(/\D/g, '')}`;
      const seeded = await env.signed('GET', `/v1/contacts/lookup?phone=${encodeURIComponent(e164)}`);
      assert.equal(seeded.status, 200);
      assert.deepEqual(
        seeded.json.matches.map((m: { id: string; matchedBy: string }) => [m.id, m.matchedBy]),
        [[contact.Id, 'phone']],
      );
      const national = await ava.create('Contact', { LastName: 'National', Phone: '(303) 555-0142' });
      const mobile = await ava.create('Lead', {
        LastName: 'Mobile',
        Company: 'M',
        MobilePhone: '+1.303.555.0142 ext 9',
      });
      await ava.create('Contact', { LastName: 'Elsewhere', Phone: '+44 303 555 0142' });
      for (const asked of ['+13035550142', '+1 (303) 555-0142', '0013035550142']) {
        const res = await env.signed('GET', `/v1/contacts/lookup?phone=${encodeURIComponent(asked)}`);
        assert.equal(res.status, 200, asked);
        assert.deepEqual(
          res.json.matches.map((m: { id: string; type: string }) => [m.id, m.type]),
          [
            [national, 'Contact'],
            [mobile, 'Lead'],
          ],
          asked,
        );
      }
    });

    test('no match is an empty list; a bad question is 400', async () => {
      const none = await env.signed('GET', '/v1/contacts/lookup?email=nobody%40nowhere.example');
      assert.deepEqual(none, { status: 200, json: { matches: [] } });
      for (const q of [
        '',
        '?email=a%40b.example&phone=%2B14155550100',
        '?email=not-an-email',
        '?phone=555-0199',
        '?phone=call+me',
      ]) {
        const res = await env.signed('GET', `/v1/contacts/lookup${q}`);
        assert.equal(res.status, 400, q);
        assert.equal(res.json.error.code, 'BAD_REQUEST');
        assert.equal(typeof res.json.error.message, 'string');
      }
    });
  });

  describe('POST /v1/contacts/exists', () => {
    test('Contact, converted Lead (its Contact), open Lead, unknown — keyed as sent, one call then the cache', async () => {
      const emails = [contact.Email.toUpperCase(), converted.Email, lead.Email, 'ghost@nowhere.example'];
      let res!: { status: number; json: any };
      assert.equal(
        await calls(async () => {
          res = await env.signed('POST', '/v1/contacts/exists', { emails });
        }),
        1,
      );
      assert.equal(res.status, 200);
      assert.deepEqual(res.json.results, {
        [contact.Email.toUpperCase()]: {
          exists: true,
          type: 'Contact',
          id: contact.Id,
          url: lightning('Contact', contact.Id),
        },
        [converted.Email]: {
          exists: true,
          type: 'Contact',
          id: converted.ConvertedContactId,
          url: lightning('Contact', converted.ConvertedContactId),
        },
        [lead.Email]: { exists: true, type: 'Lead', id: lead.Id, url: lightning('Lead', lead.Id) },
        'ghost@nowhere.example': { exists: false },
      });
      assert.equal(
        await calls(() => env.signed('POST', '/v1/contacts/exists', { emails })),
        0,
        'answered from the cache',
      );
    });

    test('1,000 emails cost 2 calls (Email IN (…) chunks, 5 queries per Composite)', async () => {
      const emails = Array.from({ length: 1000 }, (_, i) => `someone.${i}@many-emails.example`);
      const known = env.soql<{ Email: string }>('SELECT Email FROM Contact ORDER BY Email LIMIT 20 OFFSET 5');
      known.forEach((k, i) => (emails[i * 10] = k.Email));
      let res!: { status: number; json: any };
      const n = await calls(async () => {
        res = await env.signed('POST', '/v1/contacts/exists', { emails });
      });
      assert.equal(res.status, 200);
      assert.equal(Object.keys(res.json.results).length, 1000);
      assert.equal(Object.values(res.json.results).filter((r: any) => r.exists).length, 20);
      assert.ok(n <= 2, `${n} calls`);
    });

    test('more than 1,000 is 413; a malformed body or entry is 400 naming it', async () => {
      const many = Array.from({ length: 1001 }, (_, i) => `x${i}@y.example`);
      assert.equal((await env.signed('POST', '/v1/contacts/exists', { emails: many })).status, 413);
      const bad = await env.signed('POST', '/v1/contacts/exists', { emails: ['a@b.example', 'c@d.example', 'nope'] });
      assert.equal(bad.status, 400);
      assert.match(bad.json.error.message, /^emails\[2\]: not an email/);
      assert.equal((await env.signed('POST', '/v1/contacts/exists', { email: 'a@b.example' })).status, 400);
      assert.deepEqual(await env.signed('POST', '/v1/contacts/exists', { emails: [] }), {
        status: 200,
        json: { results: {} },
      });
    });
  });

  describe('PATCH /v1/contacts/<id>', () => {
    test('writes an allow-listed field and answers the previous value, in one call, marked as Relay’s', async () => {
      const since = Date.now() - 60_000;
      let res!: { status: number; json: any };
      const n = await calls(async () => {
        res = await env.signed('PATCH', `/v1/contacts/${contact.Id}`, { fields: { title: 'CTO' } });
      });
      assert.equal(res.status, 200, JSON.stringify(res.json));
      assert.deepEqual(res.json, { id: contact.Id, updated: { Title: 'CTO' }, previous: { Title: contact.Title } });
      assert.equal(n, 1);
      assert.equal(env.soql<Person>(`SELECT Title FROM Contact WHERE Id = '${contact.Id}'`)[0]!.Title, 'CTO');
      const { changes } = await env.control('GET', `/__emulator/changes?since=${since}`);
      const write = changes.find((c: any) => c.changeType === 'UPDATE' && c.recordIds.includes(contact.Id));
      assert.match(write.changeOrigin, /client=relay$/);
      // A 15-character id works too.
      const short = await env.signed('PATCH', `/v1/contacts/${contact.Id.slice(0, 15)}`, { fields: { Title: 'CEO' } });
      assert.deepEqual(short.json, { id: contact.Id, updated: { Title: 'CEO' }, previous: { Title: 'CTO' } });
    });

    test('403 for a field off the allow-list — Email and Phone never — and nothing is written', async () => {
      const before = env.soql<Person>(`SELECT Title, Email, Phone FROM Contact WHERE Id = '${contact.Id}'`)[0]!;
      for (const fields of [
        { Email: 'new@x.example' },
        { Phone: '+15550000000' },
        { Department: 'R&D' },
        { Title: 'Boss', email: 'x@y.example' },
      ]) {
        const res = await env.signed('PATCH', `/v1/contacts/${contact.Id}`, { fields });
        assert.equal(res.status, 403, JSON.stringify(fields));
        assert.equal(res.json.error.code, 'FIELD_NOT_WRITABLE');
      }
      const msg = (
        await env.signed('PATCH', `/v1/contacts/${contact.Id}`, { fields: { Email: 'a@b.example', Department: 'x' } })
      ).json.error.message;
      assert.match(msg, /Email: never writable/);
      assert.match(msg, /Department: not on the allow-list/);
      // Company is writable on Leads (PlatformToSalesforce), not on Contacts (no such mapping).
      assert.equal((await env.signed('PATCH', `/v1/contacts/${contact.Id}`, { fields: { Company: 'X' } })).status, 403);
      const leadWrite = await env.signed('PATCH', `/v1/contacts/${lead.Id}`, { fields: { Company: 'Renamed Co' } });
      assert.equal(leadWrite.status, 200, JSON.stringify(leadWrite.json));
      assert.deepEqual(
        env.soql<Person>(`SELECT Title, Email, Phone FROM Contact WHERE Id = '${contact.Id}'`)[0],
        before,
      );
    });

    test('the allow-list follows the mappings: a field mapped Salesforce → platform only is readable, not writable', async () => {
      await env.setMapping('Contact_Title', { relay__Direction__c: 'SalesforceToPlatform' });
      await env.refreshConfig();
      try {
        const res = await env.signed('PATCH', `/v1/contacts/${contact.Id}`, { fields: { Title: 'Nope' } });
        assert.equal(res.status, 403);
        const found = await env.signed('GET', `/v1/contacts/lookup?email=${encodeURIComponent(contact.Email)}`);
        assert.ok('Title' in found.json.matches[0].fields);
      } finally {
        await env.setMapping('Contact_Title', { relay__Direction__c: 'PreferSalesforceUnlessBlank' });
        await env.refreshConfig();
      }
    });

    test('an expired session is renewed once and the write repeated, as the sync does', async () => {
      const client = env.sync.engine.knownClient(env.ws.id)!;
      const tokenBefore = client.session!.accessToken;
      await env.control('POST', '/__emulator/faults', { expireSessions: true });
      const res = await env.signed('PATCH', `/v1/contacts/${contact.Id}`, { fields: { Title: 'Renewed' } });
      assert.equal(res.status, 200, JSON.stringify(res.json));
      assert.deepEqual(res.json.updated, { Title: 'Renewed' });
      assert.notEqual(client.session!.accessToken, tokenBefore);
      assert.equal(env.soql<Person>(`SELECT Title FROM Contact WHERE Id = '${contact.Id}'`)[0]!.Title, 'Renewed');
      // Refused again after the new login: the credentials are wrong, not the session; nothing written.
      await env.control('POST', '/__emulator/faults', { errorCode: 'INVALID_SESSION_ID', status: 401, count: 2 });
      const refused = await env.signed('PATCH', `/v1/contacts/${contact.Id}`, { fields: { Title: 'Refused' } });
      assert.equal(refused.status, 503, JSON.stringify(refused.json));
      assert.equal(refused.json.error.code, 'SALESFORCE_AUTHENTICATION');
      assert.equal(env.soql<Person>(`SELECT Title FROM Contact WHERE Id = '${contact.Id}'`)[0]!.Title, 'Renewed');
    });

    test('a write answered INVALID_SESSION_ID inside the Composite is repeated once with a new session', async () => {
      const client = env.sync.engine.knownClient(env.ws.id)!;
      const tokenBefore = client.session!.accessToken;
      const send = client.request.bind(client);
      let expired = 0;
      // The Composite envelope is accepted and its write subrequest refused for the session.
      client.request = (async (req: Parameters<typeof send>[0]) => {
        if (req.label !== 'platform.patch' || expired > 0) return send(req);
        expired += 1;
        const refused = [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }];
        return {
          status: 200,
          headers: {},
          body: {
            compositeResponse: [
              { referenceId: 'before', httpStatusCode: 401, body: refused, httpHeaders: {} },
              { referenceId: 'write', httpStatusCode: 401, body: refused, httpHeaders: {} },
            ],
          },
        };
      }) as typeof client.request;
      try {
        const res = await env.signed('PATCH', `/v1/contacts/${contact.Id}`, { fields: { Title: 'Again' } });
        assert.equal(res.status, 200, JSON.stringify(res.json));
        assert.deepEqual(res.json, { id: contact.Id, updated: { Title: 'Again' }, previous: { Title: 'Renewed' } });
        assert.equal(expired, 1);
        assert.notEqual(client.session!.accessToken, tokenBefore);
      } finally {
        client.request = send;
      }
    });

    test('404 for an unknown id, another object’s id or no id at all', async () => {
      for (const id of ['003000000000000AAA', '001000000000001AAA', 'not-an-id', '00Q000000000099']) {
        const res = await env.signed('PATCH', `/v1/contacts/${id}`, { fields: { Title: 'X' } });
        assert.equal(res.status, 404, id);
        assert.equal(res.json.error.code, 'NOT_FOUND');
      }
      const account = env.soql<{ Id: string }>('SELECT Id FROM Account LIMIT 1')[0]!;
      assert.equal((await env.signed('PATCH', `/v1/contacts/${account.Id}`, { fields: { Title: 'X' } })).status, 404);
    });

    test('422 with the field named when Salesforce rejects a value; 409 for a converted Lead', async () => {
      const long = await env.signed('PATCH', `/v1/contacts/${contact.Id}`, { fields: { Title: 'x'.repeat(200) } });
      assert.equal(long.status, 422);
      assert.equal(long.json.error.code, 'STRING_TOO_LONG');
      assert.equal(long.json.field, 'Title');
      assert.match(long.json.error.message, /Title/);
      await env.control('PUT', '/__emulator/rules', {
        duplicateRules: [],
        validationRules: [
          {
            name: 'NoChiefs',
            object: 'Contact',
            when: { field: 'Title', op: 'equals', value: 'Chief' },
            message: 'Titles are not Chief here',
            errorField: 'Title',
          },
        ],
      });
      try {
        const rule = await env.signed('PATCH', `/v1/contacts/${contact.Id}`, { fields: { Title: 'Chief' } });
        assert.equal(rule.status, 422);
        assert.equal(rule.json.error.code, 'FIELD_CUSTOM_VALIDATION_EXCEPTION');
        assert.equal(rule.json.field, 'Title');
        assert.match(rule.json.error.message, /Titles are not Chief here/);
      } finally {
        await env.control('PUT', '/__emulator/rules', { duplicateRules: [], validationRules: [] });
      }
      const conv = await env.signed('PATCH', `/v1/contacts/${converted.Id}`, { fields: { Title: 'X' } });
      assert.equal(conv.status, 409);
      assert.equal(conv.json.error.code, 'CANNOT_UPDATE_CONVERTED_LEAD');
      for (const body of [{}, { fields: {} }, { fields: { Title: { nested: true } } }, { fields: ['Title'] }]) {
        assert.equal((await env.signed('PATCH', `/v1/contacts/${contact.Id}`, body)).status, 400, JSON.stringify(body));
      }
    });
  });

  describe('POST /v1/contacts/<id>/revert', () => {
    let person: Person;
    before(() => {
      person = env.soql<Person>(
        'SELECT Id, Email, FirstName, LastName, Title, Phone FROM Contact WHERE Title != null ORDER BY Email LIMIT 1 OFFSET 3',
      )[0]!;
    });
    const titleOf = (id: string) => env.soql<Person>(`SELECT Title FROM Contact WHERE Id = '${id}'`)[0]!.Title;
    const revert = (body: unknown, id = person.Id, ws?: TestWorkspace) =>
      env.signed('POST', `/v1/contacts/${id}/revert`, body, ws);

    test('puts back the value a PATCH replaced, in the org, in two calls; then nothing is left to revert', async () => {
      await env.signed('PATCH', `/v1/contacts/${person.Id}`, { fields: { Title: 'Interim CTO' } });
      assert.equal(titleOf(person.Id), 'Interim CTO');
      let res!: { status: number; json: any };
      const n = await calls(async () => {
        res = await revert({ fields: ['title'] });
      });
      assert.equal(res.status, 200, JSON.stringify(res.json));
      assert.deepEqual(res.json, { id: person.Id, restored: { Title: person.Title }, notRestored: [] });
      assert.equal(n, 2, 'one read, one write');
      assert.equal(titleOf(person.Id), person.Title);
      const again = await revert({ fields: ['Title'] });
      assert.equal(again.status, 409);
      assert.equal(again.json.error.code, 'NO_STORED_VALUE');
      assert.deepEqual(again.json.fields, ['Title']);
      assert.match(again.json.error.message, /^Title: no previous value kept/);
      assert.equal(titleOf(person.Id), person.Title);
    });

    test('a field with no kept value is answered in notRestored, beside the fields restored', async () => {
      await env.signed('PATCH', `/v1/contacts/${person.Id}`, { fields: { Title: 'Acting Head' } });
      const res = await revert({ fields: ['Title', 'FirstName'] });
      assert.equal(res.status, 200, JSON.stringify(res.json));
      assert.deepEqual(res.json.restored, { Title: person.Title });
      assert.deepEqual(
        res.json.notRestored.map((r: { field: string; code: string }) => [r.field, r.code]),
        [['FirstName', 'NO_STORED_VALUE']],
      );
      assert.equal(titleOf(person.Id), person.Title);
    });

    test('Email and Phone are never writable: 403 naming the field, nothing written', async () => {
      await env.signed('PATCH', `/v1/contacts/${person.Id}`, { fields: { Title: 'Keep Me' } });
      for (const fields of [['Email'], ['Phone'], ['Title', 'phone']]) {
        const res = await revert({ fields });
        assert.equal(res.status, 403, JSON.stringify(fields));
        assert.equal(res.json.error.code, 'FIELD_NOT_WRITABLE');
        assert.match(res.json.error.message, /^(Email|Phone|phone): never writable/);
        assert.deepEqual(res.json.fields, fields.slice(-1));
      }
      assert.equal(titleOf(person.Id), 'Keep Me');
    });

    test('a field changed in Salesforce since Relay wrote it: 409 naming it, unless forced', async () => {
      const before = titleOf(person.Id);
      await env.signed('PATCH', `/v1/contacts/${person.Id}`, { fields: { Title: 'Relay Wrote This' } });
      // A sales user signs in afresh (an earlier test expired every session of the org).
      await (await env.asUser()).update('Contact', person.Id, { Title: 'Ava Changed This' });
      const refused = await revert({ fields: ['Title'] });
      assert.equal(refused.status, 409, JSON.stringify(refused.json));
      assert.equal(refused.json.error.code, 'CHANGED_IN_SALESFORCE');
      assert.deepEqual(refused.json.fields, ['Title']);
      assert.deepEqual(refused.json.current, { Title: 'Ava Changed This' });
      assert.match(refused.json.error.message, /^Title: changed in Salesforce since Relay wrote "Relay Wrote This"/);
      assert.equal(titleOf(person.Id), 'Ava Changed This');
      let forced!: { status: number; json: any };
      assert.equal(
        await calls(async () => {
          forced = await revert({ fields: ['Title'], force: true });
        }),
        1,
        'forced: the write alone',
      );
      assert.equal(forced.status, 200, JSON.stringify(forced.json));
      assert.deepEqual(forced.json.restored, { Title: before });
      assert.equal(titleOf(person.Id), before);
    });

    test('400 naming the member for a bad body, 404 for an id that is not a Contact or Lead', async () => {
      const bad: [unknown, RegExp][] = [
        [{}, /^fields: must be an array/],
        [{ fields: [] }, /^fields: name at least one field/],
        [{ fields: ['Title', 7] }, /^fields\[1\]: must be a Salesforce field API name/],
        [{ fields: ['Title'], force: 'yes' }, /^force: must be true or false/],
        [['Title'], /^body: must be/],
      ];
      for (const [body, message] of bad) {
        const res = await revert(body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.match(res.json.error.message, message);
      }
      const account = env.soql<{ Id: string }>('SELECT Id FROM Account LIMIT 1')[0]!;
      for (const id of [account.Id, 'not-an-id']) assert.equal((await revert({ fields: ['Title'] }, id)).status, 404);
    });

    test('another workspace cannot revert this workspace’s write', async () => {
      await env.signed('PATCH', `/v1/contacts/${person.Id}`, { fields: { Title: 'Ours To Undo' } });
      const foreign = await revert({ fields: ['Title'], force: true }, person.Id, globex);
      assert.equal(foreign.status, 409);
      assert.equal(foreign.json.error.code, 'NO_STORED_VALUE');
      assert.ok(!JSON.stringify(foreign.json).includes('Keep Me'), 'the kept value is not shown');
      assert.equal(titleOf(person.Id), 'Ours To Undo');
    });
  });

  describe('record URLs', () => {
    test('a My Domain instance URL is kept as the host of the Lightning page', () => {
      assert.equal(
        lightningUrl('https://acme.my.salesforce.com/', 'Contact', '0035g0000000001AAA'),
        'https://acme.my.salesforce.com/lightning/r/Contact/0035g0000000001AAA/view',
      );
      assert.equal(
        lightningUrl('https://acme--uat.sandbox.my.salesforce.com', 'Lead', '00Q5g0000000002EAA'),
        'https://acme--uat.sandbox.my.salesforce.com/lightning/r/Lead/00Q5g0000000002EAA/view',
      );
    });
  });

  describe('tenant isolation', () => {
    test('a workspace sees and writes only its own org', async () => {
      const look = await env.signed(
        'GET',
        `/v1/contacts/lookup?email=${encodeURIComponent(contact.Email)}`,
        undefined,
        globex,
      );
      assert.deepEqual(look, { status: 200, json: { matches: [] } });
      const exists = await env.signed('POST', '/v1/contacts/exists', { emails: [contact.Email] }, globex);
      assert.deepEqual(exists.json.results, { [contact.Email]: { exists: false } });
      const before = env.soql<Person>(`SELECT Title FROM Contact WHERE Id = '${contact.Id}'`)[0]!.Title;
      const write = await env.signed('PATCH', `/v1/contacts/${contact.Id}`, { fields: { Title: 'Hijacked' } }, globex);
      assert.equal(write.status, 404);
      assert.equal(env.soql<Person>(`SELECT Title FROM Contact WHERE Id = '${contact.Id}'`)[0]!.Title, before);
      // Its own org answers for it.
      const mine = await other.org.insert('Contact', [{ LastName: 'Globex', Email: 'own@globex.example' }], {
        system: true,
      });
      const own = await env.signed('GET', '/v1/contacts/lookup?email=own%40globex.example', undefined, globex);
      assert.deepEqual(
        own.json.matches.map((m: { id: string }) => m.id),
        [mine[0]!.id],
      );
      const fromAcme = await env.signed('GET', '/v1/contacts/lookup?email=own%40globex.example');
      assert.deepEqual(fromAcme.json.matches, []);
    });

    test('a workspace without an org answers 503 NOT_CONNECTED', async () => {
      const lonely = await env.harness.addWorkspace('lonely');
      const res = await env.signed('GET', '/v1/contacts/lookup?email=a%40b.example', undefined, lonely);
      assert.equal(res.status, 503);
      assert.equal(res.json.error.code, 'NOT_CONNECTED');
    });
  });
});
