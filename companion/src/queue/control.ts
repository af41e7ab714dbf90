// What other parts of the companion (package API, sync engine, demo) may do to the queue, scoped
// by workspace: nudge it, retry its failed events, pause and resume it, read its backlog.
import type { Db } from '../db/types.js';
import type { Nudger } from './nudger.js';
import { readBacklog, type Backlog } from './backlog.js';
import { retryFailedEvents, type RetryTarget } from './retry.js';
import { pauseWorkspace, resumeWorkspace, type PauseState } from './workspace-state.js';

export type { Backlog, RetryTarget, PauseState };

export interface QueueControl {
  /** Sync the workspace soon (debounced). */
  nudge(workspaceId: string): Promise<void>;
  /** Failed events back to pending (by CloudEvent id, or all / all of a category); returns how many. */
  retryEvents(workspaceId: string, target: RetryTarget): Promise<number>;
  /** No batch is claimed for the workspace until `until`; the worker sleeps meanwhile. */
  pauseWorkspace(workspaceId: string, until: Date | string, reason: string): Promise<PauseState>;
  /** Ends a pause early and nudges. */
  resumeWorkspace(workspaceId: string): Promise<void>;
  backlog(workspaceId: string): Promise<Backlog>;
  /**
   * Events deferred for one of `reasons` (the code their reason starts with) become due now, and
   * the workspace is nudged: what held them is gone (a connection made, a limit raised).
   */
  releaseDeferred(workspaceId: string, reasons: readonly string[]): Promise<number>;
}

export function createQueueControl(db: Db, nudger: Nudger): QueueControl {
  return {
    nudge: (workspaceId) => nudger.nudge(workspaceId),
    async retryEvents(workspaceId, target) {
      const queued = await retryFailedEvents(db, workspaceId, target);
      if (queued > 0) await nudger.nudge(workspaceId);
      return queued;
    },
    async pauseWorkspace(workspaceId, until, reason) {
      const at = typeof until === 'string' ? new Date(until) : until;
      if (Number.isNaN(at.getTime())) throw new RangeError(`pauseWorkspace: 'until' is not a date (${String(until)})`);
      const state = await pauseWorkspace(db, workspaceId, at, reason);
      if (state.pausedUntil) await nudger.wakeAt(workspaceId, state.pausedUntil);
      return state;
    },
    async resumeWorkspace(workspaceId) {
      await resumeWorkspace(db, workspaceId);
      await nudger.nudge(workspaceId);
    },
    backlog: (workspaceId) => readBacklog(db, workspaceId),
    async releaseDeferred(workspaceId, reasons) {
      const { rowCount } = await db.query(
        `UPDATE events SET next_attempt_at = now(), updated_at = now()
          WHERE workspace_id = $1 AND status = 'deferred' AND split_part(status_reason, ':', 1) = ANY($2::text[])`,
        [workspaceId, [...reasons]],
      );
      if (rowCount > 0) await nudger.nudge(workspaceId);
      return rowCount;
    },
  };
}
