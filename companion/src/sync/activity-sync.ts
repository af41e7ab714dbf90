// Activities (visits, links, spaces, messages) → Task upserts, after matching (matching.ts):
//  1. events of one activity in the batch are coalesced: the newest is written, older ones are
//     superseded and resolved to the same Task; an event older than one already written is too;
//  2. the visit cadence: a visit is written at once, then at most every VisitResyncMinutes while
//     active (updates in between are deferred to the next slot), and its final (active: false)
//     state promptly — a visit shorter than the interval is written at most twice;
//  3. who/what/owner from the matches; the unmatched become a Lead, a follow-up Task or a skip,
//     as the switches say;
//  4. the monthly quota holds back new Tasks beyond it;
//  5. a Task identical to what Relay last wrote is not written again;
//  6. one upsert on relay__ExternalKey__c for everything else (Collections in Composite, or Bulk);
//  7. per-record results become outcomes, activity state and the quota count.
import type { Activity, LinkActivity, Person } from './activities.js';
import { accountNameOf, externalKey, personEmail, platformUserEmail } from './activities.js';
import type { BatchContext } from './batch.js';
import { learnDuplicates, upsertRecords, writeCollections } from '../salesforce/calls.js';
import { buildTask, subjectOf, TASK_EXTERNAL_ID, truncate, type BuiltTask, type TaskTarget } from './tasks.js';
import { isAfter, loadStates, newState, saveStates, type ActivityState } from './state.js';
import { MONTHLY_QUOTA, countCreated, monthOf, nextMonthStart, tasksCreated } from './quota.js';
import type { PersonMatch } from './matching.js';
import { writeMappings } from './settings.js';
import { fieldOf, primaryError, type SalesforceErrorItem } from '../errors.js';
import type { RecordResult } from '../salesforce/bulk.js';
import { objectOfId } from '../salesforce/ids.js';
import { recordPeople, type PersonFact } from './people-store.js';

interface Candidate {
  activity: Activity;
  /** Older events of the same activity in this batch. */
  followers: Activity[];
  state: ActivityState;
  target?: TaskTarget;
  match?: { reason: string; matchedBy: string | null; value: string | null };
  built?: BuiltTask;
  /** A Lead to create first (CreateLeadsForUnmatched). */
  needsLead?: string;
}

/** Events of one key: the newest is the candidate (by time, then intake order). */
function coalesce(activities: Activity[]): Map<string, { newest: Activity; older: Activity[] }> {
  const groups = new Map<string, { newest: Activity; older: Activity[] }>();
  for (const a of activities) {
    const g = groups.get(a.externalKey);
    if (!g) groups.set(a.externalKey, { newest: a, older: [] });
    else if (isAfter(a.event.time, a.event.seq, g.newest.event.time, g.newest.event.seq)) {
      g.older.push(g.newest);
      g.newest = a;
    } else g.older.push(a);
  }
  return groups;
}

function resultOf(c: Candidate, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const s = c.state;
  return {
    taskId: s.taskId,
    externalKey: s.externalKey,
    whoId: s.whoId,
    whatId: s.whatId,
    ownerId: s.ownerId,
    matchReason: s.matchReason,
    ...extra,
  };
}

/** Followers (and anything else superseded) share the candidate's fate. */
function resolveFollowers(bc: BatchContext, c: Candidate): void {
  const own = bc.out.get(c.activity.event.seq);
  for (const f of c.followers) {
    if (!own) continue;
    if (own.status === 'synced') bc.out.synced(f.event.seq, { ...own.result, supersededBy: c.activity.event.id });
    else if (own.status === 'deferred' && c.state.taskId)
      bc.out.synced(f.event.seq, { ...resultOf(c), supersededBy: c.activity.event.id });
    else bc.out.set({ ...own, seq: f.event.seq });
  }
}

function targetFromMatch(m: PersonMatch, ownerId: string | null): TaskTarget {
  const isLead = m.kind === 'Lead';
  return {
    whoId: m.whoId,
    whoIsLead: isLead,
    whatId: isLead ? null : m.accountId,
    ownerId,
    followUp: false,
    reason: m.reason,
  };
}

export async function syncActivities(bc: BatchContext, activities: Activity[]): Promise<void> {
  if (activities.length === 0) return;
  const { settings } = bc.config;
  const groups = coalesce(activities);
  const linkKeys = activities.flatMap((a) =>
    a.kind === 'visit' && a.linkId ? [externalKey(bc.workspaceId, a.linkId)] : [],
  );
  const states = await loadStates(bc.db, bc.workspaceId, [...groups.keys(), ...linkKeys]);
  const intervalMs = settings.VisitResyncMinutes * bc.tuning.visitResyncUnitMs;
  const candidates: Candidate[] = [];
  const touched = new Map<string, ActivityState>();

  for (const [key, g] of groups) {
    const a = g.newest;
    const state = states.get(key) ?? newState(key, a.activityId, a.type, a.occurredAt);
    states.set(key, state);
    touched.set(key, state);
    const c: Candidate = { activity: a, followers: g.older, state };
    // An event older than one already seen for this activity changes nothing.
    if (
      state.lastEventSeq !== null &&
      state.lastEventSeq !== a.event.seq &&
      !isAfter(a.event.time, a.event.seq, state.lastEventTime, state.lastEventSeq)
    ) {
      for (const e of [a, ...g.older]) {
        if (state.taskId) bc.out.synced(e.event.seq, resultOf(c, { superseded: true }));
        else bc.out.skipped(e.event.seq, 'superseded by a newer event of the same activity');
      }
      continue;
    }
    state.lastEventSeq = a.event.seq;
    state.lastEventTime = a.event.time;
    state.occurredAt = a.occurredAt;
    if (a.kind === 'visit') {
      if (state.writes > 0 && a.active && state.lastWrittenAt) {
        const slot = Date.parse(state.lastWrittenAt) + intervalMs;
        if (bc.now < slot) {
          bc.out.deferred(
            a.event.seq,
            `VISIT_CADENCE: an active visit is updated at most every ${settings.VisitResyncMinutes} min; next update at ${new Date(slot).toISOString()}`,
            new Date(slot),
          );
          resolveFollowers(bc, c);
          continue;
        }
      }
    }
    candidates.push(c);
  }

  // Visitors of links: link.created lists them; a visit through the link adds its visitor.
  const linkDirty = new Set<string>();
  for (const c of candidates) {
    if (c.activity.kind !== 'link') continue;
    const merged = mergeVisitors(c.state.visitors ?? [], c.activity.visitors);
    c.state.visitors = merged;
  }
  for (const a of activities) {
    if (a.kind !== 'visit' || !a.linkId) continue;
    const key = externalKey(bc.workspaceId, a.linkId);
    const link = states.get(key) ?? newState(key, a.linkId, 'relay.link.created', a.occurredAt);
    states.set(key, link);
    const before = link.visitors?.length ?? 0;
    link.visitors = mergeVisitors(link.visitors ?? [], [a.visitor]);
    if (link.visitors.length !== before) {
      touched.set(key, link);
      linkDirty.add(key);
    }
  }

  // Who, what and owner.
  const leadsToCreate = new Map<string, Candidate[]>();
  for (const c of candidates) resolveTarget(bc, c, leadsToCreate);
  if (leadsToCreate.size > 0) await createLeads(bc, leadsToCreate);

  // The Task field mappings, once per batch (every Task of the batch is built with them).
  const taskMappings = writeMappings(bc.config, 'Task');

  // Quota: new Tasks beyond the month's remainder wait for next month.
  const month = monthOf(new Date(bc.now));
  const used = await tasksCreated(bc.db, bc.workspaceId, month);
  let room = Math.max(0, settings.MonthlyTaskQuota - used);
  const writable: Candidate[] = [];
  for (const c of candidates) {
    if (bc.out.has(c.activity.event.seq) || !c.target) continue;
    const exists = c.state.taskId !== null || c.state.details.exists === true;
    if (!exists) {
      if (room <= 0) {
        bc.out.deferred(
          c.activity.event.seq,
          `${MONTHLY_QUOTA}: ${used} of ${settings.MonthlyTaskQuota} Tasks created this month; new Tasks resume next month or when the quota is raised`,
          nextMonthStart(new Date(bc.now)),
        );
        continue;
      }
      room -= 1;
    }
    const visitors = c.activity.kind === 'link' ? (c.state.visitors ?? c.activity.visitors) : undefined;
    c.built = buildTask(c.activity, c.target, {
      settings,
      taskMappings,
      exists,
      ...(visitors ? { visitors } : {}),
    });
    // Nothing changed since Relay last wrote this Task (the same event posted again under another
    // id, a link re-sent with the same visitors): no call.
    if (c.state.taskId && c.state.details.hash === c.built.hash && c.state.whoId === c.target.whoId) {
      bc.out.synced(c.activity.event.seq, resultOf(c, { unchanged: true }));
      linkDirty.delete(c.state.externalKey);
      continue;
    }
    writable.push(c);
  }

  // Links whose visitor list grew through visits, without a link event in this batch.
  const linkUpdates: { state: ActivityState; built: BuiltTask }[] = [];
  for (const key of linkDirty) {
    if (writable.some((c) => c.state.externalKey === key)) continue;
    const state = states.get(key)!;
    const snapshot = state.details.link;
    if (!state.taskId || !snapshot) continue; // the link's Task does not exist yet: its event will list them
    const link: LinkActivity = {
      ...snapshot,
      kind: 'link',
      type: 'relay.link.created',
      externalKey: key,
      activityId: state.activityId,
      event: activities[0]!.event,
      visitors: state.visitors ?? [],
    };
    const built = buildTask(
      link,
      {
        whoId: null,
        whoIsLead: false,
        whatId: state.whatId,
        ownerId: state.ownerId,
        followUp: state.followUp,
        reason: state.matchReason ?? '',
      },
      {
        settings,
        taskMappings,
        exists: true,
        visitors: state.visitors ?? [],
      },
    );
    linkUpdates.push({ state, built });
  }

  const records = [...writable.map((c) => c.built!.record), ...linkUpdates.map((u) => u.built.record)];
  let createdNow = 0;
  if (records.length > 0 && !bc.pause) {
    const written = await upsertRecords(bc.client, 'Task', TASK_EXTERNAL_ID, records, {
      bulkThreshold: bc.tuning.bulkThreshold,
      signal: bc.signal,
      bulkPollMs: bc.tuning.bulkPollMs,
    });
    if (written.pause) bc.pause = written.pause;
    let created = 0;
    writable.forEach((c, i) => {
      const r = written.results[i];
      if (!r) return; // not attempted (limit pause): the engine defers it
      if (applyResult(bc, c, r)) created += 1;
    });
    linkUpdates.forEach((u, i) => {
      const r = written.results[writable.length + i];
      if (r?.success) {
        u.state.details = { ...u.state.details, hash: u.built.hash, exists: true };
        u.state.writes += 1;
        u.state.lastWrittenAt = new Date(bc.now).toISOString();
      } else if (r) {
        bc.log.warn(
          { externalKey: u.state.externalKey, error: primaryError(r.errors) },
          "could not update a link's visitor list; the next visit through it tries again",
        );
      }
    });
    createdNow = created;
  }
  for (const c of candidates) resolveFollowers(bc, c);
  // The quota count and the activity state change together: a crash between them would count a
  // Task twice (or never) when the batch is redone.
  await bc.db.transaction(async (tx) => {
    if (createdNow > 0) await countCreated(tx, bc.workspaceId, month, createdNow);
    await saveStates(tx, bc.workspaceId, [...touched.values()]);
  });
  await recordPeople(bc.db, bc.workspaceId, peopleFacts(candidates));
}

function mergeVisitors(existing: Person[], more: Person[]): Person[] {
  const out = [...existing];
  for (const p of more) {
    const i = out.findIndex((x) => x.email === p.email);
    if (i < 0) out.push(p);
    else if (p.name && !out[i]!.name) out[i] = p;
  }
  return out;
}

/** Who the Task is about, or the unmatched rule; records a skip when the switches say so. */
function resolveTarget(bc: BatchContext, c: Candidate, leadsToCreate: Map<string, Candidate[]>): void {
  const a = c.activity;
  const { settings } = bc.config;
  const userEmail = platformUserEmail(a);
  const ownerId = userEmail ? (bc.cache.user(userEmail)?.id ?? null) : null;
  const email = personEmail(a);
  const phone = a.kind === 'message' && !a.toEmail ? a.toPhone : undefined;
  c.state.personEmail = email ?? null;
  c.state.accountName = accountNameOf(a) ?? null;
  if (a.kind === 'visit' && a.linkId) c.state.linkId = a.linkId;
  const person = email ? bc.cache.person(email) : phone ? bc.cache.phone(phone) : null;
  if (person) {
    c.target = targetFromMatch(person, ownerId);
    c.match = { reason: person.reason, matchedBy: person.matchedBy, value: person.value };
    return;
  }
  const accountName = accountNameOf(a);
  const account = accountName ? bc.cache.account(accountName) : null;
  if (account) {
    c.target = { whoId: null, whoIsLead: false, whatId: account.id, ownerId, followUp: false, reason: account.reason };
    c.match = { reason: account.reason, matchedBy: 'accountName', value: account.name };
    return;
  }
  const who = email ?? phone ?? (accountName ? `Account '${accountName}'` : 'this activity');
  const lookedFor =
    email || phone
      ? `no Contact, Lead${accountName ? ' or Account' : ''} matches ${who}`
      : `no Account is named '${accountName}'`;
  if (settings.CreateLeadsForUnmatched && email) {
    const list = leadsToCreate.get(email);
    if (list) list.push(c);
    else leadsToCreate.set(email, [c]);
    c.needsLead = email;
    return;
  }
  if (settings.FollowUpTasksForUnmatched) {
    const reason = `${lookedFor}; follow-up Task for the owner (FollowUpTasksForUnmatched)`;
    c.target = { whoId: null, whoIsLead: false, whatId: null, ownerId, followUp: true, reason };
    c.match = { reason, matchedBy: null, value: null };
    return;
  }
  const reason = `unmatched: ${lookedFor} (CreateLeadsForUnmatched and FollowUpTasksForUnmatched are off)`;
  c.state.matchReason = reason;
  bc.out.skipped(a.event.seq, reason, {
    category: 'unmatched',
    errorCode: 'NO_MATCH',
    subject: who,
    externalKey: c.state.externalKey,
  });
}

/** Lead for an unmatched person: Company from the account name or the email domain, LastName from the name or the email's local part. */
export function leadForUnmatched(email: string, a: Activity, leadSource: string): Record<string, unknown> {
  const name = a.kind === 'visit' ? a.visitor.name : a.kind === 'message' ? a.toName : undefined;
  const parts = (name ?? '').trim().split(/\s+/).filter(Boolean);
  const [local = email, domain = ''] = email.split('@');
  const lastName = parts.length > 1 ? parts.slice(-1)[0]! : (parts[0] ?? local);
  const firstName = parts.length > 1 ? parts.slice(0, -1).join(' ') : undefined;
  const company = accountNameOf(a) ?? domain ?? local;
  return {
    attributes: { type: 'Lead' },
    // Lead field lengths (Object Reference): FirstName 40, LastName 80, Company 255.
    ...(firstName ? { FirstName: truncate(firstName, 40) } : {}),
    LastName: truncate(lastName, 80),
    Company: truncate(company || local, 255),
    Email: email,
    LeadSource: truncate(leadSource, 255),
  };
}

async function createLeads(bc: BatchContext, leadsToCreate: Map<string, Candidate[]>): Promise<void> {
  if (bc.pause) return;
  const { settings } = bc.config;
  const emails = [...leadsToCreate.keys()];
  const records = emails.map((email) =>
    leadForUnmatched(email, leadsToCreate.get(email)![0]!.activity, settings.LeadSource),
  );
  const written = await writeCollections(
    bc.client,
    {
      method: 'POST',
      path: '/composite/sobjects',
      label: 'create.Lead',
      // AllowSaveDuplicates: save despite an "Allow" duplicate rule instead of attaching.
      ...(settings.AllowSaveDuplicates ? { headers: { 'Sforce-Duplicate-Rule-Header': 'allowSave=true' } } : {}),
    },
    records,
    bc.signal,
  );
  await learnDuplicates(bc.client, records, written, undefined, bc.signal);
  if (written.pause) bc.pause = written.pause;
  emails.forEach((email, i) => {
    const r = written.results[i];
    const cs = leadsToCreate.get(email)!;
    if (!r) return;
    let match: PersonMatch | null = null;
    if (r.success && r.id) {
      match = {
        kind: 'Lead',
        whoId: r.id,
        accountId: null,
        ownerId: null,
        reason: `created Lead for unmatched ${email} (CreateLeadsForUnmatched)`,
        matchedBy: 'email',
        value: email,
      };
    } else {
      const err = primaryError(r.errors);
      const dup = err.code === 'DUPLICATES_DETECTED' ? err.duplicateIds?.[0] : undefined;
      if (dup && (objectOfId(dup) === 'Lead' || objectOfId(dup) === 'Contact')) {
        const kind = objectOfId(dup) === 'Lead' ? 'Lead' : 'Contact';
        match = {
          kind,
          whoId: dup,
          accountId: null,
          ownerId: null,
          reason: `attached to duplicate ${kind} ${dup} found by Salesforce's duplicate rule`,
          matchedBy: 'email',
          value: email,
        };
      } else {
        for (const c of cs) recordLeadFailure(bc, c, err);
        return;
      }
    }
    bc.cache.setPerson(email, match);
    for (const c of cs) {
      const userEmail = platformUserEmail(c.activity);
      c.target = targetFromMatch(match, userEmail ? (bc.cache.user(userEmail)?.id ?? null) : null);
      c.match = { reason: match.reason, matchedBy: 'email', value: email };
    }
  });
}

function recordLeadFailure(bc: BatchContext, c: Candidate, err: SalesforceErrorItem): void {
  const item: SalesforceErrorItem = { ...err, message: `creating a Lead for ${c.needsLead}: ${err.message}` };
  if (!item.fields.length) {
    const f = fieldOf(err);
    if (f) item.fields = [f];
  }
  bc.out.recordError(c.activity.event.seq, item);
}

/**
 * Applies one upsert result; true when the Task counts against the quota: created now, or found
 * existing although Relay never saw it written (an earlier attempt whose answer was lost to a
 * timeout created it, uncounted).
 */
function applyResult(bc: BatchContext, c: Candidate, r: RecordResult): boolean {
  const seq = c.activity.event.seq;
  const s = c.state;
  const known = s.taskId !== null || s.details.exists === true;
  if (r.success && r.id) {
    const t = c.target!;
    s.taskId = r.id;
    s.whoId = t.whoId;
    s.whatId = t.whoIsLead ? null : t.whatId;
    s.ownerId = t.ownerId ?? s.ownerId;
    s.followUp = t.followUp;
    s.matchReason = c.match?.reason ?? t.reason;
    s.matchedBy = c.match?.matchedBy ?? null;
    s.matchValue = c.match?.value ?? null;
    s.lastWrittenAt = new Date(bc.now).toISOString();
    s.lastWrittenSeq = seq;
    s.writes += 1;
    s.details = {
      ...s.details,
      ...detailsOf(c.activity, bc.config.settings.IncludeMessageContent),
      hash: c.built!.hash,
      exists: true,
    };
    if (c.activity.kind === 'visit') s.active = c.activity.active;
    bc.out.synced(seq, resultOf(c, { created: r.created === true }));
    return r.created === true || !known;
  }
  const err = primaryError(r.errors);
  if (err.code === 'INVALID_FIELD_FOR_INSERT_UPDATE' && !known) {
    // The Task exists although Relay had no record of it (state lost after a write): the
    // create-only fields (TaskSubtype) made the update fail. Next attempt leaves them out.
    s.details = { ...s.details, exists: true };
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

/** What the sidebar shows of an activity; its title is the Task's Subject, so both read alike. */
function detailsOf(a: Activity, includeContent: boolean): ActivityState['details'] {
  const title = subjectOf(a);
  switch (a.kind) {
    case 'visit':
      return {
        title,
        documentName: a.documentName,
        durationSeconds: a.durationSeconds,
        percentViewed: a.percentViewed,
        ...(a.statsUrl ? { statsUrl: a.statsUrl } : {}),
      };
    case 'link': {
      const {
        event: _event,
        visitors: _visitors,
        kind: _kind,
        type: _type,
        externalKey: _key,
        activityId: _id,
        ...snapshot
      } = a;
      return { title, documentName: a.documentName, link: snapshot };
    }
    case 'space':
      return { title, documentName: a.name };
    case 'message':
      return {
        title,
        channel: a.channel,
        ...(a.subject ? { subject: a.subject } : {}),
        ...(includeContent && a.body ? { content: a.body } : {}),
      };
  }
}

function peopleFacts(candidates: Candidate[]): PersonFact[] {
  const facts: PersonFact[] = [];
  for (const c of candidates) {
    const email = personEmail(c.activity);
    if (!email || !c.target || c.target.followUp) continue;
    facts.push({
      email,
      ...(c.target.whoId ? { recordId: c.target.whoId, recordType: objectOfId(c.target.whoId) ?? null } : {}),
      ...(c.target.whatId ? { accountId: c.target.whatId } : {}),
      matchReason: c.match?.reason ?? c.target.reason,
      matchedBy: c.match?.matchedBy ?? null,
      ...(c.activity.kind === 'visit' ? { lastSeenAt: c.activity.event.time } : {}),
    });
  }
  return facts;
}
