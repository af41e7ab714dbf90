// Backfill runs (backfill_runs): one row per backfill with its plan, its cursor and what it spent, so
// a backfill stopped by a kill goes on from where it stood when the same command runs again. Every
// statement is scoped by workspace.
import type { Db } from '../db/types.js';

export type Direction = 'to-platform' | 'to-salesforce';

/** Where a to-platform backfill stands: the object being read and the last Id read of it. */
export interface PlatformCursor {
  /** The object being read; null once every object was read. */
  object: 'Contact' | 'Lead' | null;
  /** Records with a greater Id are still to read. */
  lastId: string | null;
  /** The query's next page (queryMore), while one is open. */
  nextUrl: string | null;
  /** A Bulk API 2.0 query job whose results are being read, and the locator of the next page. */
  jobId: string | null;
  locator: string | null;
}

export interface Spent {
  apiCalls: number;
  bulkJobs: number;
}

export interface Run {
  id: string;
  workspaceId: string;
  direction: Direction;
  runKey: string;
  origin: string;
  state: 'running' | 'done';
  plan: Record<string, unknown> | null;
  cursor: Record<string, unknown>;
  spent: Spent;
  done: number;
  announced: number;
  alreadySent: number;
  lastError: string | null;
  startedAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

interface RunRow {
  [key: string]: unknown;
  id: string;
  workspace_id: string;
  direction: Direction;
  run_key: string;
  origin: string;
  state: 'running' | 'done';
  plan: Record<string, unknown> | null;
  cursor: Record<string, unknown>;
  spent: Partial<Spent>;
  done_count: number;
  announced: number;
  already_sent: number;
  last_error: string | null;
  started_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

const COLUMNS = `id::text AS id, workspace_id, direction, run_key, origin, state, plan, cursor, spent, done_count,
  announced, already_sent, last_error, started_at, updated_at, finished_at`;

function toRun(r: RunRow): Run {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    direction: r.direction,
    runKey: r.run_key,
    origin: r.origin,
    state: r.state,
    plan: r.plan,
    cursor: r.cursor ?? {},
    spent: { apiCalls: r.spent?.apiCalls ?? 0, bulkJobs: r.spent?.bulkJobs ?? 0 },
    done: r.done_count,
    announced: r.announced,
    alreadySent: r.already_sent,
    lastError: r.last_error,
    startedAt: r.started_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
  };
}

/**
 * The unfinished run of this workspace, direction and key, or a new one: a re-run of the same command
 * continues the run it left. `created` says which.
 */
export async function openRun(
  db: Db,
  workspaceId: string,
  direction: Direction,
  runKey: string,
  origin: string,
  cursor: Record<string, unknown>,
): Promise<{ run: Run; created: boolean }> {
  const inserted = await db.query<RunRow>(
    `INSERT INTO backfill_runs (workspace_id, direction, run_key, origin, cursor) VALUES ($1, $2, $3, $4, $5::jsonb)
     ON CONFLICT (workspace_id, direction, run_key) WHERE state = 'running' DO NOTHING
     RETURNING ${COLUMNS}`,
    [workspaceId, direction, runKey, origin, JSON.stringify(cursor)],
  );
  if (inserted.rows[0]) return { run: toRun(inserted.rows[0]), created: true };
  const open = await openRunOf(db, workspaceId, direction, runKey);
  if (!open) throw new Error(`backfill of ${workspaceId} (${direction}) is neither open nor creatable`);
  return { run: open, created: false };
}

export async function openRunOf(db: Db, workspaceId: string, direction: Direction, runKey: string) {
  const { rows } = await db.query<RunRow>(
    `SELECT ${COLUMNS} FROM backfill_runs
      WHERE workspace_id = $1 AND direction = $2 AND run_key = $3 AND state = 'running'`,
    [workspaceId, direction, runKey],
  );
  return rows[0] ? toRun(rows[0]) : null;
}

/** The newest run of this workspace, direction and key, finished or not. */
export async function latestRunOf(db: Db, workspaceId: string, direction: Direction, runKey: string) {
  const { rows } = await db.query<RunRow>(
    `SELECT ${COLUMNS} FROM backfill_runs WHERE workspace_id = $1 AND direction = $2 AND run_key = $3
      ORDER BY id DESC LIMIT 1`,
    [workspaceId, direction, runKey],
  );
  return rows[0] ? toRun(rows[0]) : null;
}

export async function getRun(db: Db, workspaceId: string, id: string): Promise<Run | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const { rows } = await db.query<RunRow>(`SELECT ${COLUMNS} FROM backfill_runs WHERE workspace_id = $1 AND id = $2`, [
    workspaceId,
    id,
  ]);
  return rows[0] ? toRun(rows[0]) : null;
}

/** The workspace's runs, newest first. */
export async function listRuns(db: Db, workspaceId: string, limit = 20): Promise<Run[]> {
  const { rows } = await db.query<RunRow>(
    `SELECT ${COLUMNS} FROM backfill_runs WHERE workspace_id = $1 ORDER BY id DESC LIMIT $2`,
    [workspaceId, limit],
  );
  return rows.map(toRun);
}

export async function setPlan(db: Db, run: Run, plan: Record<string, unknown>): Promise<void> {
  await db.query('UPDATE backfill_runs SET plan = $3::jsonb, updated_at = now() WHERE workspace_id = $1 AND id = $2', [
    run.workspaceId,
    run.id,
    JSON.stringify(plan),
  ]);
}

export interface Progress {
  cursor?: Record<string, unknown>;
  done?: number;
  announced?: number;
  alreadySent?: number;
  spent?: Spent;
  finished?: boolean;
  error?: string | null;
}

/** Adds a step's progress (in the caller's transaction, with what the step wrote). */
export async function recordProgress(db: Db, run: Run, p: Progress): Promise<void> {
  await db.query(
    `UPDATE backfill_runs SET
       cursor = coalesce($3::jsonb, cursor),
       done_count = done_count + $4, announced = announced + $5, already_sent = already_sent + $6,
       spent = jsonb_build_object('apiCalls', coalesce((spent->>'apiCalls')::int, 0) + $7,
                                  'bulkJobs', coalesce((spent->>'bulkJobs')::int, 0) + $8),
       state = CASE WHEN $9 THEN 'done' ELSE state END,
       finished_at = CASE WHEN $9 THEN now() ELSE finished_at END,
       last_error = $10, updated_at = now()
     WHERE workspace_id = $1 AND id = $2`,
    [
      run.workspaceId,
      run.id,
      p.cursor ? JSON.stringify(p.cursor) : null,
      p.done ?? 0,
      p.announced ?? 0,
      p.alreadySent ?? 0,
      p.spent?.apiCalls ?? 0,
      p.spent?.bulkJobs ?? 0,
      p.finished ?? false,
      p.error ?? null,
    ],
  );
}
