// How much of a workspace's work is where: counts per status and the pause, for the package's
// status endpoint, the demo's progress line and tests.
import type { Db } from '../db/types.js';

export interface Backlog {
  pending: number;
  processing: number;
  retrying: number;
  deferred: number;
  failed: number;
  synced: number;
  skipped: number;
  total: number;
  pausedUntil: string | null;
  pausedReason: string | null;
  lastSyncAt: string | null;
}

const STATUSES = ['pending', 'processing', 'retrying', 'deferred', 'failed', 'synced', 'skipped'] as const;

export async function readBacklog(db: Db, workspaceId: string): Promise<Backlog> {
  const [counts, state] = await Promise.all([
    db.query<{ status: (typeof STATUSES)[number]; n: number }>(
      'SELECT status, count(*)::int AS n FROM events WHERE workspace_id = $1 GROUP BY status',
      [workspaceId],
    ),
    db.query<{ paused_until: Date | null; paused_reason: string | null; last_sync_at: Date | null }>(
      `SELECT CASE WHEN paused_until > now() THEN paused_until END AS paused_until,
              CASE WHEN paused_until > now() THEN paused_reason END AS paused_reason, last_sync_at
         FROM workspace_sync_state WHERE workspace_id = $1`,
      [workspaceId],
    ),
  ]);
  const backlog: Backlog = {
    pending: 0,
    processing: 0,
    retrying: 0,
    deferred: 0,
    failed: 0,
    synced: 0,
    skipped: 0,
    total: 0,
    pausedUntil: null,
    pausedReason: null,
    lastSyncAt: null,
  };
  for (const row of counts.rows) {
    backlog[row.status] = row.n;
    backlog.total += row.n;
  }
  const s = state.rows[0];
  if (s) {
    backlog.pausedUntil = s.paused_until?.toISOString() ?? null;
    backlog.pausedReason = s.paused_reason;
    backlog.lastSyncAt = s.last_sync_at?.toISOString() ?? null;
  }
  return backlog;
}
