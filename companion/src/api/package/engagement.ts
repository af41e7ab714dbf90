// GET /v1/package/engagement: the engagement of one Lead, Contact or Account (or of an email) from
// the activity state Relay keeps (sync_activities) and what the platform said about the person
// (sync_people): a 30/90-day summary, an engagement signal (engagement-signal.ts), why the record
// matched, the person's lists, tags and last visit, on an Account the people who engaged
// (engagement-people.ts), and the activities newest first with cursor paging. One org may be served by several
// workspaces (platforms): their engagement is merged, each item naming its workspace. Message
// bodies only when the org's IncludeMessageContent is on.
import type { Db } from '../../db/types.js';
import { HttpError } from '../../http/errors.js';
import { objectOfId } from '../../salesforce/ids.js';
import type { Engine } from '../../sync/engine.js';
import { normalizeEmail } from '../../sync/matching.js';
import type { Workspace } from '../../workspaces/types.js';
import { readEngagedPeople } from './engagement-people.js';
import { engagementSignal, type SignalActivity } from './engagement-signal.js';
import { decodeCursor, encodeCursor, intParam, one, recordIdParam, type Query } from './params.js';

interface RecentRow {
  [key: string]: unknown;
  type: string;
  occurred_at: Date;
  document_name: string | null;
}

/**
 * The summary's counts for the last `days` days, from the 90 days of activity the signal reads
 * too (one scan for both): visits, distinct documents visited, messages sent.
 */
function windowCounts(rows: readonly RecentRow[], now: Date, days: number) {
  const since = now.getTime() - days * 86_400_000;
  const inWindow = rows.filter((r) => r.occurred_at.getTime() >= since);
  const visits = inWindow.filter((r) => r.type === 'relay.visit');
  return {
    visits: visits.length,
    documents: new Set(visits.map((v) => v.document_name).filter((d) => d !== null)).size,
    messages: inWindow.filter((r) => r.type === 'relay.message.sent').length,
  };
}

interface ActivityRow {
  [key: string]: unknown;
  workspace_id: string;
  external_key: string;
  type: string;
  occurred_at: Date;
  task_id: string | null;
  who_id: string | null;
  what_id: string | null;
  match_reason: string | null;
  matched_by: string | null;
  match_value: string | null;
  person_email: string | null;
  visitors: { email: string }[] | null;
  details: Record<string, unknown> | null;
  event_status: string | null;
}

interface PersonRow {
  [key: string]: unknown;
  email: string;
  record_id: string | null;
  match_reason: string | null;
  matched_by: string | null;
  lists: string[];
  tags: string[];
  last_seen_at: Date | null;
}

type Cursor = { t: string; k: string };
const isCursor = (v: Record<string, unknown>): v is Cursor =>
  typeof v.t === 'string' && typeof v.k === 'string' && !Number.isNaN(Date.parse(v.t));

function syncStatus(row: ActivityRow): 'synced' | 'pending' | 'retrying' | 'failed' {
  switch (row.event_status) {
    case 'synced':
      return 'synced';
    case 'retrying':
      return 'retrying';
    case 'failed':
      return 'failed';
    case 'skipped':
      return row.task_id ? 'synced' : 'failed';
    default:
      return row.task_id && row.event_status === null ? 'synced' : 'pending';
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

export async function readEngagement(db: Db, engine: Engine, workspaces: readonly Workspace[], query: Query) {
  const ids = workspaces.map((w) => w.id);
  const recordParam = recordIdParam(query);
  const emailParam = one(query, 'email');
  if (!recordParam && !emailParam)
    throw new HttpError(400, 'BAD_REQUEST', 'recordId or email: one of them is required');
  if (emailParam && !/^[^@\s]+@[^@\s]+$/.test(emailParam))
    throw new HttpError(400, 'BAD_REQUEST', `email: not an email (got '${emailParam}')`);
  const limit = intParam(query, 'limit', 1, 100, 20);
  const cursor = decodeCursor(query, isCursor);
  const email = emailParam ? normalizeEmail(emailParam) : null;

  // The person: by email, or the person last matched to the record.
  const people = await db.query<PersonRow>(
    `SELECT email, record_id, match_reason, matched_by, lists, tags, last_seen_at FROM sync_people
      WHERE workspace_id = ANY($1::text[]) AND (($2::text IS NOT NULL AND email = $2) OR ($3::text IS NOT NULL AND record_id = $3))
      ORDER BY (email = coalesce($2, '')) DESC, updated_at DESC LIMIT 1`,
    [ids, email, recordParam ?? null],
  );
  const person = people.rows[0];
  const recordId = recordParam ?? person?.record_id ?? null;
  const isAccount = recordId !== null && objectOfId(recordId) === 'Account';

  // Activities of the record (as WhoId or WhatId) or of the person's email.
  const where = `a.workspace_id = ANY($1::text[]) AND a.last_event_seq IS NOT NULL AND (
      ($2::text IS NOT NULL AND (a.who_id = $2 OR a.what_id = $2))
      OR ($3::text IS NOT NULL AND a.person_email = $3)
      OR ($2::text IS NOT NULL AND NOT $4::boolean AND a.person_email IN (SELECT p.email FROM sync_people p WHERE p.workspace_id = a.workspace_id AND p.record_id = $2)))`;
  const params = [ids, recordId, email, isAccount];
  const now = new Date();
  const [page, summary, recent, engaged] = await Promise.all([
    db.query<ActivityRow>(
      `SELECT a.workspace_id, a.external_key, a.type, a.occurred_at, a.task_id, a.who_id, a.what_id, a.match_reason, a.matched_by, a.match_value,
              a.person_email, a.visitors, a.details, e.status AS event_status
         FROM sync_activities a LEFT JOIN events e ON e.seq = a.last_event_seq AND e.workspace_id = a.workspace_id
        WHERE ${where} AND ($5::timestamptz IS NULL OR (a.occurred_at, a.external_key) < ($5::timestamptz, $6::text))
        ORDER BY a.occurred_at DESC, a.external_key DESC LIMIT $7`,
      [...params, cursor?.t ?? null, cursor?.k ?? '', limit + 1],
    ),
    db.query<{ last: Date | null }>(`SELECT max(a.occurred_at) AS last FROM sync_activities a WHERE ${where}`, params),
    db.query<RecentRow>(
      `SELECT a.type, a.occurred_at, a.details->>'documentName' AS document_name FROM sync_activities a
        WHERE ${where} AND a.occurred_at >= $5::timestamptz - interval '90 days'`,
      [...params, now.toISOString()],
    ),
    isAccount && recordId ? readEngagedPeople(db, ids, recordId, now) : Promise.resolve(null),
  ]);
  const activities: SignalActivity[] = recent.rows.map((r) => ({
    type: r.type,
    occurredAt: r.occurred_at,
    documentName: r.document_name,
  }));
  // One org, one configuration: any of its workspaces' copies says whether content is shown.
  const includeContent = (await engine.configs.current(ids[0]!)).settings.IncludeMessageContent;
  const rows = page.rows.slice(0, limit);
  const more = page.rows.length > limit;
  const s = summary.rows[0];
  const matched =
    rows.find((r) => r.match_reason && (r.who_id === recordId || r.what_id === recordId)) ??
    rows.find((r) => r.match_reason && r.task_id);
  const match = matched
    ? { reason: matched.match_reason, matchedBy: matched.matched_by, value: matched.match_value }
    : person?.match_reason
      ? { reason: person.match_reason, matchedBy: person.matched_by, value: person.email }
      : null;
  const last = rows[rows.length - 1];
  return {
    recordId,
    summary: {
      lastActivityAt: s?.last ? s.last.toISOString() : null,
      last30Days: windowCounts(recent.rows, now, 30),
      last90Days: windowCounts(recent.rows, now, 90),
    },
    signal: engagementSignal(activities, now),
    match,
    people: engaged,
    person: person
      ? {
          email: person.email,
          lists: person.lists ?? [],
          tags: person.tags ?? [],
          lastSeenAt: person.last_seen_at ? person.last_seen_at.toISOString() : null,
        }
      : null,
    items: rows.map((r) => {
      const d = r.details ?? {};
      return {
        id: r.external_key,
        workspaceId: r.workspace_id,
        type: r.type,
        occurredAt: r.occurred_at.toISOString(),
        title: str(d.title),
        documentName: str(d.documentName),
        durationSeconds: num(d.durationSeconds),
        percentViewed: num(d.percentViewed),
        statsUrl: str(d.statsUrl),
        channel: str(d.channel),
        subject: str(d.subject),
        content: includeContent ? str(d.content) : null,
        visitors: r.type === 'relay.link.created' ? (r.visitors ?? []).map((v) => v.email) : null,
        taskId: r.task_id,
        syncStatus: syncStatus(r),
      };
    }),
    nextCursor: more && last ? encodeCursor({ t: last.occurred_at.toISOString(), k: last.external_key }) : null,
  };
}
