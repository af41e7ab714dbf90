// GET /v1/events/<source>/<id> (docs/platform-api.md): where one event the platform sent stands, in the
// words the package's status uses for the whole backlog (queue/backlog.ts): waiting, retrying,
// failed, skipped (by a rule), paused (with a reason), or synced — with what was written for it in
// Salesforce, how the person was found, or the error. Read from the events table alone: no API call.
// The event is looked up by (workspace, source, id), the idempotency key intake stores it under, so
// a workspace never sees another's events, whatever their source and id.
import type { Db } from '../../db/types.js';
import { HttpError } from '../../http/errors.js';
import { HOLD_CODES, SKIP_RULE } from '../../queue/backlog.js';
import { readPause } from '../../queue/workspace-state.js';
import { objectOfId } from '../../salesforce/ids.js';
import type { Workspace } from '../../workspaces/types.js';

export type EventState = 'waiting' | 'retrying' | 'failed' | 'skipped' | 'paused' | 'synced';

export interface SalesforceIds {
  taskId: string | null;
  contactId: string | null;
  leadId: string | null;
  accountId: string | null;
  campaignMemberId: string | null;
}

export interface EventStatus {
  source: string;
  id: string;
  type: string;
  status: EventState;
  outcome: string | null;
  reason: string | null;
  salesforce: SalesforceIds;
  matchReason: string | null;
  error: { code: string; message: string | null; field: string | null; category: string | null } | null;
  attempts: number;
  time: string;
  receivedAt: string;
  lastAttemptAt: string | null;
  completedAt: string | null;
  nextAttemptAt: string | null;
}

interface Row {
  source: string;
  event_id: string;
  type: string;
  time: Date;
  received_at: Date;
  status: 'pending' | 'processing' | 'synced' | 'retrying' | 'failed' | 'skipped' | 'deferred';
  attempts: number;
  next_attempt_at: Date;
  due_later: boolean;
  last_attempt_at: Date | null;
  completed_at: Date | null;
  status_reason: string | null;
  error_category: string | null;
  error_code: string | null;
  error_field: string | null;
  error_message: string | null;
  result: Record<string, unknown> | null;
  skip_rule: string | null;
}

/** The event's status; `source` and `id` as the route decoded them (each URL-encoded once by the caller). */
export async function eventStatus(db: Db, workspace: Workspace, source: string, id: string): Promise<EventStatus> {
  const { rows } = await db.query<Row & Record<string, unknown>>(
    `SELECT source, event_id, type, time, received_at, status, attempts, next_attempt_at,
            next_attempt_at > now() AS due_later, last_attempt_at, completed_at, status_reason,
            error_category, error_code, error_field, error_message, result,
            CASE WHEN status = 'skipped' THEN ${SKIP_RULE} END AS skip_rule
       FROM events WHERE workspace_id = $1 AND source = $2 AND event_id = $3`,
    [workspace.id, source, id],
  );
  const row = rows[0];
  if (!row)
    throw new HttpError(
      404,
      'NOT_FOUND',
      `no event with source ${JSON.stringify(source)} and id ${JSON.stringify(id)} in this workspace`,
    );
  const pause = await readPause(db, workspace.id);
  return answer(row, pause.pausedReason);
}

function answer(row: Row, workspacePause: string | null): EventStatus {
  const { status, pausedBy } = stateOf(row, workspacePause);
  const result = row.result ?? {};
  const terminal = status === 'synced' || status === 'skipped' || status === 'failed';
  return {
    source: row.source,
    id: row.event_id,
    type: row.type,
    status,
    outcome: outcomeOf(status, row, pausedBy),
    reason: pausedBy && !row.status_reason ? pausedBy : row.status_reason,
    salesforce: idsOf(result),
    matchReason: typeof result.matchReason === 'string' ? result.matchReason : null,
    error: row.error_code
      ? { code: row.error_code, message: row.error_message, field: row.error_field, category: row.error_category }
      : null,
    attempts: row.attempts,
    time: row.time.toISOString(),
    receivedAt: row.received_at.toISOString(),
    lastAttemptAt: row.last_attempt_at?.toISOString() ?? null,
    completedAt: row.completed_at?.toISOString() ?? null,
    nextAttemptAt: terminal ? null : row.next_attempt_at.toISOString(),
  };
}

// As backlogTerms counts them: a paused workspace holds every event not being processed; otherwise
// a deferral is a pause only when a hold (a limit, the quota, the connection) made it and it is not
// due yet; a routine one (the visit cadence) is waiting.
function stateOf(row: Row, workspacePause: string | null): { status: EventState; pausedBy: string | null } {
  switch (row.status) {
    case 'synced':
    case 'skipped':
    case 'failed':
    case 'retrying':
      return { status: row.status, pausedBy: null };
    case 'processing':
      return { status: 'waiting', pausedBy: null };
    default: {
      if (workspacePause) return { status: 'paused', pausedBy: workspacePause };
      const code = (row.status_reason ?? '').split(':')[0]!;
      const held = row.status === 'deferred' && row.due_later && (HOLD_CODES as readonly string[]).includes(code);
      return held ? { status: 'paused', pausedBy: code } : { status: 'waiting', pausedBy: null };
    }
  }
}

/** Synced: what the write did; skipped: the rule; paused: the reason's code; failed: the category. */
function outcomeOf(status: EventState, row: Row, pausedBy: string | null): string | null {
  const result = row.result ?? {};
  switch (status) {
    case 'synced':
      if (result.supersededBy) return 'superseded';
      if (result.unchanged === true) return 'unchanged';
      return result.created === true ? 'created' : 'updated';
    case 'skipped':
      return row.skip_rule;
    case 'paused':
      return pausedBy;
    case 'failed':
      return row.error_category;
    default:
      return null;
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/** The records written for the event, by their key prefix (003 Contact, 00Q Lead, 001 Account). */
function idsOf(result: Record<string, unknown>): SalesforceIds {
  const ids: SalesforceIds = { taskId: null, contactId: null, leadId: null, accountId: null, campaignMemberId: null };
  for (const candidate of [result.whoId, result.whatId, result.recordId, result.accountId]) {
    const id = str(candidate);
    const object = id ? objectOfId(id) : undefined;
    if (object === 'Contact') ids.contactId ??= id;
    else if (object === 'Lead') ids.leadId ??= id;
    else if (object === 'Account') ids.accountId ??= id;
  }
  ids.taskId = str(result.taskId);
  ids.campaignMemberId = str(result.campaignMemberId);
  return ids;
}
