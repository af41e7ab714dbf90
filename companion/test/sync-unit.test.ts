// Unit tests of the sync engine's pure parts: the pinned API version, SOQL limits, the error
// table, settings parsing, the matching tie-break, Task building and Bulk result parsing; and the
// API budget against a real (in-memory PGlite) database.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SALESFORCE_API_VERSION } from '../src/salesforce/version.js';
import {
  MAX_LITERAL_CHARS,
  MAX_QUERY_URL_BYTES,
  MAX_SOQL_CHARS,
  chunkedInQueries,
  queryUrl,
  soqlString,
} from '../src/salesforce/soql.js';
import { classify, errorItems, fieldOf, isConcurrencyLimit, primaryError } from '../src/errors.js';
import { DEFAULT_SETTINGS, resolveMappings, resolveSettings } from '../src/sync/settings.js';
import { chooseAccount, choosePerson, chooseUser } from '../src/sync/matching.js';
import { buildTask, LIMITS } from '../src/sync/tasks.js';
import { readActivity } from '../src/sync/activities.js';
import { parseBulkError, parseCsv, toCsv } from '../src/salesforce/bulk.js';
import { to18 } from '../src/salesforce/ids.js';
import { packComposites, type Subrequest } from '../src/salesforce/composite.js';
import { PgliteDb } from '../src/db/pglite.js';
import { migrate } from '../src/db/migrate.js';
import { migrations } from '../src/db/migrations/index.js';
import { ApiBudget, parseLimitInfo } from '../src/salesforce/budget.js';
import { LimitPauseError } from '../src/errors.js';
import { nextMonthStart, quotaState } from '../src/sync/quota.js';
import type { StoredEvent } from '../src/queue/batch.js';

test('SALESFORCE_API_VERSION equals sfdx-project.json sourceApiVersion (bumped together)', () => {
  const project = JSON.parse(readFileSync(new URL('../../sfdx-project.json', import.meta.url), 'utf8')) as {
    sourceApiVersion: string;
  };
  assert.equal(SALESFORCE_API_VERSION, project.sourceApiVersion);
});

describe('SOQL batching stays inside Salesforce limits', () => {
  test('an IN list is split so no GET URL passes the URI budget, no statement 100,000 characters', () => {
    const emails = Array.from({ length: 5000 }, (_, i) => `person.number.${i}+tag@some-company-${i % 97}.example`);
    const queries = chunkedInQueries(emails, (list) => `SELECT Id, Email FROM Contact WHERE Email IN (${list})`);
    assert.ok(queries.length > 1);
    for (const q of queries) {
      assert.ok(Buffer.byteLength(queryUrl(q)) <= MAX_QUERY_URL_BYTES, 'URL within the 16,384-byte request budget');
      assert.ok(q.length <= MAX_SOQL_CHARS);
    }
    const all = queries.flatMap((q) => [...q.matchAll(/'([^']+)'/g)].map((m) => m[1]));
    assert.equal(new Set(all).size, 5000, 'every value in exactly one query');
    assert.ok(queries.length <= 20, `about 300-400 emails per query (got ${queries.length} queries for 5,000)`);
  });

  test('literals are escaped; values over 4,000 characters are dropped', () => {
    assert.equal(soqlString("o'brien\\x@example.com"), "'o\\'brien\\\\x@example.com'");
    const queries = chunkedInQueries(
      ['a@b.example', 'x'.repeat(MAX_LITERAL_CHARS + 1)],
      (l) => `SELECT Id FROM Lead WHERE Email IN (${l})`,
    );
    assert.deepEqual(queries, ["SELECT Id FROM Lead WHERE Email IN ('a@b.example')"]);
    assert.match(queryUrl(queries[0]!), /^\/services\/data\/v66\.0\/query\?q=SELECT\+Id\+FROM\+Lead/);
  });

  test('Composite requests hold at most 25 subrequests, 5 of them queries or Collections', () => {
    const q = (i: number): Subrequest => ({
      method: 'GET',
      url: `/services/data/v66.0/query?q=${i}`,
      referenceId: `q${i}`,
    });
    const s = (i: number): Subrequest => ({
      method: 'POST',
      url: '/services/data/v66.0/sobjects/Account',
      referenceId: `s${i}`,
      body: {},
    });
    const groups = packComposites([
      ...Array.from({ length: 12 }, (_, i) => q(i)),
      ...Array.from({ length: 30 }, (_, i) => s(i)),
    ]);
    for (const g of groups) {
      assert.ok(g.length <= 25);
      assert.ok(g.filter((x) => x.url.includes('/query')).length <= 5);
    }
    assert.equal(groups.flat().length, 42);
  });
});

describe('the error table', () => {
  test('each Salesforce error class maps to its action and category', () => {
    const cases: [string, number | undefined, string, string][] = [
      ['UNABLE_TO_LOCK_ROW', undefined, 'retry', 'transient'],
      ['SERVER_UNAVAILABLE', 503, 'retry', 'transient'],
      ['ERROR_HTTP_502', undefined, 'retry', 'transient'],
      ['INVALID_SESSION_ID', 401, 'refresh', 'transient'],
      ['REQUEST_LIMIT_EXCEEDED', 403, 'pause', 'limit'],
      ['DUPLICATES_DETECTED', 400, 'resolve', 'duplicate'],
      ['REQUIRED_FIELD_MISSING', 400, 'quarantine', 'validation'],
      ['STRING_TOO_LONG', 400, 'quarantine', 'validation'],
      ['INVALID_EMAIL_ADDRESS', 400, 'quarantine', 'validation'],
      ['FIELD_CUSTOM_VALIDATION_EXCEPTION', 400, 'quarantine', 'validation'],
      ['INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', 400, 'quarantine', 'validation'],
      ['FIELD_INTEGRITY_EXCEPTION', 400, 'quarantine', 'validation'],
      ['INVALID_CROSS_REFERENCE_KEY', 400, 'quarantine', 'validation'],
      ['INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY', 400, 'quarantine', 'permission'],
      ['INSUFFICIENT_ACCESS_OR_READONLY', 400, 'quarantine', 'permission'],
      ['INVALID_FIELD', 400, 'quarantine', 'configuration'],
      ['SOMETHING_NEW', 500, 'retry', 'transient'],
      ['SOMETHING_NEW', 400, 'quarantine', 'configuration'],
    ];
    for (const [code, status, action, category] of cases)
      assert.deepEqual(classify(code, status), { action, category }, code);
    assert.ok(isConcurrencyLimit('ConcurrentPerOrgLongTxn Limit exceeded.'));
    assert.ok(!isConcurrencyLimit('TotalRequests Limit exceeded.'));
  });

  test('record errors keep duplicate matches and name the field', () => {
    const items = errorItems([
      { statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', message: 'rolled back', fields: [] },
      {
        statusCode: 'DUPLICATES_DETECTED',
        message: 'Use one of these records?',
        fields: [],
        duplicateResult: { matchResults: [{ matchRecords: [{ record: { Id: '00Q000000000001AAA' } }] }] },
      },
    ]);
    const primary = primaryError(items);
    assert.equal(primary.code, 'DUPLICATES_DETECTED');
    assert.deepEqual(primary.duplicateIds, ['00Q000000000001AAA']);
    assert.equal(
      fieldOf({ code: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Company]', fields: [] }),
      'Company',
    );
    assert.equal(fieldOf({ code: 'STRING_TOO_LONG', message: 'x', fields: ['Email'] }), 'Email');
  });
});

describe('settings and mappings from custom metadata', () => {
  test('missing, blank or unreadable records fall back to DefaultValue__c, then to the README default', () => {
    const s = resolveSettings([
      { DeveloperName: 'SyncVisits', relay__Type__c: 'Boolean', relay__Value__c: 'FALSE' },
      // The bounds are the records' own (relay__Minimum__c, relay__Maximum__c), as the package's hold them.
      {
        DeveloperName: 'VisitResyncMinutes',
        relay__Type__c: 'Number',
        relay__Value__c: '0',
        relay__DefaultValue__c: '15',
        relay__Minimum__c: 1,
        relay__Maximum__c: 1440,
      },
      { DeveloperName: 'MonthlyTaskQuota', relay__Type__c: 'Number', relay__Value__c: '12.5' },
      {
        DeveloperName: 'RecordMode',
        relay__Type__c: 'Choice',
        relay__Choices__c: 'Lead;ContactAccount',
        relay__Value__c: 'ContactAccount',
      },
      { DeveloperName: 'LeadSource', relay__Type__c: 'Text', relay__Value__c: '  Webinar  ' },
      {
        DeveloperName: 'MaxApiSharePercent',
        relay__Type__c: 'Number',
        relay__Value__c: '101',
        relay__Minimum__c: 1,
        relay__Maximum__c: 100,
      },
    ]);
    assert.equal(s.SyncVisits, false);
    assert.equal(s.VisitResyncMinutes, 15, 'out of bounds → the record default');
    assert.equal(s.MonthlyTaskQuota, DEFAULT_SETTINGS.MonthlyTaskQuota, 'no decimals → README default');
    assert.equal(s.RecordMode, 'ContactAccount');
    assert.equal(s.LeadSource, 'Webinar');
    assert.equal(s.MaxApiSharePercent, 20);
    assert.equal(s.RelayActive, true, 'missing record → default');
  });

  test('mappings: unusable records are reported, not applied', () => {
    const { mappings, problems } = resolveMappings([
      {
        DeveloperName: 'Ok',
        relay__PlatformField__c: 'title',
        relay__TargetObject__c: 'Lead',
        relay__TargetField__c: 'Title',
        relay__Direction__c: 'TwoWay',
        relay__Active__c: true,
      },
      {
        DeveloperName: 'BadMap',
        relay__PlatformField__c: 'x',
        relay__TargetObject__c: 'Lead',
        relay__TargetField__c: 'X__c',
        relay__ValueMap__c: '[1]',
      },
      {
        DeveloperName: 'BadName',
        relay__PlatformField__c: 'x',
        relay__TargetObject__c: 'Lead',
        relay__TargetField__c: 'Drop Table',
      },
    ]);
    assert.deepEqual(
      mappings.map((m) => m.developerName),
      ['Ok'],
    );
    assert.equal(problems.length, 2);
  });
});

describe('matching tie-break', () => {
  const row = (Id: string, LastModifiedDate: string, extra: Record<string, unknown> = {}) => ({
    Id,
    LastModifiedDate,
    Name: '',
    ...extra,
  });
  test('Contact over converted Lead over open Lead; most recently modified; lowest Id on ties', () => {
    const leads = [
      row('00Q2', '2026-01-02T00:00:00Z'),
      row('00Q1', '2026-01-01T00:00:00Z', {
        IsConverted: true,
        ConvertedContactId: '003C',
        ConvertedAccountId: '001A',
      }),
    ];
    assert.equal(choosePerson('a@x', 'email', [], leads)!.reason, 'matched Contact via converted Lead 00Q1');
    assert.equal(choosePerson('a@x', 'email', [], leads)!.whoId, '003C');
    const contacts = [
      row('003B', '2026-01-01T00:00:00Z'),
      row('003A', '2026-01-01T00:00:00Z'),
      row('003Z', '2025-01-01T00:00:00Z'),
    ];
    assert.equal(choosePerson('a@x', 'email', contacts, leads)!.whoId, '003A');
    assert.equal(
      choosePerson('a@x', 'email', [], [row('00Q5', '2026-01-01T00:00:00Z'), row('00Q9', '2026-03-01T00:00:00Z')])!
        .whoId,
      '00Q9',
    );
    assert.equal(choosePerson('a@x', 'email', [], []), null);
    assert.equal(
      chooseAccount('Acme', [
        row('001B', '2026-01-01T00:00:00Z', { Name: 'Acme' }),
        row('001A', '2026-01-01T00:00:00Z', { Name: 'ACME' }),
      ])!.id,
      '001A',
    );
    assert.equal(
      chooseUser('a@x', [
        { Id: '005A', Email: 'a@x', Username: 'other' },
        { Id: '005B', Email: 'a@x', Username: 'a@x' },
      ])!.id,
      '005B',
    );
  });
});

describe('Task records', () => {
  const event = (type: string, data: Record<string, unknown>): StoredEvent => ({
    seq: '1',
    workspaceId: 'ws',
    source: 's',
    id: 'e1',
    type,
    time: '2026-11-20T10:00:00.000Z',
    data,
    receivedAt: '2026-11-20T10:00:00.000Z',
    attempts: 0,
  });
  const settings = { ...DEFAULT_SETTINGS };

  test('a Lead WhoId never goes with a WhatId; create-only fields only on create; values cut to field lengths', () => {
    const a = readActivity(
      event('relay.visit', {
        visitId: 'v1',
        visitor: { email: 'A@X.example' },
        document: { name: 'D'.repeat(400) },
        durationSeconds: 61,
        percentViewed: 50,
        active: true,
      }),
    );
    assert.ok(!('invalid' in a));
    assert.equal(a.externalKey, 'ws:v1');
    const lead = buildTask(
      a,
      { whoId: '00Q1', whoIsLead: true, whatId: '001X', ownerId: '005U', followUp: false, reason: 'r' },
      { settings, taskMappings: [], exists: false },
    );
    assert.equal(lead.record.WhatId, null);
    assert.equal(lead.record.TaskSubtype, 'Task');
    assert.equal(lead.record.OwnerId, '005U');
    assert.equal((lead.record.Subject as string).length, LIMITS.Subject);
    const update = buildTask(
      a,
      { whoId: '003C', whoIsLead: false, whatId: '001X', ownerId: '005U', followUp: false, reason: 'r' },
      { settings, taskMappings: [], exists: true },
    );
    assert.equal(update.record.WhatId, '001X');
    assert.equal(update.record.TaskSubtype, undefined, 'TaskSubtype is not updateable');
    assert.equal(update.record.OwnerId, undefined, "a rep's reassignment is kept");
    assert.match(update.record.Description as string, /Duration: 1 min 1 s/);
  });

  test('message bodies only with IncludeMessageContent; follow-ups open and Not Started', () => {
    const m = readActivity(
      event('relay.message.sent', {
        messageId: 'm1',
        channel: 'whatsapp',
        from: { email: 'rep@v.example' },
        to: { phone: '+1 (415) 555-0100' },
        body: 'secret',
      }),
    );
    assert.ok(!('invalid' in m));
    const target = { whoId: null, whoIsLead: false, whatId: null, ownerId: null, followUp: true, reason: 'r' };
    const off = buildTask(m, target, { settings, taskMappings: [], exists: false });
    assert.doesNotMatch(off.record.Description as string, /secret/);
    assert.equal(off.record.Status, 'Not Started');
    assert.match(off.record.Subject as string, /^Follow up: \+14155550100/);
    const on = buildTask(
      m,
      { ...target, followUp: false },
      { settings: { ...settings, IncludeMessageContent: true }, taskMappings: [], exists: false },
    );
    assert.match(on.record.Description as string, /secret/);
    assert.equal(on.record.Subject, 'WhatsApp message sent');
    assert.equal(on.record.Status, 'Completed');
  });
});

describe('Bulk API 2.0 results', () => {
  test('CSV out and back by column name, errors parsed as CODE:message:fields', () => {
    const { csv } = toCsv([
      { attributes: {}, relay__ExternalKey__c: 'ws:1', Subject: 'a, "b"', WhatId: null },
      { relay__ExternalKey__c: 'ws:2', Subject: 'line\nbreak' },
    ]);
    assert.equal(csv.split('\n')[0], 'relay__ExternalKey__c,Subject,WhatId');
    const rows = parseCsv(csv);
    assert.deepEqual(rows[0], { relay__ExternalKey__c: 'ws:1', Subject: 'a, "b"', WhatId: '#N/A' });
    assert.equal(rows[1]!.Subject, 'line\nbreak');
    assert.deepEqual(parseBulkError('STRING_TOO_LONG:Subject: data value too large: (max length=255):Subject --'), {
      code: 'STRING_TOO_LONG',
      message: 'Subject: data value too large: (max length=255)',
      fields: ['Subject'],
    });
    assert.deepEqual(
      parseBulkError('REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name LastName --').fields,
      ['Name', 'LastName'],
    );
    assert.deepEqual(parseBulkError('UNABLE_TO_LOCK_ROW:unable to obtain exclusive access to this record:--'), {
      code: 'UNABLE_TO_LOCK_ROW',
      message: 'unable to obtain exclusive access to this record',
      fields: [],
    });
  });
});

test('15-character ids become their 18-character form', () => {
  assert.equal(to18('001D000000IqhSL'), '001D000000IqhSLIAZ');
});

test('quota states and the first instant of next month', () => {
  assert.equal(quotaState(79, 100, 80), 'ok');
  assert.equal(quotaState(80, 100, 80), 'warning');
  assert.equal(quotaState(100, 100, 80), 'exhausted');
  assert.equal(nextMonthStart(new Date('2026-12-31T23:59:59Z')).toISOString(), '2027-01-01T00:00:00.000Z');
});

test('the API budget never lets Relay take more than its share of the daily limit, whatever the number of workers', async () => {
  const db = await PgliteDb.open(undefined);
  try {
    await migrate(db, migrations);
    const budget = new ApiBudget(db);
    assert.deepEqual(parseLimitInfo('api-usage=10018/1000'), { used: 10018, max: 1000 });
    await budget.observe('00Dorg', 100, 1000);
    // 20 % of 1,000 = 200 calls; 250 reservations from "many workers" at once.
    const results = await Promise.allSettled(Array.from({ length: 250 }, () => budget.reserve('00Dorg', 20)));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 200);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    assert.ok(refused.reason instanceof LimitPauseError);
    assert.equal(refused.reason.code, 'API_BUDGET');
    assert.ok(refused.reason.until.getTime() > Date.now() + 23 * 3_600_000, 'paused until the window frees calls');
    const usage = await budget.usage('00Dorg', 20);
    assert.deepEqual(
      { relayUsed: usage.relayUsed, relayBudget: usage.relayBudget },
      { relayUsed: 200, relayBudget: 200 },
    );
  } finally {
    await db.close();
  }
});
