// Storing accepted events: one multi-row INSERT … SELECT FROM unnest(…) (one statement is one
// transaction: the rows are stored all together or not at all), idempotent on (workspace, source,
// id): ON CONFLICT DO NOTHING, and the RETURNING rows tell which were new. Callers remove
// duplicates inside the rows they pass (a row may not conflict with another of the same statement).
import type { Db } from '../db/types.js';
import type { ValidEvent } from './validate.js';

export const eventKey = (source: string, id: string): string => `${source}\u0000${id}`;

export interface EventRow {
  workspaceId: string;
  event: ValidEvent;
}

export interface InsertedRow {
  workspaceId: string;
  source: string;
  id: string;
}

/** Inserts the rows; returns those that were not already stored. */
export async function insertEvents(db: Db, rows: readonly EventRow[]): Promise<InsertedRow[]> {
  if (rows.length === 0) return [];
  const workspaces: string[] = [];
  const sources: string[] = [];
  const ids: string[] = [];
  const types: string[] = [];
  const times: string[] = [];
  const data: string[] = [];
  const extensions: (string | null)[] = [];
  for (const { workspaceId, event: e } of rows) {
    workspaces.push(workspaceId);
    sources.push(e.source);
    ids.push(e.id);
    types.push(e.type);
    times.push(e.time);
    data.push(JSON.stringify(e.data));
    extensions.push(e.extensions ? JSON.stringify(e.extensions) : null);
  }
  const result = await db.query<{ workspace_id: string; source: string; event_id: string }>(
    `INSERT INTO events (workspace_id, source, event_id, type, time, data, extensions)
     SELECT u.workspace_id, u.source, u.event_id, u.type, u.time::timestamptz, u.data::jsonb, u.extensions::jsonb
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
         AS u(workspace_id, source, event_id, type, time, data, extensions)
     ON CONFLICT ON CONSTRAINT events_idempotency DO NOTHING
     RETURNING workspace_id, source, event_id`,
    [workspaces, sources, ids, types, times, data, extensions],
  );
  return result.rows.map((r) => ({ workspaceId: r.workspace_id, source: r.source, id: r.event_id }));
}
