// The sync-health endpoints: GET /v1/package/errors (groups by category + items, cursor paging),
// GET /v1/package/errors.csv, POST /v1/package/errors/retry. "Errors" are the failed events
// (quarantined with the category and field of errors.ts, or dead-lettered after retries) and the
// unmatched events the switches said to skip (category `unmatched`) of the workspaces the call is
// about — every workspace connected to the org, or the one it names — each row saying whose it is.
// Failed events can be retried once the admin fixed the value, the permission or the mapping;
// unmatched ones only when a retry can now match them (retry-unmatched.ts), the rest are reported.
import type { Db } from '../../db/types.js';
import { CATEGORY_LABELS, type ErrorCategory } from '../../errors.js';
import { HttpError } from '../../http/errors.js';
import type { QueueControl } from '../../queue/control.js';
import type { Workspace } from '../../workspaces/types.js';
import { decodeCursor, encodeCursor, intParam, one, type Query } from './params.js';
import { DELIVERY_ERRORS_SQL, retryDead } from '../../reverse/outbox.js';
import type { Engine } from '../../sync/engine.js';
import { chooseUnmatched } from './retry-unmatched.js';
import { syncFixes } from './fix-actions.js';

const CATEGORIES = Object.keys(CATEGORY_LABELS) as ErrorCategory[];

// Failed events, and skipped ones that were unmatched: one row shape for both.
const EVENT_ERRORS = `
  SELECT e.seq, e.workspace_id, e.event_id, e.source, e.type, e.time, e.last_attempt_at, e.attempts,
         CASE WHEN e.status = 'failed' THEN coalesce(e.error_category, 'transient') ELSE 'unmatched' END AS category,
         CASE WHEN e.status = 'failed' THEN e.error_code ELSE coalesce(e.result->>'errorCode', 'NO_MATCH') END AS error_code,
         CASE WHEN e.status = 'failed' THEN e.error_field END AS field,
         CASE WHEN e.status = 'failed' THEN e.error_message ELSE e.status_reason END AS message,
         coalesce(e.data->'visitor'->>'email', e.data->'to'->>'email', e.data->'to'->>'phone', e.data->'fields'->>'email',
                  e.data->'contact'->>'email', e.data->>'accountName') AS subject,
         coalesce(e.result->>'whoId', e.result->>'whatId', e.result->>'recordId') AS record_id
    FROM events e
   WHERE e.workspace_id = ANY($1::text[])
     AND (e.status = 'failed' OR (e.status = 'skipped' AND e.result->>'category' = 'unmatched'))`;

/** The error rows, with reverse sync's undeliverable outbound events (category `delivery`). */
const ERRORS_SQL = `${EVENT_ERRORS} UNION ALL ${DELIVERY_ERRORS_SQL}`;

interface ErrorRow {
  [key: string]: unknown;
  seq: string;
  workspace_id: string;
  event_id: string;
  source: string;
  type: string;
  time: Date;
  last_attempt_at: Date | null;
  attempts: number;
  category: string;
  error_code: string | null;
  field: string | null;
  message: string | null;
  subject: string | null;
  record_id: string | null;
}

function categoryParam(query: Query): string | null {
  const c = one(query, 'category');
  if (c === undefined) return null;
  if (!CATEGORIES.includes(c as ErrorCategory))
    throw new HttpError(400, 'BAD_REQUEST', `category: must be one of ${CATEGORIES.join(', ')} (got '${c}')`);
  return c;
}

function item(r: ErrorRow) {
  return {
    workspaceId: r.workspace_id,
    eventId: r.event_id,
    source: r.source,
    type: r.type,
    occurredAt: r.time.toISOString(),
    lastAttemptAt: r.last_attempt_at ? r.last_attempt_at.toISOString() : null,
    attempts: r.attempts,
    category: r.category,
    errorCode: r.error_code,
    field: r.field,
    message: r.message,
    subject: r.subject,
    recordId: r.record_id,
  };
}

/** An item of the JSON list: the row with what to do about its cause (null when Relay has no advice). */
function listItem(r: ErrorRow) {
  return { ...item(r), fix: syncFixes.fixFor(r.error_code, r.field) };
}

/**
 * In the backlog's vocabulary (queue/backlog.ts): unmatched events were skipped by a rule (status
 * counts them in `skipped`), every other category failed and needs action (`failed`).
 */
function kindOf(category: string): 'failed' | 'skipped' {
  return category === 'unmatched' ? 'skipped' : 'failed';
}

type Cursor = { s: string };
const isCursor = (v: Record<string, unknown>): v is Cursor => typeof v.s === 'string' && /^\d+$/.test(v.s);

export async function listErrors(db: Db, workspaceIds: readonly string[], query: Query) {
  const category = categoryParam(query);
  const limit = intParam(query, 'limit', 1, 200, 50);
  const cursor = decodeCursor(query, isCursor);
  const [groups, page] = await Promise.all([
    db.query<{ category: string; n: number }>(
      `SELECT category, count(*)::int AS n FROM (${ERRORS_SQL}) x GROUP BY category ORDER BY category`,
      [workspaceIds],
    ),
    db.query<ErrorRow>(
      `SELECT * FROM (${ERRORS_SQL}) x WHERE ($2::text IS NULL OR x.category = $2) AND ($3::bigint IS NULL OR x.seq < $3::bigint)
        ORDER BY x.seq DESC LIMIT $4`,
      [workspaceIds, category, cursor?.s ?? null, limit + 1],
    ),
  ]);
  const rows = page.rows.slice(0, limit);
  const last = rows[rows.length - 1];
  return {
    groups: groups.rows.map((g) => ({
      category: g.category,
      label: CATEGORY_LABELS[g.category as ErrorCategory] ?? g.category,
      count: g.n,
      kind: kindOf(g.category),
    })),
    items: rows.map(listItem),
    nextCursor: page.rows.length > limit && last ? encodeCursor({ s: last.seq }) : null,
  };
}

const CSV_COLUMNS = [
  'eventId',
  'source',
  'type',
  'occurredAt',
  'lastAttemptAt',
  'attempts',
  'category',
  'errorCode',
  'field',
  'message',
  'subject',
  'recordId',
  'workspaceId',
] as const;
/** Spreadsheets run cells starting with these as formulas; a leading quote keeps them text. */
const FORMULA = /^[=+\-@\t\r]/;

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (FORMULA.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** At most this many rows in one export (the page says so when it is cut). */
export const CSV_MAX_ROWS = 50_000;

export async function errorsCsv(db: Db, workspaceIds: readonly string[], query: Query): Promise<string> {
  const category = categoryParam(query);
  const { rows } = await db.query<ErrorRow>(
    `SELECT * FROM (${ERRORS_SQL}) x WHERE ($2::text IS NULL OR x.category = $2) ORDER BY x.seq DESC LIMIT $3`,
    [workspaceIds, category, CSV_MAX_ROWS],
  );
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows) {
    const i = item(r);
    lines.push(CSV_COLUMNS.map((c) => csvCell(i[c])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * Unmatched events a retry can fix (retry-unmatched.ts) go back to pending like failed ones (the
 * platform's retryEvents handles `failed`; skipped events are this engine's own category).
 */
async function retryUnmatched(db: Db, workspaceId: string, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const { rowCount } = await db.query(
    `UPDATE events SET status = 'pending', attempts = 0, next_attempt_at = now(), status_reason = NULL, completed_at = NULL, updated_at = now()
      WHERE workspace_id = $1 AND status = 'skipped' AND result->>'category' = 'unmatched' AND event_id = ANY($2::text[])`,
    [workspaceId, [...ids]],
  );
  return rowCount;
}

export interface RetryResult {
  /** Events sent back to the queue. */
  queued: number;
  /** What was left as it is, and why (a retry would not change the outcome). */
  left: Array<{ category: string; count: number; reason: string }>;
  /** The result in one sentence, for the Sync health page. */
  message: string;
}

type Left = RetryResult['left'];

/** Failure categories whose cause passes by itself (timeouts, locks, limits): a retry alone fixes them. */
const PASSING = ['transient', 'limit'];

const NEEDS_A_FIX =
  'failed for a reason a retry alone does not change (fix the value, the permission, the mapping or the duplicate rule, then retry their category or the events)';

/**
 * Failed events back to the queue: those named, or all of a named category (the admin fixed their
 * cause); "retry all" across categories takes only what a retry alone can fix and reports the rest.
 */
async function retryFailed(
  db: Db,
  queue: QueueControl,
  workspaceId: string,
  ids: readonly string[] | null,
  category: string | null,
): Promise<{ queued: number; left: Left }> {
  if (category === 'unmatched' || category === 'delivery') return { queued: 0, left: [] };
  if (ids || category) {
    return { queued: await queue.retryEvents(workspaceId, ids ? [...ids] : { category: category! }), left: [] };
  }
  let queued = 0;
  for (const passing of PASSING) queued += await queue.retryEvents(workspaceId, { category: passing });
  const { rows } = await db.query<{ category: string; n: number }>(
    `SELECT coalesce(error_category, 'transient') AS category, count(*)::int AS n FROM events
      WHERE workspace_id = $1 AND status = 'failed' GROUP BY 1 ORDER BY 1`,
    [workspaceId],
  );
  return { queued, left: rows.map((r) => ({ category: r.category, count: r.n, reason: NEEDS_A_FIX })) };
}

/** One workspace's share of a retry. */
async function retryIn(
  db: Db,
  queue: QueueControl,
  engine: Engine,
  workspace: Workspace,
  ids: readonly string[] | null,
  category: string | null,
): Promise<{ queued: number; left: Left }> {
  const failed = await retryFailed(db, queue, workspace.id, ids, category);
  const choice =
    category === null || category === 'unmatched'
      ? await chooseUnmatched(db, engine, workspace, ids)
      : { retry: [], left: 0, reason: null };
  const unmatched = await retryUnmatched(db, workspace.id, choice.retry);
  if (unmatched > 0) await queue.nudge(workspace.id);
  const undelivered = category === null || category === 'delivery' ? await retryDead(db, workspace.id, ids) : 0;
  const left = [...failed.left];
  if (choice.left > 0) left.push({ category: 'unmatched', count: choice.left, reason: choice.reason ?? 'not retried' });
  return { queued: failed.queued + unmatched + undelivered, left };
}

/** The workspaces' leftovers, one entry per category. */
function mergeLeft(all: Left[]): Left {
  const by = new Map<string, Left[number]>();
  for (const l of all.flat()) {
    const known = by.get(l.category);
    by.set(l.category, known ? { ...known, count: known.count + l.count } : { ...l });
  }
  return [...by.values()];
}

function retryMessage(queued: number, left: Left): string {
  const events = (n: number) => (n === 1 ? '1 event' : `${n} events`);
  const parts = [`Re-queued ${events(queued)}.`];
  for (const l of left) parts.push(`Left ${events(l.count)} (${l.category}): ${l.reason}.`);
  return parts.join(' ');
}

export async function retryErrors(
  db: Db,
  queue: QueueControl,
  engine: Engine,
  workspaces: readonly Workspace[],
  body: unknown,
): Promise<RetryResult> {
  const b = (body ?? {}) as { eventIds?: unknown; all?: unknown; category?: unknown };
  if (b === null || typeof b !== 'object' || Array.isArray(b))
    throw new HttpError(400, 'BAD_REQUEST', 'body: must be a JSON object');
  let ids: string[] | null = null;
  let category: string | null = null;
  if (b.eventIds !== undefined) {
    if (!Array.isArray(b.eventIds) || b.eventIds.some((id) => typeof id !== 'string' || id === '')) {
      throw new HttpError(400, 'BAD_REQUEST', 'eventIds: must be an array of event ids (strings)');
    }
    if (b.eventIds.length === 0 || b.eventIds.length > 1000)
      throw new HttpError(400, 'BAD_REQUEST', 'eventIds: must hold 1 to 1000 ids');
    ids = b.eventIds as string[];
  } else if (b.all === true) {
    if (b.category !== undefined && b.category !== null) {
      if (typeof b.category !== 'string' || !CATEGORIES.includes(b.category as ErrorCategory)) {
        throw new HttpError(400, 'BAD_REQUEST', `category: must be one of ${CATEGORIES.join(', ')}`);
      }
      category = b.category;
    }
  } else {
    throw new HttpError(400, 'BAD_REQUEST', 'send {"eventIds": [...]} or {"all": true, "category": "..."}');
  }
  let queued = 0;
  const lefts: Left[] = [];
  for (const workspace of workspaces) {
    const result = await retryIn(db, queue, engine, workspace, ids, category);
    queued += result.queued;
    lefts.push(result.left);
  }
  const left = mergeLeft(lefts);
  return { queued, left, message: retryMessage(queued, left) };
}
