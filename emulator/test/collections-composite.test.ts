// sObject Collections and Composite: per-record results, allOrNone, limits on sizes, references.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startOrg, V, type TestOrg } from './helpers.js';

let org: TestOrg;
before(async () => {
  org = await startOrg();
});
after(() => org.close());

// REST API Developer Guide, "Create Multiple Records with Fewer Round-Trips" (sObject Collections):
// failure items carry statusCode/message/fields; allOrNone reports ALL_OR_NONE_OPERATION_ROLLED_BACK.
const ROLLED_BACK = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

describe('sObject Collections', () => {
  it('creates mixed types in order, one result per record', async () => {
    const res = await org.api('/composite/sobjects', {
      method: 'POST',
      body: {
        allOrNone: false,
        records: [
          { attributes: { type: 'Account' }, Name: 'Coll A' },
          { attributes: { type: 'Contact' }, FirstName: 'No last name' },
          { attributes: { type: 'Lead' }, LastName: 'L', Company: 'C' },
        ],
      },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.length, 3);
    assert.match(res.body[0].id, /^001/);
    assert.deepEqual(res.body[1], {
      success: false,
      errors: [
        {
          statusCode: 'REQUIRED_FIELD_MISSING',
          message: 'Required fields are missing: [LastName]',
          fields: ['LastName'],
        },
      ],
    });
    assert.match(res.body[2].id, /^00Q/);
  });

  it('rolls everything back with allOrNone', async () => {
    const before = (await org.conn.query("SELECT COUNT() FROM Account WHERE Name = 'AON'")).totalSize;
    const res = await org.api('/composite/sobjects', {
      method: 'POST',
      body: {
        allOrNone: true,
        records: [{ attributes: { type: 'Account' }, Name: 'AON' }, { attributes: { type: 'Account' } }],
      },
    });
    assert.deepEqual(res.body[0], { success: false, errors: [ROLLED_BACK] });
    assert.equal(res.body[1].errors[0].statusCode, 'REQUIRED_FIELD_MISSING');
    const afterCount = (await org.conn.query("SELECT COUNT() FROM Account WHERE Name = 'AON'")).totalSize;
    assert.equal(afterCount, before);
  });

  it('fails the whole request for an unknown field or a value of the wrong JSON type', async () => {
    const unknown = await org.api('/composite/sobjects', {
      method: 'POST',
      body: {
        records: [
          { attributes: { type: 'Account' }, Name: 'ok' },
          { attributes: { type: 'Account' }, Nope__c: 1 },
        ],
      },
    });
    assert.equal(unknown.status, 400);
    assert.deepEqual(unknown.body, [
      { message: "No such column 'Nope__c' on sobject of type Account", errorCode: 'INVALID_FIELD' },
    ]);
    const wrongType = await org.api('/composite/sobjects', {
      method: 'POST',
      body: { records: [{ attributes: { type: 'Account' }, Name: 'x', NumberOfEmployees: 'many' }] },
    });
    assert.equal(wrongType.status, 400);
    assert.equal(wrongType.body[0].errorCode, 'JSON_PARSER_ERROR');
  });

  it('answers update and upsert failures as the guide shows them', async () => {
    // REST API Developer Guide, "Update Records Using sObject Collections" / "Upsert …": a wrong-type
    // id fails without an id; with allOrNone the valid record keeps its id and has no `created`.
    const acct = (await org.conn.sobject('Account').create({ Name: 'Upd' })) as { id: string };
    const contact = (await org.conn.sobject('Contact').create({ LastName: 'Upd' })) as { id: string };
    const res = await org.api('/composite/sobjects', {
      method: 'PATCH',
      body: {
        allOrNone: true,
        records: [
          { attributes: { type: 'Contact' }, Id: contact.id, Title: 'x' },
          { attributes: { type: 'Contact' }, Id: acct.id, Title: 'y' },
        ],
      },
    });
    assert.deepEqual(res.body, [
      { id: contact.id, success: false, errors: [ROLLED_BACK] },
      {
        success: false,
        errors: [
          { statusCode: 'MALFORMED_ID', message: `Contact ID: id value of incorrect type: ${acct.id}`, fields: ['Id'] },
        ],
      },
    ]);
    const up = await org.api('/composite/sobjects/Task/relay__ExternalKey__c', {
      method: 'PATCH',
      body: {
        allOrNone: true,
        records: [
          { attributes: { type: 'Task' }, relay__ExternalKey__c: 'aon:1' },
          { attributes: { type: 'Task' }, relay__ExternalKey__c: 'aon:2', Status: 'Nope' },
        ],
      },
    });
    assert.equal(up.body[0].success, false);
    assert.deepEqual(up.body[0].errors, [ROLLED_BACK]);
    assert.equal('created' in up.body[0], false);
    assert.equal('created' in up.body[1], false);
  });

  it('refuses more than 200 records with 400', async () => {
    const records = Array.from({ length: 201 }, (_, i) => ({ attributes: { type: 'Account' }, Name: `Big ${i}` }));
    const res = await org.api('/composite/sobjects', { method: 'POST', body: { records } });
    assert.equal(res.status, 400);
    assert.equal(res.body[0].errorCode, 'EXCEEDED_ID_LIMIT');
  });

  it('updates, upserts with created flags, retrieves and deletes; counts one API call each', async () => {
    const before = ((await org.control('/usage')) as { apiRequests: number }).apiRequests;
    const up = await org.api('/composite/sobjects/Task/relay__ExternalKey__c', {
      method: 'PATCH',
      body: {
        allOrNone: false,
        records: [
          { attributes: { type: 'Task' }, relay__ExternalKey__c: 'c:1', Subject: 'one' },
          { attributes: { type: 'Task' }, relay__ExternalKey__c: 'c:2', Subject: 'two' },
        ],
      },
    });
    assert.equal(up.status, 200);
    assert.deepEqual(
      up.body.map((r: { created: boolean }) => r.created),
      [true, true],
    );
    const again = await org.api('/composite/sobjects/Task/relay__ExternalKey__c', {
      method: 'PATCH',
      body: {
        records: [{ attributes: { type: 'Task' }, relay__ExternalKey__c: 'c:1', Subject: 'uno', Status: 'Completed' }],
      },
    });
    assert.deepEqual(again.body, [{ id: up.body[0].id, success: true, errors: [], created: false }]);

    const ids = up.body.map((r: { id: string }) => r.id);
    const got = await org.api(`/composite/sobjects/Task?ids=${ids.join(',')}&fields=Subject,IsClosed`);
    assert.deepEqual(got.body[0], {
      attributes: { type: 'Task', url: `/services/data/v${V}/sobjects/Task/${ids[0]}` },
      Subject: 'uno',
      IsClosed: true,
    });

    const upd = await org.api('/composite/sobjects', {
      method: 'PATCH',
      body: { records: [{ attributes: { type: 'Task' }, Id: ids[1], Subject: 'dos' }] },
    });
    assert.deepEqual(upd.body, [{ id: ids[1], success: true, errors: [] }]);

    const del = await org.api(`/composite/sobjects?ids=${ids.join(',')},001RM000003oLrB000&allOrNone=false`, {
      method: 'DELETE',
    });
    // REST API Developer Guide, "Delete Records Using sObject Collections" (malformed id item has no id).
    assert.deepEqual(del.body, [
      ...ids.map((id: string) => ({ id, success: true, errors: [] })),
      {
        success: false,
        errors: [{ statusCode: 'MALFORMED_ID', message: 'malformed id 001RM000003oLrB000', fields: [] }],
      },
    ]);
    const after = ((await org.control('/usage')) as { apiRequests: number }).apiRequests;
    assert.equal(after - before, 5);
  });

  it('works through jsforce (create and update arrays)', async () => {
    const created = (await org.conn.sobject('Lead').create(
      [
        { LastName: 'J1', Company: 'C' },
        { LastName: 'J2', Company: 'C' },
      ],
      { allOrNone: true },
    )) as { id: string; success: boolean }[];
    assert.ok(created.every((r) => r.success));
    const updated = (await org.conn.sobject('Lead').update(created.map((r) => ({ Id: r.id, Title: 'T' })))) as {
      success: boolean;
    }[];
    assert.ok(updated.every((r) => r.success));
  });
});

describe('Composite', () => {
  it('chains subrequests with @{ref.id} and @{ref.records[0].Id}', async () => {
    // REST API Developer Guide, "Composite": compositeResponse items {body, httpHeaders, httpStatusCode, referenceId}.
    const res = await org.api('/composite', {
      method: 'POST',
      body: {
        allOrNone: false,
        compositeRequest: [
          {
            method: 'POST',
            url: `/services/data/v${V}/sobjects/Account`,
            referenceId: 'acct',
            body: { Name: 'Composite Inc' },
          },
          {
            method: 'GET',
            url: `/services/data/v${V}/query?q=SELECT+Id+FROM+Account+WHERE+Id='@{acct.id}'`,
            referenceId: 'found',
          },
          {
            method: 'POST',
            url: `/services/data/v${V}/sobjects/Contact`,
            referenceId: 'con',
            body: { LastName: 'Ref', AccountId: '@{found.records[0].Id}' },
          },
          {
            method: 'GET',
            url: `/services/data/v${V}/sobjects/Contact/@{con.id}?fields=AccountId`,
            referenceId: 'check',
          },
        ],
      },
    });
    assert.equal(res.status, 200);
    const [acct, , con, check] = res.body.compositeResponse;
    assert.equal(acct.httpStatusCode, 201);
    assert.equal(acct.httpHeaders.Location, `/services/data/v${V}/sobjects/Account/${acct.body.id}`);
    assert.equal(con.httpStatusCode, 201);
    assert.equal(check.body.AccountId, acct.body.id);
  });

  it('halts and rolls back with allOrNone (PROCESSING_HALTED)', async () => {
    const res = await org.api('/composite', {
      method: 'POST',
      body: {
        allOrNone: true,
        compositeRequest: [
          {
            method: 'POST',
            url: `/services/data/v${V}/sobjects/Account`,
            referenceId: 'ok',
            body: { Name: 'Halted Inc' },
          },
          { method: 'POST', url: `/services/data/v${V}/sobjects/Lead`, referenceId: 'bad', body: { LastName: 'x' } },
          {
            method: 'POST',
            url: `/services/data/v${V}/sobjects/Account`,
            referenceId: 'later',
            body: { Name: 'Never' },
          },
        ],
      },
    });
    const [ok, bad, later] = res.body.compositeResponse;
    const halted = [
      {
        errorCode: 'PROCESSING_HALTED',
        message: 'The transaction was rolled back since another operation in the same transaction failed.',
      },
    ];
    assert.deepEqual(ok, { body: halted, httpHeaders: {}, httpStatusCode: 400, referenceId: 'ok' });
    assert.equal(bad.httpStatusCode, 400);
    assert.equal(bad.body[0].errorCode, 'REQUIRED_FIELD_MISSING');
    assert.deepEqual(later.body, halted);
    assert.equal((await org.conn.query("SELECT COUNT() FROM Account WHERE Name = 'Halted Inc'")).totalSize, 0);
  });

  it('answers an unresolvable reference with PROCESSING_HALTED', async () => {
    const res = await org.api('/composite', {
      method: 'POST',
      body: {
        allOrNone: false,
        compositeRequest: [
          {
            method: 'GET',
            url: `/services/data/v${V}/query?q=SELECT+Id+FROM+Account+WHERE+Name='none-such'`,
            referenceId: 'none',
          },
          {
            method: 'POST',
            url: `/services/data/v${V}/sobjects/Contact`,
            referenceId: 'con',
            body: { LastName: 'X', AccountId: '@{none.records[0].Id}' },
          },
        ],
      },
    });
    // Recorded response (and the REST guide's Composite example): no value found in the reference.
    assert.deepEqual(res.body.compositeResponse[1], {
      body: [
        {
          message: 'Invalid reference specified. No value for none.records[0].Id found in none.',
          errorCode: 'PROCESSING_HALTED',
        },
      ],
      httpHeaders: {},
      httpStatusCode: 400,
      referenceId: 'con',
    });
  });

  it('refuses a referenceId with invalid characters (v52.0+ behaviour)', async () => {
    // REST API Developer Guide, Composite: the whole request fails with JSON_PARSER_ERROR.
    const res = await org.api('/composite', {
      method: 'POST',
      body: {
        allOrNone: false,
        compositeRequest: [
          {
            method: 'POST',
            url: `/services/data/v${V}/sobjects/Account/`,
            referenceId: 'refNewAccount[1]',
            body: { Name: 'Cloudy Consulting' },
          },
        ],
      },
    });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, [
      {
        message:
          "Provided referenceId ('refNewAccount[1]') must start with a letter or a number, and it can contain only letters, numbers and underscores ('_').",
        errorCode: 'JSON_PARSER_ERROR',
      },
    ]);
  });

  it('lists the composite resources and runs Composite Graph requests', async () => {
    const list = await org.api('/composite');
    assert.deepEqual(Object.keys(list.body).sort(), ['batch', 'graph', 'sobjects', 'tree']);
    const res = await org.api('/composite/graph', {
      method: 'POST',
      body: {
        graphs: [
          {
            graphId: '1',
            compositeRequest: [
              {
                url: `/services/data/v${V}/sobjects/Account/`,
                body: { Name: 'Graph Co' },
                method: 'POST',
                referenceId: 'acct',
              },
              {
                url: `/services/data/v${V}/sobjects/Contact/`,
                body: { LastName: 'Node', AccountId: '@{acct.id}' },
                method: 'POST',
                referenceId: 'con',
              },
            ],
          },
          {
            graphId: '2',
            compositeRequest: [
              { url: `/services/data/v${V}/sobjects/Account/`, body: {}, method: 'POST', referenceId: 'bad' },
            ],
          },
        ],
      },
    });
    assert.deepEqual(
      res.body.graphs.map((g: { graphId: string; isSuccessful: boolean }) => [g.graphId, g.isSuccessful]),
      [
        ['1', true],
        ['2', false],
      ],
    );
    assert.equal(res.body.graphs[0].graphResponse.compositeResponse[1].httpStatusCode, 201);
  });

  it('limits subrequests (25, of which 5 query or Collections)', async () => {
    const many = Array.from({ length: 26 }, (_, i) => ({
      method: 'GET',
      url: `/services/data/v${V}/limits`,
      referenceId: `r${i}`,
    }));
    assert.equal((await org.api('/composite', { method: 'POST', body: { compositeRequest: many } })).status, 400);
    const queries = Array.from({ length: 6 }, (_, i) => ({
      method: 'GET',
      url: `/services/data/v${V}/query?q=SELECT+Id+FROM+Account+LIMIT+1`,
      referenceId: `q${i}`,
    }));
    assert.equal((await org.api('/composite', { method: 'POST', body: { compositeRequest: queries } })).status, 400);
  });

  it('runs batch and tree requests', async () => {
    const batch = await org.api('/composite/batch', {
      method: 'POST',
      body: {
        batchRequests: [
          { method: 'GET', url: `v${V}/limits` },
          { method: 'POST', url: `v${V}/sobjects/Account`, richInput: {} },
        ],
      },
    });
    assert.equal(batch.body.hasErrors, true);
    assert.equal(batch.body.results[0].statusCode, 200);
    assert.equal(batch.body.results[1].statusCode, 400);
    const tree = await org.api('/composite/tree/Account', {
      method: 'POST',
      body: {
        records: [
          {
            attributes: { type: 'Account', referenceId: 'a1' },
            Name: 'Tree Co',
            Contacts: { records: [{ attributes: { type: 'Contact', referenceId: 'c1' }, LastName: 'Leaf' }] },
          },
        ],
      },
    });
    assert.equal(tree.status, 201);
    assert.deepEqual(
      tree.body.results.map((r: { referenceId: string }) => r.referenceId),
      ['a1', 'c1'],
    );
  });
});

describe('Composite Batch', () => {
  const query = (soql: string) => ({ method: 'GET', url: `v${V}/query?q=${encodeURIComponent(soql)}` });

  it('answers up to 25 queries in one call, each on its own; 26 are refused', async () => {
    const usage = async () => ((await org.control('/usage')) as { apiRequests: number }).apiRequests;
    const before = await usage();
    const queries = Array.from({ length: 25 }, (_, i) =>
      i === 3 ? query('SELECT Nope FROM Contact') : query(`SELECT Id FROM Account LIMIT ${i + 1}`),
    );
    const res = await org.api('/composite/batch', { method: 'POST', body: { batchRequests: queries } });
    assert.equal(res.status, 200);
    assert.equal((await usage()) - before, 1, 'one API call for 25 queries');
    assert.equal(res.body.hasErrors, true);
    assert.equal(res.body.results.length, 25);
    assert.equal(res.body.results[3].statusCode, 400);
    assert.equal(res.body.results[3].result[0].errorCode, 'INVALID_FIELD');
    // The failing query changes nothing for the others.
    assert.equal(res.body.results[4].statusCode, 200);
    assert.equal(res.body.results[4].result.done, true);
    assert.equal(res.body.results[24].statusCode, 200);
    const tooMany = await org.api('/composite/batch', {
      method: 'POST',
      body: { batchRequests: [...queries, query('SELECT Id FROM Account LIMIT 1')] },
    });
    assert.equal(tooMany.status, 400);
  });

  it('a subrequest fault fails the one query it names; the call and the other queries answer as usual', async () => {
    await org.control('/faults', {
      method: 'GET',
      path: '/query',
      subrequest: true,
      queryContains: 'FROM Contact',
      status: 500,
      errorCode: 'QUERY_TIMEOUT',
    });
    const res = await org.api('/composite/batch', {
      method: 'POST',
      body: { batchRequests: [query('SELECT Id FROM Account LIMIT 1'), query('SELECT Id FROM Contact LIMIT 1')] },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.results.map((r: { statusCode: number }) => r.statusCode),
      [200, 500],
    );
    assert.equal(res.body.results[1].result[0].errorCode, 'QUERY_TIMEOUT');
    // Used up by that subrequest; a plain GET /query never takes a subrequest fault.
    assert.deepEqual(await org.control('/faults'), { faults: [] });
  });

  it('haltOnError: the subrequests after the first failure answer BATCH_PROCESSING_HALTED', async () => {
    const res = await org.api('/composite/batch', {
      method: 'POST',
      body: {
        haltOnError: true,
        batchRequests: [
          query('SELECT Id FROM Account LIMIT 1'),
          query('SELECT Nope FROM Contact'),
          query('SELECT Id FROM Account LIMIT 1'),
        ],
      },
    });
    assert.deepEqual(
      res.body.results.map((r: { statusCode: number }) => r.statusCode),
      [200, 400, 412],
    );
    assert.equal(res.body.results[2].result[0].errorCode, 'BATCH_PROCESSING_HALTED');
  });
});
