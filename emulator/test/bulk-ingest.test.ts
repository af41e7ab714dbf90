// Bulk API 2.0 ingest jobs end to end: raw HTTP for the wire (statuses, JobInfo bodies, CSV result
// files) and jsforce 3.10.16's `conn.bulk2.loadAndWaitForResults`. Expected bodies follow the
// Bulk API 2.0 Developer Guide (v66.0) walkthroughs ("Step 3: Bulk Insert", "Step 5: Bulk Upsert")
// and its reference pages, cited per test.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { maskIds, maskJob, startHarness, type Harness } from './bulk-harness.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

async function createJob(body: object): Promise<{ status: number; json: any; text: string }> {
  return h.http('/jobs/ingest', { method: 'POST', body });
}

async function runJob(
  body: object,
  csv: string,
  headers: Record<string, string> = {},
): Promise<{ id: string; info: any }> {
  const created = await createJob(body);
  assert.equal(created.status, 200, created.text);
  const id = created.json.id as string;
  const put = await h.http(`/jobs/ingest/${id}/batches`, {
    method: 'PUT',
    body: csv,
    headers: { 'Content-Type': 'text/csv', ...headers },
  });
  assert.equal(put.status, 201, put.text);
  const closed = await h.http(`/jobs/ingest/${id}`, { method: 'PATCH', body: { state: 'UploadComplete' } });
  assert.equal(closed.status, 200, closed.text);
  return { id, info: await h.waitForJob('ingest', id) };
}

test('insert walkthrough: JobInfo bodies at each step, results as CSV', async () => {
  // Guide, "Step 3: Bulk Insert", step 2: 200 with the job Open and contentUrl.
  const created = await createJob({ object: 'Account', contentType: 'CSV', operation: 'insert', lineEnding: 'LF' });
  assert.equal(created.status, 200);
  assert.deepEqual(maskJob(created.json), {
    id: '<ID>',
    operation: 'insert',
    object: 'Account',
    createdById: '<ID>',
    createdDate: '<DATE>',
    systemModstamp: '<DATE>',
    state: 'Open',
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: 62,
    contentUrl: 'services/data/v62.0/jobs/ingest/<ID>/batches',
    lineEnding: 'LF',
    columnDelimiter: 'COMMA',
  });
  assert.match(created.text, /"apiVersion":62\.0,/);
  assert.deepEqual(Object.keys(created.json), Object.keys(maskJob(created.json)));
  const id = created.json.id as string;
  assert.match(id, /^7505g[a-zA-Z0-9]{13}$/);

  // Job info on an Open job (Guide, "Get Information About an Ingest Job", example response).
  const open = await h.http(`/jobs/ingest/${id}`);
  assert.deepEqual(Object.keys(open.json), [
    'id',
    'operation',
    'object',
    'createdById',
    'createdDate',
    'systemModstamp',
    'state',
    'concurrencyMode',
    'contentType',
    'apiVersion',
    'jobType',
    'contentUrl',
    'lineEnding',
    'columnDelimiter',
    'retries',
    'totalProcessingTime',
    'apiActiveProcessingTime',
    'apexProcessingTime',
  ]);

  // Step 3: PUT the CSV → 201, no body. The sample's Description values hold line breaks.
  const csv =
    'Name,ShippingCity,NumberOfEmployees,AnnualRevenue,Website,Description\n' +
    'Lorem Ipsum,Milano,2676,912260031,https://ft.com/lacus/at.jsp,"Lorem ipsum dolor sit\namet"\n' +
    'Posuere Inc,Bodø,141603,896852810,http://webs.com/in/faucibus/orci/luctus/et/ultrices/posuere.json,"consectetur\nadipiscing elit"\n';
  const put = await h.http(`/jobs/ingest/${id}/batches`, {
    method: 'PUT',
    body: csv,
    headers: { 'Content-Type': 'text/csv' },
  });
  assert.equal(put.status, 201);
  assert.equal(put.text, '');

  // Step 4: PATCH UploadComplete → the short JobInfo that stops at apiVersion.
  const closed = await h.http(`/jobs/ingest/${id}`, { method: 'PATCH', body: { state: 'UploadComplete' } });
  assert.equal(closed.status, 200);
  assert.deepEqual(maskJob(closed.json), {
    id: '<ID>',
    operation: 'insert',
    object: 'Account',
    createdById: '<ID>',
    createdDate: '<DATE>',
    systemModstamp: '<DATE>',
    state: 'UploadComplete',
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: 62,
  });

  // Step 5: job info once done.
  const info = await h.waitForJob('ingest', id);
  assert.deepEqual(maskJob(info), {
    id: '<ID>',
    operation: 'insert',
    object: 'Account',
    createdById: '<ID>',
    createdDate: '<DATE>',
    systemModstamp: '<DATE>',
    state: 'JobComplete',
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: 62,
    jobType: 'V2Ingest',
    lineEnding: 'LF',
    columnDelimiter: 'COMMA',
    numberRecordsProcessed: 2,
    numberRecordsFailed: 0,
    retries: 0,
    totalProcessingTime: '<MS>',
    apiActiveProcessingTime: '<MS>',
    apexProcessingTime: 0,
  });

  // Step 6: successfulResults — sf__ columns quoted, original headers as uploaded, every value
  // quoted, doubles printed the Java way (912260031 → "9.12260031E8"), line breaks kept.
  const ok = await h.http(`/jobs/ingest/${id}/successfulResults/`);
  assert.equal(ok.status, 200);
  assert.match(ok.headers.get('content-type') ?? '', /^text\/csv/);
  assert.equal(
    maskIds(ok.text),
    '"sf__Id","sf__Created",Name,ShippingCity,NumberOfEmployees,AnnualRevenue,Website,Description\n' +
      '"<ID>","true","Lorem Ipsum","Milano","2676","9.12260031E8","https://ft.com/lacus/at.jsp","Lorem ipsum dolor sit\namet"\n' +
      '"<ID>","true","Posuere Inc","Bodø","141603","8.9685281E8","http://webs.com/in/faucibus/orci/luctus/et/ultrices/posuere.json","consectetur\nadipiscing elit"\n',
  );
  const failed = await h.http(`/jobs/ingest/${id}/failedResults/`);
  assert.equal(
    failed.text,
    '"sf__Id","sf__Error",Name,ShippingCity,NumberOfEmployees,AnnualRevenue,Website,Description\n',
  );
  const unprocessed = await h.http(`/jobs/ingest/${id}/unprocessedrecords/`);
  assert.equal(unprocessed.text, 'Name,ShippingCity,NumberOfEmployees,AnnualRevenue,Website,Description\n');

  // The records are in the org.
  const q = await h.conn.query<{ Name: string; Description: string; AnnualRevenue: number }>(
    "SELECT Name, Description, AnnualRevenue FROM Account WHERE Name = 'Lorem Ipsum'",
  );
  assert.deepEqual(
    q.records.map((r) => [r.Name, r.Description, r.AnnualRevenue]),
    [['Lorem Ipsum', 'Lorem ipsum dolor sit\namet', 912260031]],
  );
});

test('failed rows carry sf__Error as CODE:message:fields --', async () => {
  // Bulk API Developer Guide, "Get Batch Results": "REQUIRED_FIELD_MISSING:Required fields are
  // missing: [LastName]:LastName --"; Bulk API 2.0 failedResults: "sf__Id","sf__Error", columns.
  const { id, info } = await runJob(
    { object: 'Lead', operation: 'insert' },
    'FirstName,LastName,Company,Email\nAda,Lovelace,Analytical,ada@engines.test\nNo,,Nameless Inc,no@last.test\nBad,Mail,Co,not-an-email\n',
  );
  assert.equal(info.state, 'JobComplete');
  assert.equal(info.numberRecordsProcessed, 3);
  assert.equal(info.numberRecordsFailed, 2);
  const failed = await h.http(`/jobs/ingest/${id}/failedResults`);
  assert.equal(
    failed.text,
    '"sf__Id","sf__Error",FirstName,LastName,Company,Email\n' +
      '"","REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --","No","","Nameless Inc","no@last.test"\n' +
      '"","INVALID_EMAIL_ADDRESS:Email: invalid email address: not-an-email:Email --","Bad","Mail","Co","not-an-email"\n',
  );
  const ok = await h.http(`/jobs/ingest/${id}/successfulResults`);
  assert.equal(
    maskIds(ok.text),
    '"sf__Id","sf__Created",FirstName,LastName,Company,Email\n"<ID>","true","Ada","Lovelace","Analytical","ada@engines.test"\n',
  );
});

test('jsforce loadAndWaitForResults: successful, failed and unprocessed records', async () => {
  const res = await h.conn.bulk2.loadAndWaitForResults({
    object: 'Lead',
    operation: 'insert',
    input: [
      { FirstName: 'Grace', LastName: 'Hopper', Company: 'Navy', Email: 'grace@navy.test' },
      { FirstName: 'Nolast', LastName: '', Company: 'X', Email: 'x@x.test' },
    ],
  });
  assert.equal(res.successfulResults.length, 1);
  assert.match(res.successfulResults[0]!.sf__Id, /^00Q[a-zA-Z0-9]{15}$/);
  assert.deepEqual(
    { ...res.successfulResults[0], sf__Id: '<ID>' },
    {
      sf__Id: '<ID>',
      sf__Created: 'true',
      FirstName: 'Grace',
      LastName: 'Hopper',
      Company: 'Navy',
      Email: 'grace@navy.test',
    },
  );
  assert.deepEqual(res.failedResults, [
    {
      sf__Id: '',
      sf__Error: 'REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --',
      FirstName: 'Nolast',
      LastName: '',
      Company: 'X',
      Email: 'x@x.test',
    },
  ]);
  assert.deepEqual(res.unprocessedRecords, []);
  const q = await h.conn.query("SELECT Id FROM Lead WHERE Email = 'grace@navy.test'");
  assert.equal(q.totalSize, 1);
});

test('update: empty cells leave fields alone, #N/A sets them to null', async () => {
  // Guide, "Prepare CSV Files": "Empty field values are ignored when you update records. To set a
  // field value to null, use a field value of #N/A."
  const created = await h.conn
    .sobject('Lead')
    .create({ FirstName: 'Up', LastName: 'Date', Company: 'Keep Co', Email: 'up@date.test', Phone: '555-0100' });
  const leadId = (created as { id: string }).id;
  const { id, info } = await runJob(
    { object: 'Lead', operation: 'update' },
    `Id,Company,Phone,Title\n${leadId},,#N/A,Chief\n`,
  );
  assert.equal(info.state, 'JobComplete');
  const ok = await h.http(`/jobs/ingest/${id}/successfulResults`);
  assert.equal(
    ok.text,
    `"sf__Id","sf__Created",Id,Company,Phone,Title\n"${leadId}","false","${leadId}","","","Chief"\n`,
  );
  const rec = (await h.conn.sobject('Lead').retrieve(leadId)) as Record<string, unknown>;
  assert.deepEqual([rec.Company, rec.Phone, rec.Title], ['Keep Co', null, 'Chief']);
});

test('upsert on an external id reports sf__Created true for new and false for matched rows', async () => {
  // Guide, "Step 5: Bulk Upsert"; Task.relay__ExternalKey__c is the package's external id.
  const first = await runJob(
    { object: 'Task', operation: 'upsert', externalIdFieldName: 'relay__ExternalKey__c' },
    'relay__ExternalKey__c,Subject\nws_1:visit_1,Visit one\n',
  );
  assert.equal(first.info.state, 'JobComplete');
  assert.equal(first.info.externalIdFieldName, 'relay__ExternalKey__c');
  const second = await runJob(
    { object: 'Task', operation: 'upsert', externalIdFieldName: 'relay__ExternalKey__c' },
    'relay__ExternalKey__c,Subject\nws_1:visit_1,Visit one (edited)\nws_1:visit_2,Visit two\n',
  );
  const ok = await h.http(`/jobs/ingest/${second.id}/successfulResults`);
  assert.equal(
    maskIds(ok.text),
    '"sf__Id","sf__Created",relay__ExternalKey__c,Subject\n"<ID>","false","ws_1:visit_1","Visit one (edited)"\n"<ID>","true","ws_1:visit_2","Visit two"\n',
  );
  const q = await h.conn.query<{ Subject: string }>(
    "SELECT Subject FROM Task WHERE relay__ExternalKey__c LIKE 'ws_1:visit_%' ORDER BY Subject",
  );
  assert.deepEqual(
    q.records.map((r) => r.Subject),
    ['Visit one (edited)', 'Visit two'],
  );
});

test('delete keeps rows in the recycle bin, hardDelete does not', async () => {
  const a = (await h.conn.sobject('Lead').create({ LastName: 'Soft', Company: 'Del' })) as { id: string };
  const b = (await h.conn.sobject('Lead').create({ LastName: 'Hard', Company: 'Del' })) as { id: string };
  const soft = await runJob({ object: 'Lead', operation: 'delete' }, `Id\n${a.id}\n`);
  assert.equal(soft.info.numberRecordsProcessed, 1);
  const hard = await runJob({ object: 'Lead', operation: 'hardDelete' }, `Id\n${b.id}\n`);
  assert.equal(hard.info.numberRecordsFailed, 0);
  const all = await h.conn.query<{ Id: string }>(`SELECT Id FROM Lead WHERE Id IN ('${a.id}', '${b.id}')`, {
    scanAll: true,
  });
  assert.deepEqual(
    all.records.map((r) => r.Id),
    [a.id],
  );
  // Deleting an id that is already gone fails that row.
  const again = await runJob({ object: 'Lead', operation: 'delete' }, `Id\n${a.id}\n`);
  const failed = await h.http(`/jobs/ingest/${again.id}/failedResults`);
  assert.equal(failed.text, `"sf__Id","sf__Error",Id\n"${a.id}","ENTITY_IS_DELETED:entity is deleted:--","${a.id}"\n`);
});

test('CSV options: CRLF line endings, other delimiters, quotes and relationship columns', async () => {
  // Guide, "Sample CSV Files": CRLF data with lineEnding CRLF; semicolon-delimited data with
  // doubled quotes; `Owner.Email`-style relationship columns resolve the parent by an indexed field.
  const crlf = await runJob(
    { object: 'Contact', operation: 'insert', lineEnding: 'CRLF' },
    'FirstName,LastName,Description\r\nTom,Jones,Branding guru\r\nIan,Dury,Fuzzy logic expert\r\n',
  );
  assert.equal(crlf.info.state, 'JobComplete');
  assert.equal(crlf.info.numberRecordsProcessed, 2);
  const crlfOk = await h.http(`/jobs/ingest/${crlf.id}/successfulResults`);
  assert.equal(
    maskIds(crlfOk.text),
    '"sf__Id","sf__Created",FirstName,LastName,Description\r\n"<ID>","true","Tom","Jones","Branding guru"\r\n"<ID>","true","Ian","Dury","Fuzzy logic expert"\r\n',
  );

  const semi = await runJob(
    { object: 'Contact', operation: 'insert', columnDelimiter: 'SEMICOLON' },
    'FirstName;LastName;Title;Description\nTom;Semi;Senior Director;"Self-described as ""the top"" branding guru"\nIan;Colon;Chief Imagineer;"Expert in fuzzy logic design; Knowledgeable in AI\nInfluential in technology purchases."\n',
  );
  assert.equal(semi.info.state, 'JobComplete');
  const q = await h.conn.query<{ Description: string }>(
    "SELECT Description FROM Contact WHERE LastName IN ('Semi', 'Colon') ORDER BY LastName DESC",
  );
  assert.deepEqual(
    q.records.map((r) => r.Description),
    [
      'Self-described as "the top" branding guru',
      'Expert in fuzzy logic design; Knowledgeable in AI\nInfluential in technology purchases.',
    ],
  );

  const owner = (
    await h.conn.query<{ Email: string; Id: string }>(
      'SELECT Id, Email FROM User WHERE IsActive = true ORDER BY Username LIMIT 1',
    )
  ).records[0]!;
  const rel = await runJob(
    { object: 'Contact', operation: 'insert' },
    `LastName,Owner.Email\nOwned,${owner.Email}\nOrphan,nobody@nowhere.test\n`,
  );
  const relFailed = await h.http(`/jobs/ingest/${rel.id}/failedResults`);
  assert.equal(
    relFailed.text,
    '"sf__Id","sf__Error",LastName,Owner.Email\n"","INVALID_FIELD:Foreign key external ID: nobody@nowhere.test not found for field Email in entity User:--","Orphan","nobody@nowhere.test"\n',
  );
  const owned = await h.conn.query<{ OwnerId: string }>("SELECT OwnerId FROM Contact WHERE LastName = 'Owned'");
  assert.equal(owned.records[0]!.OwnerId, owner.Id);
});

test('a job fails as a whole for a wrong line ending or an unknown column', async () => {
  // errorMessage wording as Salesforce reports them: "ClientInputError : LineEnding is invalid on
  // user data. Current LineEnding setting is LF"; "InvalidBatch : Field name not found : X"
  // (job info recorded in amp-labs/connectors#118: state Failed, numberRecordsProcessed 0).
  const wrongEnding = await runJob({ object: 'Lead', operation: 'insert' }, 'LastName,Company\r\nA,B\r\n');
  assert.equal(wrongEnding.info.state, 'Failed');
  assert.equal(
    wrongEnding.info.errorMessage,
    'ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is LF',
  );
  assert.equal(wrongEnding.info.numberRecordsProcessed, 0);

  const unknown = await runJob({ object: 'Lead', operation: 'insert' }, 'LastName,Company,Nope__c\nA,B,C\nD,E,F\n');
  assert.equal(unknown.info.state, 'Failed');
  assert.equal(unknown.info.errorMessage, 'InvalidBatch : Field name not found : Nope__c');
  assert.equal(unknown.info.numberRecordsProcessed, 0);
  assert.equal(unknown.info.numberRecordsFailed, 0);
  const rows = await h.http(`/jobs/ingest/${unknown.id}/unprocessedrecords`);
  assert.equal(rows.text, 'LastName,Company,Nope__c\n"A","B","C"\n"D","E","F"\n');
});

test('cell values are read by field type', async () => {
  // Wording recorded by clients parsing Salesforce's bulk errors:
  // "INVALID_FIELD:Failed to deserialize field at col 3. Due to, 'x' is not a valid value for the type xsd:date:Birthdate --".
  const { id, info } = await runJob(
    { object: 'Task', operation: 'insert' },
    'Subject,IsReminderSet,ActivityDate,ReminderDateTime,CallDurationInSeconds\nTyped,true,2026-12-01,2026-11-30T09:15:00.000+01:00,90\nBadDate,false,soon,,\nBadNumber,0,,,ninety\n',
  );
  assert.equal(info.state, 'JobComplete', info.errorMessage);
  const failed = await h.http(`/jobs/ingest/${id}/failedResults`);
  assert.equal(
    failed.text,
    '"sf__Id","sf__Error",Subject,IsReminderSet,ActivityDate,ReminderDateTime,CallDurationInSeconds\n' +
      '"","INVALID_FIELD:Failed to deserialize field at col 3. Due to, \'soon\' is not a valid value for the type xsd:date:ActivityDate --","BadDate","false","soon","",""\n' +
      '"","INVALID_FIELD:Failed to deserialize field at col 5. Due to, \'ninety\' is not a valid value for the type xsd:int:CallDurationInSeconds --","BadNumber","false","","","ninety"\n',
  );
  const rec = await h.conn.query<{
    IsReminderSet: boolean;
    ActivityDate: string;
    ReminderDateTime: string;
    CallDurationInSeconds: number;
  }>("SELECT IsReminderSet, ActivityDate, ReminderDateTime, CallDurationInSeconds FROM Task WHERE Subject = 'Typed'");
  const r = rec.records[0]!;
  assert.deepEqual(
    [r.IsReminderSet, r.ActivityDate, r.ReminderDateTime, r.CallDurationInSeconds],
    [true, '2026-12-01', '2026-11-30T08:15:00.000+0000', 90],
  );
});

test('job creation errors', async () => {
  // Bulk API 2.0 error bodies are arrays of {errorCode, message}.
  const unknown = await createJob({ object: 'Leed', operation: 'insert' });
  assert.equal(unknown.status, 400);
  assert.deepEqual(unknown.json, [{ errorCode: 'INVALIDJOB', message: 'InvalidJob : Unable to find object: Leed' }]);
  const noExt = await createJob({ object: 'Task', operation: 'upsert' });
  assert.deepEqual(noExt.json, [
    {
      errorCode: 'INVALIDJOB',
      message: 'InvalidJob : External ID was blank for Task. An External ID must be specified for upsert.',
    },
  ]);
  const badExt = await createJob({ object: 'Task', operation: 'upsert', externalIdFieldName: 'Subject' });
  assert.deepEqual(badExt.json, [
    {
      errorCode: 'INVALIDJOB',
      message:
        'InvalidJob : Field name provided, Subject does not match an External ID, Salesforce Id, or indexed field for Task',
    },
  ]);
  const badOp = await createJob({ object: 'Lead', operation: 'merge' });
  assert.equal(badOp.status, 400);
  assert.equal(badOp.json[0].errorCode, 'INVALIDJOB');
});

test('state rules: one upload per job, delete only when terminated, unknown ids', async () => {
  const created = await createJob({ object: 'Lead', operation: 'insert' });
  const id = created.json.id as string;
  // Guide, "Delete a Job" / "Delete a Query Job": only terminated jobs can be deleted.
  const early = await h.http(`/jobs/ingest/${id}`, { method: 'DELETE' });
  assert.equal(early.status, 400);
  assert.deepEqual(early.json, [
    { errorCode: 'API_ERROR', message: 'Error encountered when deleting the job because the job is not terminated' },
  ]);
  assert.equal(
    (
      await h.http(`/jobs/ingest/${id}/batches`, {
        method: 'PUT',
        body: 'LastName,Company\nA,B\n',
        headers: { 'Content-Type': 'text/csv' },
      })
    ).status,
    201,
  );
  const second = await h.http(`/jobs/ingest/${id}/batches`, {
    method: 'PUT',
    body: 'LastName,Company\nC,D\n',
    headers: { 'Content-Type': 'text/csv' },
  });
  assert.equal(second.status, 400);
  assert.equal(second.json[0].errorCode, 'INVALIDJOBSTATE');
  // Abort → unprocessed records hold the uploaded rows.
  const aborted = await h.http(`/jobs/ingest/${id}`, { method: 'PATCH', body: { state: 'Aborted' } });
  assert.equal(aborted.status, 200);
  assert.equal(aborted.json.state, 'Aborted');
  assert.equal((await h.http(`/jobs/ingest/${id}/unprocessedrecords`)).text, 'LastName,Company\n"A","B"\n');
  const again = await h.http(`/jobs/ingest/${id}`, { method: 'PATCH', body: { state: 'Aborted' } });
  assert.deepEqual(again.json, [{ errorCode: 'INVALIDJOBSTATE', message: 'Aborting already Aborted Job not allowed' }]);
  const deleted = await h.http(`/jobs/ingest/${id}`, { method: 'DELETE' });
  assert.equal(deleted.status, 204);
  // Guide, "Get Information About an Ingest Job": a deleted job is 404 with this body.
  const gone = await h.http(`/jobs/ingest/${id}`);
  assert.equal(gone.status, 404);
  assert.deepEqual(gone.json, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
});

test('GET /jobs/ingest lists jobs with done and nextRecordsUrl', async () => {
  // Guide, "Get Information About All Ingest Jobs": {done, records[], nextRecordsUrl} (null when done).
  const list = await h.http('/jobs/ingest');
  assert.equal(list.status, 200);
  assert.equal(list.json.done, true);
  assert.equal(list.json.nextRecordsUrl, null);
  assert.ok(list.json.records.length >= 5);
  assert.deepEqual(
    Object.keys(list.json.records[0]).filter((k) => k !== 'externalIdFieldName'),
    [
      'id',
      'operation',
      'object',
      'createdById',
      'createdDate',
      'systemModstamp',
      'state',
      'concurrencyMode',
      'contentType',
      'apiVersion',
      'jobType',
      'lineEnding',
      'columnDelimiter',
    ],
  );
});

test('internal batches of 10,000 records count against DailyBulkApiBatches; requests count as API calls', async () => {
  const before = (await h.http('/limits')).json;
  const rows = Array.from({ length: 10_001 }, (_, i) => `Batch${i},Volume Co`).join('\n');
  const { info } = await runJob({ object: 'Lead', operation: 'insert' }, `LastName,Company\n${rows}\n`);
  assert.equal(info.state, 'JobComplete');
  assert.equal(info.numberRecordsProcessed, 10_001);
  const afterLimits = (await h.http('/limits')).json;
  assert.equal(before.DailyBulkApiBatches.Remaining - afterLimits.DailyBulkApiBatches.Remaining, 2);
  // Every Bulk request is an API request: create, PUT, PATCH, the polls, and the two /limits calls.
  assert.ok(before.DailyApiRequests.Remaining - afterLimits.DailyApiRequests.Remaining >= 5);
  const usage = await h.control('/usage');
  assert.ok(usage.byEndpoint['PUT /jobs/ingest/:jobId/batches'] >= 1);
});

test('a job stops when the daily batch allocation is spent; the rest is unprocessed', async () => {
  const limits = (await h.control('/limits')).DailyBulkApiBatches;
  await h.control('/limits', { DailyBulkApiBatches: { Max: limits.Max, Remaining: 0 } });
  try {
    const { id, info } = await runJob({ object: 'Lead', operation: 'insert' }, 'LastName,Company\nOver,Quota\n');
    assert.equal(info.state, 'Failed');
    assert.equal(info.numberRecordsProcessed, 0);
    assert.equal((await h.http(`/jobs/ingest/${id}/unprocessedrecords`)).text, 'LastName,Company\n"Over","Quota"\n');
  } finally {
    await h.control('/limits', { DailyBulkApiBatches: { Max: limits.Max, Remaining: limits.Max } });
  }
});

test('an empty upload completes with no results, whatever the operation', async () => {
  // jsforce's own bulk2 tests ("bulk update/delete with empty input and not raise client input
  // error") expect Salesforce to complete such a job with empty successful, failed and
  // unprocessed results.
  for (const operation of ['insert', 'delete']) {
    const res = await h.conn.bulk2.loadAndWaitForResults({
      object: 'Account',
      operation: operation as 'insert',
      input: [],
    });
    assert.deepEqual(res.successfulResults, []);
    assert.deepEqual(res.failedResults, []);
    assert.deepEqual(res.unprocessedRecords, []);
  }
});

test('upsert on Id without an Id column inserts every row', async () => {
  // REST API Developer Guide, "Insert Records Using Id as the External ID": upsert on Id without
  // an Id inserts; jsforce's bulk2 test "upsert from CSV file using backquote" expects
  // sf__Created true for all rows of such a job.
  const { id, info } = await runJob(
    { object: 'Account', operation: 'upsert', externalIdFieldName: 'Id', columnDelimiter: 'BACKQUOTE' },
    'NAME`TYPE`ANNUALREVENUE\nUpsert By Id One`Prospect`10\nUpsert By Id Two`Other`20\n',
  );
  assert.equal(info.state, 'JobComplete');
  assert.equal(info.numberRecordsFailed, 0);
  const ok = await h.http(`/jobs/ingest/${id}/successfulResults`);
  const lines = ok.text.trim().split('\n');
  assert.equal(lines.length, 3);
  assert.ok(
    lines.slice(1).every((l) => /^"001\w{15}"`"true"`/.test(l)),
    ok.text,
  );
});

test("every standard Account column jsforce's CSV fixture uses is accepted", async () => {
  // jsforce test/data/Account_bulk2_test.csv header: Account's standard fields of the Object Reference.
  const header =
    'NAME,TYPE,PARENTID,BILLINGSTREET,BILLINGCITY,BILLINGSTATE,BILLINGPOSTALCODE,BILLINGCOUNTRY,SHIPPINGSTREET,SHIPPINGCITY,SHIPPINGSTATE,SHIPPINGPOSTALCODE,SHIPPINGCOUNTRY,PHONE,FAX,ACCOUNTNUMBER,WEBSITE,SIC,INDUSTRY,ANNUALREVENUE,NUMBEROFEMPLOYEES,OWNERSHIP,TICKERSYMBOL,DESCRIPTION,RATING,SITE,JIGSAW,JIGSAWCOMPANYID,ACCOUNTSOURCE,SICDESC';
  const row =
    'Standard Columns Inc,Prospect,,1 Main St,Springfield,CA,94000,US,,,,,,555-0100,,SC-1,https://sc.example,7372,Technology,1000,12,Public,STDC,Described,Hot,HQ,,,Web,Software';
  const { info, id } = await runJob({ object: 'Account', operation: 'insert' }, `${header}\n${row}\n`);
  assert.equal(info.state, 'JobComplete', info.errorMessage);
  const failed = await h.http(`/jobs/ingest/${id}/failedResults`);
  // The row leaves read-only JigsawCompanyId empty, so nothing fails.
  assert.equal(info.numberRecordsFailed, 0, failed.text);
});

test('a lock fault on the request that closes a job fails every row with UNABLE_TO_LOCK_ROW, and nothing is written', async () => {
  await h.control('/faults', { method: 'PATCH', path: '/jobs/ingest/*', errorCode: 'UNABLE_TO_LOCK_ROW' });
  const { id, info } = await runJob(
    { object: 'Account', operation: 'insert', lineEnding: 'LF' },
    'Name\nLocked One\nLocked Two\n',
  );
  assert.equal(info.state, 'JobComplete');
  assert.equal(info.numberRecordsProcessed, 2);
  assert.equal(info.numberRecordsFailed, 2);
  const failed = await h.http(`/jobs/ingest/${id}/failedResults`);
  assert.equal(
    failed.text,
    '"sf__Id","sf__Error",Name\n' +
      '"","UNABLE_TO_LOCK_ROW:unable to obtain exclusive access to this record or 1 records:--","Locked One"\n' +
      '"","UNABLE_TO_LOCK_ROW:unable to obtain exclusive access to this record or 1 records:--","Locked Two"\n',
  );
  const rows = await h.http(`/query?q=${encodeURIComponent("SELECT Id FROM Account WHERE Name LIKE 'Locked %'")}`);
  assert.equal(rows.json.totalSize, 0);
  // The fault was used up by that close: the next job writes.
  const next = await runJob({ object: 'Account', operation: 'insert', lineEnding: 'LF' }, 'Name\nUnlocked\n');
  assert.equal(next.info.numberRecordsFailed, 0);
});
