// Reverse sync's rows: per-workspace state and leases (reverse_state), the ids waiting to be read
// (reverse_pending), the last values the platform was given per record (reverse_records). Every
// statement is scoped by workspace. The outbox has its own module (outbox.ts).
import type { Db } from '../db/types.js';
import type { PersonObject } from './fields.js';
import type { ChangeKind, Cursor } from './window.js';

export type CursorKey = `${PersonObject}.${ChangeKind}`;

export interface ReverseState {
  workspaceId: string;
  enabled: boolean;
  /** When Relay started watching (ms): records created earlier are never announced as `created`. */
  watchStartedAt: number | null;
  cursors: Partial<Record<CursorKey, Cursor>>;
  /** User id → the last minute (ms) in which that user changed a burst of records. */
  bulkMinutes: Record<string, number>;
  pausedUntil: Date | null;
}

interface StateRow {
  [key: string]: unknown;
  workspace_id: string;
  enabled: boolean;
  watch_started_at: Date | null;
  cursors: Partial<Record<CursorKey, Cursor>>;
  bulk_minutes: Record<string, number>;
  paused_until: Date | null;
}

export async function loadState(db: Db, workspaceId: string): Promise<ReverseState> {
  await db.query('INSERT INTO reverse_state (workspace_id) VALUES ($1) ON CONFLICT DO NOTHING', [workspaceId]);
  const { rows } = await db.query<StateRow>(
    'SELECT workspace_id, enabled, watch_started_at, cursors, bulk_minutes, paused_until FROM reverse_state WHERE workspace_id = $1',
    [workspaceId],
  );
  const r = rows[0]!;
  return {
    workspaceId,
    enabled: r.enabled,
    watchStartedAt: r.watch_started_at ? r.watch_started_at.getTime() : null,
    cursors: r.cursors ?? {},
    bulkMinutes: r.bulk_minutes ?? {},
    pausedUntil: r.paused_until,
  };
}

/**
 * Takes the workspace's poll lease (one poller at a time across processes: two would read the same
 * window and announce a change twice). True when taken.
 */
export async function acquirePollLease(db: Db, workspaceId: string, token: string, ms: number): Promise<boolean> {
  await db.query('INSERT INTO reverse_state (workspace_id) VALUES ($1) ON CONFLICT DO NOTHING', [workspaceId]);
  const { rowCount } = await db.query(
    `UPDATE reverse_state SET poll_token = $2, poll_until = now() + make_interval(secs => $3::double precision / 1000)
      WHERE workspace_id = $1 AND (poll_until IS NULL OR poll_until < now())`,
    [workspaceId, token, ms],
  );
  return rowCount === 1;
}

export async function releasePollLease(db: Db, workspaceId: string, token: string): Promise<void> {
  await db.query(
    'UPDATE reverse_state SET poll_token = NULL, poll_until = NULL WHERE workspace_id = $1 AND poll_token = $2',
    [workspaceId, token],
  );
}

/** The switch was found on: start watching now, with every cursor at `startMs`. */
export async function enable(db: Db, workspaceId: string, startMs: number, cursors: ReverseState['cursors']) {
  await db.query(
    `UPDATE reverse_state SET enabled = true, watch_started_at = $2, cursors = $3::jsonb, bulk_minutes = '{}'::jsonb,
            last_poll_error = NULL, updated_at = now()
      WHERE workspace_id = $1`,
    [workspaceId, new Date(startMs), JSON.stringify(cursors)],
  );
}

/**
 * The switch was found off: forget the cursors and what was waiting to be read, so that switching
 * it on again starts from then — changes made while it was off are never sent.
 */
export async function disable(db: Db, workspaceId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      `UPDATE reverse_state SET enabled = false, watch_started_at = NULL, cursors = '{}'::jsonb, bulk_minutes = '{}'::jsonb,
              updated_at = now()
        WHERE workspace_id = $1`,
      [workspaceId],
    );
    await tx.query('DELETE FROM reverse_pending WHERE workspace_id = $1', [workspaceId]);
  });
}

export async function setPause(db: Db, workspaceId: string, until: Date | null, reason: string | null): Promise<void> {
  await db.query(
    'UPDATE reverse_state SET paused_until = $2, paused_reason = $3, updated_at = now() WHERE workspace_id = $1',
    [workspaceId, until, reason],
  );
}

export async function recordPoll(db: Db, workspaceId: string, calls: number, error: string | null): Promise<void> {
  await db.query(
    `UPDATE reverse_state SET last_poll_at = now(), last_poll_calls = $2, last_poll_error = $3, updated_at = now()
      WHERE workspace_id = $1`,
    [workspaceId, calls, error],
  );
}

export interface DetectedId {
  recordId: string;
  object: PersonObject;
  /** getDeleted's deletedDate (ms) for deletions. */
  deletedAt?: number;
}

/** Stores what a detection found and moves the cursors on, in one transaction. */
export async function saveDetection(
  db: Db,
  workspaceId: string,
  ids: readonly DetectedId[],
  cursors: ReverseState['cursors'],
): Promise<void> {
  await db.transaction(async (tx) => {
    if (ids.length > 0) {
      // A deletion wins over an update of the same record seen in the same poll; the read decides
      // anyway (queryAll shows whether it is deleted now).
      await tx.query(
        `INSERT INTO reverse_pending (workspace_id, record_id, object, deleted_at)
         SELECT $1, u.id, u.object, u.deleted_at FROM unnest($2::text[], $3::text[], $4::timestamptz[]) AS u(id, object, deleted_at)
         ON CONFLICT (workspace_id, record_id) DO UPDATE
           SET deleted_at = coalesce(excluded.deleted_at, reverse_pending.deleted_at)`,
        [
          workspaceId,
          ids.map((i) => i.recordId),
          ids.map((i) => i.object),
          ids.map((i) => (i.deletedAt !== undefined ? new Date(i.deletedAt) : null)),
        ],
      );
    }
    await tx.query(
      'UPDATE reverse_state SET cursors = cursors || $2::jsonb, updated_at = now() WHERE workspace_id = $1',
      [workspaceId, JSON.stringify(cursors)],
    );
  });
}

export interface PendingRecord {
  recordId: string;
  object: PersonObject;
  deletedAt: number | null;
}

/** The oldest ids waiting to be read. */
export async function pendingRecords(db: Db, workspaceId: string, limit: number): Promise<PendingRecord[]> {
  const { rows } = await db.query<{ record_id: string; object: PersonObject; deleted_at: Date | null }>(
    `SELECT record_id, object, deleted_at FROM reverse_pending WHERE workspace_id = $1
      ORDER BY detected_at, record_id LIMIT $2`,
    [workspaceId, limit],
  );
  return rows.map((r) => ({ recordId: r.record_id, object: r.object, deletedAt: r.deleted_at?.getTime() ?? null }));
}

export async function countPending(db: Db, workspaceId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM reverse_pending WHERE workspace_id = $1',
    [workspaceId],
  );
  return rows[0]?.n ?? 0;
}

export interface Baseline {
  recordId: string;
  object: PersonObject;
  fields: Record<string, unknown>;
  email: string | null;
  sentAt: number | null;
  modstamp: string | null;
  skipped: string | null;
}

export async function loadBaselines(
  db: Db,
  workspaceId: string,
  ids: readonly string[],
): Promise<Map<string, Baseline>> {
  const out = new Map<string, Baseline>();
  if (ids.length === 0) return out;
  const { rows } = await db.query<{
    record_id: string;
    object: PersonObject;
    fields: Record<string, unknown>;
    email: string | null;
    sent_at: Date | null;
    modstamp: string | null;
    skipped: string | null;
  }>(
    `SELECT record_id, object, fields, email, sent_at, modstamp, skipped FROM reverse_records
      WHERE workspace_id = $1 AND record_id = ANY($2::text[])`,
    [workspaceId, [...ids]],
  );
  for (const r of rows) {
    out.set(r.record_id, {
      recordId: r.record_id,
      object: r.object,
      fields: r.fields ?? {},
      email: r.email,
      sentAt: r.sent_at?.getTime() ?? null,
      modstamp: r.modstamp,
      skipped: r.skipped,
    });
  }
  return out;
}

export interface BaselineWrite {
  recordId: string;
  object: PersonObject;
  /** Merged into the stored values (fields not named keep theirs). */
  fields: Record<string, unknown>;
  email?: string | null;
  /** True when this change was sent to the platform. */
  sent: boolean;
  modstamp?: string | null;
  skipped: string | null;
}

/** Upserts baselines (one statement). */
export async function writeBaselines(db: Db, workspaceId: string, writes: readonly BaselineWrite[]): Promise<void> {
  if (writes.length === 0) return;
  await db.query(
    `INSERT INTO reverse_records AS r (workspace_id, record_id, object, fields, email, sent_at, modstamp, skipped)
     SELECT $1, u.id, u.object, u.fields, u.email, CASE WHEN u.sent THEN now() END, u.modstamp, u.skipped
       FROM unnest($2::text[], $3::text[], $4::jsonb[], $5::text[], $6::boolean[], $7::text[], $8::text[])
         AS u(id, object, fields, email, sent, modstamp, skipped)
     ON CONFLICT (workspace_id, record_id) DO UPDATE SET
       fields = r.fields || excluded.fields,
       email = coalesce(excluded.email, r.email),
       sent_at = coalesce(excluded.sent_at, r.sent_at),
       modstamp = coalesce(excluded.modstamp, r.modstamp),
       skipped = excluded.skipped,
       updated_at = now()`,
    [
      workspaceId,
      writes.map((w) => w.recordId),
      writes.map((w) => w.object),
      writes.map((w) => JSON.stringify(w.fields)),
      writes.map((w) => w.email ?? null),
      writes.map((w) => w.sent),
      writes.map((w) => w.modstamp ?? null),
      writes.map((w) => w.skipped),
    ],
  );
}

/**
 * Merges values the platform itself wrote (PATCH) into the record's baseline without touching the
 * rest: those values never show up in a later event's changedFields, whoever edits the record next.
 */
export async function rememberPlatformWrite(
  db: Db,
  workspaceId: string,
  object: PersonObject,
  recordId: string,
  fields: Record<string, unknown>,
): Promise<void> {
  await db.query(
    `INSERT INTO reverse_records AS r (workspace_id, record_id, object, fields) VALUES ($1, $2, $3, $4::jsonb)
     ON CONFLICT (workspace_id, record_id) DO UPDATE SET fields = r.fields || excluded.fields, updated_at = now()`,
    [workspaceId, recordId, object, JSON.stringify(fields)],
  );
}

/** The platform's person facts (sync_people): tags by record id or email. */
export async function tagsFor(
  db: Db,
  workspaceId: string,
  ids: readonly string[],
  emails: readonly string[],
): Promise<{ byId: Map<string, string[]>; byEmail: Map<string, string[]> }> {
  const byId = new Map<string, string[]>();
  const byEmail = new Map<string, string[]>();
  if (ids.length === 0 && emails.length === 0) return { byId, byEmail };
  const { rows } = await db.query<{ record_id: string | null; email: string; tags: unknown }>(
    `SELECT record_id, email, tags FROM sync_people
      WHERE workspace_id = $1 AND (record_id = ANY($2::text[]) OR email = ANY($3::text[]))`,
    [workspaceId, [...ids], [...emails]],
  );
  const add = (map: Map<string, string[]>, key: string, tags: string[]) =>
    map.set(key, [...new Set([...(map.get(key) ?? []), ...tags])]);
  for (const r of rows) {
    const tags = Array.isArray(r.tags) ? r.tags.filter((t): t is string => typeof t === 'string') : [];
    if (r.record_id) add(byId, r.record_id, tags);
    add(byEmail, r.email, tags);
  }
  return { byId, byEmail };
}
