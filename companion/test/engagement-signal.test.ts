// The record sidebar's engagement signal and the Account's people list, computed from stored
// activities at a fixed "now": the score's weights and fading, the levels, the 30-day trend, the
// reason a rep reads, and who engaged with an Account, latest first.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  engagementSignal,
  signalLevel,
  signalReason,
  signalScore,
  signalTrend,
  type SignalActivity,
} from '../src/api/package/engagement-signal.js';
import { engagedPeople, type PersonActivityRow } from '../src/api/package/engagement-people.js';

const NOW = new Date('2026-12-07T12:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);
const visit = (days: number, documentName: string | null = 'Pricing deck'): SignalActivity => ({
  type: 'relay.visit',
  occurredAt: daysAgo(days),
  documentName,
});
const message = (days: number): SignalActivity => ({
  type: 'relay.message.sent',
  occurredAt: daysAgo(days),
  documentName: null,
});

describe('engagement signal', () => {
  test('nothing in 90 days: score 0, no level, no trend, said in words', () => {
    assert.deepEqual(engagementSignal([visit(120)], NOW), {
      score: 0,
      level: 'none',
      trend: 'none',
      reason: 'No activity in the last 90 days',
    });
  });

  test('three views of one deck this week: warm, new, and the reason names the deck', () => {
    const signal = engagementSignal([visit(1), visit(2), visit(3), message(4)], NOW);
    assert.equal(signal.score, 33); // 3 visits × 10 + 1 message × 3, all this week
    assert.equal(signal.level, 'warm');
    assert.equal(signal.trend, 'new');
    assert.equal(signal.reason, 'Viewed “Pricing deck” 3 times this week');
  });

  test('visits fade with age and the score stops at 100', () => {
    assert.equal(signalScore([visit(1)], NOW), 10);
    assert.equal(signalScore([visit(10)], NOW), 5);
    assert.equal(signalScore([visit(60)], NOW), 2);
    assert.equal(
      signalScore(
        Array.from({ length: 20 }, () => visit(1)),
        NOW,
      ),
      100,
    );
  });

  test('levels: hot from 60, warm from 25, cool above 0', () => {
    assert.deepEqual([60, 59, 25, 24, 1, 0].map(signalLevel), ['hot', 'warm', 'warm', 'cool', 'cool', 'none']);
  });

  test('trend: the last 30 days against the monthly average of the 60 days before', () => {
    const before = [visit(40), visit(50), visit(70), visit(80)]; // 2 a month
    assert.equal(signalTrend([...before, visit(1), visit(2), visit(3)], NOW), 'rising');
    assert.equal(signalTrend([...before, visit(1), visit(2)], NOW), 'steady');
    assert.equal(signalTrend(before, NOW), 'falling');
  });

  test('reasons: several documents, the month, messages without a view, a quiet account', () => {
    assert.equal(
      signalReason([visit(1), visit(2), visit(3, 'Security overview')], NOW),
      'Viewed “Pricing deck” twice this week, 3 visits in all',
    );
    assert.equal(signalReason([visit(1, 'A'), visit(2, 'B')], NOW), '2 document visits this week');
    assert.equal(signalReason([visit(12)], NOW), 'Viewed “Pricing deck” once in the last 30 days');
    assert.equal(
      signalReason([message(3), message(5), visit(45)], NOW),
      'No visits in 30 days; 2 messages or shares sent without a view',
    );
    assert.equal(signalReason([visit(45), visit(70)], NOW), 'Quiet: the last activity was 45 days ago');
  });
});

describe("an Account's people", () => {
  const row = (whoId: string, days: number, type = 'relay.visit', email: string | null = null): PersonActivityRow => ({
    who_id: whoId,
    person_email: email,
    occurred_at: daysAgo(days),
    type,
  });

  test('one entry per person with the latest activity and a count, most recent first', () => {
    const people = engagedPeople([
      row('003000000000001AAA', 5, 'relay.visit', 'ava@acme.example'),
      row('00Q000000000002AAA', 1, 'relay.message.sent', 'leo@acme.example'),
      row('003000000000001AAA', 2, 'relay.link.created'),
    ]);
    assert.deepEqual(people, [
      {
        recordId: '00Q000000000002AAA',
        objectName: 'Lead',
        email: 'leo@acme.example',
        lastActivityAt: daysAgo(1).toISOString(),
        lastActivityType: 'relay.message.sent',
        activities: 1,
      },
      {
        recordId: '003000000000001AAA',
        objectName: 'Contact',
        email: 'ava@acme.example',
        lastActivityAt: daysAgo(2).toISOString(),
        lastActivityType: 'relay.link.created',
        activities: 2,
      },
    ]);
  });

  test('lists at most the given number of people', () => {
    const rows = Array.from({ length: 12 }, (_, i) => row(`003${String(i).padStart(12, '0')}AAA`, i));
    const people = engagedPeople(rows, 10);
    assert.equal(people.length, 10);
    assert.equal(people[0]!.recordId, '003000000000000AAA');
  });
});
