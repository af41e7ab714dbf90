// The notice rules on their own (src/notices/detect.ts): which causes a batch's end opens and which
// it recovers — the connection and mapping causes the end-to-end file does not drive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judge, type BatchReport } from '../src/notices/detect.js';
import type { EventOutcome } from '../src/queue/batch.js';

const NOW = Date.parse('2026-12-07T12:00:00Z');

function report(patch: Partial<BatchReport>): BatchReport {
  return {
    workspaceId: 'w',
    connected: true,
    connectionRefused: null,
    pause: null,
    outcomes: [],
    quota: { used: 10, limit: 100, warningPercent: 80 },
    now: NOW,
    ...patch,
  };
}

const synced: EventOutcome = { seq: '1', status: 'synced', result: {} };

test('a refused connection opens connection_lost; a batch that reaches Salesforce recovers it and the limit pauses', () => {
  const refused = judge(report({ connected: false, connectionRefused: 'expired access/refresh token', quota: null }));
  assert.deepEqual(
    refused.open.map((o) => o.cause),
    ['connection_lost'],
  );
  assert.match(refused.open[0]!.message, /expired access\/refresh token/);
  assert.deepEqual(refused.recovered, []);
  assert.deepEqual(judge(report({ outcomes: [synced] })).recovered.sort(), [
    'api_budget',
    'connection_lost',
    'daily_limit',
    'mapping_rejected',
    'quota_stop',
  ]);
});

test("a field the org refuses opens mapping_rejected; Relay's own refusal of an event does not", () => {
  const failed = (errorCode: string, category: string): EventOutcome => ({
    seq: '2',
    status: 'failed',
    category,
    errorCode,
    field: 'relay__Score__c',
    message: "No such column 'relay__Score__c' on entity 'Lead'",
  });
  const open = judge(report({ outcomes: [failed('INVALID_FIELD', 'configuration')] })).open;
  assert.deepEqual(
    open.map((o) => [o.cause, o.details.field]),
    [['mapping_rejected', 'relay__Score__c']],
  );
  assert.deepEqual(judge(report({ outcomes: [failed('UNSUPPORTED_EVENT_TYPE', 'configuration')] })).open, []);
});

test('the quota warning from its share on, the stop only when a Task was held back, both scoped to the month', () => {
  assert.deepEqual(judge(report({ quota: { used: 79, limit: 100, warningPercent: 80 } })).open, []);
  const warned = judge(report({ quota: { used: 80, limit: 100, warningPercent: 80 } })).open;
  assert.deepEqual(
    warned.map((o) => [o.cause, o.period]),
    [['quota_warning', '2026-12']],
  );
  const held: EventOutcome = {
    seq: '3',
    status: 'deferred',
    reason: 'MONTHLY_QUOTA: 100 of 100',
    until: '2027-01-01T00:00:00.000Z',
  };
  const stopped = judge(report({ quota: { used: 100, limit: 100, warningPercent: 80 }, outcomes: [held] })).open;
  assert.deepEqual(
    stopped.map((o) => [o.cause, o.period]),
    [
      ['quota_warning', '2026-12'],
      ['quota_stop', '2026-12'],
    ],
  );
  assert.equal(stopped[1]!.details.resumesAt, '2027-01-01T00:00:00.000Z');
});

test('a limit pause opens its own cause and recovers nothing of the limits', () => {
  const until = new Date(NOW + 60_000);
  const budget = judge(report({ pause: { code: 'API_BUDGET', until, message: 'spent' } }));
  assert.deepEqual(
    budget.open.map((o) => o.cause),
    ['api_budget'],
  );
  assert.ok(!budget.recovered.includes('api_budget') && !budget.recovered.includes('daily_limit'));
  const limit = judge(
    report({ pause: { code: 'REQUEST_LIMIT_EXCEEDED', until, message: 'TotalRequests Limit exceeded.' } }),
  );
  assert.deepEqual(
    limit.open.map((o) => [o.cause, o.details.pausedUntil]),
    [['daily_limit', until.toISOString()]],
  );
});
