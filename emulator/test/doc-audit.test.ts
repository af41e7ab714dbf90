// Differences found by auditing the emulator against Salesforce's public documentation (REST API
// Developer Guide, SOQL and SOSL Reference, Bulk API 2.0 guide, Salesforce Help articles): each test
// names the page its expected status and body come from.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startOrg, q, V, type TestOrg } from './helpers.js';

let org: TestOrg;
before(async () => {
  org = await startOrg();
});
after(() => org.close());

describe('REST details from the Developer Guide', () => {
  it('refuses an Id in the body of a create as the guide shows', async () => {
    // REST API Developer Guide, "Create a Record" (dome_sobject_create): a body with "id" gets
    // [{"message":"The Id field should not be specified in the sobject data.","errorCode":"INVALID_FIELD"}].
    const res = await org.api('/sobjects/Account', {
      method: 'POST',
      body: { Id: '0015g0000000001AAA', Name: 'Express Donuts and Pies' },
    });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, [
      { message: 'The Id field should not be specified in the sobject data.', errorCode: 'INVALID_FIELD' },
    ]);
    // A null Id is no Id: "Inserting New Records Using Id as the External ID" (dome_upsert).
    const ok = await org.api('/sobjects/Account/Id', { method: 'POST', body: { Id: null, Name: 'Null Id Inc' } });
    assert.equal(ok.status, 201);
  });

  it('answers 431 when the URI and headers together exceed 16,384 bytes', async () => {
    // REST API Developer Guide, "Status Codes and Error Responses" (errorcodes.htm): 414 when the
    // URI exceeds 16,384 bytes; 431 when the URI and headers combined exceed 16,384 bytes.
    const emails = Array.from({ length: 300 }, (_, i) => `'someone.${i}@example.com'`).join(',');
    const soql = `SELECT Id FROM Lead WHERE Email IN (${emails})`;
    const small = await org.api(q(soql));
    assert.equal(small.status, 200);
    const big = await org.api(q(soql), { headers: { 'X-Padding': 'p'.repeat(7000) } });
    assert.equal(big.status, 431);
    const uri = await org.api(q(`SELECT Id FROM Lead WHERE Email IN ('${'x'.repeat(17000)}')`));
    assert.equal(uri.status, 414);
  });

  it('sends Sforce-Limit-Info on refusals under a version too (401, 404, 410)', async () => {
    // docs/emulator-control-plane.md: "Every REST response carries Sforce-Limit-Info: api-usage=<used>/<max>";
    // REST API Developer Guide: on every REST response but the version list at /services/data/.
    const noSession = await fetch(`${org.url}/services/data/v${V}/limits`);
    assert.equal(noSession.status, 401);
    assert.match(noSession.headers.get('sforce-limit-info') ?? '', /^api-usage=\d+\/100000$/);
    const retired = await org.api('/services/data/v30.0/limits');
    assert.equal(retired.status, 410);
    assert.match(retired.headers.get('sforce-limit-info') ?? '', /^api-usage=\d+\/100000$/);
    const unknown = await org.api('/nope');
    assert.equal(unknown.status, 404);
    assert.match(unknown.headers.get('sforce-limit-info') ?? '', /^api-usage=\d+\/100000$/);
    const list = await fetch(`${org.url}/services/data`);
    assert.equal(list.headers.get('sforce-limit-info'), null);
  });

  it('labels JSON errors application/json;charset=UTF-8 like every other answer', async () => {
    // Salesforce sends `Content-Type: application/json;charset=UTF-8` (recorded headers in restforce
    // spec/fixtures and the REST guide's curl examples); errors from the guard included.
    const noSession = await fetch(`${org.url}/services/data/v${V}/limits`);
    assert.equal(noSession.headers.get('content-type'), 'application/json;charset=UTF-8');
    const token = await fetch(`${org.url}/services/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'relay-dev',
        client_secret: 'relay-dev-secret',
      }),
    });
    assert.equal(token.headers.get('content-type'), 'application/json;charset=UTF-8');
  });
});

describe('Composite limits', () => {
  it('answers a 26th subrequest with the LIMIT_EXCEEDED item recorded from a real org', async () => {
    // Body recorded against a real org in guardian/support-service-lambdas PR #766 (a Composite
    // call with more than 25 subrequests); the REST guide documents the limit of 25.
    const many = Array.from({ length: 26 }, (_, i) => ({
      method: 'GET',
      url: `/services/data/v${V}/limits`,
      referenceId: `r${i}`,
    }));
    const res = await org.api('/composite', { method: 'POST', body: { compositeRequest: many } });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, {
      compositeResponse: [
        {
          body: [{ errorCode: 'LIMIT_EXCEEDED', message: 'The request can\u2019t contain more than 25 operations.' }],
          httpHeaders: {},
          httpStatusCode: 400,
          referenceId: null,
        },
      ],
    });
  });
});

describe('method override and control plane', () => {
  it('lets a POST stand for PATCH with ?_HttpMethod=PATCH', async () => {
    // REST API Developer Guide, "Update a Record" (dome_update_fields): a client that cannot send
    // PATCH sends POST with the query string parameter _HttpMethod; the answer is the update's 204.
    const created = await org.api('/sobjects/Account', { method: 'POST', body: { Name: 'Override Inc' } });
    const res = await org.api(`/sobjects/Account/${created.body.id}?_HttpMethod=PATCH`, {
      method: 'POST',
      body: { BillingCity: 'San Francisco' },
    });
    assert.equal(res.status, 204);
    assert.equal(res.text, '');
    const row = await org.api(`/sobjects/Account/${created.body.id}?fields=BillingCity`);
    assert.equal(row.body.BillingCity, 'San Francisco');
    const usage = (await org.control('/usage')) as { byEndpoint: Record<string, number> };
    assert.ok(usage.byEndpoint['PATCH /sobjects/:type/:id']! >= 1);
  });

  it('keeps a lock fault for the next write: reads neither fail nor use it up', async () => {
    // docs/emulator-control-plane.md: {"errorCode":"UNABLE_TO_LOCK_ROW"} fails the call's writes as a lock does; a
    // read cannot meet a locked row. Per-record body as Salesforce's Collections answers carry it.
    await org.control('/faults', { errorCode: 'UNABLE_TO_LOCK_ROW' });
    const read = await org.api(q('SELECT Id FROM Account LIMIT 1'));
    assert.equal(read.status, 200);
    const write = await org.api('/composite/sobjects', {
      method: 'POST',
      body: { records: [{ attributes: { type: 'Account' }, Name: 'Locked Inc' }] },
    });
    assert.equal(write.status, 200);
    assert.equal(write.body[0].success, false);
    assert.equal(write.body[0].errors[0].statusCode, 'UNABLE_TO_LOCK_ROW');
    assert.match(write.body[0].errors[0].message, /^unable to obtain exclusive access to this record or 1 records: /);
    assert.deepEqual(await org.control('/faults'), { faults: [] });
  });
});

describe('SOQL', () => {
  it('answers parent-to-child subqueries through REST, null when a parent has no children', async () => {
    // SOQL and SOSL Reference, "Relationship Queries" (parent-to-child: SELECT Name, (SELECT LastName
    // FROM Contacts) FROM Account); REST API Developer Guide, "Execute a SOQL Query": the nested
    // relationship is {"totalSize","done","records"}.
    const res = await org.api(q('SELECT Name, (SELECT LastName FROM Contacts) FROM Account ORDER BY Name LIMIT 2'));
    assert.equal(res.status, 200);
    const first = res.body.records[0];
    assert.deepEqual(Object.keys(first), ['attributes', 'Name', 'Contacts']);
    assert.equal(first.Contacts.done, true);
    assert.equal(first.Contacts.totalSize, first.Contacts.records.length);
    assert.ok(first.Contacts.totalSize > 0);
    assert.equal(first.Contacts.records[0].attributes.type, 'Contact');
    assert.equal(typeof first.Contacts.records[0].LastName, 'string');

    const none = await org.api(q('SELECT Name, (SELECT Id FROM Tasks) FROM Account LIMIT 1'));
    assert.equal(none.body.records[0].Tasks, null);

    const rows = await org.conn.query<{ Name: string; CampaignMembers: { totalSize: number } }>(
      'SELECT Name, (SELECT Id FROM CampaignMembers) FROM Campaign',
    );
    assert.equal(rows.records[0]!.CampaignMembers.totalSize, 10);
  });

  it('keeps refusing parent-to-child subqueries in Bulk API 2.0 query jobs', async () => {
    // Bulk API 2.0 Developer Guide, "Bulk API 2.0 Query": parent-to-child relationship queries are
    // not supported.
    const res = await org.api('/jobs/query', {
      method: 'POST',
      body: { operation: 'query', query: 'SELECT Id, (SELECT Id FROM Contacts) FROM Account' },
    });
    assert.equal(res.status, 400);
    assert.equal(res.body[0].errorCode, 'API_ERROR');
  });
});

describe('retired API versions over SOAP', () => {
  const login = (version: string) =>
    fetch(`${org.url}/services/Soap/u/${version}`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml', SOAPAction: 'login' },
      body: `<?xml version="1.0" encoding="utf-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:urn="urn:partner.soap.sforce.com"><soapenv:Body><urn:login><urn:username>admin@relay.test</urn:username><urn:password>relay-dev-password</urn:password></urn:login></soapenv:Body></soapenv:Envelope>`,
    });

  it('answers 500 UNSUPPORTED_API_VERSION for SOAP login and the Metadata API below 31.0', async () => {
    // Salesforce Help, "Salesforce Platform API Versions 21.0 through 30.0 Retirement" (000354473):
    // "REST API returns 410: GONE. SOAP API returns 500: UNSUPPORTED_API_VERSION."
    const retired = await login('30.0');
    assert.equal(retired.status, 500);
    assert.match(await retired.text(), /<faultcode[^>]*>sf:UNSUPPORTED_API_VERSION<\/faultcode>/);
    const ok = await login(V);
    assert.equal(ok.status, 200);

    const md = await fetch(`${org.url}/services/Soap/m/30.0`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml', SOAPAction: '""' },
      body: `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="http://soap.sforce.com/2006/04/metadata"><soapenv:Header><SessionHeader><sessionId>${org.token}</sessionId></SessionHeader></soapenv:Header><soapenv:Body><readMetadata><type>CustomMetadata</type><fullNames>relay__SyncSetting.relay__RelayActive</fullNames></readMetadata></soapenv:Body></soapenv:Envelope>`,
    });
    assert.equal(md.status, 500);
    assert.match(await md.text(), /<faultcode>sf:UNSUPPORTED_API_VERSION<\/faultcode>/);
    // REST on the same retired version: 410.
    const rest = await org.api('/services/data/v30.0/limits');
    assert.equal(rest.status, 410);
  });
});
