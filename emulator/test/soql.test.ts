// The SOQL engine against an in-memory data source: result shapes, WHERE semantics, ordering,
// paging clauses, COUNT() and aggregates. Expected bodies follow the REST API Developer Guide
// ("Execute a SOQL Query": `{"totalSize","done","records":[{"attributes":{"type","url"},…}]}`, of
// which the engine produces totalSize and records) and the SOQL and SOSL Reference pages cited per
// test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { executeSoql, runSoql } from '../src/soql/index.js';
import { MemorySource, NOW, makeId, sampleOrg } from './soql-fixture.js';

const org = sampleOrg();
const run = (q: string, includeDeleted = false) => executeSoql(q, org, { includeDeleted, now: NOW });
const ids = (q: string, includeDeleted = false) => run(q, includeDeleted).records.map((r) => r.Id);
const url = (type: string, id: string) => `/services/data/v62.0/sobjects/${type}/${id}`;

test('records carry attributes, then the selected fields in SELECT order with canonical names', () => {
  // REST API Developer Guide, "Execute a SOQL Query": each record starts with
  // {"attributes":{"type":"Account","url":"/services/data/vXX.X/sobjects/Account/001…"}}.
  const res = run("select email, ID, lastname from contact where email = 'carla@acme.test'");
  assert.deepEqual(res, {
    totalSize: 1,
    records: [
      {
        attributes: { type: 'Contact', url: url('Contact', makeId('003', 1)) },
        Email: 'carla@acme.test',
        Id: makeId('003', 1),
        LastName: 'Diaz',
      },
    ],
  });
  assert.deepEqual(Object.keys(res.records[0]!), ['attributes', 'Email', 'Id', 'LastName']);
});

test('the API version goes into attributes.url', () => {
  const res = executeSoql('SELECT Id FROM Account LIMIT 1', org, { includeDeleted: false, apiVersion: '58.0' });
  assert.equal(
    (res.records[0]!.attributes as { url: string }).url,
    `/services/data/v58.0/sobjects/Account/${makeId('001', 1)}`,
  );
});

test('object names are case-insensitive, including custom metadata types', () => {
  // SOQL reference, "SELECT": object names are case-insensitive. Custom metadata is queried as
  // ns__Type__mdt (Custom Metadata Types Implementation Guide).
  assert.deepEqual(run('SELECT DeveloperName, relay__Value__c FROM RELAY__SYNCSETTING__MDT').records, [
    {
      attributes: { type: 'relay__SyncSetting__mdt', url: url('relay__SyncSetting__mdt', makeId('m00', 1)) },
      DeveloperName: 'RelayActive',
      relay__Value__c: 'true',
    },
  ]);
});

test('parent fields nest under the relationship with their own attributes; empty references are null', () => {
  // SOQL reference, "Relationship Queries"; REST shape as recorded in restforce
  // spec/fixtures/sobject/query_success_response.json (nested "attributes").
  const res = run(
    'SELECT Id, Account.Name, Account.Owner.Email, Email FROM Contact WHERE LastName != null ORDER BY LastName',
  );
  assert.deepEqual(res.records, [
    {
      attributes: { type: 'Contact', url: url('Contact', makeId('003', 1)) },
      Id: makeId('003', 1),
      Account: {
        attributes: { type: 'Account', url: url('Account', makeId('001', 1)) },
        Name: 'Acme',
        Owner: { attributes: { type: 'User', url: url('User', makeId('005', 1)) }, Email: 'admin@relay.test' },
      },
      Email: 'carla@acme.test',
    },
    {
      attributes: { type: 'Contact', url: url('Contact', makeId('003', 3)) },
      Id: makeId('003', 3),
      Account: null,
      Email: null,
    },
    {
      attributes: { type: 'Contact', url: url('Contact', makeId('003', 2)) },
      Id: makeId('003', 2),
      Account: {
        attributes: { type: 'Account', url: url('Account', makeId('001', 2)) },
        Name: 'Globex',
        Owner: { attributes: { type: 'User', url: url('User', makeId('005', 2)) }, Email: 'sam@relay.test' },
      },
      Email: 'obrien@globex.test',
    },
  ]);
});

test('polymorphic relationships go through the Name entity, with Type', () => {
  // SOQL reference, "Understanding Relationship Fields and Polymorphic Fields" and Object
  // Reference "Name": Who/What/Owner expose Name fields (Name, Type, Email …) of any parent type.
  const res = run("SELECT Subject, Who.Name, Who.Type, What.Name FROM Task WHERE Who.Type = 'Lead'");
  assert.deepEqual(res.records, [
    {
      attributes: { type: 'Task', url: url('Task', makeId('00T', 2)) },
      Subject: 'Email',
      Who: { attributes: { type: 'Name', url: url('Lead', makeId('00Q', 1)) }, Name: 'Lena Lopez', Type: 'Lead' },
      What: null,
    },
  ]);
  // A queue-owned Lead: Owner.Email is null, Owner.Name the queue's.
  const owners = run("SELECT Owner.Name, Owner.Email FROM Lead WHERE Email = 'max@hooli.test'").records;
  assert.deepEqual(owners[0]!.Owner, {
    attributes: { type: 'Name', url: url('Group', makeId('00G', 1)) },
    Name: 'Lead Queue',
    Email: null,
  });
});

test('TYPEOF picks fields by the parent type', () => {
  // SOQL reference, "TYPEOF".
  const res = run('SELECT TYPEOF What WHEN Account THEN Name, Industry ELSE Name END FROM Task WHERE WhatId != null');
  assert.deepEqual(res.records[0]!.What, {
    attributes: { type: 'Account', url: url('Account', makeId('001', 1)) },
    Name: 'Acme',
    Industry: 'Energy',
  });
});

test('= and IN compare text case-insensitively; != and NOT IN keep nulls', () => {
  // SOQL reference, "Comparison Operators": = is case-insensitive for text; != returns null values.
  assert.deepEqual(ids("SELECT Id FROM Lead WHERE Email = 'LENA@initech.TEST'"), [makeId('00Q', 1)]);
  assert.deepEqual(ids("SELECT Id FROM Lead WHERE Email IN ('max@HOOLI.test', 'nobody@x.test')"), [makeId('00Q', 2)]);
  assert.deepEqual(ids("SELECT Id FROM Lead WHERE Email != 'max@hooli.test'"), [makeId('00Q', 1), makeId('00Q', 3)]);
  assert.deepEqual(ids("SELECT Id FROM Lead WHERE Email <> 'max@hooli.test'"), [makeId('00Q', 1), makeId('00Q', 3)]);
  assert.deepEqual(ids("SELECT Id FROM Lead WHERE Email NOT IN ('max@hooli.test')"), [
    makeId('00Q', 1),
    makeId('00Q', 3),
  ]);
  assert.deepEqual(ids('SELECT Id FROM Lead WHERE Email = null'), [makeId('00Q', 3)]);
  assert.deepEqual(ids('SELECT Id FROM Lead WHERE Email != NULL'), [makeId('00Q', 1), makeId('00Q', 2)]);
  assert.deepEqual(ids("SELECT Id FROM Lead WHERE Email IN ('max@hooli.test', null)"), [
    makeId('00Q', 2),
    makeId('00Q', 3),
  ]);
});

test('unique case-sensitive text fields compare case-sensitively', () => {
  // SOQL reference, "Comparison Operators": "Comparisons on strings are case-sensitive for unique
  // case-sensitive fields" — the package's relay__ExternalKey__c is one.
  assert.deepEqual(ids("SELECT Id FROM Task WHERE relay__ExternalKey__c = 'evt-1'"), [makeId('00T', 1)]);
  assert.deepEqual(ids("SELECT Id FROM Task WHERE relay__ExternalKey__c = 'EVT-1'"), []);
  assert.deepEqual(ids("SELECT Id FROM Task WHERE relay__ExternalKey__c IN ('EVT-1', 'evt-2')"), [makeId('00T', 2)]);
  assert.deepEqual(ids("SELECT Id FROM Task WHERE relay__ExternalKey__c LIKE 'EVT%'"), []);
  assert.deepEqual(ids("SELECT Id FROM Task WHERE Subject = 'CALL'"), [makeId('00T', 1)]);
});

test('ids match in their 15- and 18-character forms', () => {
  const id18 = makeId('003', 1);
  assert.deepEqual(ids(`SELECT Id FROM Contact WHERE Id = '${id18.slice(0, 15)}'`), [id18]);
  assert.deepEqual(ids(`SELECT Id FROM Contact WHERE AccountId IN ('${makeId('001', 2)}')`), [makeId('003', 2)]);
});

test('numbers, booleans and ranges', () => {
  assert.deepEqual(ids('SELECT Id FROM Account WHERE NumberOfEmployees > 100'), [makeId('001', 1)]);
  assert.deepEqual(ids('SELECT Id FROM Account WHERE NumberOfEmployees <= 15'), [makeId('001', 2)]);
  assert.deepEqual(ids('SELECT Id FROM Account WHERE AnnualRevenue >= 1000.50'), [makeId('001', 1)]);
  assert.deepEqual(ids('SELECT Id FROM Lead WHERE relay__Score__c < -1'), []);
  assert.deepEqual(ids('SELECT Id FROM Lead WHERE IsConverted = TRUE'), [makeId('00Q', 3)]);
  assert.deepEqual(ids("SELECT Id FROM Lead WHERE Name > 'm'"), [makeId('00Q', 2), makeId('00Q', 3)]);
});

test('LIKE: % and _ wildcards, escaped literals, case-insensitive', () => {
  // SOQL reference, "Comparison Operators" (LIKE) and "Quoted String Escape Sequences" (\% \_).
  assert.deepEqual(ids("SELECT Id FROM Lead WHERE Company LIKE 'ini%'"), [makeId('00Q', 1)]);
  assert.deepEqual(ids("SELECT Id FROM Lead WHERE Company LIKE 'h_OLI'"), [makeId('00Q', 2)]);
  assert.deepEqual(ids("SELECT Id FROM Lead WHERE Company LIKE '100\\% Widgets\\_%'"), [makeId('00Q', 3)]);
  assert.deepEqual(ids("SELECT Id FROM Lead WHERE Company LIKE '100\\%X%'"), []);
  assert.deepEqual(ids("SELECT Id FROM Contact WHERE LastName LIKE 'O\\'B%'"), [makeId('003', 2)]);
});

test('INCLUDES and EXCLUDES on multi-select picklists', () => {
  // SOQL reference, "Querying Multi-Select Picklists": ';' means AND inside one string, ',' OR.
  assert.deepEqual(ids("SELECT Id FROM Lead WHERE relay__Interests__c INCLUDES ('email;webinars')"), [
    makeId('00Q', 1),
  ]);
  assert.deepEqual(ids("SELECT Id FROM Lead WHERE relay__Interests__c INCLUDES ('Email', 'Webinars')"), [
    makeId('00Q', 1),
    makeId('00Q', 2),
  ]);
  assert.deepEqual(ids("SELECT Id FROM Lead WHERE relay__Interests__c EXCLUDES ('Email')"), [
    makeId('00Q', 2),
    makeId('00Q', 3),
  ]);
  assert.deepEqual(ids("SELECT Id FROM Lead WHERE relay__Interests__c = 'Webinars;Email'"), [makeId('00Q', 1)]);
});

test('AND, OR, NOT and parentheses', () => {
  // SOQL reference, "Logical Operators".
  assert.deepEqual(
    ids("SELECT Id FROM Lead WHERE (Company = 'Hooli' OR Company = 'Initech') AND NOT Email LIKE 'max%'"),
    [makeId('00Q', 1)],
  );
  assert.deepEqual(ids("SELECT Id FROM Lead WHERE NOT (IsConverted = true OR Company = 'Hooli')"), [makeId('00Q', 1)]);
  assert.deepEqual(ids("SELECT Id FROM Lead WHERE Company = 'Hooli' OR Company = 'Initech' OR Company = 'x'"), [
    makeId('00Q', 1),
    makeId('00Q', 2),
  ]);
});

test('date and datetime literals, and relative date literals', () => {
  // SOQL reference, "Date Formats and Date Literals in WHERE": LAST_N_DAYS:1 covers yesterday
  // and today; TODAY is the current day; THIS_MONTH the calendar month (clock: 2026-11-22 UTC).
  assert.deepEqual(ids('SELECT Id FROM Lead WHERE CreatedDate = TODAY'), [makeId('00Q', 1)]);
  assert.deepEqual(ids('SELECT Id FROM Lead WHERE CreatedDate = YESTERDAY'), [makeId('00Q', 2)]);
  assert.deepEqual(ids('SELECT Id FROM Lead WHERE CreatedDate = LAST_N_DAYS:1'), [makeId('00Q', 1), makeId('00Q', 2)]);
  assert.deepEqual(ids('SELECT Id FROM Lead WHERE CreatedDate = THIS_MONTH'), [makeId('00Q', 1), makeId('00Q', 2)]);
  assert.deepEqual(ids('SELECT Id FROM Lead WHERE CreatedDate = LAST_MONTH'), [makeId('00Q', 3)]);
  assert.deepEqual(ids('SELECT Id FROM Lead WHERE CreatedDate < THIS_MONTH'), [makeId('00Q', 3)]);
  assert.deepEqual(ids('SELECT Id FROM Lead WHERE CreatedDate > YESTERDAY'), [makeId('00Q', 1)]);
  assert.deepEqual(ids('SELECT Id FROM Contact WHERE CreatedDate = N_DAYS_AGO:2'), [makeId('003', 1)]);
  assert.deepEqual(ids('SELECT Id FROM Contact WHERE CreatedDate = THIS_YEAR'), [makeId('003', 1), makeId('003', 2)]);
  assert.deepEqual(ids('SELECT Id FROM Contact WHERE CreatedDate = LAST_YEAR'), [makeId('003', 3)]);
  assert.deepEqual(ids('SELECT Id FROM Contact WHERE CreatedDate = THIS_WEEK'), []);
  assert.deepEqual(ids('SELECT Id FROM Contact WHERE CreatedDate = LAST_WEEK'), [makeId('003', 1), makeId('003', 2)]);
  assert.deepEqual(ids('SELECT Id FROM Lead WHERE CreatedDate >= 2026-11-21T23:59:59Z'), [
    makeId('00Q', 1),
    makeId('00Q', 2),
  ]);
  assert.deepEqual(ids('SELECT Id FROM Lead WHERE CreatedDate > 2026-11-22T00:59:59+01:00'), [makeId('00Q', 1)]);
  assert.deepEqual(ids('SELECT Id FROM Contact WHERE Birthdate < 2000-01-01'), [makeId('003', 1)]);
  assert.deepEqual(ids('SELECT Id FROM Task WHERE ActivityDate = LAST_N_DAYS:7'), [makeId('00T', 1)]);
});

test('ORDER BY: several keys, DESC, NULLS FIRST/LAST, parent fields', () => {
  // SOQL reference, "ORDER BY": ascending puts nulls first, descending last, unless NULLS says.
  assert.deepEqual(ids('SELECT Id FROM Lead ORDER BY Email'), [makeId('00Q', 3), makeId('00Q', 1), makeId('00Q', 2)]);
  assert.deepEqual(ids('SELECT Id FROM Lead ORDER BY Email DESC'), [
    makeId('00Q', 2),
    makeId('00Q', 1),
    makeId('00Q', 3),
  ]);
  assert.deepEqual(ids('SELECT Id FROM Lead ORDER BY Email ASC NULLS LAST'), [
    makeId('00Q', 1),
    makeId('00Q', 2),
    makeId('00Q', 3),
  ]);
  assert.deepEqual(ids('SELECT Id FROM Lead ORDER BY Status, relay__Score__c DESC NULLS FIRST'), [
    makeId('00Q', 3),
    makeId('00Q', 1),
    makeId('00Q', 2),
  ]);
  assert.deepEqual(ids('SELECT Id FROM Contact ORDER BY Account.Name DESC NULLS LAST, Id'), [
    makeId('003', 2),
    makeId('003', 1),
    makeId('003', 3),
  ]);
});

test('LIMIT and OFFSET', () => {
  // SOQL reference, "OFFSET".
  assert.deepEqual(ids('SELECT Id FROM Lead ORDER BY Name LIMIT 2'), [makeId('00Q', 1), makeId('00Q', 2)]);
  assert.deepEqual(ids('SELECT Id FROM Lead ORDER BY Name LIMIT 2 OFFSET 1'), [makeId('00Q', 2), makeId('00Q', 3)]);
  assert.deepEqual(ids('SELECT Id FROM Lead ORDER BY Name OFFSET 2'), [makeId('00Q', 3)]);
  assert.deepEqual(ids('SELECT Id FROM Lead LIMIT 0'), []);
});

test('queryAll includes deleted records', () => {
  // REST API Developer Guide, "Execute a SOQL Query that Includes Deleted Items".
  assert.equal(run('SELECT Id FROM Lead').totalSize, 3);
  assert.deepEqual(ids('SELECT Id FROM Lead WHERE IsDeleted = true', true), [makeId('00Q', 4)]);
});

test('COUNT() answers totalSize with no records', () => {
  // SOQL reference, "COUNT()": returns the number of rows; the REST body has "records": [].
  assert.deepEqual(run('SELECT COUNT() FROM Lead'), { totalSize: 3, records: [] });
  assert.deepEqual(run("SELECT count() FROM Lead WHERE Company = 'Hooli'"), { totalSize: 1, records: [] });
  assert.deepEqual(run('SELECT COUNT() FROM Lead LIMIT 2'), { totalSize: 2, records: [] });
  assert.deepEqual(run('SELECT COUNT() FROM Lead', true), { totalSize: 4, records: [] });
});

test('aggregate functions return AggregateResult rows with expr0 … and aliases', () => {
  // SOQL reference, "Aggregate Functions" and "Using Aliases with GROUP BY": unaliased aggregates
  // are named expr0, expr1 … ; AggregateResult records carry attributes with no url (as recorded
  // in restforce spec/fixtures/sobject/query_aggregate_success_response.json).
  assert.deepEqual(run('SELECT COUNT(Id) FROM Lead'), {
    totalSize: 1,
    records: [{ attributes: { type: 'AggregateResult' }, expr0: 3 }],
  });
  assert.deepEqual(run("SELECT COUNT(Id), MAX(relay__Score__c) top FROM Lead WHERE Company = 'none'"), {
    totalSize: 1,
    records: [{ attributes: { type: 'AggregateResult' }, expr0: 0, top: null }],
  });
  assert.deepEqual(run('SELECT Status, COUNT(Id) n, SUM(relay__Score__c) FROM Lead GROUP BY Status ORDER BY Status'), {
    totalSize: 3,
    records: [
      { attributes: { type: 'AggregateResult' }, Status: 'Closed - Converted', n: 1, expr0: null },
      { attributes: { type: 'AggregateResult' }, Status: 'Open - Not Contacted', n: 1, expr0: 42.5 },
      { attributes: { type: 'AggregateResult' }, Status: 'Working - Contacted', n: 1, expr0: 10 },
    ],
  });
  assert.deepEqual(run('SELECT OwnerId, COUNT(Id) FROM Contact GROUP BY OwnerId HAVING COUNT(Id) > 1').records, [
    { attributes: { type: 'AggregateResult' }, OwnerId: makeId('005', 1), expr0: 2 },
  ]);
  assert.deepEqual(
    run('SELECT Account.Name, COUNT(Id) FROM Contact GROUP BY Account.Name ORDER BY Account.Name NULLS LAST').records,
    [
      { attributes: { type: 'AggregateResult' }, Name: 'Acme', expr0: 1 },
      { attributes: { type: 'AggregateResult' }, Name: 'Globex', expr0: 1 },
      { attributes: { type: 'AggregateResult' }, Name: null, expr0: 1 },
    ],
  );
});

test('semi-joins: Id IN (SELECT …) and NOT IN', () => {
  // SOQL reference, "Semi-Joins with IN and Anti-Joins with NOT IN".
  assert.deepEqual(ids('SELECT Id FROM Lead WHERE Id IN (SELECT LeadId FROM CampaignMember)'), [makeId('00Q', 2)]);
  assert.deepEqual(
    ids("SELECT Id FROM Contact WHERE Id NOT IN (SELECT ContactId FROM CampaignMember WHERE Status = 'Responded')"),
    [makeId('003', 2), makeId('003', 3)],
  );
});

test("FIELDS(STANDARD) expands to the object's fields", () => {
  // SOQL reference, "FIELDS()".
  const rec = run("SELECT FIELDS(STANDARD) FROM Account WHERE Name = 'Acme'").records[0]!;
  assert.deepEqual(Object.keys(rec), [
    'attributes',
    'Id',
    'IsDeleted',
    'CreatedDate',
    'SystemModstamp',
    'OwnerId',
    'Name',
    'Industry',
    'NumberOfEmployees',
    'AnnualRevenue',
  ]);
});

test('parent-to-child subqueries nest {totalSize, done, records}, null when empty', () => {
  // SOQL reference, "Relationship Queries" / REST "Execute a SOQL Query": a child relationship
  // comes back as a nested query result, null when the parent has no children.
  const res = run(
    "SELECT Name, (SELECT LastName FROM Contacts WHERE LastName != null ORDER BY LastName DESC LIMIT 5) FROM Account WHERE Name IN ('Acme', 'Globex') ORDER BY Name",
  );
  assert.deepEqual(res.records, [
    {
      attributes: { type: 'Account', url: url('Account', makeId('001', 1)) },
      Name: 'Acme',
      Contacts: {
        totalSize: 1,
        done: true,
        records: [{ attributes: { type: 'Contact', url: url('Contact', makeId('003', 1)) }, LastName: 'Diaz' }],
      },
    },
    {
      attributes: { type: 'Account', url: url('Account', makeId('001', 2)) },
      Name: 'Globex',
      Contacts: {
        totalSize: 1,
        done: true,
        records: [{ attributes: { type: 'Contact', url: url('Contact', makeId('003', 2)) }, LastName: "O'Brien" }],
      },
    },
  ]);
  const lead = run("SELECT Id, (SELECT Subject FROM Tasks) FROM Lead WHERE Email = 'max@hooli.test'").records[0]!;
  assert.equal(lead.Tasks, null);
  assert.throws(
    () => run('SELECT Id, (SELECT Id FROM Contactz) FROM Account'),
    (e: Error & { errorCode?: string }) =>
      e.errorCode === 'INVALID_TYPE' &&
      e.message.includes("Didn't understand relationship 'Contactz' in FROM part of query call."),
  );
});

test('object aliases may prefix field paths', () => {
  assert.deepEqual(ids("SELECT c.Id FROM Contact c WHERE c.Account.Name = 'Acme'"), [makeId('003', 1)]);
});

test('= and IN on indexed fields use the index instead of scanning', () => {
  const s = sampleOrg();
  executeSoql("SELECT Id FROM Lead WHERE Email IN ('max@hooli.test', 'lena@initech.test') AND IsConverted = false", s, {
    includeDeleted: false,
  });
  assert.equal(s.indexedCalls, 1);
  assert.equal(s.scans, 0);
  executeSoql("SELECT Id FROM Lead WHERE Email = 'max@hooli.test' OR Name = 'Ola Olsen'", s, { includeDeleted: false });
  assert.equal(s.indexedCalls, 3);
  assert.equal(s.scans, 0);
  executeSoql("SELECT Id FROM Lead WHERE Company = 'Hooli'", s, { includeDeleted: false });
  assert.equal(s.scans, 1);
});

test('runSoql gives flat columns for Bulk query CSV', () => {
  const r = runSoql('SELECT Id, Account.Name FROM Contact ORDER BY LastName LIMIT 1', org, { includeDeleted: false });
  assert.deepEqual(r.columns, ['Id', 'Account.Name']);
  assert.deepEqual([r.column(r.rows[0]!, 0), r.column(r.rows[0]!, 1)], [makeId('003', 1), 'Acme']);
});

test('an empty org answers valid queries with no records', () => {
  const empty = new MemorySource();
  assert.deepEqual(executeSoql('SELECT Id FROM Lead', empty, { includeDeleted: false }), { totalSize: 0, records: [] });
});
