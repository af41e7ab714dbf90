// sObject resources over the wire and through jsforce: create, retrieve, update, delete, upsert by
// external id, and the errors Salesforce returns for them.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startOrg, q, V, type TestOrg } from './helpers.js';

let org: TestOrg;
before(async () => {
  org = await startOrg();
});
after(() => org.close());

describe('create, retrieve, update, delete', () => {
  it('creates with 201, Location and the documented body', async () => {
    // REST API Developer Guide, "Create a Record": 201 {"id","errors":[],"success":true} + Location.
    const res = await org.api('/sobjects/Account', { method: 'POST', body: { Name: 'Wire Test Inc' } });
    assert.equal(res.status, 201);
    assert.deepEqual(Object.keys(res.body).sort(), ['errors', 'id', 'success']);
    assert.equal(res.body.success, true);
    assert.match(res.body.id, /^001[A-Za-z0-9]{15}$/);
    assert.equal(res.headers.get('location'), `/services/data/v${V}/sobjects/Account/${res.body.id}`);
    assert.match(res.headers.get('sforce-limit-info') ?? '', /^api-usage=\d+\/100000$/);
  });

  it('answers required fields, lengths, emails and picklists with Salesforce codes and fields', async () => {
    // Messages as Salesforce sends them (Object Reference lengths; error bodies recorded in
    // restforce spec/fixtures and NPSP issue #5456 for the restricted picklist wording).
    const missing = await org.api('/sobjects/Lead', { method: 'POST', body: { LastName: 'Only' } });
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body, [
      { errorCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Company]', fields: ['Company'] },
    ]);

    const both = await org.api('/sobjects/Lead', { method: 'POST', body: { FirstName: 'x' } });
    assert.deepEqual(both.body[0].fields, ['LastName', 'Company']);

    const long = 'a'.repeat(41);
    const tooLong = await org.api('/sobjects/Lead', {
      method: 'POST',
      body: { LastName: 'L', Company: 'C', FirstName: long },
    });
    assert.deepEqual(tooLong.body, [
      {
        errorCode: 'STRING_TOO_LONG',
        message: `First Name: data value too large: ${long} (max length=40)`,
        fields: ['FirstName'],
      },
    ]);

    const email = await org.api('/sobjects/Contact', {
      method: 'POST',
      body: { LastName: 'L', Email: 'not an email' },
    });
    assert.deepEqual(email.body, [
      { errorCode: 'INVALID_EMAIL_ADDRESS', message: 'Email: invalid email address: not an email', fields: ['Email'] },
    ]);

    const pick = await org.api('/sobjects/Task', { method: 'POST', body: { Subject: 's', Status: 'Bogus' } });
    assert.deepEqual(pick.body, [
      {
        errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
        message: 'Status: bad value for restricted picklist field: Bogus',
        fields: ['Status'],
      },
    ]);

    const account = await org.api('/sobjects/Account', { method: 'POST', body: {} });
    assert.equal(account.body[0].errorCode, 'REQUIRED_FIELD_MISSING');
    assert.deepEqual(account.body[0].fields, ['Name']);
  });

  it('refuses read-only and unknown fields', async () => {
    const ro = await org.api('/sobjects/Lead', {
      method: 'POST',
      body: { LastName: 'L', Company: 'C', IsConverted: true },
    });
    assert.deepEqual(ro.body, [
      {
        errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
        message:
          'Unable to create/update fields: IsConverted. Please check the security settings of this field and verify that it is read/write for your profile or permission set.',
        fields: ['IsConverted'],
      },
    ]);
    const unknown = await org.api('/sobjects/Lead', {
      method: 'POST',
      body: { LastName: 'L', Company: 'C', Foo__c: 1 },
    });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body[0].errorCode, 'INVALID_FIELD');
    assert.match(unknown.body[0].message, /No such column 'Foo__c' on sobject of type Lead/);
  });

  it('retrieves with ?fields=, updates with 204, deletes with 204 and then reports ENTITY_IS_DELETED', async () => {
    const created = await org.conn
      .sobject('Contact')
      .create({ LastName: 'Lovelace', FirstName: 'Ada', Email: 'ada@example.com' });
    const id = (created as { id: string }).id;
    const got = await org.api(`/sobjects/Contact/${id}?fields=Name,Email`);
    // REST API Developer Guide, "Get Field Values from a Standard Object Record".
    assert.deepEqual(got.body, {
      attributes: { type: 'Contact', url: `/services/data/v${V}/sobjects/Contact/${id}` },
      Name: 'Ada Lovelace',
      Email: 'ada@example.com',
    });
    // A 15-character id is accepted and answered with 18.
    const short = await org.api(`/sobjects/Contact/${id.slice(0, 15)}?fields=Id`);
    assert.equal(short.body.Id, id);

    const upd = await org.api(`/sobjects/Contact/${id}`, { method: 'PATCH', body: { Title: 'Countess' } });
    assert.equal(upd.status, 204);
    assert.equal(upd.text, '');
    const row = await org.conn.sobject('Contact').retrieve(id);
    assert.equal((row as Record<string, unknown>).Title, 'Countess');

    const del = await org.api(`/sobjects/Contact/${id}`, { method: 'DELETE' });
    assert.equal(del.status, 204);
    const again = await org.api(`/sobjects/Contact/${id}`, { method: 'DELETE' });
    assert.equal(again.status, 404);
    assert.equal(again.body[0].errorCode, 'ENTITY_IS_DELETED');
    const all = await org.api(
      `/queryAll?q=${encodeURIComponent(`SELECT Id, IsDeleted FROM Contact WHERE Id = '${id}'`)}`,
    );
    assert.equal(all.body.records[0].IsDeleted, true);
  });

  it('creates through POST /sobjects/{Type}/Id and answers HEAD like GET without a body', async () => {
    // REST API Developer Guide, "Create Records Using sObject Rows by External ID" (v37.0+).
    const res = await org.api('/sobjects/Account/Id', { method: 'POST', body: { Name: 'Via Id' } });
    assert.equal(res.status, 201);
    const head = await org.api('/sobjects/Account/describe', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.text, '');
  });

  it('honours conditional request headers on sObject Rows', async () => {
    // REST API Developer Guide, "Conditional Request Headers": ETag/If-Match/If-None-Match on
    // Account rows, If-Modified-Since → 304, If-Unmodified-Since → 412.
    const { id } = (await org.api('/sobjects/Account', { method: 'POST', body: { Name: 'Cond' } })).body as {
      id: string;
    };
    const got = await org.api(`/sobjects/Account/${id}`);
    const etag = got.headers.get('etag')!;
    assert.match(etag, /^"[A-Za-z0-9+/=]+-gzip"$/);
    assert.equal((await org.api(`/sobjects/Account/${id}`, { headers: { 'If-None-Match': etag } })).status, 304);
    const later = new Date(Date.now() + 60_000).toUTCString();
    const earlier = 'Tue, 10 Aug 2015 00:00:00 GMT';
    assert.equal((await org.api(`/sobjects/Account/${id}`, { headers: { 'If-Modified-Since': later } })).status, 304);
    assert.equal(
      (
        await org.api(`/sobjects/Account/${id}`, {
          method: 'PATCH',
          body: { Phone: '1' },
          headers: { 'If-Unmodified-Since': earlier },
        })
      ).status,
      412,
    );
    assert.equal(
      (
        await org.api(`/sobjects/Account/${id}`, {
          method: 'PATCH',
          body: { Phone: '1' },
          headers: { 'If-Match': '"stale-gzip"' },
        })
      ).status,
      412,
    );
    assert.equal(
      (
        await org.api(`/sobjects/Account/${id}`, {
          method: 'PATCH',
          body: { Phone: '1' },
          headers: { 'If-Match': etag },
        })
      ).status,
      204,
    );
  });

  it('answers 404 NOT_FOUND for unknown objects and records', async () => {
    const type = await org.api('/sobjects/Nope__c', { method: 'POST', body: {} });
    assert.equal(type.status, 404);
    assert.deepEqual(type.body, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
    const rec = await org.api('/sobjects/Account/001000000000000AAA');
    assert.equal(rec.status, 404);
    // REST API Developer Guide, "Status Codes and Error Responses": MALFORMED_ID with the field.
    const contactId = (await org.conn.query<{ Id: string }>('SELECT Id FROM Contact LIMIT 1')).records[0]!.Id;
    const wrongType = await org.api(`/sobjects/Account/${contactId}`, { method: 'PATCH', body: { Name: 'x' } });
    assert.deepEqual(wrongType.body, [
      { errorCode: 'MALFORMED_ID', message: `Account ID: id value of incorrect type: ${contactId}`, fields: ['Id'] },
    ]);
    const badChecksum = await org.api('/sobjects/Account/001000000000000XYZ');
    assert.equal(badChecksum.body[0].errorCode, 'MALFORMED_ID');
  });

  it('defaults OwnerId to the running user and Task Status/Priority', async () => {
    const res = await org.conn.sobject('Task').create({ Subject: 'Defaults' });
    const task = (await org.conn.sobject('Task').retrieve((res as { id: string }).id)) as Record<string, unknown>;
    const identity = await org.conn.identity();
    assert.equal(task.OwnerId, identity.user_id);
    assert.equal(task.Status, 'Not Started');
    assert.equal(task.Priority, 'Normal');
    assert.equal(task.IsClosed, false);
    assert.equal(task.TaskSubtype, 'Task');
  });
});

describe('upsert by external id', () => {
  it('creates (201 created:true), then updates (200 created:false)', async () => {
    // REST API Developer Guide, "Insert or Update (Upsert) a Record Using an External ID" (v46+).
    const first = await org.api('/sobjects/Task/relay__ExternalKey__c/ws_1:visit_1', {
      method: 'PATCH',
      body: { Subject: 'Visit' },
    });
    assert.equal(first.status, 201);
    assert.deepEqual(Object.keys(first.body).sort(), ['created', 'errors', 'id', 'success']);
    assert.equal(first.body.created, true);
    const second = await org.api('/sobjects/Task/relay__ExternalKey__c/ws_1:visit_1', {
      method: 'PATCH',
      body: { Subject: 'Visit again' },
    });
    assert.equal(second.status, 200);
    assert.deepEqual(second.body, { id: first.body.id, success: true, errors: [], created: false });
    // The key is case-sensitive (ExternalKey__c.field-meta.xml): another case is another Task.
    const other = await org.api('/sobjects/Task/relay__ExternalKey__c/WS_1:VISIT_1', {
      method: 'PATCH',
      body: { Subject: 'Other' },
    });
    assert.equal(other.status, 201);
  });

  it('refuses an external id in the body that differs from the URL', async () => {
    // The guide: "Do not specify Id or an external ID field in the request body".
    const res = await org.api('/sobjects/Task/relay__ExternalKey__c/url-key', {
      method: 'PATCH',
      body: { relay__ExternalKey__c: 'body-key' },
    });
    assert.equal(res.status, 400);
    assert.equal(res.body[0].errorCode, 'INVALID_FIELD');
    const withId = await org.api('/sobjects/Task/relay__ExternalKey__c/url-key', {
      method: 'PATCH',
      body: { Id: '00T000000000000AAA' },
    });
    assert.equal(withId.status, 400);
  });

  it('honours ?updateOnly=true (404 instead of creating)', async () => {
    // REST API Developer Guide, "Insert or Update (Upsert) a Record Using an External ID": updateOnly.
    const res = await org.api('/sobjects/Task/relay__ExternalKey__c/never-created?updateOnly=true', {
      method: 'PATCH',
      body: { Subject: 'x' },
    });
    assert.equal(res.status, 404);
    assert.equal(
      (await org.conn.query("SELECT COUNT() FROM Task WHERE relay__ExternalKey__c = 'never-created'")).totalSize,
      0,
    );
  });

  it('answers 404 for an unknown external id field', async () => {
    // REST API Developer Guide (upsert): 404 [{"message":"Provided external ID field does not exist or is not accessible: Namez","errorCode":"NOT_FOUND"}]
    const res = await org.api('/sobjects/Account/Namez/x', { method: 'PATCH', body: { Name: 'x' } });
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, [
      { message: 'Provided external ID field does not exist or is not accessible: Namez', errorCode: 'NOT_FOUND' },
    ]);
  });

  it('answers 300 with the record URLs when the value matches several records', async () => {
    // Contact.Email is an idLookup field, usable for upsert and not unique.
    const a = await org.conn.sobject('Contact').create({ LastName: 'Twin', Email: 'twin@example.com' });
    const b = await org.conn.sobject('Contact').create({ LastName: 'Twin', Email: 'twin@example.com' });
    const res = await org.api('/sobjects/Contact/Email/twin@example.com', { method: 'PATCH', body: { Title: 'x' } });
    assert.equal(res.status, 300);
    assert.deepEqual(
      [...res.body].sort(),
      [(a as { id: string }).id, (b as { id: string }).id]
        .map((id) => `/services/data/v${V}/sobjects/Contact/${id}`)
        .sort(),
    );
  });

  it('keeps the unique external id unique (DUPLICATE_VALUE)', async () => {
    // Recorded bodies name the clashing record by its 15-character id ("… on record with id: 001U000001c83gK").
    const first = await org.conn.sobject('Task').create({ Subject: 'u', relay__ExternalKey__c: 'dup-key' });
    const res = await org.api('/sobjects/Task', {
      method: 'POST',
      body: { Subject: 'u', relay__ExternalKey__c: 'dup-key' },
    });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, [
      {
        errorCode: 'DUPLICATE_VALUE',
        message: `duplicate value found: relay__ExternalKey__c duplicates value on record with id: ${(first as { id: string }).id.slice(0, 15)}`,
        fields: [],
      },
    ]);
  });

  it('upserts through jsforce', async () => {
    const r1 = await org.conn
      .sobject('Task')
      .upsert({ relay__ExternalKey__c: 'jsf:1', Subject: 'one' }, 'relay__ExternalKey__c');
    const r2 = await org.conn
      .sobject('Task')
      .upsert({ relay__ExternalKey__c: 'jsf:1', Subject: 'two' }, 'relay__ExternalKey__c');
    assert.equal((r1 as { created: boolean }).created, true);
    assert.equal((r2 as { created: boolean }).created, false);
    const rows = await org.conn.query(`SELECT Subject FROM Task WHERE relay__ExternalKey__c = 'jsf:1'`);
    assert.equal(rows.totalSize, 1);
    assert.equal((rows.records[0] as Record<string, unknown>).Subject, 'two');
  });
});

describe('getUpdated and getDeleted', () => {
  it('reports changes in whole minutes, up to latestDateCovered', async () => {
    // REST API Developer Guide, "Get a List of Updated Records" / "Get a List of Deleted Records".
    const start = new Date(Date.now() - 60_000).toISOString();
    const created = (await org.conn.sobject('Account').create({ Name: 'Replicated' })) as { id: string };
    const gone = (await org.conn.sobject('Account').create({ Name: 'Deleted soon' })) as { id: string };
    await org.conn.sobject('Account').destroy(gone.id);
    // Move the org's clock two minutes on so the current minute is covered.
    await org.control('/clock', { advanceMs: 120_000 });
    const end = new Date(Date.now() + 120_000).toISOString();
    const updated = await org.api(
      `/sobjects/Account/updated/?start=${encodeURIComponent(start)}&end=${encodeURIComponent(end)}`,
    );
    assert.equal(updated.status, 200);
    assert.ok(updated.body.ids.includes(created.id));
    assert.match(updated.body.latestDateCovered, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000\+0000$/);
    const deleted = await org.api(
      `/sobjects/Account/deleted/?start=${encodeURIComponent(start)}&end=${encodeURIComponent(end)}`,
    );
    assert.deepEqual(
      deleted.body.deletedRecords.map((d: { id: string }) => d.id),
      [gone.id],
    );
    assert.ok('earliestDateAvailable' in deleted.body && 'latestDateCovered' in deleted.body);
    const old = await org.api(
      `/sobjects/Account/updated/?start=${encodeURIComponent('2020-01-01T00:00:00Z')}&end=${encodeURIComponent(end)}`,
    );
    assert.equal(old.status, 400);
    await org.control('/clock', { offsetMs: 0 });
  });
});

describe('query', () => {
  it('pages by nextRecordsUrl with Sforce-Query-Options batchSize', async () => {
    const first = await org.api(q('SELECT Id FROM Lead'), { headers: { 'Sforce-Query-Options': 'batchSize=200' } });
    assert.equal(first.status, 200);
    assert.equal(first.body.done, false);
    assert.equal(first.body.records.length, 200);
    assert.match(first.body.nextRecordsUrl, new RegExp(`^/services/data/v${V}/query/01g[A-Za-z0-9]{15}-200$`));
    const second = await org.api(first.body.nextRecordsUrl);
    assert.equal(second.body.totalSize, first.body.totalSize);
    assert.equal(second.body.records.length, first.body.totalSize - 200);
    assert.equal(second.body.done, true);
    assert.equal(second.body.nextRecordsUrl, undefined);
  });

  it('answers COUNT() with totalSize and no records, and SOQL errors as 400 arrays', async () => {
    const count = await org.api(q('SELECT COUNT() FROM Lead WHERE IsConverted = true'));
    assert.deepEqual(count.body, { totalSize: 20, done: true, records: [] });
    const bad = await org.api(q('SELECT Nope FROM Lead'));
    assert.equal(bad.status, 400);
    assert.equal(bad.body[0].errorCode, 'INVALID_FIELD');
  });

  it('answers 414 above 16,384 bytes of URI', async () => {
    const res = await org.api(q(`SELECT Id FROM Lead WHERE Email IN ('${'x'.repeat(17000)}')`));
    assert.equal(res.status, 414);
  });

  it('finds converted leads and follows parent relationships', async () => {
    const rows = await org.conn.query<{ ConvertedContactId: string; ConvertedContact: { Email: string } }>(
      'SELECT Id, Email, ConvertedContactId, ConvertedContact.Email FROM Lead WHERE IsConverted = true LIMIT 3',
    );
    assert.equal(rows.totalSize, 3);
    for (const r of rows.records) {
      assert.match(r.ConvertedContactId, /^003/);
      assert.equal(typeof r.ConvertedContact.Email, 'string');
    }
  });
});
