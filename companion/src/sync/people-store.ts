// What Relay knows about a person (table sync_people): the Salesforce record they were matched to
// and why, the platform's lists they joined, their tags, when they were last seen. The package's
// engagement API reads it for the "person" and "match" blocks and to find a record by email.
import type { Db } from '../db/types.js';

export interface PersonFact {
  email: string;
  recordId?: string;
  recordType?: string | null;
  accountId?: string;
  matchReason?: string | null;
  matchedBy?: string | null;
  /** List names to add. */
  lists?: string[];
  /** Tags replacing the known ones (when not empty). */
  tags?: string[];
  lastSeenAt?: string;
  prospectId?: string;
}

/** Upserts facts, merging lists, keeping the latest last-seen time. */
export async function recordPeople(db: Db, workspaceId: string, facts: readonly PersonFact[]): Promise<void> {
  if (facts.length === 0) return;
  // One row per email in a statement (ON CONFLICT cannot touch a row twice): merge here first.
  const merged = new Map<string, PersonFact>();
  for (const f of facts) {
    const prev = merged.get(f.email);
    if (!prev) {
      merged.set(f.email, { ...f, lists: [...(f.lists ?? [])] });
      continue;
    }
    merged.set(f.email, {
      ...prev,
      ...Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)),
      lists: [...new Set([...(prev.lists ?? []), ...(f.lists ?? [])])],
      lastSeenAt: [prev.lastSeenAt, f.lastSeenAt].filter(Boolean).sort().pop(),
    } as PersonFact);
  }
  const rows = [...merged.values()];
  const col = <K extends keyof PersonFact>(k: K) => rows.map((r) => (r[k] === undefined ? null : r[k]));
  await db.query(
    `INSERT INTO sync_people AS p (workspace_id, email, record_id, record_type, account_id, match_reason, matched_by, lists, tags, last_seen_at, prospect_id)
     SELECT $1::text, u.email, u.record_id, u.record_type, u.account_id, u.match_reason, u.matched_by,
            coalesce(u.lists, '[]'::jsonb), coalesce(u.tags, '[]'::jsonb), u.last_seen_at, u.prospect_id
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[], $9::jsonb[], $10::timestamptz[], $11::text[])
         AS u(email, record_id, record_type, account_id, match_reason, matched_by, lists, tags, last_seen_at, prospect_id)
     ON CONFLICT (workspace_id, email) DO UPDATE SET
       record_id = coalesce(excluded.record_id, p.record_id),
       record_type = coalesce(excluded.record_type, p.record_type),
       account_id = coalesce(excluded.account_id, p.account_id),
       match_reason = coalesce(excluded.match_reason, p.match_reason),
       matched_by = coalesce(excluded.matched_by, p.matched_by),
       lists = (SELECT coalesce(jsonb_agg(DISTINCT x), '[]'::jsonb) FROM jsonb_array_elements(p.lists || excluded.lists) AS x),
       tags = CASE WHEN excluded.tags <> '[]'::jsonb THEN excluded.tags ELSE p.tags END,
       last_seen_at = GREATEST(p.last_seen_at, excluded.last_seen_at),
       prospect_id = coalesce(excluded.prospect_id, p.prospect_id),
       updated_at = now()`,
    [
      workspaceId,
      col('email'),
      col('recordId'),
      col('recordType'),
      col('accountId'),
      col('matchReason'),
      col('matchedBy'),
      rows.map((r) => JSON.stringify(r.lists ?? [])),
      rows.map((r) => (r.tags ? JSON.stringify(r.tags) : null)),
      col('lastSeenAt'),
      col('prospectId'),
    ],
  );
}
