// Values the platform's rules refused (platform-rules.ts), kept per record and field in
// reverse_rejections: the latest refused value and its rule, until a later value of the field passes
// (then the row goes). Written in the poll's transaction with the events, so what the admin sees on
// Sync health always matches what was sent. Every statement is scoped by workspace.
import type { Db } from '../db/types.js';
import type { PersonObject } from './fields.js';
import type { Rejection } from './platform-rules.js';

export interface RecordRejections {
  recordId: string;
  object: PersonObject;
  email: string | null;
  /** The CloudEvent sent without the refused values; null when nothing else was worth sending. */
  eventId: string | null;
  eventType: string;
  source: string;
  rejected: readonly Rejection[];
  /** Fields whose value passed this time: an older refusal of them is over. */
  passed: readonly string[];
}

/** A refused value as text: strings as they are, anything else as JSON. */
export function valueText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export async function recordRejections(db: Db, workspaceId: string, entries: readonly RecordRejections[]) {
  const passed = entries.flatMap((e) => e.passed.map((field) => ({ recordId: e.recordId, field })));
  if (passed.length > 0) {
    await db.query(
      `DELETE FROM reverse_rejections r USING unnest($2::text[], $3::text[]) AS u(record_id, field)
        WHERE r.workspace_id = $1 AND r.record_id = u.record_id AND lower(r.field) = lower(u.field)`,
      [workspaceId, passed.map((p) => p.recordId), passed.map((p) => p.field)],
    );
  }
  const rows = entries.flatMap((e) => e.rejected.map((r) => ({ ...e, ...r })));
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO reverse_rejections AS r (workspace_id, record_id, object, field, value, rule, email, event_id, event_type, source)
     SELECT $1, u.record_id, u.object, u.field, u.value, u.rule, u.email, u.event_id, u.event_type, u.source
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
         AS u(record_id, object, field, value, rule, email, event_id, event_type, source)
     ON CONFLICT (workspace_id, record_id, field) DO UPDATE SET
       value = excluded.value, rule = excluded.rule, email = coalesce(excluded.email, r.email),
       event_id = excluded.event_id, event_type = excluded.event_type, source = excluded.source, rejected_at = now()`,
    [
      workspaceId,
      rows.map((r) => r.recordId),
      rows.map((r) => r.object),
      rows.map((r) => r.field),
      rows.map((r) => valueText(r.value).slice(0, 1000)),
      rows.map((r) => r.rule),
      rows.map((r) => r.email),
      rows.map((r) => r.eventId),
      rows.map((r) => r.eventType),
      rows.map((r) => r.source),
    ],
  );
}

/** Values currently refused in the workspace (Sync health's "To the platform"). */
export async function countRejections(db: Db, workspaceId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM reverse_rejections WHERE workspace_id = $1',
    [workspaceId],
  );
  return rows[0]?.n ?? 0;
}

/** The refusals among the given error-list event ids (or all): a retry cannot send them. */
export async function countRejectionsOf(db: Db, workspaceId: string, eventIds: readonly string[] | null) {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM reverse_rejections
      WHERE workspace_id = $1 AND ($2::text[] IS NULL OR ${REJECTION_ID} = ANY($2::text[]))`,
    [workspaceId, eventIds ? [...eventIds] : null],
  );
  return rows[0]?.n ?? 0;
}

/** The id a refusal has in the error list: the event sent without the value, or its own. */
const REJECTION_ID = `coalesce(event_id, 'rejected-' || seq)`;

/** Far below every outbox `seq` (negated too): refusals page after the dead deliveries. */
const SEQ_OFFSET = 1_000_000_000_000;

/**
 * Refused values in the shape of the package's error list (api/package/errors-api.ts), category
 * `delivery`, error code `PLATFORM_RULE`, the field named and the message saying value and rule.
 * `$1` is the workspace ids.
 */
export const REJECTION_ERRORS_SQL = `
  SELECT -(r.seq + ${SEQ_OFFSET}) AS seq, r.workspace_id, coalesce(r.event_id, 'rejected-' || r.seq) AS event_id,
         r.source, r.event_type AS type, r.rejected_at AS time, r.rejected_at AS last_attempt_at, 0 AS attempts,
         'delivery' AS category, 'PLATFORM_RULE' AS error_code, r.field,
         r.object || '.' || r.field || ' = "' || r.value || '" was not sent: ' || r.rule AS message,
         r.email AS subject, r.record_id
    FROM reverse_rejections r
   WHERE r.workspace_id = ANY($1::text[])`;
