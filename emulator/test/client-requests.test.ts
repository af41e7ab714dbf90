// Requests that Salesforce clients nobody on the project wrote actually send: the Salesforce CLI's
// doubled slash after an instance URL ending in `/`, its `columns=true` query, jsforce's
// `explain`, layouts, list views, recent items, tabs and theme. Each expected body names its source.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startOrg, q, V, type TestOrg } from './helpers.js';

let org: TestOrg;
before(async () => {
  org = await startOrg();
});
after(() => org.close());

async function raw(path: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${org.url}${path}`, { headers: { Authorization: `Bearer ${org.token}` } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

describe('paths as clients write them', () => {
  it('reads a run of slashes as one slash, as the CLI needs after storing `http://host:port/`', async () => {
    // `sf org login access-token --instance-url http://127.0.0.1:<port>` stores the URL with a
    // trailing `/`; every later request is `//services/data/vNN.N/…` and works against Salesforce.
    const doubled = await raw(`//services/data/v${V}//query?q=${encodeURIComponent('SELECT Id FROM Account LIMIT 1')}`);
    assert.equal(doubled.status, 200);
    assert.equal(doubled.body.records.length, 1);
    const versions = await raw('//services/data');
    assert.equal(versions.status, 200);
    assert.ok(Array.isArray(versions.body));
  });

  it('keeps slashes inside the query string, where they are data', async () => {
    const soql = "SELECT Id FROM Account WHERE Website = 'http://a//b' LIMIT 1";
    const res = await raw(`//services/data/v${V}/query?q=${encodeURIComponent(soql).replace(/%2F/g, '/')}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.totalSize, 0);
  });
});

describe('query?columns=true', () => {
  // Shapes: the columnMetadata that the CLI's own tests record (salesforcecli/plugin-data,
  // test/test-files/queryFields.exemplars.ts: simpleQuery, subquery, aggregateQuery,
  // queryWithJoin), plus entityName, groupBy, idSelected and keyPrefix around it.
  const leaf = (name: string, apexType: string, props: Record<string, boolean> = {}) => ({
    aggregate: false,
    apexType,
    booleanType: false,
    columnName: name,
    custom: false,
    displayName: name,
    foreignKeyName: null,
    insertable: false,
    joinColumns: [],
    numberType: false,
    textType: apexType === 'String',
    updatable: false,
    ...props,
  });

  it('answers column metadata, not rows, for fields, a parent path and a child subquery', async () => {
    const soql = 'SELECT Id, Name, Owner.Name, (SELECT LastName FROM Contacts) FROM Account';
    const res = await org.api(`${q(soql)}&columns=true`);
    assert.equal(res.status, 200);
    assert.equal(res.body.records, undefined);
    assert.deepEqual(res.body, {
      columnMetadata: [
        leaf('Id', 'Id'),
        leaf('Name', 'String', { insertable: true, updatable: true }),
        {
          ...leaf('Owner', ''),
          apexType: null,
          textType: false,
          foreignKeyName: 'OwnerId',
          joinColumns: [leaf('Name', 'String')],
        },
        {
          ...leaf('Contacts', ''),
          aggregate: true,
          apexType: null,
          textType: false,
          joinColumns: [leaf('LastName', 'String', { insertable: true, updatable: true })],
        },
      ],
      entityName: 'Account',
      groupBy: false,
      idSelected: true,
      keyPrefix: '001',
    });
  });

  it('names aggregates exprN with the function as display name, as the recorded aggregateQuery does', async () => {
    const soql = 'SELECT CampaignId, COUNT(Id) FROM CampaignMember GROUP BY CampaignId';
    const res = await org.api(`${q(soql)}&columns=true`);
    assert.equal(res.status, 200);
    assert.equal(res.body.groupBy, true);
    assert.equal(res.body.idSelected, false);
    assert.deepEqual(res.body.columnMetadata[0], leaf('CampaignId', 'Id', { insertable: true }));
    assert.deepEqual(res.body.columnMetadata[1], {
      ...leaf('expr0', ''),
      aggregate: true,
      apexType: null,
      textType: false,
      displayName: 'count(Id)',
      numberType: true,
    });
  });

  it('refuses a bad statement with the error the query itself would give', async () => {
    const rows = await org.api(q('SELECT Nope FROM Account'));
    const cols = await org.api(`${q('SELECT Nope FROM Account')}&columns=true`);
    assert.equal(cols.status, 400);
    assert.deepEqual(cols.body, rows.body);
  });
});
