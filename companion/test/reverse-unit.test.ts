// Reverse sync's and the platform API's pure rules: phone normalisation and matching, getUpdated
// windows, reading detection answers, and the decisions (own writes, bulk bursts, created vs
// updated, changedFields, deletions), how delivery reads the receiver's answers, the platform's
// value rules, and the conflict log's rule (which fields, when, who wins).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { phoneLikePattern, samePhone, toE164 } from '../src/api/platform/phone.js';
import { DAY_MS, MINUTE_MS, nextWindow, replicationDate, windowPath } from '../src/reverse/window.js';
import { planDetection, readDetection } from '../src/reverse/detect.js';
import { changedFields, decide, type ChangedRow, type DecideInput } from '../src/reverse/decide.js';
import { checkWritable, readableFields } from '../src/reverse/fields.js';
import { sentValues } from '../src/reverse/echo.js';
import { defaultConfiguration, resolveMappings, type OrgConfiguration } from '../src/sync/settings.js';
import type { SubResponse } from '../src/salesforce/composite.js';
import { to18 } from '../src/salesforce/ids.js';
import { post } from '../src/reverse/deliver.js';
import { retryDecision } from '../src/errors.js';
import { RULES, ruleValue, toPlatformDate, toPlatformPhone } from '../src/reverse/platform-rules.js';
import { settingTags } from '../src/reverse/compose.js';
import { conflictFields, conflictWinner, onlySalesforceChanged, withoutSalesforceWins } from '../src/conflicts/rule.js';

const T0 = Date.parse('2026-11-22T10:00:00Z');
const RELAY = '0055g000000000BBBB';
const AVA = '0055g000000000CAAA';

function config(overrides: Partial<OrgConfiguration['settings']> = {}): OrgConfiguration {
  const base = defaultConfiguration();
  const m = (name: string, object: string, field: string, direction: string, isMatchKey = false) => ({
    DeveloperName: name,
    relay__PlatformField__c: field.toLowerCase(),
    relay__TargetObject__c: object,
    relay__TargetField__c: field,
    relay__Direction__c: direction,
    relay__Active__c: true,
    relay__IsMatchField__c: isMatchKey,
  });
  const { mappings } = resolveMappings([
    m('Contact_Email', 'Contact', 'Email', 'TwoWay', true),
    m('Contact_FirstName', 'Contact', 'FirstName', 'TwoWay'),
    m('Contact_Title', 'Contact', 'Title', 'PreferSalesforceUnlessBlank'),
    m('Contact_Phone', 'Contact', 'Phone', 'TwoWay'),
    m('Contact_Score', 'Contact', 'Score__c', 'SalesforceToPlatform'),
    m('Contact_Note', 'Contact', 'Note__c', 'PlatformToSalesforce'),
    m('Lead_Company', 'Lead', 'Company', 'PlatformToSalesforce'),
  ]);
  return { ...base, settings: { ...base.settings, CreatePlatformContacts: true, ...overrides }, mappings, readAt: T0 };
}

describe('phone numbers', () => {
  test('E.164 from international writings only', () => {
    assert.equal(toE164('+1 (415) 555-0100'), '+14155550100');
    assert.equal(toE164('0044 20 7946 0958'), '+442079460958');
    assert.equal(toE164('+1.415.555.0100 ext. 12'), '+14155550100');
    assert.equal(toE164('(415) 555-0100'), null, 'national: no country');
    assert.equal(toE164('+1 415 CALL NOW'), null);
    assert.equal(toE164('+12'), null);
  });

  test('stored numbers match whatever their formatting; national ones by their last digits', () => {
    assert.ok(samePhone('+1 415-555-0100', '+14155550100'));
    assert.ok(samePhone('(415) 555-0100', '+14155550100'));
    assert.ok(samePhone('1 415 555 0100', '+14155550100'));
    assert.ok(samePhone('020 7946 0958', '+442079460958'), 'trunk 0 dropped');
    assert.ok(!samePhone('+44 415 555 0100', '+14155550100'));
    assert.ok(!samePhone('555-0100', '+14155550100'), 'too short to say');
    assert.ok(!samePhone(null, '+14155550100'));
    assert.equal(phoneLikePattern('+14155550100'), '%5%5%5%0%1%0%0%');
  });
});

describe('getUpdated windows', () => {
  test('whole minutes, never empty, capped, at most 30 (updated) / 15 (deleted) days back', () => {
    const now = T0 + 5 * MINUTE_MS + 42_000;
    assert.deepEqual(nextWindow({ start: T0 + 10_000, capMs: DAY_MS }, 'updated', now), {
      start: T0,
      end: T0 + 5 * MINUTE_MS,
      clamped: false,
    });
    assert.equal(nextWindow({ start: T0 + 5 * MINUTE_MS, capMs: DAY_MS }, 'updated', now), null);
    assert.equal(nextWindow({ start: T0, capMs: 2 * MINUTE_MS }, 'updated', now)!.end, T0 + 2 * MINUTE_MS);
    const old = nextWindow({ start: T0 - 40 * DAY_MS, capMs: DAY_MS }, 'deleted', now)!;
    assert.equal(old.clamped, true);
    assert.equal(old.start, T0 - 15 * DAY_MS + 6 * MINUTE_MS, 'a minute inside the 15 days');
    assert.equal(replicationDate(T0), '2026-11-22T10:00:00+00:00');
    assert.equal(
      windowPath('Contact', 'updated', { start: T0, end: T0 + MINUTE_MS, clamped: false }),
      '/sobjects/Contact/updated/?start=2026-11-22T10%3A00%3A00%2B00%3A00&end=2026-11-22T10%3A01%3A00%2B00%3A00',
    );
  });

  test('one subrequest per object and kind; cursors move to latestDateCovered; a full window halves', () => {
    const state = {
      workspaceId: 'w',
      enabled: true,
      watchStartedAt: T0,
      cursors: {},
      bulkMinutes: {},
      pausedUntil: null,
    };
    const plan = planDetection(state, T0 + 3 * MINUTE_MS);
    assert.deepEqual(
      plan.subrequests.map((s) => s.referenceId),
      ['Contact_updated', 'Contact_deleted', 'Lead_updated', 'Lead_deleted'],
    );
    const ok = (body: unknown): SubResponse => ({ referenceId: '', httpStatusCode: 200, body, httpHeaders: {} });
    const answers = new Map<string, SubResponse>([
      ['Contact_updated', ok({ ids: ['0035g000000001A'], latestDateCovered: '2026-11-22T10:02:00.000+0000' })],
      [
        'Contact_deleted',
        ok({
          deletedRecords: [{ id: '0035g000000002BAAQ', deletedDate: '2026-11-22T10:01:30.000+0000' }],
          latestDateCovered: '2026-11-22T10:03:00.000+0000',
        }),
      ],
      [
        'Lead_updated',
        {
          referenceId: 'Lead_updated',
          httpStatusCode: 400,
          body: [{ errorCode: 'EXCEEDED_ID_LIMIT', message: 'More than 600,000 ids' }],
          httpHeaders: {},
        },
      ],
    ]);
    const r = readDetection(plan, answers);
    assert.deepEqual(r.ids, [
      { recordId: to18('0035g000000001A'), object: 'Contact' },
      { recordId: '0035g000000002BAAQ', object: 'Contact', deletedAt: Date.parse('2026-11-22T10:01:30Z') },
    ]);
    assert.equal(r.cursors['Contact.updated']!.start, T0 + 2 * MINUTE_MS, 'latestDateCovered, not end');
    assert.equal(r.cursors['Contact.deleted']!.start, T0 + 3 * MINUTE_MS);
    assert.deepEqual(r.cursors['Lead.updated'], { start: T0, capMs: DAY_MS / 2 });
    assert.equal(r.cursors['Lead.deleted'], undefined, 'no answer: the cursor stays');
    assert.equal(r.errors.length, 2);
  });
});

describe('fields', () => {
  test('readable: TwoWay, SalesforceToPlatform, PreferSalesforceUnlessBlank; writable: never Email, Phone or the match key', () => {
    const c = config();
    assert.deepEqual(readableFields(c, 'Contact'), ['Email', 'FirstName', 'Phone', 'Score__c', 'Title']);
    assert.deepEqual(readableFields(c, 'Lead'), []);
    const w = checkWritable(c, 'Contact', ['title', 'Note__c', 'Email', 'Phone', 'Score__c', 'Id']);
    assert.deepEqual(
      [...w.allowed],
      [
        ['title', 'Title'],
        ['Note__c', 'Note__c'],
      ],
    );
    assert.deepEqual(
      w.refused.map((r) => r.field),
      ['Email', 'Phone', 'Score__c', 'Id'],
    );
  });

  test('what the platform sent, in Salesforce terms', () => {
    assert.deepEqual(
      sentValues(config(), 'Contact', 'relay.list.member.added', {
        contact: { email: 'a@b.example', title: 'CTO', x: 1 },
      }),
      { Email: 'a@b.example', Title: 'CTO' },
    );
  });
});

describe('decisions', () => {
  const row = (id: string, over: Partial<ChangedRow> = {}): ChangedRow => ({
    Id: id,
    IsDeleted: false,
    CreatedDate: '2026-11-22T10:00:30.000+0000',
    CreatedById: AVA,
    LastModifiedDate: '2026-11-22T10:00:40.000+0000',
    LastModifiedById: AVA,
    SystemModstamp: '2026-11-22T10:00:40.000+0000',
    Email: 'Ada@Example.com',
    FirstName: 'Ada',
    Title: null,
    Phone: null,
    Score__c: 7,
    ...over,
  });
  const input = (rows: ChangedRow[], over: Partial<DecideInput> = {}): DecideInput => ({
    pending: rows.map((r) => ({ recordId: r.Id, object: 'Contact', deletedAt: null })),
    rows: new Map(rows.map((r) => [r.Id, r])),
    baselines: new Map(),
    config: config(),
    integrationUserId: RELAY,
    watchStartedAt: T0,
    bulkMinutes: {},
    bulkThreshold: 3,
    now: T0 + 2 * MINUTE_MS,
    ...over,
  });

  test('created after watching began by a person: every field with a value changed', () => {
    const d = decide(input([row('003A')]));
    assert.equal(d.changes.length, 1);
    assert.equal(d.changes[0]!.kind, 'created');
    assert.deepEqual(d.changes[0]!.changedFields, ['Email', 'FirstName', 'Score__c']);
    assert.equal(d.changes[0]!.time, '2026-11-22T10:00:40.000Z');
    assert.equal(d.changes[0]!.email, 'ada@example.com');
  });

  test('Relay’s own write is not sent and becomes the baseline; a record Relay created is `updated` later', () => {
    const own = decide(input([row('003A', { LastModifiedById: RELAY, CreatedById: RELAY })]));
    assert.deepEqual(own.changes, []);
    assert.equal(own.skipped.own, 1);
    assert.equal(own.baselines[0]!.skipped, 'own');
    const later = decide(
      input([row('003A', { CreatedById: RELAY, Title: 'CTO' })], {
        baselines: new Map([
          [
            '003A',
            {
              recordId: '003A',
              object: 'Contact',
              fields: { Email: 'Ada@Example.com', FirstName: 'Ada', Title: null, Phone: null, Score__c: 7 },
              email: null,
              sentAt: null,
              modstamp: 'older',
              skipped: 'own',
            },
          ],
        ]),
      }),
    );
    assert.equal(later.changes[0]!.kind, 'updated');
    assert.deepEqual(later.changes[0]!.changedFields, ['Title']);
  });

  test('changedFields against the last values sent; nothing mapped changed → nothing sent', () => {
    assert.deepEqual(changedFields({ A: 1, B: 'x', C: null }, { A: 1, B: 'y' }), ['B']);
    assert.deepEqual(changedFields({ A: 1, C: null, D: '' }, undefined), ['A']);
    const base = {
      recordId: '003A',
      object: 'Contact' as const,
      fields: { Email: 'Ada@Example.com', FirstName: 'Ada', Title: null, Phone: null, Score__c: 7 },
      email: 'ada@example.com',
      sentAt: T0,
      modstamp: 'older',
      skipped: null,
    };
    const same = decide(input([row('003A')], { baselines: new Map([['003A', base]]) }));
    assert.deepEqual(same.changes, []);
    assert.equal(same.skipped.unchanged, 1);
    const seen = decide(
      input([row('003A')], { baselines: new Map([['003A', { ...base, modstamp: row('x').SystemModstamp! }]]) }),
    );
    assert.equal(seen.skipped.seen, 1);
  });

  test('values the platform sent through the sync are not announced back', () => {
    const base = {
      recordId: '003A',
      object: 'Contact' as const,
      fields: { Email: 'old@example.com', FirstName: 'Ada', Title: null, Phone: null, Score__c: 7 },
      email: null,
      sentAt: T0,
      modstamp: 'older',
      skipped: null,
    };
    const d = decide(
      input([row('003A', { Title: 'CTO' })], {
        baselines: new Map([['003A', base]]),
        sent: new Map([['003A', { Email: 'ada@example.com' }]]),
      }),
    );
    assert.deepEqual(d.changes[0]!.changedFields, ['Title']);
  });

  test('a burst by one user (threshold per minute, and the minutes next to it) is an import unless IncludeBulkImports', () => {
    const burst = ['1', '2', '3', '4'].map((n) =>
      row(`003B${n}`, { LastModifiedDate: `2026-11-22T10:01:0${n}.000+0000` }),
    );
    const tail = row('003T', { LastModifiedDate: '2026-11-22T10:02:10.000+0000' });
    const other = row('003O', { LastModifiedById: '0055g000000000DAAA' });
    const d = decide(input([...burst, tail, other]));
    assert.equal(d.skipped.bulk, 5, 'the burst and its next minute');
    assert.deepEqual(
      d.changes.map((c) => c.recordId),
      ['003O'],
    );
    assert.deepEqual(d.bulkMinutes, { [AVA]: Date.parse('2026-11-22T10:01:00Z') });
    // The next poll remembers the burst minute.
    const next = decide(
      input([row('003N', { LastModifiedDate: '2026-11-22T10:02:30.000+0000' })], { bulkMinutes: d.bulkMinutes }),
    );
    assert.equal(next.skipped.bulk, 1);
    const included = decide(input([...burst, tail], { config: config({ IncludeBulkImports: true }) }));
    assert.equal(included.changes.length, 5);
  });

  test('deletions: sent with the last known values only when the record was sent; gone without a deletion: dropped', () => {
    const d = decide({
      ...input([]),
      pending: [
        { recordId: '003D', object: 'Contact', deletedAt: T0 + MINUTE_MS },
        { recordId: '003I', object: 'Contact', deletedAt: T0 + MINUTE_MS },
        { recordId: '003G', object: 'Contact', deletedAt: null },
        { recordId: '003N', object: 'Contact', deletedAt: T0 + MINUTE_MS },
        { recordId: '003R', object: 'Contact', deletedAt: T0 + MINUTE_MS },
      ],
      rows: new Map(),
      baselines: new Map([
        [
          '003D',
          {
            recordId: '003D',
            object: 'Contact',
            fields: { FirstName: 'Del', Gone__c: 1 },
            email: null,
            sentAt: T0,
            modstamp: null,
            skipped: null,
          },
        ],
        [
          '003I',
          {
            recordId: '003I',
            object: 'Contact',
            fields: {},
            email: null,
            sentAt: null,
            modstamp: null,
            skipped: 'bulk',
          },
        ],
        [
          // Written by Relay for the platform (prospect sync), never announced.
          '003R',
          {
            recordId: '003R',
            object: 'Contact',
            fields: { FirstName: 'Own' },
            email: null,
            sentAt: null,
            modstamp: null,
            skipped: 'own',
          },
        ],
      ]),
    });
    assert.deepEqual(
      d.changes.map((c) => [c.recordId, c.kind, c.fields, c.changedFields]),
      [['003D', 'deleted', { FirstName: 'Del' }, []]],
    );
    assert.equal(d.skipped.bulk, 1);
    assert.equal(d.skipped.gone, 1);
    assert.equal(d.skipped.unannounced, 2, 'no baseline, or one never sent');
    assert.deepEqual(
      d.baselines.filter((b) => b.skipped === 'unannounced').map((b) => [b.recordId, b.sent]),
      [
        ['003N', false],
        ['003R', false],
      ],
    );
  });
});

describe('delivery', () => {
  test("the receiver's answers go by the shared retry decision: 5xx, 408, 429 and no answer are retried, other refusals are not", async () => {
    const server = createServer((req, res) => {
      const status = Number(new URL(req.url ?? '/', 'http://receiver').searchParams.get('status'));
      req.resume();
      req.on('end', () => res.writeHead(status, status === 429 ? { 'retry-after': '7' } : {}).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
    const send = (status: number) =>
      post(`${url}?status=${status}`, 'ws', 'a-signing-secret-of-some-length', '{}', 2_000);
    try {
      assert.deepEqual(await send(202), { ok: true, status: 202 });
      for (const status of [500, 502, 503, 504, 408, 429]) {
        const attempt = await send(status);
        assert.ok(!attempt.ok && attempt.status === status, String(status));
        assert.equal(attempt.decision, 'retry', String(status));
        assert.equal(attempt.decision, retryDecision({ status }), String(status));
      }
      const limited = await send(429);
      assert.equal(!limited.ok && limited.retryAfterMs, 7_000, 'Retry-After is honoured');
      for (const status of [400, 401, 403, 404, 409, 410, 422]) {
        const attempt = await send(status);
        assert.ok(!attempt.ok && attempt.status === status, String(status));
        assert.notEqual(attempt.decision, 'retry', String(status));
        assert.equal(attempt.decision, retryDecision({ status }), String(status));
      }
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    const unreachable = await post(url, 'ws', 'a-signing-secret-of-some-length', '{}', 2_000);
    assert.ok(!unreachable.ok && unreachable.status === null);
    assert.equal(unreachable.decision, 'retry');
    assert.equal(unreachable.decision, retryDecision({ code: 'NETWORK_ERROR' }));
  });
});

describe("the platform's value rules (Brevo's)", () => {
  test('dates: YYYY-MM-DD as it is, a datetime as its UTC date, anything else refused', () => {
    assert.deepEqual(toPlatformDate('2024-02-29'), { ok: true, value: '2024-02-29' });
    assert.deepEqual(toPlatformDate('2026-11-22T23:30:00.000+0000'), { ok: true, value: '2026-11-22' });
    assert.deepEqual(toPlatformDate('2026-11-23T01:00:00+02:00'), { ok: true, value: '2026-11-22' });
    for (const bad of ['2023-02-29', '22/11/2026', 'next Tuesday', '2026-11'])
      assert.deepEqual(toPlatformDate(bad), { ok: false, rule: RULES.date }, bad);
  });

  test('phones: E.164 with the country code and 6 to 16 digits; national, lettered or out of range refused', () => {
    assert.deepEqual(toPlatformPhone('+1 (415) 555-0100'), { ok: true, value: '+14155550100' });
    assert.deepEqual(toPlatformPhone('0044 20 7946 0958'), { ok: true, value: '+442079460958' });
    assert.deepEqual(toPlatformPhone('+123456'), { ok: true, value: '+123456' }, '6 digits');
    assert.deepEqual(toPlatformPhone('+1234567890123456'), { ok: true, value: '+1234567890123456' }, '16 digits');
    for (const bad of ['(415) 555-0100', '+12345', '+12345678901234567', '+1 415 CALL NOW', '+0 415 555 0100'])
      assert.deepEqual(toPlatformPhone(bad), { ok: false, rule: RULES.phone }, bad);
  });

  test('value maps are read backwards for checkboxes and picklists; a formula field is refused even when blank', () => {
    const { mappings } = resolveMappings([
      {
        DeveloperName: 'Contact_OptOut',
        relay__PlatformField__c: 'emailOptOut',
        relay__TargetObject__c: 'Contact',
        relay__TargetField__c: 'HasOptedOutOfEmail',
        relay__Direction__c: 'SalesforceToPlatform',
        relay__ValueMap__c: '{"yes":"true","no":"false"}',
        relay__Active__c: true,
      },
      {
        DeveloperName: 'Contact_Tiers',
        relay__PlatformField__c: 'tiers',
        relay__TargetObject__c: 'Contact',
        relay__TargetField__c: 'Tiers__c',
        relay__Direction__c: 'SalesforceToPlatform',
        relay__ValueMap__c: '{"gold":"Gold","silver":"Silver"}',
        relay__Active__c: true,
      },
    ]);
    const [optOut, tiers] = mappings.sort((a, b) => a.developerName.localeCompare(b.developerName));
    assert.deepEqual(ruleValue(optOut, { type: 'boolean', calculated: false }, true), { ok: true, value: 'yes' });
    assert.deepEqual(ruleValue(tiers, { type: 'multipicklist', calculated: false }, 'Gold;Silver'), {
      ok: true,
      value: 'gold;silver',
    });
    assert.deepEqual(ruleValue(tiers, { type: 'multipicklist', calculated: false }, 'Gold;Bronze'), {
      ok: false,
      rule: RULES.valueMap,
    });
    assert.deepEqual(ruleValue(undefined, { type: 'double', calculated: true }, null), {
      ok: false,
      rule: RULES.formula,
    });
  });

  test('settingTags: the auto-created tag only on created events with the switch on', () => {
    const on = { TagAutoCreated: true, AutoCreatedTagText: 'Auto-created: Salesforce' };
    assert.deepEqual(settingTags(on, 'created'), ['Auto-created: Salesforce']);
    assert.deepEqual(settingTags(on, 'updated'), []);
    assert.deepEqual(settingTags({ ...on, TagAutoCreated: false }, 'created'), []);
  });
});

describe('conflict rule', () => {
  const fields = conflictFields(config(), 'Contact', 'email');
  const field = (name: string) => fields.find((f) => f.field === name)!;
  const synced = (value: unknown) => ({ known: true, value });

  test('only fields that flow both ways can conflict, never the match key', () => {
    assert.deepEqual(
      fields.map((f) => [f.field, f.direction]),
      [
        ['FirstName', 'TwoWay'],
        ['Phone', 'TwoWay'],
        ['Title', 'PreferSalesforceUnlessBlank'],
      ],
    );
  });

  test('a conflict needs a last synced value and three different values', () => {
    const first = field('FirstName');
    const p = (value: unknown) => ({ value, at: T0 + 1 });
    const sf = (value: unknown) => ({ value, at: T0 });
    assert.equal(conflictWinner(first, { known: false, value: null }, p('Ada'), sf('Augusta')), null, 'no baseline');
    assert.equal(conflictWinner(first, synced('Ada'), p('Ada'), sf('Augusta')), null, 'the platform did not change it');
    assert.equal(conflictWinner(first, synced('Ada'), p('Augusta'), sf('Ada')), null, 'Salesforce did not change it');
    assert.equal(conflictWinner(first, synced('Ada'), p(' Lady Ada '), sf('Lady Ada')), null, 'both agree');
    assert.equal(conflictWinner(first, synced(null), p(''), sf(null)), null, 'blank is blank');
    assert.equal(conflictWinner(first, synced('Ada'), p('Lady Ada'), sf('Augusta')), 'platform');
  });

  test('TwoWay: the later change wins and a tie goes to Salesforce; PreferSalesforceUnlessBlank: Salesforce unless blank', () => {
    const first = field('FirstName');
    const title = field('Title');
    const was = synced('Analyst');
    assert.equal(conflictWinner(first, was, { value: 'P', at: T0 + 1 }, { value: 'S', at: T0 }), 'platform');
    assert.equal(conflictWinner(first, was, { value: 'P', at: T0 }, { value: 'S', at: T0 + 1 }), 'salesforce');
    assert.equal(conflictWinner(first, was, { value: 'P', at: T0 }, { value: 'S', at: T0 }), 'salesforce');
    assert.equal(conflictWinner(title, was, { value: 'P', at: T0 + DAY_MS }, { value: 'S', at: T0 }), 'salesforce');
    assert.equal(conflictWinner(title, was, { value: 'P', at: T0 }, { value: '', at: T0 + DAY_MS }), 'platform');
  });

  test('a field only Salesforce changed is not a conflict, and keeps its value', () => {
    const first = field('FirstName');
    assert.equal(onlySalesforceChanged(first, synced('Ada'), 'Ada', 'Augusta'), true);
    assert.equal(onlySalesforceChanged(first, synced('Ada'), 'Lady Ada', 'Augusta'), false, 'both changed');
    assert.equal(onlySalesforceChanged(first, { known: false, value: null }, 'Ada', 'Augusta'), false);
  });

  test('an update without what Salesforce won also leaves out what Salesforce already holds', () => {
    const update = { FirstName: 'Lady Ada', LastName: 'King', Email: 'ada@engine.example' };
    const current = { FirstName: 'Augusta', LastName: 'Lovelace', Email: 'Ada@Engine.example' };
    assert.deepEqual(withoutSalesforceWins(update, new Set(['FirstName']), current), { LastName: 'King' });
    assert.equal(withoutSalesforceWins(update, new Set(), current), update, 'nothing won: unchanged');
  });
});
