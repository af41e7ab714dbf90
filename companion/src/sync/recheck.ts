// While a workspace has events held for its monthly quota, read its configuration every 15 minutes
// (one API call) so that an admin who raises MonthlyTaskQuota sees syncing resume without waiting
// for next month. Nothing runs for workspaces without held events: an idle org costs nothing.
import type { Db } from '../db/types.js';
import { getWorkspace } from '../workspaces/store.js';
import type { Engine } from './engine.js';
import { MONTHLY_QUOTA } from './quota.js';

export const QUOTA_RECHECK_MS = 15 * 60_000;

export function startQuotaRecheck(engine: Engine, db: Db, everyMs = QUOTA_RECHECK_MS): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void (async () => {
      try {
        const { rows } = await db.query<{ workspace_id: string }>(
          `SELECT DISTINCT workspace_id FROM events WHERE status = 'deferred' AND status_reason LIKE $1 AND next_attempt_at > now()`,
          [`${MONTHLY_QUOTA}%`],
        );
        for (const { workspace_id } of rows) {
          const workspace = await getWorkspace(db, workspace_id);
          if (workspace?.active)
            await engine
              .refreshConfiguration(workspace)
              .catch((error: unknown) =>
                engine.log.warn({ err: error, workspaceId: workspace_id }, 'quota recheck failed'),
              );
        }
      } catch (error) {
        engine.log.warn({ err: error }, 'quota recheck failed');
      } finally {
        running = false;
      }
    })();
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
