// Per-workspace worker state (table workspace_sync_state): the workspace lease that lets one
// worker at a time sync a workspace, the pause, the earliest wake-up already scheduled, and the
// questions the scheduler asks ("when is this workspace next due?", "which workspaces are due?").
import type { Db } from '../db/types.js';

const ms = (param: string) => `now() + ${param}::double precision * interval '1 millisecond'`;

export type WorkspaceLease =
  | { acquired: true; pausedUntil: Date | null; pausedReason: string | null }
  | { acquired: false; heldUntil: Date | null };

/** Takes the workspace lease unless another live worker holds it. */
export async function acquireWorkspaceLease(
  db: Db,
  workspaceId: string,
  token: string,
  owner: string,
  leaseMs: number,
): Promise<WorkspaceLease> {
  const { rows } = await db.query<{ paused_until: Date | null; paused_reason: string | null }>(
    `INSERT INTO workspace_sync_state AS s (workspace_id, lease_token, lease_owner, lease_expires_at)
     VALUES ($1, $2, $3, ${ms('$4')})
     ON CONFLICT (workspace_id) DO UPDATE SET lease_token = excluded.lease_token, lease_owner = excluded.lease_owner,
       lease_expires_at = excluded.lease_expires_at, updated_at = now()
     WHERE s.lease_token IS NULL OR s.lease_expires_at <= now()
     RETURNING s.paused_until, s.paused_reason`,
    [workspaceId, token, owner, leaseMs],
  );
  const row = rows[0];
  if (row) return { acquired: true, pausedUntil: row.paused_until, pausedReason: row.paused_reason };
  const held = await db.query<{ lease_expires_at: Date | null }>(
    'SELECT lease_expires_at FROM workspace_sync_state WHERE workspace_id = $1',
    [workspaceId],
  );
  return { acquired: false, heldUntil: held.rows[0]?.lease_expires_at ?? null };
}

export async function renewWorkspaceLease(
  db: Db,
  workspaceId: string,
  token: string,
  leaseMs: number,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE workspace_sync_state SET lease_expires_at = ${ms('$3')} WHERE workspace_id = $1 AND lease_token = $2`,
    [workspaceId, token, leaseMs],
  );
  return rowCount === 1;
}

export async function releaseWorkspaceLease(db: Db, workspaceId: string, token: string): Promise<void> {
  await db.query(
    `UPDATE workspace_sync_state SET lease_token = NULL, lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
     WHERE workspace_id = $1 AND lease_token = $2`,
    [workspaceId, token],
  );
}

export interface PauseState {
  pausedUntil: Date | null;
  pausedReason: string | null;
}

export async function readPause(db: Db, workspaceId: string): Promise<PauseState> {
  const { rows } = await db.query<{ paused_until: Date | null; paused_reason: string | null }>(
    `SELECT paused_until, paused_reason FROM workspace_sync_state WHERE workspace_id = $1 AND paused_until > now()`,
    [workspaceId],
  );
  return { pausedUntil: rows[0]?.paused_until ?? null, pausedReason: rows[0]?.paused_reason ?? null };
}

/**
 * Holds the workspace until `until`. A pause already running longer is kept (a monthly-quota stop
 * is not shortened by a one-hour API-limit pause).
 */
export async function pauseWorkspace(db: Db, workspaceId: string, until: Date, reason: string): Promise<PauseState> {
  const { rows } = await db.query<{ paused_until: Date; paused_reason: string }>(
    `INSERT INTO workspace_sync_state AS s (workspace_id, paused_until, paused_reason) VALUES ($1, $2, $3)
     ON CONFLICT (workspace_id) DO UPDATE SET
       paused_reason = CASE WHEN s.paused_until > now() AND s.paused_until > excluded.paused_until THEN s.paused_reason ELSE excluded.paused_reason END,
       paused_until = GREATEST(CASE WHEN s.paused_until > now() THEN s.paused_until END, excluded.paused_until),
       updated_at = now()
     RETURNING s.paused_until, s.paused_reason`,
    [workspaceId, until, reason],
  );
  return { pausedUntil: rows[0]?.paused_until ?? until, pausedReason: rows[0]?.paused_reason ?? reason };
}

export async function resumeWorkspace(db: Db, workspaceId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE workspace_sync_state SET paused_until = NULL, paused_reason = NULL, updated_at = now()
     WHERE workspace_id = $1 AND paused_until IS NOT NULL`,
    [workspaceId],
  );
  return rowCount === 1;
}

/**
 * Records that a wake-up at `at` is about to be scheduled, unless an earlier one still pending
 * already covers it. True when the caller should schedule it.
 */
export async function claimWake(db: Db, workspaceId: string, at: Date): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO workspace_sync_state AS s (workspace_id, next_wake_at) VALUES ($1, $2)
     ON CONFLICT (workspace_id) DO UPDATE SET next_wake_at = excluded.next_wake_at, updated_at = now()
     WHERE s.next_wake_at IS NULL OR s.next_wake_at <= now() OR s.next_wake_at > excluded.next_wake_at`,
    [workspaceId, at],
  );
  return rowCount === 1;
}

export interface DueAt {
  workspaceId: string;
  /** When the workspace next has work (the pause's end if it is paused), or null for none. */
  dueAt: Date | null;
  /** The database's clock, to compare `dueAt` with. */
  now: Date;
}

// Earliest due event or lost lease per workspace; a paused workspace is due when the pause ends.
const DUE_SQL = `
  WITH work AS (
    SELECT workspace_id, min(next_attempt_at) AS due FROM events
     WHERE status IN ('pending', 'retrying', 'deferred') AND ($1::text IS NULL OR workspace_id = $1)
     GROUP BY workspace_id
    UNION ALL
    SELECT workspace_id, min(lease_expires_at) FROM events
     WHERE status = 'processing' AND ($1::text IS NULL OR workspace_id = $1)
     GROUP BY workspace_id
  ), earliest AS (SELECT workspace_id, min(due) AS due FROM work GROUP BY workspace_id)
  SELECT e.workspace_id,
         GREATEST(e.due, CASE WHEN s.paused_until > now() THEN s.paused_until END) AS due_at,
         now() AS now
    FROM earliest e
    JOIN workspaces w ON w.id = e.workspace_id AND w.active
    LEFT JOIN workspace_sync_state s ON s.workspace_id = e.workspace_id`;

export async function nextDueAt(db: Db, workspaceId: string): Promise<DueAt> {
  const { rows } = await db.query<{ workspace_id: string; due_at: Date; now: Date }>(DUE_SQL, [workspaceId]);
  const row = rows[0];
  if (!row) {
    const { rows: clock } = await db.query<{ now: Date }>('SELECT now() AS now');
    return { workspaceId, dueAt: null, now: clock[0]!.now };
  }
  return { workspaceId, dueAt: row.due_at, now: row.now };
}

/** Every active workspace that has work, and when it is due. */
export async function dueWorkspaces(db: Db): Promise<DueAt[]> {
  const { rows } = await db.query<{ workspace_id: string; due_at: Date; now: Date }>(DUE_SQL, [null]);
  return rows.map((r) => ({ workspaceId: r.workspace_id, dueAt: r.due_at, now: r.now }));
}

/**
 * Whether another active workspace is waiting for a worker slot: it has events ready to go and
 * nobody syncing it (no live lease, no pause). Ready as the worker's own batch wait sees it
 * (claims.ts, partialBatchWait): a full batch is due, or the oldest due event has waited
 * `batchWaitMs` — a trickle still gathering company is not waiting yet. Indexed probes per
 * workspace (events_due), at most `batchSize` index entries each.
 */
export async function othersWaiting(
  db: Db,
  workspaceId: string,
  batchSize: number,
  batchWaitMs: number,
): Promise<boolean> {
  const { rows } = await db.query<{ waiting: boolean }>(
    `SELECT EXISTS (
       SELECT 1 FROM workspaces w
         LEFT JOIN workspace_sync_state s ON s.workspace_id = w.id
        WHERE w.active AND w.id <> $1
          AND (s.lease_token IS NULL OR s.lease_expires_at <= now())
          AND (s.paused_until IS NULL OR s.paused_until <= now())
          AND (EXISTS (SELECT 1 FROM events e
                        WHERE e.workspace_id = w.id AND e.status IN ('pending', 'retrying', 'deferred')
                          AND e.next_attempt_at <= now() - $3::double precision * interval '1 millisecond')
               OR EXISTS (SELECT 1 FROM events e
                           WHERE e.workspace_id = w.id AND e.status IN ('pending', 'retrying', 'deferred')
                             AND e.next_attempt_at <= now()
                           ORDER BY e.next_attempt_at OFFSET $2::int - 1 LIMIT 1))) AS waiting`,
    [workspaceId, batchSize, batchWaitMs],
  );
  return rows[0]?.waiting === true;
}

export async function markBatchDone(db: Db, workspaceId: string, synced: boolean): Promise<void> {
  await db.query(
    `UPDATE workspace_sync_state SET last_batch_at = now(),
       last_sync_at = CASE WHEN $2 THEN now() ELSE last_sync_at END, updated_at = now()
     WHERE workspace_id = $1`,
    [workspaceId, synced],
  );
}
