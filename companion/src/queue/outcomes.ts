// Recording what the processor answered for a batch, in one statement: every event's new status,
// attempts, next due time, error fields and result. The update is fenced by the batch's lease
// token, so the answer of a worker whose lease expired (and whose events another worker has taken
// over) changes nothing. Transient failures get the next attempt after backoff with jitter; the
// last allowed attempt dead-letters them as failed with category 'transient'.
import type { Db } from '../db/types.js';
import type { EventOutcome, StoredEvent } from './batch.js';
import { backoffDelayMs, type BackoffPolicy } from './backoff.js';

export interface OutcomePolicy extends BackoffPolicy {
  maxAttempts: number;
  random?: () => number;
}

export interface OutcomeSummary {
  synced: number;
  skipped: number;
  retrying: number;
  failed: number;
  deferred: number;
  /** Outcomes that changed nothing because the lease had been lost. */
  stale: number;
  /** Problems with the processor's answer (unknown seq, duplicate, missing, malformed). */
  problems: string[];
}

type StoredStatus = 'synced' | 'skipped' | 'retrying' | 'failed' | 'deferred';

interface Update {
  seq: string;
  status: StoredStatus;
  attemptsIncrement: number;
  delayMs: number | null;
  until: string | null;
  reason: string | null;
  category: string | null;
  code: string | null;
  field: string | null;
  message: string | null;
  result: string | null;
  terminal: boolean;
}

const MAX_TEXT = 4000;
const clip = (value: string | undefined | null): string | null =>
  value === undefined || value === null ? null : value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}…` : value;

function blank(seq: string, status: StoredStatus): Update {
  return {
    seq,
    status,
    attemptsIncrement: 1,
    delayMs: null,
    until: null,
    reason: null,
    category: null,
    code: null,
    field: null,
    message: null,
    result: null,
    terminal: false,
  };
}

function retryOrDeadLetter(
  event: StoredEvent,
  code: string,
  message: string,
  retryAfterMs: number | undefined,
  policy: OutcomePolicy,
): Update {
  const attempt = event.attempts + 1;
  if (attempt >= policy.maxAttempts) {
    return {
      ...blank(event.seq, 'failed'),
      category: 'transient',
      code: clip(code),
      message: clip(`${message} (gave up after ${attempt} attempt${attempt === 1 ? '' : 's'})`),
      terminal: true,
    };
  }
  const delay =
    retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs >= 0
      ? Math.round(retryAfterMs)
      : backoffDelayMs(attempt, policy, policy.random);
  return { ...blank(event.seq, 'retrying'), delayMs: delay, code: clip(code), message: clip(message) };
}

function toUpdate(event: StoredEvent, outcome: EventOutcome, policy: OutcomePolicy): Update | string {
  switch (outcome.status) {
    case 'synced':
      return { ...blank(event.seq, 'synced'), result: JSON.stringify(outcome.result ?? {}), terminal: true };
    case 'skipped':
      return {
        ...blank(event.seq, 'skipped'),
        reason: clip(outcome.reason),
        result: outcome.result ? JSON.stringify(outcome.result) : null,
        terminal: true,
      };
    case 'retry':
      return retryOrDeadLetter(event, outcome.errorCode, outcome.message, outcome.retryAfterMs, policy);
    case 'failed':
      return {
        ...blank(event.seq, 'failed'),
        category: clip(outcome.category),
        code: clip(outcome.errorCode),
        field: clip(outcome.field),
        message: clip(outcome.message),
        terminal: true,
      };
    case 'deferred': {
      const until = new Date(outcome.until);
      if (Number.isNaN(until.getTime()))
        return `deferred outcome for seq ${event.seq} has an invalid 'until' (${String(outcome.until)})`;
      return {
        ...blank(event.seq, 'deferred'),
        attemptsIncrement: 0,
        until: until.toISOString(),
        reason: clip(outcome.reason),
      };
    }
    default:
      return `outcome for seq ${event.seq} has unknown status '${String((outcome as { status?: unknown }).status)}'`;
  }
}

/** Turns the processor's answer into one update per event of the batch, noting every problem. */
export function planUpdates(
  batch: readonly StoredEvent[],
  outcomes: readonly EventOutcome[],
  policy: OutcomePolicy,
): { updates: Update[]; problems: string[] } {
  const bySeq = new Map(batch.map((e) => [e.seq, e]));
  const updates = new Map<string, Update>();
  const problems: string[] = [];
  for (const outcome of outcomes) {
    const event = outcome && typeof outcome === 'object' ? bySeq.get(String(outcome.seq)) : undefined;
    if (!event) {
      problems.push(`outcome for seq ${String(outcome?.seq)} which is not in the batch`);
      continue;
    }
    if (updates.has(event.seq)) {
      problems.push(`second outcome for seq ${event.seq} ignored`);
      continue;
    }
    const update = toUpdate(event, outcome, policy);
    if (typeof update === 'string') {
      problems.push(update);
      updates.set(event.seq, retryOrDeadLetter(event, 'INVALID_OUTCOME', update, undefined, policy));
    } else {
      updates.set(event.seq, update);
    }
  }
  let missing = 0;
  for (const event of batch) {
    if (!updates.has(event.seq)) {
      missing += 1;
      updates.set(
        event.seq,
        retryOrDeadLetter(event, 'NO_OUTCOME', 'the sync engine returned no outcome for this event', undefined, policy),
      );
    }
  }
  if (missing > 0) problems.push(`${missing} event(s) of the batch had no outcome and will be retried`);
  return { updates: [...updates.values()], problems };
}

/** Applies the processor's outcomes for a batch claimed with `token`. */
export async function applyOutcomes(
  db: Db,
  token: string,
  batch: readonly StoredEvent[],
  outcomes: readonly EventOutcome[],
  policy: OutcomePolicy,
): Promise<OutcomeSummary> {
  const { updates, problems } = planUpdates(batch, outcomes, policy);
  const summary: OutcomeSummary = { synced: 0, skipped: 0, retrying: 0, failed: 0, deferred: 0, stale: 0, problems };
  if (updates.length === 0) return summary;
  const column = <K extends keyof Update>(key: K) => updates.map((u) => u[key]);
  const { rows } = await db.query<{ seq: string; status: StoredStatus }>(
    `UPDATE events e SET
       status = u.status,
       attempts = e.attempts + u.inc,
       next_attempt_at = COALESCE(u.until, now() + u.delay_ms * interval '1 millisecond', e.next_attempt_at),
       status_reason = u.reason,
       error_category = u.category,
       error_code = u.code,
       error_field = u.field,
       error_message = u.message,
       result = COALESCE(u.result::jsonb, e.result),
       completed_at = CASE WHEN u.terminal THEN now() ELSE e.completed_at END,
       lease_token = NULL, lease_owner = NULL, lease_expires_at = NULL,
       updated_at = now()
     FROM unnest($2::bigint[], $3::text[], $4::int[], $5::double precision[], $6::timestamptz[], $7::text[],
                 $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::boolean[])
       AS u(seq, status, inc, delay_ms, until, reason, category, code, field, message, result, terminal)
     WHERE e.seq = u.seq AND e.lease_token = $1 AND e.status = 'processing'
     RETURNING e.seq, e.status`,
    [
      token,
      column('seq'),
      column('status'),
      column('attemptsIncrement'),
      column('delayMs'),
      column('until'),
      column('reason'),
      column('category'),
      column('code'),
      column('field'),
      column('message'),
      column('result'),
      column('terminal'),
    ],
  );
  for (const row of rows) summary[row.status] += 1;
  summary.stale = updates.length - rows.length;
  return summary;
}
