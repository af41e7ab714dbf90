// The SOQL engine behind the REST query resource, on the real org store and the demo seed:
// record shapes with the request's API version, parent relationships, custom metadata, a 400-value
// IN list within the URI limit, and error bodies as jsforce receives them. Bodies follow the REST
// API Developer Guide ("Execute a SOQL Query") and the error recordings cited in soql-errors.test.ts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from './bulk-harness.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

const q = (soql: string, version = '62.0') => h.http(`/services/data/v${version}/query?q=${encodeURIComponent(soql)}`);

test('records carry the request version in attributes.url and nest parents', async () => {
  const contact = (
    await h.conn.query<{ Id: string; AccountId: string }>(
      'SELECT Id, AccountId FROM Contact WHERE AccountId != null LIMIT 1',
    )
  ).records[0]!;
  const res = await q(`SELECT Id, Account.Name, Account.Id FROM Contact WHERE Id = '${contact.Id}'`, '58.0');
  assert.equal(res.status, 200);
  const account = (await h.conn.query<{ Name: string }>(`SELECT Name FROM Account WHERE Id = '${contact.AccountId}'`))
    .records[0]!;
  assert.deepEqual(res.json, {
    totalSize: 1,
    done: true,
    records: [
      {
        attributes: { type: 'Contact', url: `/services/data/v58.0/sobjects/Contact/${contact.Id}` },
        Id: contact.Id,
        Account: {
          attributes: { type: 'Account', url: `/services/data/v58.0/sobjects/Account/${contact.AccountId}` },
          Name: account.Name,
          Id: contact.AccountId,
        },
      },
    ],
  });
});

test('the package custom metadata is queryable', async () => {
  const res = await h.conn.query<{ DeveloperName: string; relay__Value__c: string }>(
    "SELECT DeveloperName, relay__Value__c FROM relay__SyncSetting__mdt WHERE DeveloperName IN ('RelayActive', 'RecordMode') ORDER BY DeveloperName",
  );
  assert.deepEqual(
    res.records.map((r) => r.DeveloperName),
    ['RecordMode', 'RelayActive'],
  );
});

test('an IN list of 400 emails fits the URI limit and uses the email index', async () => {
  const leads = (
    await h.conn.query<{ Email: string }>('SELECT Email FROM Lead WHERE Email != null LIMIT 5')
  ).records.map((r) => r.Email);
  const emails = [
    ...leads.map((e) => e.toUpperCase()),
    ...Array.from({ length: 395 }, (_, i) => `nobody${i}@nowhere.example`),
  ];
  const soql = `SELECT Id, Email FROM Lead WHERE Email IN (${emails.map((e) => `'${e}'`).join(',')})`;
  assert.ok(encodeURIComponent(soql).length < 16_384);
  const res = await q(soql);
  assert.equal(res.status, 200);
  assert.deepEqual(
    res.json.records.map((r: { Email: string }) => r.Email.toLowerCase()).sort(),
    leads.map((e) => e.toLowerCase()).sort(),
  );
});

test('errors reach clients as Salesforce sends them', async () => {
  // mautic/mautic#13406: [{"message":"\n…\nERROR at Row:1:Column:N\nNo such column …","errorCode":"INVALID_FIELD"}]
  const res = await q('SELECT Id, Bogus__c FROM Lead');
  assert.equal(res.status, 400);
  assert.deepEqual(res.json, [
    {
      message:
        "\nSELECT Id, Bogus__c FROM Lead\n           ^\nERROR at Row:1:Column:12\nNo such column 'Bogus__c' on entity 'Lead'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
      errorCode: 'INVALID_FIELD',
    },
  ]);
  await assert.rejects(
    async () => h.conn.query('SELECT Id FROM Lead WHERE'),
    (e: Error & { errorCode?: string }) =>
      e.errorCode === 'MALFORMED_QUERY' && e.message.endsWith("unexpected token: '<EOF>'"),
  );
  await assert.rejects(
    async () => h.conn.query('SELECT Id FROM Leads'),
    (e: Error & { errorCode?: string }) => e.errorCode === 'INVALID_TYPE',
  );
});

test('the unique case-sensitive external id compares case-sensitively', async () => {
  // SOQL reference, "Comparison Operators"; relay__ExternalKey__c is unique and case-sensitive in
  // force-app (Activity/fields/ExternalKey__c.field-meta.xml).
  await h.conn.sobject('Task').create({ Subject: 'Case test', relay__ExternalKey__c: 'Ws_9:Visit_1' });
  const exact = await h.conn.query("SELECT Id FROM Task WHERE relay__ExternalKey__c = 'Ws_9:Visit_1'");
  const lower = await h.conn.query("SELECT Id FROM Task WHERE relay__ExternalKey__c = 'ws_9:visit_1'");
  assert.deepEqual([exact.totalSize, lower.totalSize], [1, 0]);
});

test('COUNT() and aggregates through REST', async () => {
  const count = await q('SELECT COUNT() FROM Lead');
  assert.equal(count.status, 200);
  assert.deepEqual(Object.keys(count.json), ['totalSize', 'done', 'records']);
  assert.deepEqual(count.json.records, []);
  assert.ok(count.json.totalSize > 0);
  const agg = await q('SELECT COUNT(Id) FROM Lead');
  assert.deepEqual(agg.json.records, [{ attributes: { type: 'AggregateResult' }, expr0: count.json.totalSize }]);
});
