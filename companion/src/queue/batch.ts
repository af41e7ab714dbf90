// The worker ↔ engine contract. The queue stores events and claims due ones in batches per
// workspace under a lease; the worker hands a batch to a BatchProcessor (the sync engine), which
// turns it into Salesforce calls and answers one EventOutcome per event; the queue records the
// outcomes (status, retries with backoff and jitter, dead-lettering) and schedules what is due
// next. A processor never updates `events.status` itself.
import type { Logger } from 'pino';
import type { Db } from '../db/types.js';
import type { Workspace } from '../workspaces/types.js';

/** One accepted CloudEvent as the worker hands it to the processor. */
export interface StoredEvent {
  /** Intake order (a 64-bit integer as a string); the handle outcomes refer to. */
  seq: string;
  workspaceId: string;
  /** CloudEvent `source`. */
  source: string;
  /** CloudEvent `id` (unique per workspace and source). */
  id: string;
  /** CloudEvent `type`, one of the intake's types (docs/intake-api.md; validated at intake). */
  type: string;
  /** CloudEvent `time`, ISO 8601 UTC with milliseconds. */
  time: string;
  /** CloudEvent `data`, validated against the type's schema at intake. */
  data: unknown;
  /** When intake stored it, ISO 8601 UTC. */
  receivedAt: string;
  /** Attempts already made (0 on the first), counting attempts cut short by a lost worker. */
  attempts: number;
}

export type EventOutcome =
  /** Written to Salesforce. `result`: record ids, match reason… (shown to the package). */
  | { seq: string; status: 'synced'; result: Record<string, unknown> }
  /** Deliberately not written (e.g. unmatched and the switches say skip). */
  | { seq: string; status: 'skipped'; reason: string; result?: Record<string, unknown> }
  /**
   * Transient failure: tried again after exponential backoff with jitter (or `retryAfterMs`);
   * after the configured number of attempts it is dead-lettered as failed, category 'transient'.
   */
  | { seq: string; status: 'retry'; errorCode: string; message: string; retryAfterMs?: number }
  /** Permanent failure: quarantined until retried from the package (retryEvents). */
  | { seq: string; status: 'failed'; category: string; errorCode: string; field?: string; message: string }
  /**
   * Not attempted (quota, API limit pause, visit cadence, inactive): due again at `until` (ISO
   * 8601), attempts unchanged.
   */
  | { seq: string; status: 'deferred'; reason: string; until: string };

export interface SyncContext {
  workspace: Workspace;
  db: Db;
  log: Logger;
  /**
   * Aborted when the batch's lease is lost (another worker may take the events over) or the
   * process is shutting down. Stop starting new Salesforce calls; return what is known. Events
   * without an outcome are retried.
   */
  signal: AbortSignal;
  /**
   * Pauses the whole workspace until `until` (e.g. REQUEST_LIMIT_EXCEEDED, monthly quota): no batch
   * is claimed before then and the worker sleeps instead of polling. Return 'deferred' outcomes for
   * the events of the current batch that were not attempted.
   */
  pause(until: Date | string, reason: string): Promise<void>;
}

export type BatchProcessor = (ctx: SyncContext, events: StoredEvent[]) => Promise<EventOutcome[]>;
