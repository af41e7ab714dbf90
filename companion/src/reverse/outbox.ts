// The outbox of CloudEvents owed to the platform (reverse_outbox). Rows are written in the same
// transaction that records the values they announce, delivered in order per record (a record's
// `updated` never overtakes its `created`), retried with backoff, and either delivered or `dead` —
// dead rows are listed among the package's sync errors (category `delivery`) and can be retried.
import type { Db } from '../db/types.js';

export interface OutboxEvent {
  eventId: string;
  type: string;
  recordId: string;
  /** The CloudEvent JSON exactly as it is signed and sent. */
  body: string;
}

export async function enqueue(db: Db, workspaceId: string, events: readonly OutboxEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db.query(
    `INSERT INTO reverse_outbox (workspace_id, event_id, type, record_id, body)
     SELECT $1, u.event_id, u.type, u.record_id, u.body
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS u(event_id, type, record_id, body, n)
      ORDER BY u.n
     ON CONFLICT (workspace_id, event_id) DO NOTHING`,
    [
      workspaceId,
      events.map((e) => e.eventId),
      events.map((e) => e.type),
      events.map((e) => e.recordId),
      events.map((e) => e.body),
    ],
  );
}

export interface DueEvent {
  seq: string;
  eventId: string;
  recordId: string;
  body: string;
  attempts: number;
}

/**
 * Events due now, oldest first, leaving out any event behind an earlier undelivered one of the same
 * record (so one record's events arrive in order even when one of them keeps failing).
 */
export async function dueEvents(db: Db, workspaceId: string, limit: number): Promise<DueEvent[]> {
  const { rows } = await db.query<{ seq: string; event_id: string; record_id: string; body: string; attempts: number }>(
    `SELECT o.seq, o.event_id, o.record_id, o.body, o.attempts FROM reverse_outbox o
      WHERE o.workspace_id = $1 AND o.status = 'pending' AND o.next_attempt_at <= now()
        AND NOT EXISTS (SELECT 1 FROM reverse_outbox p
                         WHERE p.workspace_id = o.workspace_id AND p.record_id = o.record_id
                           AND p.status = 'pending' AND p.seq < o.seq)
      ORDER BY o.seq LIMIT $2`,
    [workspaceId, limit],
  );
  return rows.map((r) => ({
    seq: r.seq,
    eventId: r.event_id,
    recordId: r.record_id,
    body: r.body,
    attempts: r.attempts,
  }));
}

export async function markDelivered(db: Db, workspaceId: string, seq: string, status: number): Promise<void> {
  await db.query(
    `UPDATE reverse_outbox SET status = 'delivered', attempts = attempts + 1, last_attempt_at = now(), last_status = $3,
            last_error = NULL, delivered_at = now()
      WHERE workspace_id = $1 AND seq = $2`,
    [workspaceId, seq, status],
  );
}

/** A failed attempt: due again after `retryInMs`, or dead when it was the last one allowed. */
export async function markFailed(
  db: Db,
  workspaceId: string,
  seq: string,
  failure: { status: number | null; error: string; retryInMs: number; dead: boolean },
): Promise<void> {
  await db.query(
    `UPDATE reverse_outbox SET attempts = attempts + 1, last_attempt_at = now(), last_status = $3, last_error = $4,
            status = CASE WHEN $6 THEN 'dead' ELSE status END,
            next_attempt_at = now() + make_interval(secs => $5::double precision / 1000)
      WHERE workspace_id = $1 AND seq = $2`,
    [workspaceId, seq, failure.status, failure.error.slice(0, 1000), failure.retryInMs, failure.dead],
  );
}

/** Workspaces with events due now whose receiver is not backing off. */
export async function workspacesWithDueEvents(db: Db): Promise<string[]> {
  const { rows } = await db.query<{ workspace_id: string }>(
    `SELECT DISTINCT o.workspace_id FROM reverse_outbox o
       LEFT JOIN reverse_state s ON s.workspace_id = o.workspace_id
      WHERE o.status = 'pending' AND o.next_attempt_at <= now()
        AND (s.deliver_after IS NULL OR s.deliver_after <= now())`,
  );
  return rows.map((r) => r.workspace_id);
}

/** Takes the workspace's delivery lease: one deliverer per workspace keeps each record's order. */
export async function acquireDeliveryLease(db: Db, workspaceId: string, token: string, ms: number): Promise<boolean> {
  await db.query('INSERT INTO reverse_state (workspace_id) VALUES ($1) ON CONFLICT DO NOTHING', [workspaceId]);
  const { rowCount } = await db.query(
    `UPDATE reverse_state SET deliver_token = $2, deliver_until = now() + make_interval(secs => $3::double precision / 1000)
      WHERE workspace_id = $1 AND (deliver_until IS NULL OR deliver_until < now())
        AND (deliver_after IS NULL OR deliver_after <= now())`,
    [workspaceId, token, ms],
  );
  return rowCount === 1;
}

export async function releaseDeliveryLease(db: Db, workspaceId: string, token: string): Promise<void> {
  await db.query(
    'UPDATE reverse_state SET deliver_token = NULL, deliver_until = NULL WHERE workspace_id = $1 AND deliver_token = $2',
    [workspaceId, token],
  );
}

/** The receiver answered: its back-off ends. */
export async function receiverUp(db: Db, workspaceId: string): Promise<void> {
  await db.query(
    `UPDATE reverse_state SET deliver_failures = 0, deliver_after = NULL WHERE workspace_id = $1 AND deliver_failures <> 0`,
    [workspaceId],
  );
}

/** The receiver is down: no delivery before the returned back-off (from its consecutive failures). */
export async function receiverDown(
  db: Db,
  workspaceId: string,
  delayMs: (failures: number) => number,
): Promise<{ failures: number; after: Date }> {
  const { rows } = await db.query<{ deliver_failures: number }>(
    'UPDATE reverse_state SET deliver_failures = deliver_failures + 1 WHERE workspace_id = $1 RETURNING deliver_failures',
    [workspaceId],
  );
  const failures = rows[0]?.deliver_failures ?? 1;
  const set = await db.query<{ deliver_after: Date }>(
    `UPDATE reverse_state SET deliver_after = now() + make_interval(secs => $2::double precision / 1000)
      WHERE workspace_id = $1 RETURNING deliver_after`,
    [workspaceId, delayMs(failures)],
  );
  return { failures, after: set.rows[0]?.deliver_after ?? new Date() };
}

/** Dead events back to pending with a fresh attempt budget (by CloudEvent id, or all); how many. */
export async function retryDead(db: Db, workspaceId: string, eventIds: readonly string[] | null): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE reverse_outbox SET status = 'pending', attempts = 0, next_attempt_at = now()
      WHERE workspace_id = $1 AND status = 'dead' AND ($2::text[] IS NULL OR event_id = ANY($2::text[]))`,
    [workspaceId, eventIds ? [...eventIds] : null],
  );
  if (rowCount > 0) {
    await db.query(`UPDATE reverse_state SET deliver_failures = 0, deliver_after = NULL WHERE workspace_id = $1`, [
      workspaceId,
    ]);
  }
  return rowCount;
}

/** Delivered rows are kept a week (for support questions), then removed. */
export async function trimDelivered(db: Db, keepMs = 7 * 86_400_000): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM reverse_outbox WHERE status = 'delivered' AND delivered_at < now() - make_interval(secs => $1::double precision / 1000)`,
    [keepMs],
  );
  return rowCount;
}

export interface OutboundCounts {
  /** Changes detected but not yet read, and events waiting for their first attempt. */
  pending: number;
  /** Events whose earlier attempts failed and that will be tried again. */
  retrying: number;
  /** Events given up on (listed among the package errors, category `delivery`). */
  failed: number;
  /** The latest delivery this week (delivered rows are trimmed after a week). */
  lastDeliveredAt: string | null;
  /** While the receiver is down: no delivery before then. */
  receiverBackoffUntil: string | null;
}

/** The outbound side of a workspace for the package's status (one query). */
export async function outboundCounts(db: Db, workspaceId: string): Promise<OutboundCounts> {
  const { rows } = await db.query<{
    pending: number;
    retrying: number;
    failed: number;
    last_delivered_at: Date | null;
    deliver_after: Date | null;
  }>(
    `SELECT (SELECT count(*) FROM reverse_pending WHERE workspace_id = $1)::int
              + count(*) FILTER (WHERE o.status = 'pending' AND o.attempts = 0)::int AS pending,
            count(*) FILTER (WHERE o.status = 'pending' AND o.attempts > 0)::int AS retrying,
            count(*) FILTER (WHERE o.status = 'dead')::int AS failed,
            max(o.delivered_at) AS last_delivered_at,
            (SELECT deliver_after FROM reverse_state WHERE workspace_id = $1 AND deliver_after > now()) AS deliver_after
       FROM reverse_outbox o WHERE o.workspace_id = $1`,
    [workspaceId],
  );
  const row = rows[0];
  return {
    pending: row?.pending ?? 0,
    retrying: row?.retrying ?? 0,
    failed: row?.failed ?? 0,
    lastDeliveredAt: row?.last_delivered_at ? new Date(row.last_delivered_at).toISOString() : null,
    receiverBackoffUntil: row?.deliver_after ? new Date(row.deliver_after).toISOString() : null,
  };
}

/**
 * Dead deliveries in the shape of the package's error list (api/package/errors-api.ts), category
 * `delivery`. `seq` is negated so it never collides with an event's: delivery errors page after the
 * sync errors. `$1` is the workspace id.
 */
export const DELIVERY_ERRORS_SQL = `
  SELECT -o.seq AS seq, o.workspace_id, o.event_id, (o.body::jsonb)->>'source' AS source, o.type, o.created_at AS time,
         o.last_attempt_at, o.attempts, 'delivery' AS category,
         CASE WHEN o.last_status IS NULL THEN 'DELIVERY_FAILED' ELSE 'HTTP_' || o.last_status END AS error_code,
         NULL::text AS field, o.last_error AS message,
         (o.body::jsonb)->'data'->'fields'->>'Email' AS subject, o.record_id
    FROM reverse_outbox o
   WHERE o.workspace_id = ANY($1::text[]) AND o.status = 'dead'`;
