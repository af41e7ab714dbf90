// The answers of one batch, one per event, built up as the engine goes. The first outcome given to
// an event wins, so a later generic "the call failed" never overwrites a precise per-record answer.
import {
  IntegrationError,
  LimitPauseError,
  RetryableError,
  fieldOf,
  primaryError,
  type SalesforceErrorItem,
  retryDecision,
  ruleOf,
  triesAgain,
} from '../errors.js';
import type { EventOutcome, StoredEvent } from '../queue/batch.js';

export class OutcomeSet {
  readonly #outcomes = new Map<string, EventOutcome>();

  has(seq: string): boolean {
    return this.#outcomes.has(seq);
  }

  get(seq: string): EventOutcome | undefined {
    return this.#outcomes.get(seq);
  }

  get size(): number {
    return this.#outcomes.size;
  }

  set(outcome: EventOutcome): void {
    if (!this.#outcomes.has(outcome.seq)) this.#outcomes.set(outcome.seq, outcome);
  }

  synced(seq: string, result: Record<string, unknown>): void {
    this.set({ seq, status: 'synced', result });
  }

  skipped(seq: string, reason: string, result?: Record<string, unknown>): void {
    this.set(result ? { seq, status: 'skipped', reason, result } : { seq, status: 'skipped', reason });
  }

  retry(seq: string, errorCode: string, message: string, retryAfterMs?: number): void {
    this.set(
      retryAfterMs === undefined
        ? { seq, status: 'retry', errorCode, message }
        : { seq, status: 'retry', errorCode, message, retryAfterMs },
    );
  }

  failed(seq: string, category: string, errorCode: string, message: string, field?: string): void {
    this.set(
      field
        ? { seq, status: 'failed', category, errorCode, field, message }
        : { seq, status: 'failed', category, errorCode, message },
    );
  }

  deferred(seq: string, reason: string, until: Date): void {
    this.set({ seq, status: 'deferred', reason, until: until.toISOString() });
  }

  /** A per-record Salesforce error, by the error table. */
  recordError(seq: string, item: SalesforceErrorItem): void {
    const rule = ruleOf({ code: item.code });
    const message = `${item.code}: ${item.message}`;
    if (triesAgain(retryDecision(rule))) this.retry(seq, item.code, message);
    else this.failed(seq, rule.category, item.code, item.message, fieldOf(item));
  }

  recordErrors(seq: string, items: SalesforceErrorItem[]): void {
    this.recordError(seq, primaryError(items));
  }

  /** A whole-call failure for the events it concerned (a limit pause is handled by the engine). */
  callError(seq: string, error: unknown): void {
    if (error instanceof LimitPauseError) {
      this.deferred(seq, `${error.code}: ${error.message}`, error.until);
    } else if (error instanceof RetryableError) {
      this.retry(seq, error.code, error.message, error.retryAfterMs);
    } else if (error instanceof IntegrationError) {
      if (error.retryable) this.retry(seq, error.code, error.message);
      else this.failed(seq, error.category, error.code, error.message, error.field);
    } else {
      this.retry(seq, 'INTERNAL_ERROR', error instanceof Error ? error.message : String(error));
    }
  }

  /** The outcomes of `events`, in batch order (events without one are left to the platform). */
  list(events: readonly StoredEvent[]): EventOutcome[] {
    const out: EventOutcome[] = [];
    for (const e of events) {
      const o = this.#outcomes.get(e.seq);
      if (o) out.push(o);
    }
    return out;
  }
}
