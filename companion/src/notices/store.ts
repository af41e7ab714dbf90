// The notices table (migration 300): opening an episode of a cause once (with its outbound event in
// the same transaction, so the platform hears of it exactly when the episode is recorded), closing
// it on recovery, and the bell's claim, success and failure — a lease makes one process send it.
import type { Db } from '../db/types.js';
import { enqueue } from '../reverse/outbox.js';
import type { NoticeCause, NoticeOpening } from './causes.js';
import { buildNoticeEvent } from './event.js';

export interface OpenedNotice {
  id: string;
  workspaceId: string;
  cause: NoticeCause;
  period: string;
  message: string;
  openedAt: string;
}

/**
 * Opens the cause's episode unless one of the same period is open; the new notice, or null when it
 * was open already (another batch or process told it). With an outbound URL, its CloudEvent joins
 * the outbox in the same transaction.
 */
export async function openNotice(
  db: Db,
  workspaceId: string,
  opening: NoticeOpening,
  options: { outbound: boolean; bell: boolean },
): Promise<OpenedNotice | null> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string; opened_at: Date }>(
      `INSERT INTO notices (workspace_id, cause, period, message, details, bell_status)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6)
       ON CONFLICT (workspace_id, cause, period) WHERE closed_at IS NULL DO NOTHING
       RETURNING id::text AS id, opened_at`,
      [
        workspaceId,
        opening.cause,
        opening.period,
        opening.message,
        JSON.stringify(opening.details),
        options.bell ? 'pending' : 'skipped',
      ],
    );
    const row = rows[0];
    if (!row) return null;
    const notice: OpenedNotice = {
      id: row.id,
      workspaceId,
      cause: opening.cause,
      period: opening.period,
      message: opening.message,
      openedAt: new Date(row.opened_at).toISOString(),
    };
    if (options.outbound) {
      const event = buildNoticeEvent(notice, opening.details);
      await enqueue(tx, workspaceId, [event]);
      await tx.query('UPDATE notices SET outbound_event_id = $2 WHERE id = $1', [row.id, event.eventId]);
    }
    return notice;
  });
}

/** The causes recovered: their open episodes close, so the next occurrence is a new notice. */
export async function closeNotices(db: Db, workspaceId: string, causes: readonly NoticeCause[]): Promise<number> {
  if (causes.length === 0) return 0;
  const { rowCount } = await db.query(
    `UPDATE notices SET closed_at = now() WHERE workspace_id = $1 AND closed_at IS NULL AND cause = ANY($2::text[])`,
    [workspaceId, [...causes]],
  );
  return rowCount;
}

/** Which of the causes have an open episode (so a batch closes only what is open). */
export async function openCauses(db: Db, workspaceId: string): Promise<Set<NoticeCause>> {
  const { rows } = await db.query<{ cause: NoticeCause }>(
    'SELECT DISTINCT cause FROM notices WHERE workspace_id = $1 AND closed_at IS NULL',
    [workspaceId],
  );
  return new Set(rows.map((r) => r.cause));
}

export interface DueBell {
  id: string;
  workspaceId: string;
  cause: NoticeCause;
  message: string;
  attempts: number;
}

/**
 * Claims bells due now (first sends and retries; a `sending` claim whose process died is due again
 * when its lease ends), of one workspace or all.
 */
export async function claimDueBells(db: Db, workspaceId: string | null, leaseMs: number): Promise<DueBell[]> {
  const { rows } = await db.query<{
    id: string;
    workspace_id: string;
    cause: NoticeCause;
    message: string;
    bell_attempts: number;
  }>(
    `UPDATE notices SET bell_status = 'sending', bell_lease_until = now() + make_interval(secs => $2::double precision / 1000)
      WHERE id IN (SELECT id FROM notices
                    WHERE bell_next_at <= now() AND ($1::text IS NULL OR workspace_id = $1)
                      AND (bell_status = 'pending' OR (bell_status = 'sending' AND bell_lease_until < now()))
                    ORDER BY id LIMIT 20 FOR UPDATE SKIP LOCKED)
      RETURNING id::text AS id, workspace_id, cause, message, bell_attempts`,
    [workspaceId, leaseMs],
  );
  return rows.map((r) => ({
    id: r.id,
    workspaceId: r.workspace_id,
    cause: r.cause,
    message: r.message,
    attempts: r.bell_attempts,
  }));
}

export async function bellSent(db: Db, id: string): Promise<void> {
  await db.query(
    `UPDATE notices SET bell_status = 'sent', bell_attempts = bell_attempts + 1, bell_sent_at = now(),
            bell_error = NULL, bell_lease_until = NULL WHERE id = $1`,
    [id],
  );
}

/** A failed or postponed send: due again after `retryInMs`, or `failed` when it was the last try. */
export async function bellFailed(
  db: Db,
  id: string,
  failure: { error: string; retryInMs: number; counts: boolean; last: boolean },
): Promise<void> {
  await db.query(
    `UPDATE notices SET bell_status = CASE WHEN $5 THEN 'failed' ELSE 'pending' END,
            bell_attempts = bell_attempts + CASE WHEN $4 THEN 1 ELSE 0 END, bell_error = $2, bell_lease_until = NULL,
            bell_next_at = now() + make_interval(secs => $3::double precision / 1000)
      WHERE id = $1`,
    [id, failure.error.slice(0, 1000), failure.retryInMs, failure.counts, failure.last],
  );
}

/** The bell cannot be sent and will not be (no one to send it to); the reason is kept. */
export async function bellSkipped(db: Db, id: string, reason: string): Promise<void> {
  await db.query(`UPDATE notices SET bell_status = 'skipped', bell_error = $2, bell_lease_until = NULL WHERE id = $1`, [
    id,
    reason,
  ]);
}
