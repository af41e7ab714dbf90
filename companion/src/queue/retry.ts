// Retrying quarantined events (the package's "Retry" and "Retry all"): failed events of one
// workspace go back to pending with a fresh attempt budget. Always scoped by workspace, so one
// tenant can never touch another's events, whatever ids it sends.
import type { Db } from '../db/types.js';

/** CloudEvent ids, or every failed event (optionally of one error category). */
export type RetryTarget = readonly string[] | { category?: string };

export async function retryFailedEvents(db: Db, workspaceId: string, target: RetryTarget): Promise<number> {
  const byIds = Array.isArray(target);
  const ids = byIds ? (target as readonly string[]) : null;
  if (ids && ids.length === 0) return 0;
  const category = byIds ? null : ((target as { category?: string }).category ?? null);
  const { rowCount } = await db.query(
    `UPDATE events SET status = 'pending', attempts = 0, next_attempt_at = now(),
       error_category = NULL, error_code = NULL, error_field = NULL, error_message = NULL,
       status_reason = NULL, completed_at = NULL, updated_at = now()
     WHERE workspace_id = $1 AND status = 'failed'
       AND ($2::text[] IS NULL OR event_id = ANY($2::text[]))
       AND ($3::text IS NULL OR error_category = $3)`,
    [workspaceId, ids ? [...ids] : null, category],
  );
  return rowCount;
}
