// People are checked against the org's describe before Relay spends a write on them
// (src/sync/people-validate.ts, describe-rules.ts): a prospect whose values break a rule of the
// org's Lead is quarantined with the field and the rule — no write sent for it, counted by the
// emulator's per-endpoint usage — while the rest of its batch is written. The org's admin changed
// fields through the emulator's control plane, and the emulator enforces those changes on save, so
// each refusal is one Salesforce would have made too. Real intake, worker and engine over HTTP.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeCache } from '../src/sync/describe-cache.js';
import { startSyncEnv, type EventRow, type SyncEnv } from './sync-helpers/env.js';

type Usage = { byEndpoint: Record<string, number>; bySubrequest: Record<string, number> };

let n = 0;
function prospect(fields: Record<string, unknown>) {
  n += 1;
  return {
    specversion: '1.0',
    id: `evt-precheck-${n}`,
    source: 'andsend',
    type: 'relay.prospect.upserted',
    time: '2026-11-20T10:00:00Z',
    data: { prospectId: `pre-${n}`, fields: { lastName: 'Valid', company: 'Checked Co', ...fields } },
  };
}

/** Collections writes (create or update of people), sent alone or inside a Composite call. */
function writes(usage: Usage): number {
  return [...Object.entries(usage.byEndpoint), ...Object.entries(usage.bySubrequest)]
    .filter(([key]) => /^(POST|PATCH) \/composite\/sobjects$/.test(key))
    .reduce((sum, [, calls]) => sum + calls, 0);
}

/** Describe reads, plain or inside a Composite call. */
function describes(usage: Usage): number {
  return (
    (usage.byEndpoint['GET /sobjects/:type/describe'] ?? 0) + (usage.bySubrequest['GET /sobjects/:type/describe'] ?? 0)
  );
}

describe('people checked against the describe before any write', () => {
  let env: SyncEnv;
  const usage = async () => (await env.usage()) as unknown as Usage;
  const outcome = async (eventId: string): Promise<EventRow> =>
    (await env.events()).find((r) => r.event_id === eventId)!;
  const leads = (email: string) => env.soql<{ Id: string }>(`SELECT Id FROM Lead WHERE Email = '${email}'`);

  before(async () => {
    env = await startSyncEnv();
    // What the org's admin set up: Industry restricted, two custom fields, field-level security.
    const field = (body: Record<string, unknown>) => env.control('POST', '/__emulator/schema/Lead/fields', body);
    await field({ name: 'Industry', restrictedPicklist: true });
    await field({ name: 'Launch_Date__c', type: 'date' });
    await field({ name: 'Tier__c', type: 'string', length: 20, createable: false });
    await field({ name: 'Segment__c', type: 'string', length: 20, updateable: false });
    const mappings: [string, string][] = [
      ['industry', 'Industry'],
      ['launchDate', 'Launch_Date__c'],
      ['employees', 'NumberOfEmployees'],
      ['tier', 'Tier__c'],
      ['segment', 'Segment__c'],
    ];
    env.emu.org.insert(
      'relay__FieldMapping__mdt',
      mappings.map(([platformField, targetField]) => {
        const name = `Lead_${targetField.replace(/__c$/, '')}`;
        return {
          DeveloperName: name,
          MasterLabel: name,
          Label: name,
          Language: 'en_US',
          NamespacePrefix: 'relay',
          QualifiedApiName: `relay__${name}`,
          relay__PlatformField__c: platformField,
          relay__TargetObject__c: 'Lead',
          relay__TargetField__c: targetField,
          relay__Direction__c: 'PlatformToSalesforce',
          relay__Active__c: true,
          relay__IsMatchField__c: false,
        };
      }),
      { metadataApi: true, system: true },
    );
  });
  after(async () => {
    await env?.close();
  });

  test('each rule refuses its person before any write, naming the field and the rule', async () => {
    env.insert('Lead', [{ LastName: 'Known', Company: 'Known Co', Email: 'known@precheck.example' }]);
    const cases = [
      {
        fields: { email: 'long@precheck.example', firstName: 'F'.repeat(52) },
        code: 'STRING_TOO_LONG',
        field: 'FirstName',
      },
      {
        fields: { email: 'nameless@precheck.example', lastName: '' },
        code: 'REQUIRED_FIELD_MISSING',
        field: 'LastName',
      },
      {
        fields: { email: 'rocket@precheck.example', industry: 'Spaceflight' },
        code: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
        field: 'Industry',
      },
      {
        fields: { email: 'date@precheck.example', launchDate: '31/12/2026' },
        code: 'INVALID_DATE',
        field: 'Launch_Date__c',
      },
      {
        fields: { email: 'count@precheck.example', employees: 'lots' },
        code: 'INVALID_NUMBER',
        field: 'NumberOfEmployees',
      },
      { fields: { email: 'phone@precheck.example', phone: 'call me' }, code: 'INVALID_PHONE', field: 'Phone' },
      {
        fields: { email: 'tier@precheck.example', tier: 'Gold' },
        code: 'INVALID_FIELD_FOR_INSERT_UPDATE',
        field: 'Tier__c',
      },
      {
        fields: { email: 'known@precheck.example', segment: 'SMB' },
        code: 'INVALID_FIELD_FOR_INSERT_UPDATE',
        field: 'Segment__c',
      },
    ];
    const events = cases.map((c) => prospect(c.fields));
    const before = await usage();
    await env.post(events);
    await env.settle();
    const spent = await usage();
    assert.equal(writes(spent), writes(before), `no write sent: ${JSON.stringify(spent)}`);
    for (const [i, c] of cases.entries()) {
      const row = await outcome(events[i]!.id);
      assert.equal(row.status, 'failed', JSON.stringify(row));
      assert.deepEqual([row.error_code, row.error_field], [c.code, c.field], JSON.stringify(row));
      // The field first, what is wrong, then what to do (after the semicolon).
      assert.match(row.error_message ?? '', new RegExp(`^${c.field}: [^;]+; \\S`), row.error_message ?? '');
    }
    assert.equal(
      (await outcome(events[2]!.id)).error_message,
      "Industry: 'Spaceflight' is not one of the values this org allows (restricted picklist); map a value for Industry",
    );
    assert.equal(
      (await outcome(events[0]!.id)).error_message,
      'FirstName: 52 characters, the field holds 40; shorten FirstName or map another field',
    );
    assert.equal((await outcome(events[0]!.id)).error_category, 'validation');
    for (const c of cases.slice(0, 7)) assert.equal(leads(c.fields.email).length, 0, c.fields.email);
    const known = env.soql<{ Segment__c: string | null }>(
      "SELECT Segment__c FROM Lead WHERE Email = 'known@precheck.example'",
    );
    assert.deepEqual(
      known.map((k) => k.Segment__c),
      [null],
      'the known Lead is not updated',
    );
  });

  test('the emulator refuses the same values on save (what Relay spared the call for)', () => {
    const refused = (record: Record<string, unknown>) =>
      env.emu.org.insert('Lead', [{ LastName: 'X', Company: 'Y', ...record }])[0]!.errors[0]?.statusCode;
    assert.equal(refused({ FirstName: 'F'.repeat(52) }), 'STRING_TOO_LONG');
    assert.equal(refused({ LastName: '' }), 'REQUIRED_FIELD_MISSING');
    assert.equal(refused({ Industry: 'Spaceflight' }), 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    // Salesforce's JSON reader refuses these for the whole request; a record alone shows its code.
    assert.equal(refused({ Launch_Date__c: '31/12/2026' }), 'JSON_PARSER_ERROR');
    assert.equal(refused({ NumberOfEmployees: 'lots' }), 'JSON_PARSER_ERROR');
    assert.equal(refused({ Tier__c: 'Gold' }), 'INVALID_FIELD_FOR_INSERT_UPDATE');
    const [id] = env.insert('Lead', [{ LastName: 'Seg', Company: 'Seg Co' }]);
    assert.equal(
      env.emu.org.update('Lead', [{ Id: id, Segment__c: 'SMB' }])[0]!.errors[0]?.statusCode,
      'INVALID_FIELD_FOR_INSERT_UPDATE',
    );
  });

  test('a valid person in the same batch is still written', async () => {
    const bad = prospect({ email: 'moon@precheck.example', industry: 'Spaceflight' });
    const good = prospect({
      email: 'fine@precheck.example',
      industry: 'Technology',
      launchDate: '2026-12-31',
      employees: 40,
    });
    const before = await usage();
    await env.post([bad, good]);
    await env.settle();
    assert.equal((await outcome(bad.id)).status, 'failed');
    const written = await outcome(good.id);
    assert.equal(written.status, 'synced', JSON.stringify(written));
    const [lead] = env.soql<{ Id: string; Industry: string; Launch_Date__c: string; NumberOfEmployees: number }>(
      "SELECT Id, Industry, Launch_Date__c, NumberOfEmployees FROM Lead WHERE Email = 'fine@precheck.example'",
    );
    assert.deepEqual(
      [lead?.Id, lead?.Industry, lead?.Launch_Date__c, lead?.NumberOfEmployees],
      [written.result?.recordId, 'Technology', '2026-12-31', 40],
    );
    assert.equal(leads('moon@precheck.example').length, 0);
    assert.equal(writes(await usage()) - writes(before), 1, 'one create, for the valid person');
  });

  test('Sync health lists the refusal with its fix', async () => {
    const res = await env.packageApi('GET', '/v1/package/errors?category=validation');
    assert.equal(res.status, 200);
    const item = (res.json.items as { subject: string; errorCode: string; fix: Record<string, string> | null }[]).find(
      (i) => i.subject === 'rocket@precheck.example',
    );
    assert.equal(item?.errorCode, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    assert.deepEqual(item?.fix, {
      code: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      text: "Map a value for Industry: add a value mapping from the platform's value to one this org allows",
      place: 'mappings',
      placeLabel: 'Relay Setup → Field mappings',
    });
  });

  test('Contacts with their Accounts: a new Account is checked too, both describes read in one call', async () => {
    await env.control('POST', '/__emulator/schema/Account/fields', { name: 'Rating', restrictedPicklist: true });
    env.emu.org.insert(
      'relay__FieldMapping__mdt',
      [
        {
          DeveloperName: 'Account_Rating',
          MasterLabel: 'Account_Rating',
          Label: 'Account_Rating',
          Language: 'en_US',
          NamespacePrefix: 'relay',
          QualifiedApiName: 'relay__Account_Rating',
          relay__PlatformField__c: 'rating',
          relay__TargetObject__c: 'Account',
          relay__TargetField__c: 'Rating',
          relay__Direction__c: 'PlatformToSalesforce',
          relay__Active__c: true,
          relay__IsMatchField__c: false,
        },
      ],
      { metadataApi: true, system: true },
    );
    await env.setSetting('RecordMode', 'ContactAccount');
    try {
      const before = await usage();
      const stellar = prospect({ email: 'ceo@stellar.example', company: 'Stellar Inc', rating: 'Stellar' });
      const warm = prospect({ email: 'cfo@warm.example', company: 'Warm Inc', rating: 'Warm' });
      await env.post([stellar, warm]);
      await env.settle();
      const refused = await outcome(stellar.id);
      assert.deepEqual(
        [refused.status, refused.error_code, refused.error_field],
        ['failed', 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', 'Rating'],
      );
      assert.equal(
        refused.error_message,
        "Account Rating: 'Stellar' is not one of the values this org allows (restricted picklist); map a value for Rating",
      );
      assert.equal(env.soql("SELECT Id FROM Account WHERE Name = 'Stellar Inc'").length, 0, 'no Account created');
      assert.equal((await outcome(warm.id)).status, 'synced');
      const spent = await usage();
      assert.equal(
        spent.bySubrequest['GET /sobjects/:type/describe']! -
          (before.bySubrequest['GET /sobjects/:type/describe'] ?? 0),
        2,
      );
    } finally {
      await env.setSetting('RecordMode', 'Lead');
    }
  });

  test('the describe is read once per org, and again only after a write comes back with a field error', async () => {
    const before = await usage();
    await env.post([prospect({ email: 'warm@precheck.example' })]);
    await env.settle();
    assert.equal(describes(await usage()), describes(before), 'a warm copy costs no call');
    // The admin shortens Title after Relay read the describe: Salesforce refuses the next long one.
    await env.control('POST', '/__emulator/schema/Lead/fields', { name: 'Title', length: 10 });
    const late = prospect({ email: 'late@precheck.example', title: 'Chief Engineering Officer' });
    await env.post([late]);
    await env.settle();
    const refusedBySalesforce = await outcome(late.id);
    assert.deepEqual([refusedBySalesforce.status, refusedBySalesforce.error_code], ['failed', 'STRING_TOO_LONG']);
    assert.equal(describes(await usage()), describes(before), 'no describe read before the field error');
    const afterError = await usage();
    const next = prospect({ email: 'next@precheck.example', title: 'Chief Engineering Officer' });
    await env.post([next]);
    await env.settle();
    const spent = await usage();
    assert.equal(describes(spent) - describes(afterError), 1, 'read again, once');
    assert.equal(writes(spent), writes(afterError), 'refused before the write with the new length');
    const row = await outcome(next.id);
    assert.equal(row.error_message, 'Title: 25 characters, the field holds 10; shorten Title or map another field');

    // Marked stale with nothing changed since: one read (If-Modified-Since), and the checks still
    // hold the org's current lengths.
    const client = env.sync.engine.knownClient(env.ws.id)!;
    env.sync.engine.describes.markStale(await DescribeCache.orgOf(client), 'Lead');
    const again = prospect({ email: 'again@precheck.example', title: 'Chief Engineering Officer' });
    await env.post([again]);
    await env.settle();
    const last = await usage();
    assert.equal(describes(last) - describes(spent), 1, 'asked once more');
    assert.equal(writes(last), writes(spent), 'still refused before the write');
    assert.equal((await outcome(again.id)).error_code, 'STRING_TOO_LONG');
  });

  test('a describe that cannot be read keeps the copy Relay has, and is not asked for again in every batch', async () => {
    const client = env.sync.engine.knownClient(env.ws.id)!;
    env.sync.engine.describes.markStale(await DescribeCache.orgOf(client), 'Lead');
    await env.fault({ method: 'GET', path: '/sobjects/Lead/describe', status: 500, count: 1 });
    const before = await usage();
    const refused = prospect({ email: 'down@precheck.example', title: 'Chief Engineering Officer' });
    await env.post([refused]);
    await env.settle();
    assert.equal((await outcome(refused.id)).error_code, 'STRING_TOO_LONG', 'checked with the copy it had');
    const failedRead = await usage();
    assert.equal(describes(failedRead) - describes(before), 1, 'asked once, refused');
    assert.equal(writes(failedRead), writes(before), 'refused before the write');
    const fine = prospect({ email: 'fine-again@precheck.example', title: 'CTO' });
    await env.post([fine]);
    await env.settle();
    assert.equal((await outcome(fine.id)).status, 'synced');
    assert.equal(describes(await usage()), describes(failedRead), 'not asked again in the next batch');
  });
});
