// The monthly Task quota (MonthlyTaskQuota, QuotaWarningPercent): Tasks created per workspace and
// calendar month in UTC. Only creations count — an upsert answered `created: true` — so re-syncs of
// a visit and updates of a link's visitors never use quota. At 100 % new Tasks stop cleanly: their
// events stay stored, deferred to the first instant of next month with reason MONTHLY_QUOTA, while
// updates of existing Tasks go on; raising the quota brings them back (requeueQuotaDeferred).
import type { Db } from '../db/types.js';

export type QuotaState = 'ok' | 'warning' | 'exhausted';

export interface QuotaUse {
  month: string;
  used: number;
  limit: number;
  warningPercent: number;
  state: QuotaState;
}

export const MONTHLY_QUOTA = 'MONTHLY_QUOTA';

/** `2026-11` for a date (UTC). */
export function monthOf(at: Date): string {
  return at.toISOString().slice(0, 7);
}

/** The first instant of the month after `at` (UTC). */
export function nextMonthStart(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
}

export function quotaState(used: number, limit: number, warningPercent: number): QuotaState {
  if (used >= limit) return 'exhausted';
  if (limit > 0 && used * 100 >= limit * warningPercent) return 'warning';
  return 'ok';
}

export async function tasksCreated(db: Db, workspaceId: string, month: string): Promise<number> {
  const { rows } = await db.query<{ created: number }>(
    'SELECT created FROM sync_task_quota WHERE workspace_id = $1 AND month = $2',
    [workspaceId, month],
  );
  return rows[0]?.created ?? 0;
}

export async function countCreated(db: Db, workspaceId: string, month: string, n: number): Promise<number> {
  if (n <= 0) return tasksCreated(db, workspaceId, month);
  const { rows } = await db.query<{ created: number }>(
    `INSERT INTO sync_task_quota (workspace_id, month, created) VALUES ($1, $2, $3)
     ON CONFLICT (workspace_id, month) DO UPDATE SET created = sync_task_quota.created + excluded.created
     RETURNING created`,
    [workspaceId, month, n],
  );
  return rows[0]!.created;
}

export async function quotaUse(
  db: Db,
  workspaceId: string,
  limit: number,
  warningPercent: number,
  now = new Date(),
): Promise<QuotaUse> {
  const month = monthOf(now);
  const used = await tasksCreated(db, workspaceId, month);
  return { month, used, limit, warningPercent, state: quotaState(used, limit, warningPercent) };
}

/**
 * Makes events deferred for the quota due now (the quota was raised). Touches only `next_attempt_at`
 * of this workspace's `deferred` MONTHLY_QUOTA events — the status stays the platform's business —
 * and answers how many; the caller nudges the worker.
 */
export async function requeueQuotaDeferred(db: Db, workspaceId: string): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE events SET next_attempt_at = now(), updated_at = now()
     WHERE workspace_id = $1 AND status = 'deferred' AND status_reason LIKE $2 AND next_attempt_at > now()`,
    [workspaceId, `${MONTHLY_QUOTA}%`],
  );
  return rowCount;
}

export async function hasQuotaDeferred(db: Db, workspaceId: string): Promise<boolean> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM events WHERE workspace_id = $1 AND status = 'deferred' AND status_reason LIKE $2 AND next_attempt_at > now()`,
    [workspaceId, `${MONTHLY_QUOTA}%`],
  );
  return (rows[0]?.n ?? 0) > 0;
}
