// The sync-health endpoints: GET /v1/package/errors (groups by category, causes + items, cursor paging),
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
import { REJECTION_ERRORS_SQL, countRejectionsOf } from '../../reverse/rejections.js';

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

/**
 * The error rows, with reverse sync's undeliverable outbound events and the values the platform's
 * rules refused (both category `delivery`).
 */
const ERRORS_SQL = `${EVENT_ERRORS} UNION ALL ${DELIVERY_ERRORS_SQL} UNION ALL ${REJECTION_ERRORS_SQL}`;

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

/** The time ranges of `since`: errors whose last attempt (or, never attempted, whose event) is this recent. */
export const SINCE_PERIODS: Readonly<Record<string, number>> = {
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};

/** The start of the `since` range as an ISO time, or null for `all` (the default). */
function sinceParam(query: Query, now = Date.now()): string | null {
  const v = one(query, 'since');
  if (v === undefined || v === 'all') return null;
  const ms = SINCE_PERIODS[v];
  if (ms === undefined) {
    const allowed = [...Object.keys(SINCE_PERIODS), 'all'].join(', ');
    throw new HttpError(400, 'BAD_REQUEST', `since: must be one of ${allowed} (got '${v}')`);
  }
  return new Date(now - ms).toISOString();
}

/** A cause key as the API returns it: `<category>:<error code>:<field>` (code and field may be empty). */
const CAUSE = /^([a-z]+):([A-Z0-9_]*):([A-Za-z0-9_.\-]*)$/;

function checkCause(value: unknown, name: string): string {
  const m = typeof value === 'string' && value.length <= 255 ? CAUSE.exec(value) : null;
  if (!m || !CATEGORIES.includes(m[1] as ErrorCategory)) {
    throw new HttpError(
      400,
      'BAD_REQUEST',
      `${name}: must be a cause key the errors API returned, <category>:<error code>:<field> (got '${String(value)}')`,
    );
  }
  return value as string;
}

function causeParam(query: Query): string | null {
  const c = one(query, 'cause');
  return c === undefined ? null : checkCause(c, 'cause');
}

/** The cause of a row in SQL: the same key as syncFixes.causeKey. */
const CAUSE_SQL = `(x.category || ':' || coalesce(x.error_code, '') || ':' || coalesce(x.field, ''))`;

/** When an error happened: its last attempt, else its event's time. */
const AT_SQL = 'coalesce(x.last_attempt_at, x.time)';

/** The rows of the filters: $1 workspaces, $2 category, $3 since (ISO), $4 cause; null is no filter. */
const FILTERED_SQL = `SELECT x.*, ${CAUSE_SQL} AS cause, ${AT_SQL} AS at FROM (${ERRORS_SQL}) x
  WHERE ($2::text IS NULL OR x.category = $2)
    AND ($3::timestamptz IS NULL OR ${AT_SQL} >= $3::timestamptz)
    AND ($4::text IS NULL OR ${CAUSE_SQL} = $4)`;

interface CauseRow {
  [key: string]: unknown;
  category: string;
  error_code: string | null;
  field: string | null;
  n: number;
  first_seen: Date;
  last_seen: Date;
  message: string | null;
  workspaces: string[];
}

/** The causes listed at most (the page shows each with its events; a long tail is unlikely). */
const MAX_CAUSES = 100;

/** A cause: its count and time span, a plain sentence, the fix and where to make it, what a retry does. */
function causeEntry(r: CauseRow) {
  const cause = syncFixes.causeOf(r.category, r.error_code, r.field);
  return {
    cause: cause.key,
    category: r.category,
    label: CATEGORY_LABELS[r.category as ErrorCategory] ?? r.category,
    kind: kindOf(r.category),
    errorCode: r.error_code,
    field: r.field,
    count: r.n,
    firstSeen: new Date(r.first_seen).toISOString(),
    lastSeen: new Date(r.last_seen).toISOString(),
    summary: cause.summary,
    fix: syncFixes.fixFor(r.error_code, r.field),
    action: cause.action,
    retry: cause.retry,
    /** The latest message in Salesforce's (or the platform's) words. */
    message: r.message,
    workspaceIds: r.workspaces,
  };
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

/** An item of the JSON list: the row with its cause and what to do about it (null when Relay has no advice). */
function listItem(r: ErrorRow) {
  return {
    ...item(r),
    fix: syncFixes.fixFor(r.error_code, r.field),
    cause: syncFixes.causeKey(r.category, r.error_code, r.field),
  };
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
  const since = sinceParam(query);
  const cause = causeParam(query);
  const limit = intParam(query, 'limit', 1, 200, 50);
  const cursor = decodeCursor(query, isCursor);
  const [groups, causes, page] = await Promise.all([
    // The categories within the time range, whichever category or cause is chosen (the page's menu).
    db.query<{ category: string; n: number }>(
      `SELECT category, count(*)::int AS n FROM (${FILTERED_SQL}) f GROUP BY category ORDER BY category`,
      [workspaceIds, null, since, null],
    ),
    db.query<CauseRow>(
      `SELECT f.category, f.error_code, f.field, count(*)::int AS n, min(f.at) AS first_seen, max(f.at) AS last_seen,
              (array_agg(f.message ORDER BY f.seq DESC))[1] AS message,
              array_agg(DISTINCT f.workspace_id) AS workspaces
         FROM (${FILTERED_SQL}) f GROUP BY f.category, f.error_code, f.field
        ORDER BY n DESC, last_seen DESC, f.category, f.error_code, f.field LIMIT ${MAX_CAUSES}`,
      [workspaceIds, category, since, cause],
    ),
    db.query<ErrorRow>(
      `SELECT * FROM (${FILTERED_SQL}) f WHERE ($5::bigint IS NULL OR f.seq < $5::bigint) ORDER BY f.seq DESC LIMIT $6`,
      [workspaceIds, category, since, cause, cursor?.s ?? null, limit + 1],
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
    causes: causes.rows.map(causeEntry),
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
  const { rows } = await db.query<ErrorRow>(`SELECT * FROM (${FILTERED_SQL}) f ORDER BY f.seq DESC LIMIT $5`, [
    workspaceIds,
    category,
    sinceParam(query),
    causeParam(query),
    CSV_MAX_ROWS,
  ]);
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

const REFUSED_VALUES =
  "values the platform's rules refuse; each is sent once it is corrected in Salesforce (the record's next change carries it)";

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
  const toPlatform = category === null || category === 'delivery';
  const undelivered = toPlatform ? await retryDead(db, workspace.id, ids) : 0;
  const refused = toPlatform ? await countRejectionsOf(db, workspace.id, ids) : 0;
  const left = [...failed.left];
  if (refused > 0) left.push({ category: 'delivery', count: refused, reason: REFUSED_VALUES });
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

/** At most this many events are retried for one cause in one call (the limit of `eventIds`). */
const MAX_RETRY_IDS = 1000;

async function eventIdsOf(db: Db, workspaceIds: readonly string[], cause: string): Promise<string[]> {
  const { rows } = await db.query<{ event_id: string }>(
    `SELECT f.event_id FROM (${FILTERED_SQL}) f ORDER BY f.seq DESC LIMIT ${MAX_RETRY_IDS}`,
    [workspaceIds, null, null, cause],
  );
  return rows.map((r) => r.event_id);
}

export async function retryErrors(
  db: Db,
  queue: QueueControl,
  engine: Engine,
  workspaces: readonly Workspace[],
  body: unknown,
): Promise<RetryResult> {
  const b = (body ?? {}) as { eventIds?: unknown; all?: unknown; category?: unknown; cause?: unknown };
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
  } else if (b.cause !== undefined) {
    // One cause of the Sync health page: its events (the newest 1,000), as if they were named.
    ids = await eventIdsOf(
      db,
      workspaces.map((w) => w.id),
      checkCause(b.cause, 'cause'),
    );
    if (ids.length === 0) return { queued: 0, left: [], message: retryMessage(0, []) };
  } else if (b.all === true) {
    if (b.category !== undefined && b.category !== null) {
      if (typeof b.category !== 'string' || !CATEGORIES.includes(b.category as ErrorCategory)) {
        throw new HttpError(400, 'BAD_REQUEST', `category: must be one of ${CATEGORIES.join(', ')}`);
      }
      category = b.category;
    }
  } else {
    throw new HttpError(
      400,
      'BAD_REQUEST',
      'send {"eventIds": [...]}, {"cause": "..."} or {"all": true, "category": "..."}',
    );
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
