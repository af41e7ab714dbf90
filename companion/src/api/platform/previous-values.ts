// What a platform PATCH replaced, kept per workspace, record and field (table
// platform_previous_values): the value before Relay's write and the value Relay wrote. The revert
// route reads them back; the written value tells it whether someone changed the field since.
import type { Db } from '../../db/types.js';
import type { PersonObject } from '../../reverse/fields.js';

export interface StoredWrite {
  field: string;
  object: PersonObject;
  previous: unknown;
  written: unknown;
  writtenAt: string;
}

/** Keeps the values one PATCH replaced; a later PATCH of the same field replaces the row. */
export async function rememberPrevious(
  db: Db,
  workspaceId: string,
  object: PersonObject,
  recordId: string,
  previous: Record<string, unknown>,
  written: Record<string, unknown>,
): Promise<void> {
  const fields = Object.keys(written).filter((f) => f in previous);
  if (fields.length === 0) return;
  await db.query(
    `INSERT INTO platform_previous_values AS p (workspace_id, record_id, field, object, previous, written)
     SELECT $1, $2, u.field, $3, u.previous, u.written
       FROM unnest($4::text[], $5::jsonb[], $6::jsonb[]) AS u(field, previous, written)
     ON CONFLICT (workspace_id, record_id, field) DO UPDATE SET
       object = excluded.object, previous = excluded.previous, written = excluded.written, written_at = now()`,
    [
      workspaceId,
      recordId,
      object,
      fields,
      fields.map((f) => JSON.stringify(previous[f] ?? null)),
      fields.map((f) => JSON.stringify(written[f] ?? null)),
    ],
  );
}

/** The stored writes of a record's fields (by the canonical field names), for this workspace only. */
export async function readPrevious(
  db: Db,
  workspaceId: string,
  recordId: string,
  fields: readonly string[],
): Promise<Map<string, StoredWrite>> {
  const { rows } = await db.query<{
    field: string;
    object: PersonObject;
    previous: unknown;
    written: unknown;
    written_at: Date;
  }>(
    `SELECT field, object, previous, written, written_at FROM platform_previous_values
      WHERE workspace_id = $1 AND record_id = $2 AND field = ANY($3::text[])`,
    [workspaceId, recordId, [...fields]],
  );
  return new Map(
    rows.map((r) => [
      r.field,
      {
        field: r.field,
        object: r.object,
        previous: r.previous,
        written: r.written,
        writtenAt: r.written_at.toISOString(),
      },
    ]),
  );
}

/** Forgets stored writes once their previous values are back in Salesforce. */
export async function forgetPrevious(
  db: Db,
  workspaceId: string,
  recordId: string,
  fields: readonly string[],
): Promise<void> {
  if (fields.length === 0) return;
  await db.query(
    'DELETE FROM platform_previous_values WHERE workspace_id = $1 AND record_id = $2 AND field = ANY($3::text[])',
    [workspaceId, recordId, [...fields]],
  );
}
