// API limits, Sforce-Limit-Info, the control plane (usage, faults, limits, reset) and the wire
// answers every resource shares (versions, 401, 404, 405, 410, 415).
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import jsforce from 'jsforce';
import { startOrg, q, V, type TestOrg } from './helpers.js';

let org: TestOrg;
before(async () => {
  org = await startOrg();
});
after(() => org.close());
beforeEach(async () => {
  await org.control('/faults', undefined, 'DELETE');
  await org.control('/usage/reset', {});
});

describe('versions and common answers', () => {
  it('lists 31.0 to 66.0 at /services/data without a session or limit header', async () => {
    const res = await fetch(`${org.url}/services/data/`);
    const list = (await res.json()) as { version: string; url: string; label: string }[];
    assert.equal(list[0]!.version, '31.0');
    assert.equal(list.at(-1)!.version, '66.0');
    assert.deepEqual(
      list.find((v) => v.version === '62.0'),
      { label: "Winter '25", url: '/services/data/v62.0', version: '62.0' },
    );
    assert.equal(res.headers.get('sforce-limit-info'), null);
  });

  it('answers 410 for a retired version, 404 for unknown resources, 405 for a wrong method, 415 for a wrong type', async () => {
    assert.equal((await org.api('/services/data/v30.0/limits')).status, 410);
    assert.equal((await org.api('/services/data/v67.0/limits')).status, 404);
    const nf = await org.api('/nothing-here');
    assert.deepEqual(nf.body, [{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
    const put = await org.api('/sobjects/Account', { method: 'PUT', body: {} });
    assert.equal(put.status, 405);
    assert.equal(put.body[0].errorCode, 'METHOD_NOT_ALLOWED');
    assert.equal(put.headers.get('allow'), 'GET, POST');
    const text = await org.api('/sobjects/Account', {
      method: 'POST',
      body: 'Name=x',
      headers: { 'Content-Type': 'text/plain' },
    });
    assert.equal(text.status, 415);
    const badJson = await org.api('/sobjects/Account', { method: 'POST', body: '{"Name":' });
    assert.equal(badJson.status, 400);
    assert.equal(badJson.body[0].errorCode, 'JSON_PARSER_ERROR');
  });

  it('answers 401 without a valid session', async () => {
    const res = await fetch(`${org.url}/services/data/v${V}/limits`);
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
  });
});

describe('limits', () => {
  it('counts every call once and reports it in Sforce-Limit-Info and /limits', async () => {
    await org.api('/limits');
    await org.api('/composite/sobjects', {
      method: 'POST',
      body: { records: [{ attributes: { type: 'Account' }, Name: 'L1' }] },
    });
    const res = await org.api('/limits');
    assert.equal(res.headers.get('sforce-limit-info'), 'api-usage=3/100000');
    assert.deepEqual(
      { Max: res.body.DailyApiRequests.Max, Remaining: res.body.DailyApiRequests.Remaining },
      { Max: 100000, Remaining: 99997 },
    );
    for (const key of [
      'DailyBulkApiBatches',
      'DailyBulkV2QueryJobs',
      'DataStorageMB',
      'FileStorageMB',
      'DailyAsyncApexExecutions',
    ])
      assert.ok(key in res.body, key);
    const usage = (await org.control('/usage')) as { apiRequests: number; byEndpoint: Record<string, number> };
    assert.equal(usage.apiRequests, 3);
    assert.deepEqual(usage.byEndpoint, { 'GET /limits': 2, 'POST /composite/sobjects': 1 });
    // jsforce parses the header into conn.limitInfo.
    await org.conn.query('SELECT Id FROM Account LIMIT 1');
    assert.deepEqual(org.conn.limitInfo, { apiUsage: { used: 4, limit: 100000 } });
  });

  it('refuses calls with 403 REQUEST_LIMIT_EXCEEDED once the daily limit is spent', async () => {
    await org.control('/limits', { DailyApiRequests: 2 });
    assert.equal((await org.api('/limits')).status, 200);
    assert.equal((await org.api('/limits')).status, 200);
    const refused = await org.api('/limits');
    assert.equal(refused.status, 403);
    assert.deepEqual(refused.body, [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
    await org.control('/limits', { DailyApiRequests: 100000 });
  });
});

describe('faults', () => {
  it('injects a status and error code for the next `count` matching requests', async () => {
    await org.control('/faults', {
      method: 'POST',
      path: '/composite/sobjects',
      status: 503,
      errorCode: 'SERVER_UNAVAILABLE',
      count: 2,
      latencyMs: 0,
    });
    const body = { records: [{ attributes: { type: 'Account' }, Name: 'F' }] };
    for (let i = 0; i < 2; i++) {
      const res = await org.api('/composite/sobjects', { method: 'POST', body });
      assert.equal(res.status, 503);
      assert.equal(res.body[0].errorCode, 'SERVER_UNAVAILABLE');
    }
    assert.equal((await org.api('/composite/sobjects', { method: 'POST', body })).status, 200);
  });

  it('fails writes with UNABLE_TO_LOCK_ROW per record in Collections', async () => {
    await org.control('/faults', { errorCode: 'UNABLE_TO_LOCK_ROW', path: '/composite/sobjects' });
    const res = await org.api('/composite/sobjects', {
      method: 'POST',
      body: { records: [{ attributes: { type: 'Account' }, Name: 'Locked' }] },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body[0].success, false);
    assert.equal(res.body[0].errors[0].statusCode, 'UNABLE_TO_LOCK_ROW');
    assert.match(res.body[0].errors[0].message, /^unable to obtain exclusive access to this record or 1 records: /);
  });

  it('fails the writes inside a Composite call with UNABLE_TO_LOCK_ROW', async () => {
    await org.control('/faults', { errorCode: 'UNABLE_TO_LOCK_ROW', path: '/composite' });
    const res = await org.api('/composite', {
      method: 'POST',
      body: {
        allOrNone: true,
        compositeRequest: [
          { method: 'POST', url: `/services/data/v${V}/sobjects/Account`, referenceId: 'a', body: { Name: 'Locked' } },
        ],
      },
    });
    assert.equal(res.body.compositeResponse[0].httpStatusCode, 400);
    assert.equal(res.body.compositeResponse[0].body[0].errorCode, 'UNABLE_TO_LOCK_ROW');
  });

  it('answers REQUEST_LIMIT_EXCEEDED with 403 and Salesforce’s body', async () => {
    await org.control('/faults', { errorCode: 'REQUEST_LIMIT_EXCEEDED', path: '/query' });
    const res = await org.api(q('SELECT Id FROM Account'));
    assert.equal(res.status, 403);
    assert.deepEqual(res.body, [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
  });

  it('expires sessions: raw calls get 401, jsforce logs in again and retries', async () => {
    const conn = new jsforce.Connection({
      oauth2: { loginUrl: org.url, clientId: 'relay-dev', clientSecret: 'relay-dev-secret' },
      version: V,
    });
    await conn.login('admin@relay.test', 'relay-dev-password');
    const oldToken = conn.accessToken;
    await org.control('/faults', { expireSessions: true });
    const raw = await fetch(`${org.url}/services/data/v${V}/limits`, {
      headers: { Authorization: `Bearer ${oldToken}` },
    });
    assert.equal(raw.status, 401);
    // jsforce answers a 401 by logging in again (its session refresh) and retrying once.
    const rows = await conn.query('SELECT Id FROM Account LIMIT 1');
    assert.equal(rows.totalSize, 1);
    assert.notEqual(conn.accessToken, oldToken);
    org.token = (
      await (
        await fetch(`${org.url}/services/oauth2/token`, {
          method: 'POST',
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: 'relay-dev',
            client_secret: 'relay-dev-secret',
          }),
        })
      ).json()
    ).access_token;
    org.conn = new jsforce.Connection({ instanceUrl: org.url, accessToken: org.token, version: V });
  });

  it('faults the token endpoint only when a fault names its path', async () => {
    await org.control('/faults', { path: '/services/oauth2/token', status: 503, errorCode: 'SERVER_UNAVAILABLE' });
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'relay-dev',
      client_secret: 'relay-dev-secret',
    });
    const failed = await fetch(`${org.url}/services/oauth2/token`, { method: 'POST', body });
    assert.equal(failed.status, 503);
    assert.equal(((await failed.json()) as { error: string }).error, 'server_unavailable');
    assert.equal((await fetch(`${org.url}/services/oauth2/token`, { method: 'POST', body })).status, 200);
  });

  it('delays responses by latencyMs', async () => {
    await org.control('/faults', { path: '/limits', latencyMs: 150 });
    const t0 = Date.now();
    assert.equal((await org.api('/limits')).status, 200);
    assert.ok(Date.now() - t0 >= 140);
  });
});

describe('reset', () => {
  it('reseeds the org and keeps ids deterministic', async () => {
    const before = await org.conn.query<{ Id: string }>('SELECT Id FROM Lead ORDER BY Id LIMIT 1');
    await org.conn.sobject('Account').create({ Name: 'Gone after reset' });
    const res = (await org.control('/reset', { seed: 'empty' })) as { seed: string };
    assert.equal(res.seed, 'empty');
    org.conn = new jsforce.Connection({ instanceUrl: org.url, accessToken: org.token, version: V });
    assert.equal((await org.conn.query('SELECT COUNT() FROM Lead')).totalSize, 0);
    // The package is installed in every seed.
    assert.ok((await org.conn.query('SELECT COUNT() FROM relay__SyncSetting__mdt')).totalSize > 0);
    await org.control('/reset', { seed: 'demo' });
    const again = await org.conn.query<{ Id: string }>('SELECT Id FROM Lead ORDER BY Id LIMIT 1');
    assert.equal(again.records[0]!.Id, before.records[0]!.Id);
    assert.equal((await org.conn.query("SELECT COUNT() FROM Account WHERE Name = 'Gone after reset'")).totalSize, 0);
  });
});
