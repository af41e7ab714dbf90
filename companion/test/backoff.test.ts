// Retry delays: exponential with equal jitter, capped.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelayMs } from '../src/queue/backoff.js';
import { planUpdates } from '../src/queue/outcomes.js';
import type { StoredEvent } from '../src/queue/batch.js';

const policy = { baseMs: 1000, maxMs: 30_000 };

describe('backoff', () => {
  it('doubles per attempt between half and all of the ceiling', () => {
    assert.equal(
      backoffDelayMs(1, policy, () => 0),
      500,
    );
    assert.equal(
      backoffDelayMs(1, policy, () => 1),
      1000,
    );
    assert.equal(
      backoffDelayMs(2, policy, () => 0),
      1000,
    );
    assert.equal(
      backoffDelayMs(3, policy, () => 1),
      4000,
    );
    assert.equal(
      backoffDelayMs(10, policy, () => 1),
      30_000,
      'capped',
    );
    assert.equal(
      backoffDelayMs(10, policy, () => 0),
      15_000,
    );
    assert.equal(
      backoffDelayMs(1000, policy, () => 1),
      30_000,
      'no overflow',
    );
  });

  it('spreads the retries of one batch', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelayMs(4, policy)));
    assert.ok(delays.size > 10);
    for (const d of delays) assert.ok(d >= 4000 && d <= 8000);
  });
});

describe('outcome planning', () => {
  const event = (seq: string, attempts = 0): StoredEvent => ({
    seq,
    workspaceId: 'w',
    source: 's',
    id: `e${seq}`,
    type: 'relay.visit',
    time: '2026-01-01T00:00:00.000Z',
    data: {},
    receivedAt: '2026-01-01T00:00:00.000Z',
    attempts,
  });
  const p = { maxAttempts: 3, baseMs: 100, maxMs: 1000, random: () => 1 };

  it('retries missing, unknown and malformed outcomes instead of losing events', () => {
    const { updates, problems } = planUpdates(
      [event('1'), event('2'), event('3')],
      [
        { seq: '1', status: 'synced', result: {} },
        { seq: '1', status: 'synced', result: {} },
        { seq: '9', status: 'synced', result: {} },
        { seq: '3', status: 'deferred', reason: 'x', until: 'not a date' },
      ],
      p,
    );
    const bySeq = Object.fromEntries(updates.map((u) => [u.seq, u]));
    assert.equal(bySeq['1']!.status, 'synced');
    assert.equal(bySeq['2']!.status, 'retrying');
    assert.equal(bySeq['2']!.code, 'NO_OUTCOME');
    assert.equal(bySeq['3']!.status, 'retrying');
    assert.equal(bySeq['3']!.code, 'INVALID_OUTCOME');
    assert.equal(problems.length, 4);
  });

  it('dead-letters the last attempt and keeps attempts for deferrals', () => {
    const { updates } = planUpdates(
      [event('1', 2), event('2', 0), event('3', 2)],
      [
        { seq: '1', status: 'retry', errorCode: 'SERVER_UNAVAILABLE', message: '503' },
        { seq: '2', status: 'retry', errorCode: 'UNABLE_TO_LOCK_ROW', message: 'locked' },
        { seq: '3', status: 'deferred', reason: 'quota', until: '2030-01-01T00:00:00Z' },
      ],
      p,
    );
    assert.deepEqual(
      updates.map((u) => [u.seq, u.status, u.category, u.attemptsIncrement, u.delayMs]),
      [
        ['1', 'failed', 'transient', 1, null],
        ['2', 'retrying', null, 1, 100],
        ['3', 'deferred', null, 0, null],
      ],
    );
    assert.equal(updates[0]!.message, '503 (gave up after 3 attempts)');
  });
});
