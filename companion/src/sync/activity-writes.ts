// Steps 4 to 7 of the activity sync:
//  4. the monthly quota holds back new Tasks beyond it (deferred to next month);
//  5. a Task identical to what Relay last wrote is not written again;
//  6. everything else is one upsert on relay__ExternalKey__c (Collections in Composite, or Bulk);
//  7. each result becomes the event's outcome and the activity's state; created Tasks are counted.
import { detailsOf, personEmail } from './activities.js';
import { rememberActive, resultOf, type Candidate } from './activity-candidates.js';
import type { BatchContext } from './batch.js';
import { recordLinkResults, visitorsFor, type LinkUpdate } from './link-visitors.js';
import { MONTHLY_QUOTA, monthOf, nextMonthStart, tasksCreated } from './quota.js';
import type { FieldMapping } from './settings.js';
import { buildTask, TASK_EXTERNAL_ID } from './tasks.js';
import { primaryError } from '../errors.js';
import type { RecordResult } from '../salesforce/bulk.js';
import { upsertRecords } from '../salesforce/calls.js';

/** New Tasks the month still allows, as of the batch's start. */
export interface QuotaRoom {
  month: string;
  used: number;
  room: number;
}

export async function quotaRoom(bc: BatchContext): Promise<QuotaRoom> {
  const month = monthOf(new Date(bc.now));
  const used = await tasksCreated(bc.db, bc.workspaceId, month);
  return { month, used, room: Math.max(0, bc.config.settings.MonthlyTaskQuota - used) };
}

/** The candidates with a target whose Task is due a write: within the quota, and changed. */
export function tasksToWrite(
  bc: BatchContext,
  candidates: Candidate[],
  quota: QuotaRoom,
  taskMappings: FieldMapping[],
  grownLinks: Set<string>,
): Candidate[] {
  const writable: Candidate[] = [];
  for (const c of candidates) {
    if (bc.out.has(c.activity.event.seq) || !c.target) continue;
    const exists = c.state.taskId !== null || c.state.details.exists === true;
    if (!exists && heldForQuota(bc, c, quota)) continue;
    const visitors = visitorsFor(c);
    c.built = buildTask(c.activity, c.target, {
      settings: bc.config.settings,
      taskMappings,
      exists,
      ...(visitors ? { visitors } : {}),
    });
    // Nothing changed since Relay last wrote this Task (the same event posted again under another
    // id, a link re-sent with the same visitors): no call.
    if (c.state.taskId && c.state.details.hash === c.built.hash && c.state.whoId === c.target.whoId) {
      bc.out.synced(c.activity.event.seq, resultOf(c, { unchanged: true }));
      grownLinks.delete(c.state.externalKey);
      continue;
    }
    writable.push(c);
  }
  return writable;
}

/** A new Task beyond the month's remainder waits for next month (or a raised quota). */
function heldForQuota(bc: BatchContext, c: Candidate, quota: QuotaRoom): boolean {
  if (quota.room > 0) {
    quota.room -= 1;
    return false;
  }
  bc.out.deferred(
    c.activity.event.seq,
    `${MONTHLY_QUOTA}: ${quota.used} of ${bc.config.settings.MonthlyTaskQuota} Tasks created this month; new Tasks resume next month or when the quota is raised`,
    nextMonthStart(new Date(bc.now)),
  );
  return true;
}

/** One upsert of the candidates' and the links' Tasks; how many Tasks count against the quota. */
export async function upsertTasks(bc: BatchContext, writable: Candidate[], links: LinkUpdate[]): Promise<number> {
  const records = [...writable.map((c) => c.built!.record), ...links.map((u) => u.built.record)];
  if (records.length === 0 || bc.pause) return 0;
  const written = await upsertRecords(bc.client, 'Task', TASK_EXTERNAL_ID, records, {
    bulkThreshold: bc.tuning.bulkThreshold,
    signal: bc.signal,
    bulkPollMs: bc.tuning.bulkPollMs,
  });
  if (written.pause) bc.pause = written.pause;
  let created = 0;
  writable.forEach((c, i) => {
    const r = written.results[i];
    // Not attempted (limit pause): the engine defers it.
    if (r && applyResult(bc, c, r)) created += 1;
  });
  recordLinkResults(bc, links, written.results.slice(writable.length));
  return created;
}

/**
 * Applies one upsert result; true when the Task counts against the quota: created now, or found
 * existing although Relay never saw it written (an earlier attempt whose answer was lost to a
 * timeout created it, uncounted).
 */
function applyResult(bc: BatchContext, c: Candidate, r: RecordResult): boolean {
  const known = c.state.taskId !== null || c.state.details.exists === true;
  if (r.success && r.id) {
    recordWritten(bc, c, r.id);
    bc.out.synced(c.activity.event.seq, resultOf(c, { created: r.created === true }));
    return r.created === true || !known;
  }
  const seq = c.activity.event.seq;
  const err = primaryError(r.errors);
  if (err.code === 'INVALID_FIELD_FOR_INSERT_UPDATE' && !known) {
    // The Task exists although Relay had no record of it (state lost after a write): the
    // create-only fields (TaskSubtype) made the update fail. Next attempt leaves them out.
    c.state.details = { ...c.state.details, exists: true };
    bc.out.retry(seq, err.code, `${err.code}: ${err.message} (the Task exists already; retrying as an update)`, 0);
    return true; // created by the attempt whose answer was lost: it counts now
  }
  if (err.code === 'INVALID_CROSS_REFERENCE_KEY' && c.activity.event.attempts === 0) {
    // Most likely a record matched from the cache was deleted since: look again once.
    const email = personEmail(c.activity);
    if (email) bc.cache.forgetPerson(email);
    bc.out.retry(seq, err.code, `${err.code}: ${err.message} (matching again)`, 0);
    return false;
  }
  bc.out.recordError(seq, err);
  return false;
}

/** The activity's state after its Task was written. */
function recordWritten(bc: BatchContext, c: Candidate, taskId: string): void {
  const { state: s, target: t, activity: a } = c;
  s.taskId = taskId;
  s.whoId = t!.whoId;
  s.whatId = t!.whoIsLead ? null : t!.whatId;
  s.ownerId = t!.ownerId ?? s.ownerId;
  s.followUp = t!.followUp;
  s.matchReason = c.match?.reason ?? t!.reason;
  s.matchedBy = c.match?.matchedBy ?? null;
  s.matchValue = c.match?.value ?? null;
  s.lastWrittenAt = new Date(bc.now).toISOString();
  s.lastWrittenSeq = a.event.seq;
  s.writes += 1;
  s.details = {
    ...s.details,
    ...detailsOf(a, bc.config.settings.IncludeMessageContent),
    hash: c.built!.hash,
    exists: true,
  };
  rememberActive(s, a);
}
