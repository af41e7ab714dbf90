// Per-activity state (table sync_activities): which Task an activity became, who it was matched to,
// when and from which event it was last written. The visit cadence, superseded events, the link's
// visitor list, "nothing changed, no call" and the package's engagement timeline all read it.
import type { Db } from '../db/types.js';
import type { Person } from './kinds/base.js';

/**
 * What a link's Task is rebuilt from when a visit adds a visitor and no link event is at hand: the
 * link activity without its event, identity and visitors (kinds/link.ts).
 */
export interface LinkSnapshot {
  occurredAt: string;
  documentName: string;
  documentUrl?: string;
  internalUrl?: string;
  externalUrl?: string;
  accountName: string;
  creator: Person;
}

export interface ActivityState {
  externalKey: string;
  activityId: string;
  type: string;
  taskId: string | null;
  whoId: string | null;
  whatId: string | null;
  ownerId: string | null;
  personEmail: string | null;
  accountName: string | null;
  matchReason: string | null;
  matchedBy: string | null;
  matchValue: string | null;
  followUp: boolean;
  occurredAt: string;
  lastEventSeq: string | null;
  lastEventTime: string | null;
  lastWrittenAt: string | null;
  lastWrittenSeq: string | null;
  writes: number;
  active: boolean | null;
  linkId: string | null;
  visitors: Person[] | null;
  details: ActivityDetails;
}

/** What the timeline shows and what the writer compares. */
export interface ActivityDetails {
  hash?: string;
  title?: string;
  documentName?: string;
  durationSeconds?: number;
  percentViewed?: number;
  statsUrl?: string;
  channel?: string;
  subject?: string;
  content?: string;
  /** The Task exists in Salesforce even if Relay lost its id (create-only fields must be left out). */
  exists?: boolean;
  link?: LinkSnapshot;
}

interface Row {
  [key: string]: unknown;
  external_key: string;
  activity_id: string;
  type: string;
  task_id: string | null;
  who_id: string | null;
  what_id: string | null;
  owner_id: string | null;
  person_email: string | null;
  account_name: string | null;
  match_reason: string | null;
  matched_by: string | null;
  match_value: string | null;
  follow_up: boolean;
  occurred_at: Date;
  last_event_seq: string | null;
  last_event_time: Date | null;
  last_written_at: Date | null;
  last_written_seq: string | null;
  writes: number;
  active: boolean | null;
  link_id: string | null;
  visitors: Person[] | null;
  details: ActivityDetails | null;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

function toState(r: Row): ActivityState {
  return {
    externalKey: r.external_key,
    activityId: r.activity_id,
    type: r.type,
    taskId: r.task_id,
    whoId: r.who_id,
    whatId: r.what_id,
    ownerId: r.owner_id,
    personEmail: r.person_email,
    accountName: r.account_name,
    matchReason: r.match_reason,
    matchedBy: r.matched_by,
    matchValue: r.match_value,
    followUp: r.follow_up,
    occurredAt: r.occurred_at.toISOString(),
    lastEventSeq: r.last_event_seq,
    lastEventTime: iso(r.last_event_time),
    lastWrittenAt: iso(r.last_written_at),
    lastWrittenSeq: r.last_written_seq,
    writes: r.writes,
    active: r.active,
    linkId: r.link_id,
    visitors: r.visitors,
    details: r.details ?? {},
  };
}

export async function loadStates(
  db: Db,
  workspaceId: string,
  keys: readonly string[],
): Promise<Map<string, ActivityState>> {
  if (keys.length === 0) return new Map();
  const { rows } = await db.query<Row>(
    'SELECT * FROM sync_activities WHERE workspace_id = $1 AND external_key = ANY($2::text[])',
    [workspaceId, [...new Set(keys)]],
  );
  return new Map(rows.map((r) => [r.external_key, toState(r)]));
}

export function newState(key: string, activityId: string, type: string, occurredAt: string): ActivityState {
  return {
    externalKey: key,
    activityId,
    type,
    taskId: null,
    whoId: null,
    whatId: null,
    ownerId: null,
    personEmail: null,
    accountName: null,
    matchReason: null,
    matchedBy: null,
    matchValue: null,
    followUp: false,
    occurredAt,
    lastEventSeq: null,
    lastEventTime: null,
    lastWrittenAt: null,
    lastWrittenSeq: null,
    writes: 0,
    active: null,
    linkId: null,
    visitors: null,
    details: {},
  };
}

/** Writes the states back in one statement. */
export async function saveStates(db: Db, workspaceId: string, states: readonly ActivityState[]): Promise<void> {
  if (states.length === 0) return;
  const col = <K extends keyof ActivityState>(k: K) => states.map((s) => s[k]);
  await db.query(
    `INSERT INTO sync_activities AS a (workspace_id, external_key, activity_id, type, task_id, who_id, what_id, owner_id,
       person_email, account_name, match_reason, matched_by, match_value, follow_up, occurred_at, last_event_seq,
       last_event_time, last_written_at, last_written_seq, writes, active, link_id, visitors, details)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
       $10::text[], $11::text[], $12::text[], $13::text[], $14::boolean[], $15::timestamptz[], $16::bigint[], $17::timestamptz[],
       $18::timestamptz[], $19::bigint[], $20::int[], $21::boolean[], $22::text[], $23::jsonb[], $24::jsonb[])
     ON CONFLICT (workspace_id, external_key) DO UPDATE SET
       task_id = excluded.task_id, who_id = excluded.who_id, what_id = excluded.what_id, owner_id = excluded.owner_id,
       person_email = excluded.person_email, account_name = excluded.account_name, match_reason = excluded.match_reason,
       matched_by = excluded.matched_by, match_value = excluded.match_value, follow_up = excluded.follow_up,
       occurred_at = excluded.occurred_at, last_event_seq = excluded.last_event_seq, last_event_time = excluded.last_event_time,
       last_written_at = excluded.last_written_at, last_written_seq = excluded.last_written_seq, writes = excluded.writes,
       active = excluded.active, link_id = excluded.link_id, visitors = excluded.visitors, details = excluded.details,
       updated_at = now()`,
    [
      workspaceId,
      col('externalKey'),
      col('activityId'),
      col('type'),
      col('taskId'),
      col('whoId'),
      col('whatId'),
      col('ownerId'),
      col('personEmail'),
      col('accountName'),
      col('matchReason'),
      col('matchedBy'),
      col('matchValue'),
      col('followUp'),
      col('occurredAt'),
      col('lastEventSeq'),
      col('lastEventTime'),
      col('lastWrittenAt'),
      col('lastWrittenSeq'),
      col('writes'),
      col('active'),
      col('linkId'),
      states.map((s) => (s.visitors ? JSON.stringify(s.visitors) : null)),
      states.map((s) => JSON.stringify(s.details)),
    ],
  );
}

/** Is (time, seq) of `a` after (time, seq) of `b`? Events of one activity are ordered by time, then intake order. */
export function isAfter(aTime: string, aSeq: string, bTime: string | null, bSeq: string | null): boolean {
  if (bTime === null || bSeq === null) return true;
  const ta = Date.parse(aTime);
  const tb = Date.parse(bTime);
  if (ta !== tb) return ta > tb;
  return aSeq.length !== bSeq.length ? aSeq.length > bSeq.length : aSeq > bSeq;
}
