// To-salesforce backfills: a file of CloudEvents (the platform's history) sent through the normal
// intake store — checked by the intake's own validator, stored idempotently on (source, id), synced by
// the worker like any event — with a plan before anything is spent and progress read from the events'
// own status. The run is keyed by the file's events (a digest of their sources and ids), so running
// the same command again finds the run it started, stores nothing twice and reports where it stands.
import { createHash } from 'node:crypto';
import type { Db } from '../db/types.js';
import type { Engine } from '../sync/engine.js';
import type { QueueControl } from '../queue/control.js';
import type { Workspace } from '../workspaces/types.js';
import { eventKey, insertEvents } from '../intake/store.js';
import { EventValidator, type ValidEvent } from '../intake/validate.js';
import { BackfillRefused } from './platform.js';
import { planToSalesforce, type SalesforcePlan } from './salesforce-plan.js';
import { getRun, latestRunOf, openRun, recordProgress, setPlan, type Run, type Spent } from './runs.js';

/** The most events one file may carry (its JSON must also fit the route's body limit). */
export const MAX_FILE_EVENTS = 100_000;
/** Problems named in a refusal; the count says how many more. */
const MAX_PROBLEMS = 20;

export interface SalesforceBackfillDeps {
  db: Db;
  engine: Engine;
  queue: QueueControl;
  /** The worker's batch size (RELAY_BATCH_SIZE): the plan cuts the file as the worker will. */
  batchSize: number;
  /** RELAY_BACKLOG_THRESHOLD and RELAY_BACKLOG_BATCH_SIZE: the worker's backlog batches. */
  backlogThreshold: number;
  backlogBatchSize: number;
}

export interface SalesforceProgress {
  events: number;
  synced: number;
  skipped: number;
  failed: number;
  /** Pending, being synced or retrying: the worker is on them. */
  waiting: number;
  /** Held until a time (not connected, the monthly quota, RelayActive off…), with the first reason. */
  deferred: number;
  deferredReason: string | null;
  done: boolean;
}

export class SalesforceBackfill {
  readonly #validator = new EventValidator();
  /** The engine's counters when this process started or resumed a run: what it spent is the difference. */
  readonly #baselines = new Map<string, Spent>();

  constructor(private readonly deps: SalesforceBackfillDeps) {}

  /** Every event checked like intake; a refusal names each bad event by its index and the rule. */
  validate(input: unknown): ValidEvent[] {
    if (!Array.isArray(input) || input.length === 0)
      throw new BackfillRefused('events: a non-empty array of CloudEvents is required', 'BAD_REQUEST', 400);
    if (input.length > MAX_FILE_EVENTS)
      throw new BackfillRefused(`events: at most ${MAX_FILE_EVENTS} per backfill (split the file)`, 'BAD_REQUEST', 400);
    const valid: ValidEvent[] = [];
    const problems: string[] = [];
    input.forEach((raw, i) => {
      const checked = this.#validator.validate(raw);
      if (checked.ok) valid.push(checked.event);
      else problems.push(`events[${i}]: ${checked.errors.join('; ')}`);
    });
    if (problems.length > 0) {
      const more = problems.length > MAX_PROBLEMS ? ` (and ${problems.length - MAX_PROBLEMS} more)` : '';
      throw new BackfillRefused(
        `${problems.length} of ${input.length} events are invalid; nothing was stored: ${problems.slice(0, MAX_PROBLEMS).join(' | ')}${more}`,
        'INVALID_EVENTS',
        400,
      );
    }
    return valid;
  }

  /** The dry run: the file's figures by the worker's batching rules. */
  async plan(workspace: Workspace, input: unknown): Promise<SalesforcePlan> {
    const events = distinct(this.validate(input));
    return this.#plan(workspace, events, await this.#storedKeys(workspace.id, events));
  }

  async #plan(workspace: Workspace, events: ValidEvent[], stored: Set<string>): Promise<SalesforcePlan> {
    const fresh = events.filter((e) => !stored.has(eventKey(e.source, e.id)));
    return planToSalesforce(workspace.id, fresh, events.length - fresh.length, {
      batchSize: this.deps.batchSize,
      backlogThreshold: this.deps.backlogThreshold,
      backlogBatchSize: this.deps.backlogBatchSize,
      bulkThreshold: this.deps.engine.tuning.bulkThreshold,
      configSubrequests: this.deps.engine.configs.subrequests(),
      config: await this.deps.engine.configs.current(workspace.id),
    });
  }

  /** Stores the file's events (those not stored yet) and opens or finds the run that follows them. */
  async start(workspace: Workspace, input: unknown): Promise<{ run: Run; resumed: boolean; stored: number }> {
    const events = distinct(this.validate(input));
    const storedBefore = await this.#storedKeys(workspace.id, events);
    const plan = await this.#plan(workspace, events, storedBefore);
    // The same file again is the same run, finished or not: it reports where its events stand.
    const key = digest(events);
    const known = await latestRunOf(this.deps.db, workspace.id, 'to-salesforce', key);
    const { run, created } = known
      ? { run: known, created: false }
      : await openRun(this.deps.db, workspace.id, 'to-salesforce', key, 'operator', {});
    if (created) await setPlan(this.deps.db, run, { ...plan });
    if (run.state === 'running' && !this.#baselines.has(run.id))
      this.#baselines.set(run.id, this.#spentSoFar(workspace.id));
    const inserted = await insertEvents(
      this.deps.db,
      events.map((event) => ({ workspaceId: workspace.id, event })),
    );
    await this.deps.db.query(
      `INSERT INTO backfill_items (workspace_id, run_id, seq)
       SELECT $1, $2, e.seq FROM events e JOIN unnest($3::text[], $4::text[]) AS u(source, id)
         ON e.source = u.source AND e.event_id = u.id
        WHERE e.workspace_id = $1
       ON CONFLICT DO NOTHING`,
      [workspace.id, run.id, events.map((e) => e.source), events.map((e) => e.id)],
    );
    if (inserted.length > 0) await this.deps.queue.nudge(workspace.id);
    return {
      run: (await getRun(this.deps.db, workspace.id, run.id)) ?? run,
      resumed: !created,
      stored: inserted.length,
    };
  }

  /** Where the run's events stand; a run whose events all reached an end is closed with what it spent. */
  async progress(workspace: Workspace, run: Run): Promise<{ run: Run; progress: SalesforceProgress }> {
    const { rows } = await this.deps.db.query<{ status: string; n: number; reason: string | null }>(
      `SELECT e.status, count(*)::int AS n, min(e.status_reason) AS reason FROM backfill_items i
         JOIN events e ON e.seq = i.seq
        WHERE i.workspace_id = $1 AND i.run_id = $2 GROUP BY e.status`,
      [workspace.id, run.id],
    );
    const count = (s: string) => rows.find((r) => r.status === s)?.n ?? 0;
    const events = rows.reduce((n, r) => n + r.n, 0);
    const progress: SalesforceProgress = {
      events,
      synced: count('synced'),
      skipped: count('skipped'),
      failed: count('failed'),
      waiting: count('pending') + count('processing') + count('retrying'),
      deferred: count('deferred'),
      deferredReason: rows.find((r) => r.status === 'deferred')?.reason ?? null,
      done: false,
    };
    progress.done = progress.waiting === 0 && progress.deferred === 0;
    if (run.state === 'running' && progress.done) {
      const base = this.#baselines.get(run.id);
      const now = this.#spentSoFar(workspace.id);
      await recordProgress(this.deps.db, run, {
        done: progress.events - run.done,
        spent: base ? { apiCalls: now.apiCalls - base.apiCalls, bulkJobs: now.bulkJobs - base.bulkJobs } : undefined,
        finished: true,
      });
      this.#baselines.delete(run.id);
      return { run: (await getRun(this.deps.db, workspace.id, run.id)) ?? run, progress };
    }
    return { run, progress };
  }

  /** This process's Salesforce calls and Bulk jobs for the workspace (the engine's counters). */
  #spentSoFar(workspaceId: string): Spent {
    const c = this.deps.engine.counters.snapshot(workspaceId);
    return { apiCalls: c.apiCalls, bulkJobs: c.apiCallsByLabel['bulk.create'] ?? 0 };
  }

  async #storedKeys(workspaceId: string, events: readonly ValidEvent[]): Promise<Set<string>> {
    const { rows } = await this.deps.db.query<{ source: string; event_id: string }>(
      `SELECT e.source, e.event_id FROM events e JOIN unnest($2::text[], $3::text[]) AS u(source, id)
         ON e.source = u.source AND e.event_id = u.id
        WHERE e.workspace_id = $1`,
      [workspaceId, events.map((e) => e.source), events.map((e) => e.id)],
    );
    return new Set(rows.map((r) => eventKey(r.source, r.event_id)));
  }
}

/** The file's events once each (the first of two with the same source and id, as intake keeps). */
function distinct(events: readonly ValidEvent[]): ValidEvent[] {
  const seen = new Set<string>();
  return events.filter((e) => {
    const key = eventKey(e.source, e.id);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The run's key: the file's events, whatever their order. */
function digest(events: readonly ValidEvent[]): string {
  const keys = events.map((e) => eventKey(e.source, e.id)).sort();
  return createHash('sha256').update(keys.join('\n')).digest('hex');
}
