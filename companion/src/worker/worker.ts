// The sync worker. pg-boss delivers "look at workspace W" jobs (nudges, wake-ups, the minute
// sweep); for each, the worker takes W's lease, claims due events in batches (claims.ts), hands
// each batch to the sync engine's BatchProcessor with an AbortSignal, renews the leases while the
// processor runs, records the outcomes (outcomes.ts), and when W has nothing due any more releases
// the lease and schedules W's next wake-up. It never polls a paused or idle workspace. A workspace
// with a backlog gives its slot up after a batch when another one is waiting for a slot (fairness).
// A workspace with more than RELAY_BACKLOG_THRESHOLD events due is claimed in backlog batches
// (RELAY_BACKLOG_BATCH_SIZE): fewer, bigger batches whose Tasks the engine writes with Bulk API 2.0.
//
// Guarantees: an event is in at most one live lease at a time (nothing processed twice
// concurrently); an event whose worker dies is claimed again when its lease expires (nothing
// lost); an answer that arrives after the lease was lost changes nothing (fencing by token).
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db } from '../db/types.js';
import type { WorkerConfig } from '../config/env.js';
import type { BatchProcessor, EventOutcome, StoredEvent, SyncContext } from '../queue/batch.js';
import type { Workspace } from '../workspaces/types.js';
import { getWorkspace } from '../workspaces/store.js';
import type { PgBoss } from '../queue/boss.js';
import { SWEEP_QUEUE, SYNC_DEAD_LETTER_QUEUE, SYNC_QUEUE, type SyncJobData } from '../queue/names.js';
import type { Nudger } from '../queue/nudger.js';
import {
  claimBatch,
  expireAllLeases,
  nextClaimSize,
  partialBatchWait,
  releaseLeases,
  renewLeases,
} from '../queue/claims.js';
import { applyOutcomes, type OutcomeSummary } from '../queue/outcomes.js';
import {
  acquireWorkspaceLease,
  dueWorkspaces,
  markBatchDone,
  nextDueAt,
  othersWaiting,
  pauseWorkspace,
  readPause,
  releaseWorkspaceLease,
  renewWorkspaceLease,
} from '../queue/workspace-state.js';

export interface WorkerStats {
  batches: number;
  events: number;
  synced: number;
  skipped: number;
  retrying: number;
  failed: number;
  deferred: number;
  stale: number;
  processorErrors: number;
}

export interface WorkerDeps {
  db: Db;
  boss: PgBoss;
  nudger: Nudger;
  processor: BatchProcessor;
  log: Logger;
  options: WorkerConfig;
  /**
   * True when no other process can use the database (embedded PGlite behind its folder lock): the
   * leases left by a previous run are ended at start instead of waiting for them to expire.
   */
  exclusiveDatabase: boolean;
  /** Longest time one job keeps a workspace before yielding to others (fairness). */
  maxDrainMs?: number;
  /** Told of every batch the processor answered (metrics). */
  onBatch?: (
    workspaceId: string,
    batch: readonly StoredEvent[],
    outcomes: readonly EventOutcome[],
    seconds: number,
  ) => void;
}

export class ShutdownError extends Error {
  constructor() {
    super('the worker is shutting down');
    this.name = 'ShutdownError';
  }
}

export class LeaseLostError extends Error {
  constructor(workspaceId: string) {
    super(`lease on workspace ${workspaceId}'s batch was lost; another worker may take the events over`);
    this.name = 'LeaseLostError';
  }
}

interface RunningBatch {
  workspaceId: string;
  workspaceToken: string;
  token: string;
  controller: AbortController;
  done: Promise<void>;
}

const emptyStats = (): WorkerStats => ({
  batches: 0,
  events: 0,
  synced: 0,
  skipped: 0,
  retrying: 0,
  failed: 0,
  deferred: 0,
  stale: 0,
  processorErrors: 0,
});

export class SyncWorker {
  /** Shown in events.lease_owner: which process holds a claim. */
  readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  readonly stats: WorkerStats = emptyStats();
  readonly #batches = new Set<RunningBatch>();
  readonly #drains = new Set<Promise<unknown>>();
  #started = false;
  #stopping = false;
  readonly #log: Logger;

  constructor(private readonly deps: WorkerDeps) {
    this.#log = deps.log.child({ worker: this.id });
  }

  get running(): boolean {
    return this.#started && !this.#stopping;
  }

  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    const { boss, options } = this.deps;
    if (this.deps.exclusiveDatabase) {
      const expired = await expireAllLeases(this.deps.db);
      if (expired > 0) this.#log.warn({ events: expired }, 'reclaiming events left in processing by a previous run');
    }
    await boss.work<SyncJobData>(
      SYNC_QUEUE,
      {
        localConcurrency: options.concurrency,
        batchSize: 1,
        pollingIntervalSeconds: options.pollIntervalSeconds,
        // NOTIFY only fires when a job is created, not when a delayed wake-up comes due: keep
        // polling as often with NOTIFY on as without.
        notifyPollingIntervalSeconds: options.pollIntervalSeconds,
      },
      async (jobs) => {
        for (const job of jobs) await this.#track(this.drainWorkspace(job.data.workspaceId));
      },
    );
    await boss.work<SyncJobData>(SYNC_DEAD_LETTER_QUEUE, { pollingIntervalSeconds: 5 }, async (jobs) => {
      for (const job of jobs) {
        this.#log.error(
          { workspaceId: job.data.workspaceId, job: job.id },
          'a sync job for this workspace failed on every retry (database trouble?); the minute sweep will try again',
        );
      }
    });
    await boss.work(SWEEP_QUEUE, { pollingIntervalSeconds: 5 }, async () => {
      await this.sweep();
    });
    await boss.schedule(SWEEP_QUEUE, '* * * * *');
    await this.sweep();
    this.#log.info({ concurrency: options.concurrency, batchSize: options.batchSize }, 'sync worker started');
  }

  /** Nudges every workspace with due work and schedules wake-ups for the rest. */
  async sweep(): Promise<number> {
    if (this.#stopping) return 0;
    const due = await dueWorkspaces(this.deps.db);
    let nudged = 0;
    for (const d of due) {
      if (!d.dueAt) continue;
      if (d.dueAt <= d.now) {
        nudged += 1;
        await this.deps.nudger.nudge(d.workspaceId);
      } else {
        await this.deps.nudger.wakeAt(d.workspaceId, d.dueAt);
      }
    }
    return nudged;
  }

  /**
   * Syncs one workspace until it has nothing due (or the time slice ends), then schedules its next
   * wake-up. Safe to call from anywhere: the workspace lease makes concurrent calls wait their turn.
   */
  async drainWorkspace(workspaceId: string): Promise<void> {
    if (this.#stopping) return;
    const { db, options } = this.deps;
    const workspace = await getWorkspace(db, workspaceId);
    if (!workspace) {
      this.#log.warn({ workspaceId }, 'sync job for an unknown workspace ignored');
      return;
    }
    if (!workspace.active) return; // Events wait, stored; activating the workspace nudges it.
    const token = randomUUID();
    const lease = await acquireWorkspaceLease(db, workspaceId, token, this.id, options.leaseMs);
    if (!lease.acquired) {
      this.#log.debug({ workspaceId, heldUntil: lease.heldUntil }, 'workspace is being synced by another job');
      // Another worker is on it and will look again before letting go; if it died, come back
      // when its lease has expired.
      if (lease.heldUntil) await this.deps.nudger.wakeAt(workspaceId, lease.heldUntil);
      return;
    }
    const started = Date.now();
    const maxDrainMs = this.deps.maxDrainMs ?? 30_000;
    let yielded = false;
    let waitUntil: Date | null = null;
    try {
      let paused = lease.pausedUntil !== null && lease.pausedUntil.getTime() > Date.now();
      // A trickle waits a moment for company: one batch, one write call, instead of one per event.
      // Only before the first claim: the tail of a burst goes with the burst.
      if (!paused) waitUntil = await partialBatchWait(db, workspaceId, options.batchSize, options.batchWaitMs);
      while (!paused && !waitUntil && !this.#stopping) {
        if (Date.now() - started > maxDrainMs) {
          yielded = true;
          break;
        }
        const batchToken = randomUUID();
        const batch = await claimBatch(db, {
          workspaceId,
          limit: await nextClaimSize(db, workspaceId, options),
          token: batchToken,
          owner: this.id,
          leaseMs: options.leaseMs,
          maxAttempts: options.maxAttempts,
        });
        this.#log.debug({ workspaceId, claimed: batch.length }, 'claimed');
        if (batch.length === 0) break;
        await this.#runBatch(workspace, token, batchToken, batch);
        paused = (await readPause(db, workspaceId)).pausedUntil !== null;
        // Fairness: with every slot of this process busy, another workspace's ready events would
        // wait for this whole backlog (or the time slice). Give the slot up after each batch
        // while one waits; its job is older than our requeue, so pg-boss hands it out first.
        if (
          !paused &&
          this.#drains.size >= options.concurrency &&
          (await othersWaiting(db, workspaceId, options.batchSize, options.batchWaitMs))
        ) {
          yielded = true;
          break;
        }
      }
    } finally {
      await releaseWorkspaceLease(db, workspaceId, token).catch((error: unknown) =>
        this.#log.warn({ err: error, workspaceId }, 'could not release the workspace lease; it will expire'),
      );
    }
    if (this.#stopping) return;
    if (waitUntil) {
      await this.deps.nudger.wakeAt(workspaceId, waitUntil);
      return;
    }
    // Looked at after letting go of the lease: a nudge that arrived while we held it was dropped by
    // its worker, and its events are seen here.
    const due = await nextDueAt(db, workspaceId);
    this.#log.debug({ workspaceId, dueAt: due.dueAt, now: due.now, yielded }, 'drain finished');
    if (!due.dueAt) return;
    if (yielded) await this.deps.nudger.requeue(workspaceId);
    else if (due.dueAt <= due.now) await this.deps.nudger.nudge(workspaceId);
    else await this.deps.nudger.wakeAt(workspaceId, due.dueAt);
  }

  async #runBatch(
    workspace: Workspace,
    workspaceToken: string,
    batchToken: string,
    batch: StoredEvent[],
  ): Promise<void> {
    const { db, options, processor } = this.deps;
    const controller = new AbortController();
    const log = this.#log.child({ workspaceId: workspace.id, batch: batchToken.slice(0, 8) });
    let leaseExpiresAt = Date.now() + options.leaseMs;
    const renew = setInterval(
      () => {
        void (async () => {
          try {
            const [held] = await Promise.all([
              renewLeases(db, batchToken, options.leaseMs),
              renewWorkspaceLease(db, workspace.id, workspaceToken, options.leaseMs),
            ]);
            if (held < batch.length) controller.abort(new LeaseLostError(workspace.id));
            else leaseExpiresAt = Date.now() + options.leaseMs;
          } catch (error) {
            log.warn({ err: error }, 'could not renew the batch lease');
            if (Date.now() >= leaseExpiresAt) controller.abort(new LeaseLostError(workspace.id));
          }
        })();
      },
      Math.max(500, Math.floor(options.leaseMs / 3)),
    );
    renew.unref();

    const ctx: SyncContext = {
      workspace,
      db,
      log,
      signal: controller.signal,
      pause: async (until, reason) => {
        const at = typeof until === 'string' ? new Date(until) : until;
        if (Number.isNaN(at.getTime())) throw new RangeError(`pause: 'until' is not a date (${String(until)})`);
        await pauseWorkspace(db, workspace.id, at, reason);
        log.warn({ until: at.toISOString(), reason }, 'workspace paused');
      },
    };

    let resolveDone!: () => void;
    const running: RunningBatch = {
      workspaceId: workspace.id,
      workspaceToken,
      token: batchToken,
      controller,
      done: new Promise((r) => (resolveDone = r)),
    };
    this.#batches.add(running);
    const started = process.hrtime.bigint();
    try {
      let outcomes: EventOutcome[];
      try {
        outcomes = await processor(ctx, batch);
        if (!Array.isArray(outcomes)) throw new TypeError('the processor did not return an array of outcomes');
      } catch (error) {
        if (controller.signal.aborted && controller.signal.reason instanceof ShutdownError) {
          const released = await releaseLeases(db, batchToken);
          log.info({ events: released }, 'shutdown: batch handed back unprocessed');
          return;
        }
        this.stats.processorErrors += 1;
        log.error(
          { err: error, events: batch.length },
          'the processor failed for the whole batch; its events will be retried',
        );
        const message = error instanceof Error ? error.message : String(error);
        outcomes = batch.map((e) => ({ seq: e.seq, status: 'retry', errorCode: 'PROCESSOR_ERROR', message }));
      } finally {
        clearInterval(renew);
      }
      const summary = await applyOutcomes(db, batchToken, batch, outcomes, {
        maxAttempts: options.maxAttempts,
        baseMs: options.backoffBaseMs,
        maxMs: options.backoffMaxMs,
      });
      this.#count(batch.length, summary);
      this.deps.onBatch?.(workspace.id, batch, outcomes, Number(process.hrtime.bigint() - started) / 1e9);
      if (summary.problems.length > 0)
        log.warn({ problems: summary.problems.slice(0, 20) }, 'problems with the processor outcome');
      if (summary.stale > 0)
        log.warn({ stale: summary.stale }, 'outcomes arrived after the lease was lost and were discarded');
      await markBatchDone(db, workspace.id, summary.synced > 0);
      log.debug({ ...summary, problems: undefined }, 'batch done');
    } finally {
      this.#batches.delete(running);
      resolveDone();
    }
  }

  #count(events: number, s: OutcomeSummary): void {
    this.stats.batches += 1;
    this.stats.events += events;
    this.stats.synced += s.synced;
    this.stats.skipped += s.skipped;
    this.stats.retrying += s.retrying;
    this.stats.failed += s.failed;
    this.stats.deferred += s.deferred;
    this.stats.stale += s.stale;
  }

  async #track<T>(work: Promise<T>): Promise<T> {
    this.#drains.add(work);
    try {
      return await work;
    } finally {
      this.#drains.delete(work);
    }
  }

  /**
   * Stops taking jobs, asks running processors to finish (signal aborted with ShutdownError), waits
   * up to the grace period, then hands unfinished batches back so another worker (or the next
   * start) takes them at once.
   */
  async stop(): Promise<void> {
    if (!this.#started || this.#stopping) return;
    this.#stopping = true;
    const { boss, db, options } = this.deps;
    // Stop fetching without waiting for running handlers: they wait for processors, which are
    // told to stop right after, and bounded by the grace period below.
    await Promise.all(
      [SYNC_QUEUE, SYNC_DEAD_LETTER_QUEUE, SWEEP_QUEUE].map((queue) =>
        boss.offWork(queue, { wait: false }).catch(() => {}),
      ),
    );
    for (const batch of this.#batches) batch.controller.abort(new ShutdownError());
    const settled = Promise.allSettled([...this.#drains]);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      settled.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), options.shutdownGraceMs);
      }),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      for (const batch of this.#batches) {
        const released = await releaseLeases(db, batch.token).catch(() => 0);
        await releaseWorkspaceLease(db, batch.workspaceId, batch.workspaceToken).catch(() => {});
        this.#log.warn({ events: released }, 'shutdown: a batch did not finish in time; handed back');
      }
    }
    this.#log.info({ ...this.stats }, 'sync worker stopped');
  }
}
