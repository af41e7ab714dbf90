// The seam between the platform (intake, storage, queue, worker) and the Salesforce sync engine.
// The platform stores events, claims due ones in batches per workspace under a lease, and calls
// the engine's BatchProcessor; the engine turns the batch into Salesforce calls and answers one
// EventOutcome per event; the platform records the outcomes (status, retries with backoff and
// jitter, dead-lettering) and schedules what is due next. The engine never updates `events.status`
// itself.
//
// The platform owns this file; the sync engine owns the rest of src/sync/. See companion/README.md.
import type { Logger } from 'pino';
import type { Config } from '../config/env.js';
import type { Db } from '../db/types.js';
import type { Migration } from '../db/migrate.js';
import type { RoutePlugin } from '../http/routes.js';
import type { QueueControl } from '../queue/control.js';
import type { PgBoss } from '../queue/boss.js';
import type { Workspace } from '../workspaces/types.js';

export type { Config, Db, Logger, Migration, PgBoss, QueueControl, RoutePlugin, Workspace };

/** One accepted CloudEvent as the worker hands it to the processor. */
export interface StoredEvent {
  /** Intake order (a 64-bit integer as a string); the handle outcomes refer to. */
  seq: string;
  workspaceId: string;
  /** CloudEvent `source`. */
  source: string;
  /** CloudEvent `id` (unique per workspace and source). */
  id: string;
  /** CloudEvent `type`, one of CONTRACTS §3 (validated at intake). */
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

/** What the sync engine plugs into the companion. */
export interface SyncEngine {
  processor: BatchProcessor;
  /** The engine's migrations, ids 100–199; applied with the platform's at start-up. */
  migrations?: readonly Migration[];
  /** Extra HTTP routes (package data endpoints, platform API); see http/routes.ts. */
  routes?: RoutePlugin;
  /** Called after migrations and before the worker starts. */
  start?(): Promise<void>;
  /** Called on shutdown, after the worker has stopped. */
  close?(): Promise<void>;
  /** Relay's Salesforce API calls (last 24 hours) for `npm start`'s progress line. */
  progress?(workspaceId?: string): Promise<{ apiCalls: number }>;
}

export interface SyncEngineDeps {
  config: Config;
  db: Db;
  log: Logger;
  queue: QueueControl;
  /**
   * The companion's pg-boss, for engines that schedule work of their own (reverse sync's polls).
   * Create queues and workers in `start()`, stop them in `close()` (which runs before it stops).
   */
  boss?: PgBoss;
}

/**
 * Builds the engine. Called before migrations run: do not query the database here (use `start`).
 * `src/sync/index.ts` exporting `createSyncEngine: SyncEngineFactory` is picked up by `npm start`.
 */
export type SyncEngineFactory = (deps: SyncEngineDeps) => SyncEngine | Promise<SyncEngine>;
