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

describe('query?explain=', () => {
  it("answers plans in the guide's shape, cheapest first, with an Index plan for an indexed filter", async () => {
    // REST API Developer Guide, "Get Feedback on Query Performance" (dome_query_explain): plans of
    // cardinality, fields, leadingOperationType, notes, relativeCost, sobjectCardinality,
    // sobjectType, and sourceQuery.
    const soql = "SELECT Id FROM Lead WHERE Email = 'nobody@example.com' AND Title = 'CEO'";
    const res = await org.api(`/query/?explain=${encodeURIComponent(soql)}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.sourceQuery, soql);
    const [first, second] = res.body.plans;
    assert.deepEqual(Object.keys(first), [
      'cardinality',
      'fields',
      'leadingOperationType',
      'notes',
      'relativeCost',
      'sobjectCardinality',
      'sobjectType',
    ]);
    assert.equal(first.leadingOperationType, 'Index');
    assert.deepEqual(first.fields, ['Email']);
    assert.equal(second.leadingOperationType, 'TableScan');
    assert.ok(first.relativeCost < second.relativeCost);
    assert.equal(first.sobjectCardinality, 300);
    assert.deepEqual(first.notes, [
      {
        description: 'Not considering filter for optimization because unindexed',
        fields: ['Title'],
        tableEnumOrId: 'Lead',
      },
    ]);
  });
});

describe('layouts, list views, recent items, tabs and theme', () => {
  it('answers describe/layouts with one layout and no record type mappings', async () => {
    // REST API Developer Guide, "sObject Describe Layouts": layouts[], recordTypeMappings[],
    // recordTypeSelectorRequired[] (DescribeLayoutResult).
    const res = await org.api('/sobjects/Account/describe/layouts');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.recordTypeMappings, []);
    assert.deepEqual(res.body.recordTypeSelectorRequired, [false]);
    const [layout] = res.body.layouts;
    assert.match(layout.id, /^00h/);
    assert.ok(Array.isArray(layout.buttonLayoutSection.detailButtons));
    assert.deepEqual(layout.quickActionList, { quickActionListItems: [] });
    const names = layout.editLayoutSections[0].layoutRows.flatMap((r: any) =>
      r.layoutItems.map((i: any) => i.layoutComponents[0].value),
    );
    assert.ok(names.includes('Name') && names.includes('AccountNumber'));
    const nameItem = layout.editLayoutSections[0].layoutRows[0].layoutItems.find(
      (i: any) => i.label === 'Account Name',
    );
    assert.equal(nameItem.required, true);
  });

  it("answers compact and approval layouts, and User's named layout UserAlt", async () => {
    // "Compact Layouts" (DescribeCompactLayoutsResult) and "Approval Layouts".
    const compact = await org.api('/sobjects/Account/describe/compactLayouts');
    assert.equal(compact.body.compactLayouts[0].objectType, 'Account');
    assert.match(compact.body.defaultCompactLayoutId, /^0AH/);
    assert.deepEqual(compact.body.recordTypeCompactLayoutMappings, []);
    const approval = await org.api('/sobjects/Account/describe/approvalLayouts');
    assert.deepEqual(approval.body, { approvalLayouts: [] });
    const named = await org.api('/sobjects/User/describe/namedLayouts/UserAlt');
    assert.equal(named.body.layouts.length, 1);
  });

  it('names the resource in a 404 for what it does not serve, never an external-id message', async () => {
    const quick = await org.api('/sobjects/Account/quickActions');
    assert.equal(quick.status, 404);
    assert.deepEqual(quick.body, [
      {
        message: 'The requested resource does not exist: /sobjects/Account/quickActions is not served by the emulator',
        errorCode: 'NOT_FOUND',
      },
    ]);
    const search = await org.api('/search?q=FIND+%7Bx%7D');
    assert.match(search.body[0].message, /\/search is not served by the emulator/);
    const describe = await org.api('/sobjects/Account/describe/nope');
    assert.match(describe.body[0].message, /\/sobjects\/Account\/describe\/nope is not served/);
  });

  it('lists the standard list views and answers their describe, results and explain', async () => {
    // REST API Developer Guide, "List Views" (done, listviews[], nextRecordsUrl, size,
    // sobjectType), "List View Describe" and "List View Results".
    const list = await org.api('/sobjects/Account/listviews');
    assert.equal(list.body.sobjectType, 'Account');
    const all = list.body.listviews.find((v: any) => v.developerName === 'AllAccounts');
    assert.equal(all.label, 'All Accounts');
    assert.equal(all.describeUrl, `/services/data/v${V}/sobjects/Account/listviews/${all.id}/describe`);
    assert.deepEqual((await org.api(`/sobjects/Account/listviews/${all.id}`)).body, all);
    const described = await org.api(`/sobjects/Account/listviews/${all.id}/describe`);
    assert.equal(described.body.sobjectType, 'Account');
    assert.match(
      described.body.query,
      /^SELECT Name, .* FROM Account ORDER BY Name ASC NULLS FIRST, Id ASC NULLS FIRST$/,
    );
    const results = await org.api(`/sobjects/Account/listviews/${all.id}/results?limit=5`);
    assert.equal(results.body.size, 60);
    assert.equal(results.body.records.length, 5);
    assert.equal(results.body.records[0].columns[0].fieldNameOrPath, 'Name');
    const plan = await org.api(`/query/?explain=${all.id}`);
    assert.equal(plan.body.plans[0].sobjectType, 'Account');
  });

  it('records FOR VIEW in recent items, and answers tabs and theme', async () => {
    await org.api(q('SELECT Id, Name FROM Account ORDER BY Name LIMIT 2 FOR VIEW'));
    // "Recently Viewed Items": records with attributes, Id and Name.
    const recent = await org.api('/recent?limit=2');
    assert.equal(recent.body.length, 2);
    assert.deepEqual(Object.keys(recent.body[0]), ['attributes', 'Id', 'Name']);
    assert.equal(recent.body[0].attributes.type, 'Account');
    const info = await org.api('/sobjects/Account');
    assert.equal(info.body.recentItems.length, 2);
    // "Tabs" (DescribeTab) and "Themes" (DescribeTheme).
    const tabs = await org.api('/tabs');
    assert.ok(tabs.body.some((t: any) => t.sobjectName === 'Lead' && t.label === 'Leads' && typeof t.url === 'string'));
    const theme = await org.api('/theme');
    assert.ok(theme.body.themeItems.every((t: any) => typeof t.name === 'string' && Array.isArray(t.colors)));
  });
});
