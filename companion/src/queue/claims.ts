// Claiming events for processing. A claim marks due rows `processing` under a lease (a random
// token and an expiry) inside one transaction with FOR UPDATE SKIP LOCKED, so concurrent workers
// never claim the same row. A lease that expires (its worker was killed or stalled) makes the row
// claimable again; that lost attempt counts, so an event that keeps killing its worker is
// dead-lettered instead of crashing the fleet forever.
import type { Db } from '../db/types.js';
import type { StoredEvent } from './batch.js';

interface ClaimedRow {
  [key: string]: unknown;
  seq: string;
  workspace_id: string;
  source: string;
  event_id: string;
  type: string;
  time: Date;
  data: unknown;
  received_at: Date;
  attempts: number;
}

export interface ClaimRequest {
  workspaceId: string;
  limit: number;
  /** Fences every later update: only the holder of this token may settle the rows. */
  token: string;
  /** Who holds the lease (host:pid:id), for operators looking at the table. */
  owner: string;
  leaseMs: number;
  maxAttempts: number;
}

const RETURNING = `RETURNING e.seq, e.workspace_id, e.source, e.event_id, e.type, e.time, e.data, e.received_at, e.attempts`;

function toStored(row: ClaimedRow): StoredEvent {
  return {
    seq: row.seq,
    workspaceId: row.workspace_id,
    source: row.source,
    id: row.event_id,
    type: row.type,
    time: row.time.toISOString(),
    data: row.data,
    receivedAt: row.received_at.toISOString(),
    attempts: row.attempts,
  };
}

// A wake-up runs at the time JavaScript rounded (milliseconds; the database keeps microseconds): a
// remainder this small is no reason to wait again.
const WAIT_TOLERANCE_MS = 100;

/**
 * When a workspace's due events are fewer than a batch, until when they should wait for company:
 * `batchWaitMs` after the oldest of them became due. Null when a full batch is ready, nothing is
 * due, or the wait is over. Reads at most `batchSize` rows.
 */
export async function partialBatchWait(
  db: Db,
  workspaceId: string,
  batchSize: number,
  batchWaitMs: number,
): Promise<Date | null> {
  if (batchWaitMs <= 0) return null;
  const { rows } = await db.query<{ n: number; until: Date | null; now: Date }>(
    `SELECT count(*)::int AS n, min(next_attempt_at) + $3::double precision * interval '1 millisecond' AS until, now() AS now
       FROM (SELECT next_attempt_at FROM events
              WHERE workspace_id = $1 AND status IN ('pending', 'retrying', 'deferred') AND next_attempt_at <= now()
              LIMIT $2) due`,
    [workspaceId, batchSize, batchWaitMs],
  );
  const row = rows[0];
  if (!row || row.n === 0 || row.n >= batchSize || !row.until) return null;
  return row.until.getTime() - row.now.getTime() > WAIT_TOLERANCE_MS ? row.until : null;
}

/**
 * Whether more than `threshold` of the workspace's events are due now (pending, retrying or
 * deferred with their time come; a paused workspace is never asked). Reads at most threshold + 1
 * entries of the due index, so a huge backlog costs no more to recognise than a threshold's worth.
 */
export async function dueBacklogAbove(db: Db, workspaceId: string, threshold: number): Promise<boolean> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n
       FROM (SELECT 1 FROM events
              WHERE workspace_id = $1 AND status IN ('pending', 'retrying', 'deferred') AND next_attempt_at <= now()
              LIMIT $2::int + 1) due`,
    [workspaceId, threshold],
  );
  return (rows[0]?.n ?? 0) > threshold;
}

/**
 * The size of the next claim: a backlog batch (RELAY_BACKLOG_BATCH_SIZE) while more than
 * RELAY_BACKLOG_THRESHOLD events are due — its Tasks then go out as one Bulk API 2.0 job and its
 * distinct people are looked up together — else the usual batch.
 */
export async function nextClaimSize(
  db: Db,
  workspaceId: string,
  sizes: { batchSize: number; backlogThreshold: number; backlogBatchSize: number },
): Promise<number> {
  if (sizes.backlogBatchSize <= sizes.batchSize) return sizes.batchSize;
  return (await dueBacklogAbove(db, workspaceId, sizes.backlogThreshold)) ? sizes.backlogBatchSize : sizes.batchSize;
}

/** Claims up to `limit` due events of one workspace, oldest due first. */
export async function claimBatch(db: Db, request: ClaimRequest): Promise<StoredEvent[]> {
  const { workspaceId, limit, token, owner, leaseMs, maxAttempts } = request;
  const rows = await db.transaction(async (tx) => {
    // Lost leases whose attempts are used up: dead-letter rather than hand them out again.
    await tx.query(
      `UPDATE events SET status = 'failed', attempts = attempts + 1, error_category = 'transient',
         error_code = 'WORKER_LOST', error_field = NULL,
         error_message = 'the worker syncing this event stopped before finishing, ' || (attempts + 1) || ' times',
         lease_token = NULL, lease_owner = NULL, lease_expires_at = NULL, completed_at = now(), updated_at = now()
       WHERE workspace_id = $1 AND status = 'processing' AND lease_expires_at <= now() AND attempts + 1 >= $2`,
      [workspaceId, maxAttempts],
    );
    // Lost leases first: they have waited longest.
    const lost = await tx.query<ClaimedRow>(
      `WITH due AS (
         SELECT seq FROM events
         WHERE workspace_id = $1 AND status = 'processing' AND lease_expires_at <= now()
         ORDER BY seq LIMIT $2 FOR UPDATE SKIP LOCKED)
       UPDATE events e SET lease_token = $3, lease_owner = $4,
         lease_expires_at = now() + $5::double precision * interval '1 millisecond',
         attempts = e.attempts + 1, error_code = 'WORKER_LOST',
         error_message = 'the previous worker stopped before finishing', error_category = NULL, error_field = NULL,
         last_attempt_at = now(), updated_at = now()
       FROM due WHERE e.seq = due.seq ${RETURNING}`,
      [workspaceId, limit, token, owner, leaseMs],
    );
    const room = limit - lost.rows.length;
    if (room <= 0) return lost.rows;
    const fresh = await tx.query<ClaimedRow>(
      `WITH due AS (
         SELECT seq FROM events
         WHERE workspace_id = $1 AND status IN ('pending', 'retrying', 'deferred') AND next_attempt_at <= now()
         ORDER BY next_attempt_at, seq LIMIT $2 FOR UPDATE SKIP LOCKED)
       UPDATE events e SET status = 'processing', lease_token = $3, lease_owner = $4,
         lease_expires_at = now() + $5::double precision * interval '1 millisecond',
         last_attempt_at = now(), updated_at = now()
       FROM due WHERE e.seq = due.seq ${RETURNING}`,
      [workspaceId, room, token, owner, leaseMs],
    );
    return [...lost.rows, ...fresh.rows];
  });
  // RETURNING has no order; the processor gets intake order.
  return rows.map(toStored).sort((a, b) => compareSeq(a.seq, b.seq));
}

export function compareSeq(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** Extends the lease of every row still held with `token`; returns how many are still held. */
export async function renewLeases(db: Db, token: string, leaseMs: number): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE events SET lease_expires_at = now() + $2::double precision * interval '1 millisecond'
     WHERE lease_token = $1 AND status = 'processing'`,
    [token, leaseMs],
  );
  return rowCount;
}

/**
 * Gives the rows held with `token` back untouched (shutdown before the processor answered): due
 * now, attempts unchanged.
 */
export async function releaseLeases(db: Db, token: string): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE events SET status = CASE WHEN attempts > 0 THEN 'retrying' ELSE 'pending' END,
       next_attempt_at = now(), lease_token = NULL, lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
     WHERE lease_token = $1 AND status = 'processing'`,
    [token],
  );
  return rowCount;
}

/**
 * Ends every lease at once. Only correct when no other process can hold one: an embedded (PGlite)
 * database at start-up, whose folder lock guarantees this process is alone. The events then go
 * through the normal lost-lease path of the next claim (attempt counted, dead-letter at the limit).
 */
export async function expireAllLeases(db: Db): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE events SET lease_expires_at = now() WHERE status = 'processing' AND lease_expires_at > now()`,
  );
  await db.query(
    `UPDATE workspace_sync_state SET lease_token = NULL, lease_owner = NULL, lease_expires_at = NULL
     WHERE lease_token IS NOT NULL`,
  );
  return rowCount;
}
