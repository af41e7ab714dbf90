// Bulk API 2.0 query jobs end to end: JobInfo bodies, CSV results paged with Sforce-Locator and
// Sforce-NumberOfRecords, statement checks, abort and delete, and jsforce 3.10.16's
// `conn.bulk2.query`. Expected bodies follow the Bulk API 2.0 Developer Guide (v66.0): "Step 6:
// Query Jobs", "Create a Query Job", "Get Results for a Query Job", "Abort a Query Job".
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { maskJob, startHarness, type Harness } from './bulk-harness.js';

let h: Harness;
before(async () => {
  h = await startHarness();
  await h.conn.sobject('Account').create([
    { Name: 'Bulkq Alpha', NumberOfEmployees: 10, AnnualRevenue: 12500000 },
    { Name: 'Bulkq Beta', NumberOfEmployees: 20 },
    { Name: 'Bulkq Gamma, "Ltd"', NumberOfEmployees: 30 },
  ]);
});
after(async () => {
  await h.close();
});

async function createQuery(body: object): Promise<{ status: number; json: any; text: string }> {
  return h.http('/jobs/query', { method: 'POST', body });
}

test('create, monitor and read a query job', async () => {
  // "Create a Query Job": HTTP 200 and a JobInfo in UploadComplete.
  const created = await createQuery({
    operation: 'query',
    query: "SELECT Id, Name FROM Account WHERE Name LIKE 'Bulkq%' ORDER BY Name",
  });
  assert.equal(created.status, 200);
  assert.deepEqual(maskJob(created.json), {
    id: '<ID>',
    operation: 'query',
    object: 'Account',
    createdById: '<ID>',
    createdDate: '<DATE>',
    systemModstamp: '<DATE>',
    state: 'UploadComplete',
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: 62,
    lineEnding: 'LF',
    columnDelimiter: 'COMMA',
  });
  assert.deepEqual(Object.keys(created.json), Object.keys(maskJob(created.json)));
  const id = created.json.id as string;
  // "Get Information About a Query Job".
  const info = await h.waitForJob('query', id);
  assert.deepEqual(maskJob(info), {
    id: '<ID>',
    operation: 'query',
    object: 'Account',
    createdById: '<ID>',
    createdDate: '<DATE>',
    systemModstamp: '<DATE>',
    state: 'JobComplete',
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: 62,
    jobType: 'V2Query',
    lineEnding: 'LF',
    columnDelimiter: 'COMMA',
    numberRecordsProcessed: 3,
    retries: 0,
    totalProcessingTime: '<MS>',
    isPkChunkingSupported: true,
  });
  // "Get Results for a Query Job": header and values quoted, Sforce-Locator "null" when done.
  const res = await h.http(`/jobs/query/${id}/results`, { headers: { Accept: 'text/csv' } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/csv/);
  assert.equal(res.headers.get('sforce-locator'), 'null');
  assert.equal(res.headers.get('sforce-numberofrecords'), '3');
  const ids = (
    await h.conn.query<{ Id: string }>("SELECT Id FROM Account WHERE Name LIKE 'Bulkq%' ORDER BY Name")
  ).records.map((r) => r.Id);
  assert.equal(
    res.text,
    `"Id","Name"\n"${ids[0]}","Bulkq Alpha"\n"${ids[1]}","Bulkq Beta"\n"${ids[2]}","Bulkq Gamma, ""Ltd"""\n`,
  );
});

test('results page with maxRecords and the Sforce-Locator header', async () => {
  const created = await createQuery({
    operation: 'query',
    query: "SELECT Name FROM Account WHERE Name LIKE 'Bulkq%' ORDER BY Name",
  });
  const id = created.json.id as string;
  await h.waitForJob('query', id);
  const first = await h.http(`/jobs/query/${id}/results?maxRecords=2`);
  assert.equal(first.headers.get('sforce-numberofrecords'), '2');
  const locator = first.headers.get('sforce-locator')!;
  assert.notEqual(locator, 'null');
  assert.equal(first.text, '"Name"\n"Bulkq Alpha"\n"Bulkq Beta"\n');
  const second = await h.http(`/jobs/query/${id}/results?locator=${locator}&maxRecords=2`);
  assert.equal(second.headers.get('sforce-locator'), 'null');
  assert.equal(second.headers.get('sforce-numberofrecords'), '1');
  assert.equal(second.text, '"Name"\n"Bulkq Gamma, ""Ltd"""\n');
  // "As long as the associated job exists, the locator string for a set of results does not change."
  const again = await h.http(`/jobs/query/${id}/results?locator=${locator}&maxRecords=2`);
  assert.equal(again.text, second.text);
});

test('parent fields, nulls, numbers and other delimiters in results', async () => {
  const created = await createQuery({
    operation: 'query',
    query:
      "SELECT Name, Owner.Name, Parent.Name, AnnualRevenue, NumberOfEmployees FROM Account WHERE Name IN ('Bulkq Alpha', 'Bulkq Beta') ORDER BY Name",
    columnDelimiter: 'PIPE',
    lineEnding: 'CRLF',
  });
  const id = created.json.id as string;
  const info = await h.waitForJob('query', id);
  assert.equal(info.columnDelimiter, 'PIPE');
  const res = await h.http(`/jobs/query/${id}/results`);
  const owner = (
    await h.conn.query<{ Owner: { Name: string } }>("SELECT Owner.Name FROM Account WHERE Name = 'Bulkq Alpha'")
  ).records[0]!.Owner.Name;
  assert.equal(
    res.text,
    `"Name"|"Owner.Name"|"Parent.Name"|"AnnualRevenue"|"NumberOfEmployees"\r\n"Bulkq Alpha"|"${owner}"|""|"1.25E7"|"10"\r\n"Bulkq Beta"|"${owner}"|""|""|"20"\r\n`,
  );
});

test('jsforce conn.bulk2.query returns the records', async () => {
  const stream = await h.conn.bulk2.query(
    "SELECT Name, NumberOfEmployees FROM Account WHERE Name LIKE 'Bulkq%' ORDER BY Name",
  );
  const rows: Record<string, unknown>[] = [];
  for await (const r of stream) rows.push(r as Record<string, unknown>);
  assert.deepEqual(rows, [
    { Name: 'Bulkq Alpha', NumberOfEmployees: '10' },
    { Name: 'Bulkq Beta', NumberOfEmployees: '20' },
    { Name: 'Bulkq Gamma, "Ltd"', NumberOfEmployees: '30' },
  ]);
});

test('queryAll sees deleted records', async () => {
  const doomed = (await h.conn.sobject('Account').create({ Name: 'Bulkq Deleted' })) as { id: string };
  await h.conn.sobject('Account').destroy(doomed.id);
  const q = await createQuery({ operation: 'query', query: "SELECT Id FROM Account WHERE Name = 'Bulkq Deleted'" });
  const qa = await createQuery({
    operation: 'queryAll',
    query: "SELECT Id, IsDeleted FROM Account WHERE Name = 'Bulkq Deleted'",
  });
  await h.waitForJob('query', q.json.id);
  await h.waitForJob('query', qa.json.id);
  assert.equal((await h.http(`/jobs/query/${q.json.id}/results`)).text, '"Id"\n');
  assert.equal((await h.http(`/jobs/query/${qa.json.id}/results`)).text, `"Id","IsDeleted"\n"${doomed.id}","true"\n`);
});

test('statements Bulk API 2.0 refuses or that are invalid fail at creation', async () => {
  // "Understanding Bulk API 2.0 Query": no GROUP BY, OFFSET, TYPEOF or aggregate functions.
  for (const query of [
    'SELECT COUNT() FROM Account',
    'SELECT Industry, COUNT(Id) FROM Account GROUP BY Industry',
    'SELECT Name FROM Account OFFSET 5',
    'SELECT TYPEOF Owner WHEN User THEN Email END FROM Account',
  ]) {
    const res = await createQuery({ operation: 'query', query });
    assert.equal(res.status, 400, query);
    assert.equal(res.json[0].errorCode, 'API_ERROR', query);
  }
  // The SOQL errors are Salesforce's (same codes and wording as REST query).
  const badField = await createQuery({ operation: 'query', query: 'SELECT Nope__c FROM Account' });
  assert.equal(badField.status, 400);
  assert.deepEqual(badField.json, [
    {
      errorCode: 'INVALID_FIELD',
      message:
        "\nSELECT Nope__c FROM Account\n       ^\nERROR at Row:1:Column:8\nNo such column 'Nope__c' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
    },
  ]);
  const badObject = await createQuery({ operation: 'query', query: 'SELECT Id FROM Acount' });
  assert.equal(badObject.json[0].errorCode, 'INVALID_TYPE');
  const badOp = await createQuery({ operation: 'search', query: 'SELECT Id FROM Account' });
  assert.equal(badOp.status, 400);
});

test('abort and delete follow the documented state rules', async () => {
  const created = await createQuery({ operation: 'query', query: 'SELECT Id FROM Account' });
  const id = created.json.id as string;
  await h.waitForJob('query', id);
  // "Abort a Query Job": 400 [{"errorCode":"INVALIDJOBSTATE","message":"Aborting already Completed Job not allowed"}].
  const abort = await h.http(`/jobs/query/${id}`, { method: 'PATCH', body: { state: 'Aborted' } });
  assert.equal(abort.status, 400);
  assert.deepEqual(abort.json, [
    { errorCode: 'INVALIDJOBSTATE', message: 'Aborting already Completed Job not allowed' },
  ]);
  // "Delete a Query Job": 204, no body; the job is then gone.
  const del = await h.http(`/jobs/query/${id}`, { method: 'DELETE' });
  assert.equal(del.status, 204);
  assert.equal(del.text, '');
  const gone = await h.http(`/jobs/query/${id}/results`);
  assert.equal(gone.status, 404);
  assert.deepEqual(gone.json, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
  // An ingest id is not a query job.
  const ingest = await h.http('/jobs/ingest', { method: 'POST', body: { object: 'Lead', operation: 'insert' } });
  assert.equal((await h.http(`/jobs/query/${ingest.json.id}`)).status, 404);
});

test('query jobs count against DailyBulkV2QueryJobs and are listed', async () => {
  const before = (await h.http('/limits')).json.DailyBulkV2QueryJobs.Remaining;
  const created = await createQuery({ operation: 'query', query: 'SELECT Id FROM Lead LIMIT 1' });
  await h.waitForJob('query', created.json.id);
  const afterRemaining = (await h.http('/limits')).json.DailyBulkV2QueryJobs.Remaining;
  assert.equal(before - afterRemaining, 1);
  // "Get Information About All Query Jobs".
  const list = await h.http('/jobs/query');
  assert.equal(list.json.done, true);
  assert.ok(
    list.json.records.some((r: { id: string; jobType: string }) => r.id === created.json.id && r.jobType === 'V2Query'),
  );
});
