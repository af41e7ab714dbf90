// Storing accepted events: one multi-row INSERT … SELECT FROM unnest(…) per request (one
// statement is one transaction, so a request's events are stored all together or not at all),
// idempotent on (workspace, source, id): ON CONFLICT DO NOTHING, and the RETURNING rows tell which
// were new. Duplicates inside one request are removed before the insert.
import type { Db } from '../db/types.js';
import type { ValidEvent } from './validate.js';

export const eventKey = (source: string, id: string): string => `${source}\u0000${id}`;

/** Inserts the events; returns the keys (eventKey) of those that were not already stored. */
export async function storeEvents(db: Db, workspaceId: string, events: readonly ValidEvent[]): Promise<Set<string>> {
  if (events.length === 0) return new Set();
  const sources: string[] = [];
  const ids: string[] = [];
  const types: string[] = [];
  const times: string[] = [];
  const data: string[] = [];
  const extensions: (string | null)[] = [];
  for (const e of events) {
    sources.push(e.source);
    ids.push(e.id);
    types.push(e.type);
    times.push(e.time);
    data.push(JSON.stringify(e.data));
    extensions.push(e.extensions ? JSON.stringify(e.extensions) : null);
  }
  const { rows } = await db.query<{ source: string; event_id: string }>(
    `INSERT INTO events (workspace_id, source, event_id, type, time, data, extensions)
     SELECT $1, u.source, u.event_id, u.type, u.time::timestamptz, u.data::jsonb, u.extensions::jsonb
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
         AS u(source, event_id, type, time, data, extensions)
     ON CONFLICT ON CONSTRAINT events_idempotency DO NOTHING
     RETURNING source, event_id`,
    [workspaceId, sources, ids, types, times, data, extensions],
  );
  return new Set(rows.map((r) => eventKey(r.source, r.event_id)));
}
