// Bulk API 1.0 (/services/async/NN.N/): what jsforce 3.10.16 sends by default (XML jobs, CSV
// batches) and what simple-salesforce's `sf.bulk` sends (JSON jobs with concurrencyMode 0/1, JSON
// batches, SOQL posted as application/json). Bodies cite the Bulk API Developer Guide pages their
// shapes come from; simple-salesforce itself cannot be installed here (no PyPI), so its requests
// are replayed as its source (simple_salesforce/bulk.py, v1.12) writes them.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, V, type Harness } from './bulk-harness.js';

let h: Harness;
before(async () => {
  h = await startHarness();
  h.conn.bulk.pollInterval = 20;
});
after(() => h.close());

const NS = 'http://www.force.com/2009/06/asyncapi/dataload';

async function async(
  path: string,
  init: { method?: string; body?: string; type?: string; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { 'X-SFDC-Session': h.token, ...(init.headers ?? {}) };
  if (init.type) headers['Content-Type'] = init.type;
  const res = await fetch(`${h.url}/services/async/${V}${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body,
  });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

function tag(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}

async function waitForBatch(jobId: string, batchId: string, json = false): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const res = await async(`/job/${jobId}/batch/${batchId}`, json ? { type: 'application/json' } : {});
    const state = json ? JSON.parse(res.text).state : tag(res.text, 'state');
    if (state !== 'Queued' && state !== 'InProgress') return res.text;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('batch did not finish');
}

describe('XML jobs with CSV batches (jsforce)', () => {
  it("creates a job answering the guide's jobInfo, takes a CSV batch and reports CSV results", async () => {
    // Bulk API Developer Guide, "Step One: Create a Job": XML request and the jobInfo response
    // (id … state Open, concurrencyMode Parallel, contentType CSV, counters, apiVersion, times).
    const created = await async('/job', {
      method: 'POST',
      type: 'application/xml; charset=utf-8',
      body: `<?xml version="1.0" encoding="UTF-8"?><jobInfo xmlns="${NS}"><operation>insert</operation><object>Account</object><contentType>CSV</contentType></jobInfo>`,
    });
    assert.equal(created.status, 201);
    assert.match(created.type, /^application\/xml/);
    const order = [...created.text.matchAll(/<(\w+)>/g)].map((m) => m[1]);
    assert.deepEqual(order, [
      'id',
      'operation',
      'object',
      'createdById',
      'createdDate',
      'systemModstamp',
      'state',
      'concurrencyMode',
      'contentType',
      'numberBatchesQueued',
      'numberBatchesInProgress',
      'numberBatchesCompleted',
      'numberBatchesFailed',
      'numberBatchesTotal',
      'numberRecordsProcessed',
      'numberRetries',
      'apiVersion',
      'numberRecordsFailed',
      'totalProcessingTime',
      'apiActiveProcessingTime',
      'apexProcessingTime',
    ]);
    assert.equal(tag(created.text, 'state'), 'Open');
    assert.equal(tag(created.text, 'apiVersion'), V);
    assert.match(tag(created.text, 'createdDate')!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    const jobId = tag(created.text, 'id')!;
    assert.match(jobId, /^750/);

    // "Add a Batch to a Job": 201 with batchInfo state Queued.
    const batch = await async(`/job/${jobId}/batch`, {
      method: 'POST',
      type: 'text/csv',
      body: 'Name,NumberOfEmployees,Industry\nBulk One,10,Banking\n,5,\n"Bulk, Two",#N/A,Energy\n',
    });
    assert.equal(batch.status, 201);
    assert.equal(tag(batch.text, 'state'), 'Queued');
    const batchId = tag(batch.text, 'id')!;
    assert.match(batchId, /^751/);
    const done = await waitForBatch(jobId, batchId);
    assert.equal(tag(done, 'state'), 'Completed');
    assert.equal(tag(done, 'numberRecordsProcessed'), '3');
    assert.equal(tag(done, 'numberRecordsFailed'), '1');

    // "Get Batch Results": CSV "Id","Success","Created","Error", one line per record in order; the
    // Error cell is `CODE:message:fields --` (jsforce's bulk test asserts exactly this text).
    const results = await async(`/job/${jobId}/batch/${batchId}/result`);
    assert.match(results.type, /^text\/csv/);
    const lines = results.text.trim().split('\n');
    assert.equal(lines[0], '"Id","Success","Created","Error"');
    assert.match(lines[1]!, /^"001\w{15}","true","true",""$/);
    assert.equal(lines[2], '"","false","false","REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --"');
    assert.match(lines[3]!, /^"001\w{15}","true","true",""$/);

    const closed = await async(`/job/${jobId}`, {
      method: 'POST',
      type: 'application/xml',
      body: `<?xml version="1.0" encoding="UTF-8"?><jobInfo xmlns="${NS}"><state>Closed</state></jobInfo>`,
    });
    // "Step Three: Close a Job": the jobInfo with state Closed and the batch counters.
    assert.equal(closed.status, 200);
    assert.equal(tag(closed.text, 'state'), 'Closed');
    assert.equal(tag(closed.text, 'numberBatchesCompleted'), '1');
    assert.equal(tag(closed.text, 'numberRecordsProcessed'), '3');
    const again = await async(`/job/${jobId}/batch`, { method: 'POST', type: 'text/csv', body: 'Name\nLate\n' });
    assert.equal(again.status, 400);
    assert.equal(tag(again.text, 'exceptionCode'), 'InvalidJobState');
  });

  it('lets jsforce insert, update and delete 250 records with find().update() and destroy()', async () => {
    const rows = Array.from({ length: 250 }, (_, i) => ({ Name: `Bulk1 Account ${i}` }));
    const inserted = await h.conn.bulk.load('Account', 'insert', rows);
    assert.equal(inserted.length, 250);
    assert.ok(inserted.every((r) => r.success && r.created && typeof r.id === 'string'));
    // More than 200 records: jsforce uses Bulk API 1.0 by default (Query#update, bulkApiVersion 1).
    const updated = await h.conn
      .sobject('Account')
      .find({ Name: { $like: 'Bulk1 Account %' } })
      .update({ Rating: 'Hot' });
    assert.equal(updated.length, 250);
    assert.ok(updated.every((r) => r.success));
    const hot = await h.conn.query("SELECT COUNT() FROM Account WHERE Name LIKE 'Bulk1 Account %' AND Rating = 'Hot'");
    assert.equal(hot.totalSize, 250);
    const destroyed = await h.conn
      .sobject('Account')
      .find({ Name: { $like: 'Bulk1 Account %' } })
      .destroy();
    assert.equal(destroyed.length, 250);
    const left = await h.conn.query("SELECT COUNT() FROM Account WHERE Name LIKE 'Bulk1 Account %'");
    assert.equal(left.totalSize, 0);
  });

  it('answers jsforce bulk queries with a result list and CSV rows, relationship columns included', async () => {
    const stream = await h.conn.bulk.query("SELECT Id, Name, Owner.Name FROM Account WHERE Name LIKE 'Acme%'");
    const records: Record<string, unknown>[] = [];
    await new Promise((resolve, reject) =>
      stream
        .on('record', (r) => records.push(r))
        .on('end', resolve)
        .on('error', reject),
    );
    const rest = await h.conn.query("SELECT Id FROM Account WHERE Name LIKE 'Acme%'");
    assert.equal(records.length, rest.totalSize);
    assert.ok(records.every((r) => typeof r.Id === 'string' && typeof r['Owner.Name'] === 'string'));
  });

  it('refuses an empty batch with ClientInputError, as jsforce expects for an empty load', async () => {
    let failure: Error | undefined;
    try {
      await h.conn.bulk.load('Account', 'update', []);
    } catch (e) {
      failure = e as Error;
    }
    assert.equal(failure?.name, 'ClientInputError');
  });

  it('answers a bad session with 400 InvalidSessionId, which jsforce reads as an expired session', async () => {
    // Bulk API Developer Guide, "Errors": InvalidSessionId; jsforce's BulkApi.isSessionExpired
    // looks for status 400 and this exceptionCode.
    const res = await fetch(`${h.url}/services/async/${V}/job`, {
      method: 'POST',
      headers: { 'X-SFDC-Session': 'not-a-session', 'Content-Type': 'application/xml' },
      body: `<jobInfo xmlns="${NS}"><operation>insert</operation><object>Account</object></jobInfo>`,
    });
    assert.equal(res.status, 400);
    const text = await res.text();
    assert.equal(tag(text, 'exceptionCode'), 'InvalidSessionId');
    assert.match(text, /<error\s+xmlns="http:\/\/www\.force\.com\/2009\/06\/asyncapi\/dataload">/);
  });

  it('fails a batch of more than 10,000 records and one naming an unknown field', async () => {
    // Bulk API Developer Guide, "Limits": a batch can contain a maximum of 10,000 records.
    const job = await async('/job', {
      method: 'POST',
      type: 'application/xml',
      body: `<jobInfo xmlns="${NS}"><operation>insert</operation><object>Lead</object><contentType>CSV</contentType></jobInfo>`,
    });
    const jobId = tag(job.text, 'id')!;
    const big = await async(`/job/${jobId}/batch`, {
      method: 'POST',
      type: 'text/csv',
      body: 'LastName,Company\n' + 'X,Y\n'.repeat(10_001),
    });
    const bigDone = await waitForBatch(jobId, tag(big.text, 'id')!);
    assert.equal(tag(bigDone, 'state'), 'Failed');
    assert.match(tag(bigDone, 'stateMessage')!, /10000/);
    const unknown = await async(`/job/${jobId}/batch`, {
      method: 'POST',
      type: 'text/csv',
      body: 'LastName,Nope__c\nX,Y\n',
    });
    const unknownDone = await waitForBatch(jobId, tag(unknown.text, 'id')!);
    assert.equal(tag(unknownDone, 'stateMessage'), 'InvalidBatch : Field name not found : Nope__c');
    const leads = await h.conn.query("SELECT COUNT() FROM Lead WHERE Company = 'Y'");
    assert.equal(leads.totalSize, 0);
  });
});

describe('XML jobs with XML records', () => {
  it('saves <sObjects> records, nil fields included, and answers <results>', async () => {
    // Bulk API Developer Guide, "Add a Batch to a Job" (XML request body: <sObjects><sObject>…)
    // and "Get Batch Results" (XML: <results><result><id/><success/><created/></result>…).
    const created = await async('/job', {
      method: 'POST',
      type: 'application/xml',
      body: `<jobInfo xmlns="${NS}"><operation>insert</operation><object>Account</object><contentType>XML</contentType></jobInfo>`,
    });
    const jobId = tag(created.text, 'id')!;
    assert.equal(tag(created.text, 'contentType'), 'XML');
    const batch = await async(`/job/${jobId}/batch`, {
      method: 'POST',
      type: 'application/xml',
      body: `<?xml version="1.0" encoding="UTF-8"?><sObjects xmlns="${NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><sObject><Name>Xml &amp; Co</Name><Sic>7372</Sic><Phone xsi:nil="true"/></sObject><sObject><Description>no name</Description></sObject></sObjects>`,
    });
    const batchId = tag(batch.text, 'id')!;
    assert.equal(tag(await waitForBatch(jobId, batchId), 'state'), 'Completed');
    const results = await async(`/job/${jobId}/batch/${batchId}/result`);
    assert.match(results.type, /^application\/xml/);
    const items = [...results.text.matchAll(/<result>(.*?)<\/result>/g)].map((m) => m[1]!);
    assert.equal(items.length, 2);
    assert.match(items[0]!, /^<id>001\w{15}<\/id><success>true<\/success><created>true<\/created>$/);
    assert.equal(
      items[1],
      '<errors><fields>Name</fields><message>Required fields are missing: [Name]</message><statusCode>REQUIRED_FIELD_MISSING</statusCode></errors><success>false</success><created>false</created>',
    );
    const saved = await h.conn.query("SELECT Sic, Phone FROM Account WHERE Name = 'Xml & Co'");
    assert.deepEqual([(saved.records[0] as any).Sic, (saved.records[0] as any).Phone], ['7372', null]);
  });
});

describe('JSON jobs (simple-salesforce 1.12 sf.bulk)', () => {
  const json = 'application/json';

  it('creates a JSON job from concurrencyMode 0, saves JSON records and answers JSON results', async () => {
    // simple_salesforce/bulk.py _create_job: {"operation","object","concurrencyMode": 0|1,
    // "contentType":"JSON"}. Guide, "Create a Job", JSON response: alphabetical keys, apiVersion a number.
    const created = await async('/job', {
      method: 'POST',
      type: json,
      body: JSON.stringify({ operation: 'insert', object: 'Contact', concurrencyMode: 0, contentType: 'JSON' }),
    });
    assert.equal(created.status, 201);
    const job = JSON.parse(created.text);
    assert.deepEqual(Object.keys(job), [...Object.keys(job)].sort());
    assert.equal(job.concurrencyMode, 'Parallel');
    assert.equal(job.contentType, 'JSON');
    assert.match(created.text, new RegExp(`"apiVersion":${V.replace('.', '\\.')}[,}]`));
    const batch = await async(`/job/${job.id}/batch`, {
      method: 'POST',
      type: json,
      body: JSON.stringify([
        { LastName: 'Json One', Email: 'json.one@example.com', Account: { Name: 'Acme Inc' } },
        { FirstName: 'No Last Name' },
      ]),
    });
    assert.equal(batch.status, 201);
    const info = JSON.parse(await waitForBatch(job.id, JSON.parse(batch.text).id, true));
    assert.equal(info.state, 'Completed');
    // "Get Batch Results", JSON example: [{"success","created","id","errors":[]}].
    const results = JSON.parse((await async(`/job/${job.id}/batch/${info.id}/result`, { type: json })).text);
    assert.equal(results[0].success, true);
    assert.equal(results[0].created, true);
    assert.match(results[0].id, /^003/);
    assert.deepEqual(results[1], {
      success: false,
      created: false,
      id: null,
      errors: [
        {
          message: 'Required fields are missing: [LastName]',
          fields: ['LastName'],
          statusCode: 'REQUIRED_FIELD_MISSING',
        },
      ],
    });
    const saved = await h.conn.query(`SELECT Account.Name FROM Contact WHERE Id = '${results[0].id}'`);
    assert.equal((saved.records[0] as any).Account.Name, 'Acme Inc');
    // simple-salesforce's include_detailed_results reads the request back.
    const request = await async(`/job/${job.id}/batch/${info.id}/request`, { type: json });
    assert.equal(JSON.parse(request.text)[0].LastName, 'Json One');
    const closed = JSON.parse(
      (await async(`/job/${job.id}`, { method: 'POST', type: json, body: '{"state":"Closed"}' })).text,
    );
    assert.equal(closed.state, 'Closed');
  });

  it('runs a query posted as application/json and answers a JSON result list and JSON records', async () => {
    const created = JSON.parse(
      (
        await async('/job', {
          method: 'POST',
          type: json,
          body: JSON.stringify({ operation: 'query', object: 'Lead', concurrencyMode: 0, contentType: 'JSON' }),
        })
      ).text,
    );
    // simple-salesforce posts the SOQL text itself with its JSON Content-Type.
    const batch = await async(`/job/${created.id}/batch`, {
      method: 'POST',
      type: json,
      body: "SELECT Id, Email FROM Lead WHERE Email LIKE '%@prospects.example' LIMIT 3",
    });
    const info = JSON.parse(await waitForBatch(created.id, JSON.parse(batch.text).id, true));
    assert.equal(info.state, 'Completed');
    assert.equal(info.numberRecordsProcessed, 3);
    const list = JSON.parse((await async(`/job/${created.id}/batch/${info.id}/result`, { type: json })).text);
    assert.equal(list.length, 1);
    assert.match(list[0], /^752/);
    const records = JSON.parse(
      (await async(`/job/${created.id}/batch/${info.id}/result/${list[0]}`, { type: json })).text,
    );
    assert.equal(records.length, 3);
    assert.equal(records[0].attributes.type, 'Lead');
    assert.match(records[0].Email, /@prospects\.example$/);
  });
});

describe('query jobs and PK chunking', () => {
  async function queryJob(headers: Record<string, string> = {}) {
    const res = await async('/job', {
      method: 'POST',
      type: 'application/xml',
      headers,
      body: `<jobInfo xmlns="${NS}"><operation>query</operation><object>Lead</object><contentType>CSV</contentType></jobInfo>`,
    });
    return tag(res.text, 'id')!;
  }

  it('keeps one batch when PK chunking is off and splits by Id range when it is on', async () => {
    const soql = 'SELECT Id FROM Lead';
    const off = await queryJob({ 'Sforce-Enable-PKChunking': 'false' });
    const offBatch = await async(`/job/${off}/batch`, { method: 'POST', type: 'text/csv', body: soql });
    await waitForBatch(off, tag(offBatch.text, 'id')!);
    const offList = await async(`/job/${off}/batch`);
    assert.equal([...offList.text.matchAll(/<batchInfo>/g)].length, 1);

    // Bulk API Developer Guide, "Use PK Chunking": the original batch is NotProcessed and one batch
    // per chunk of Ids reads the rows.
    const on = await queryJob({ 'Sforce-Enable-PKChunking': 'chunkSize=100' });
    const onBatch = await async(`/job/${on}/batch`, { method: 'POST', type: 'text/csv', body: soql });
    assert.equal(tag(onBatch.text, 'state'), 'NotProcessed');
    const total = (await h.conn.query('SELECT COUNT() FROM Lead')).totalSize;
    await new Promise((r) => setTimeout(r, 50));
    const list = await async(`/job/${on}/batch`);
    const ids = [...list.text.matchAll(/<id>(751\w+)<\/id>/g)].map((m) => m[1]!);
    assert.equal(ids.length, 1 + Math.ceil(total / 100));
    let rows = 0;
    for (const id of ids.slice(1)) {
      await waitForBatch(on, id);
      const resultId = tag((await async(`/job/${on}/batch/${id}/result`)).text, 'result')!;
      const csv = (await async(`/job/${on}/batch/${id}/result/${resultId}`)).text.trim().split('\n');
      assert.equal(csv[0], '"Id"');
      rows += csv.length - 1;
    }
    assert.equal(rows, total);
  });

  it('answers "Records not found for this query" for an empty CSV result', async () => {
    const jobId = await queryJob();
    const batch = await async(`/job/${jobId}/batch`, {
      method: 'POST',
      type: 'text/csv',
      body: "SELECT Id FROM Lead WHERE Email = 'nobody@nowhere.example'",
    });
    const batchId = tag(batch.text, 'id')!;
    await waitForBatch(jobId, batchId);
    const resultId = tag((await async(`/job/${jobId}/batch/${batchId}/result`)).text, 'result')!;
    const body = await async(`/job/${jobId}/batch/${batchId}/result/${resultId}`);
    assert.equal(body.text, 'Records not found for this query');
  });
});
