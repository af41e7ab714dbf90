// Counters of the sync engine for `npm start`'s progress line and for tests: Salesforce calls by
// purpose and outcome counts, in this process. `readSyncProgress` adds what only the database knows
// (events received by any process, Relay's calls to the org today) so the line is right with
// several workers too.
import type { Db } from '../db/types.js';
import type { CallRecord } from '../salesforce/client.js';
import type { EventOutcome } from '../queue/batch.js';

export interface CounterSnapshot {
  apiCalls: number;
  apiCallsByLabel: Record<string, number>;
  /** Calls that failed in the network or timed out (no status). */
  apiCallErrors: number;
  synced: number;
  skipped: number;
  retry: number;
  failed: number;
  deferred: number;
}

export class SyncCounters {
  #total = this.#empty();
  readonly #byWorkspace = new Map<string, CounterSnapshot>();

  #empty(): CounterSnapshot {
    return {
      apiCalls: 0,
      apiCallsByLabel: {},
      apiCallErrors: 0,
      synced: 0,
      skipped: 0,
      retry: 0,
      failed: 0,
      deferred: 0,
    };
  }

  #for(workspaceId: string): CounterSnapshot {
    let c = this.#byWorkspace.get(workspaceId);
    if (!c) {
      c = this.#empty();
      this.#byWorkspace.set(workspaceId, c);
    }
    return c;
  }

  call(workspaceId: string, call: CallRecord): void {
    for (const c of [this.#total, this.#for(workspaceId)]) {
      if (call.status === null) c.apiCallErrors += 1;
      else {
        c.apiCalls += 1;
        c.apiCallsByLabel[call.label] = (c.apiCallsByLabel[call.label] ?? 0) + 1;
      }
    }
  }

  outcomes(workspaceId: string, outcomes: readonly EventOutcome[]): void {
    for (const c of [this.#total, this.#for(workspaceId)]) {
      for (const o of outcomes) c[o.status] += 1;
    }
  }

  snapshot(workspaceId?: string): CounterSnapshot {
    const c = workspaceId ? (this.#byWorkspace.get(workspaceId) ?? this.#empty()) : this.#total;
    return { ...c, apiCallsByLabel: { ...c.apiCallsByLabel } };
  }

  reset(): void {
    this.#total = this.#empty();
    this.#byWorkspace.clear();
  }
}

export interface SyncProgress {
  /** Events stored by intake (all processes). */
  received: number;
  synced: number;
  failed: number;
  skipped: number;
  /** Pending, retrying, deferred or being processed. */
  waiting: number;
  /** Relay's Salesforce calls in the last 24 hours (all processes, from the budget table). */
  apiCalls: number;
  /** This process's calls since start. */
  apiCallsThisProcess: number;
}

/** The figures of the progress line (`received 120 · synced 118 · failed 1 · API calls 3`). */
export async function readSyncProgress(db: Db, counters?: SyncCounters, workspaceId?: string): Promise<SyncProgress> {
  const [events, calls] = await Promise.all([
    db.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM events WHERE ($1::text IS NULL OR workspace_id = $1) GROUP BY status`,
      [workspaceId ?? null],
    ),
    db.query<{ n: number }>(
      `SELECT coalesce(sum(u.calls), 0)::int AS n FROM sync_api_usage u
        WHERE u.hour >= date_trunc('hour', now() - interval '24 hours')
          AND ($1::text IS NULL OR u.org_id IN (SELECT org_id FROM sync_org_state WHERE workspace_id = $1))`,
      [workspaceId ?? null],
    ),
  ]);
  const by = Object.fromEntries(events.rows.map((r) => [r.status, r.n])) as Record<string, number>;
  const received = events.rows.reduce((n, r) => n + r.n, 0);
  return {
    received,
    synced: by.synced ?? 0,
    failed: by.failed ?? 0,
    skipped: by.skipped ?? 0,
    waiting: (by.pending ?? 0) + (by.retrying ?? 0) + (by.deferred ?? 0) + (by.processing ?? 0),
    apiCalls: calls.rows[0]?.n ?? 0,
    apiCallsThisProcess: counters?.snapshot(workspaceId).apiCalls ?? 0,
  };
}
