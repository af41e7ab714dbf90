// The conflict log as the package and the platform read it: parameters checked with messages that
// name the parameter and the rule, answers in one shape (store.ts ConflictEntry).
import type { Db } from '../db/types.js';
import { HttpError } from '../http/errors.js';
import { intParam, one, type Query } from '../api/package/params.js';
import { conflictsSince, newestConflicts, type ConflictEntry } from './store.js';

/** `GET /v1/package/conflicts`: the newest conflicts of the org's workspaces (or the one named). */
export async function packageConflicts(
  db: Db,
  workspaceIds: readonly string[],
  query: Query,
): Promise<{ conflicts: ConflictEntry[] }> {
  const limit = intParam(query, 'limit', 1, 200, 50);
  return { conflicts: await newestConflicts(db, workspaceIds, limit) };
}

function sinceParam(query: Query): Date {
  const v = one(query, 'since');
  if (v === undefined) return new Date(0);
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(v) ? Date.parse(v) : Number.NaN;
  if (!Number.isFinite(ms))
    throw new HttpError(
      400,
      'BAD_REQUEST',
      `since: must be an RFC 3339 time such as 2026-11-22T10:00:00Z (got '${v}')`,
    );
  return new Date(ms);
}

function afterParam(query: Query): string | null {
  const v = one(query, 'after');
  if (v === undefined) return null;
  if (!/^\d{1,18}$/.test(v))
    throw new HttpError(400, 'BAD_REQUEST', `after: must be a conflict id from nextAfter (got '${v}')`);
  return v;
}

/**
 * `GET /v1/conflicts?since=&after=&limit=`: the signing workspace's conflicts detected at or after
 * `since`, oldest first; `nextAfter` continues a full page.
 */
export async function platformConflicts(
  db: Db,
  workspaceId: string,
  query: Query,
): Promise<{ conflicts: ConflictEntry[]; nextAfter: string | null }> {
  const since = sinceParam(query);
  const after = afterParam(query);
  const limit = intParam(query, 'limit', 1, 500, 100);
  const conflicts = await conflictsSince(db, workspaceId, since, after, limit);
  return { conflicts, nextAfter: conflicts.length === limit ? conflicts.at(-1)!.id : null };
}
