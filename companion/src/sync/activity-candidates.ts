// Steps 1 and 2 of the activity sync: which of the batch's events are written now.
//  1. Events of one activity in the batch are coalesced: the newest is the candidate, older ones
//     follow its fate (resolveFollowers); an event older than one already seen changes nothing.
//  2. The visit cadence: a visit is written at once, then at most every VisitResyncMinutes while
//     active (updates in between are deferred to the next slot), and its final (active: false)
//     state promptly — a visit shorter than the interval is written at most twice.
import { externalKey, linkIdOf, type Activity } from './activities.js';
import type { BatchContext } from './batch.js';
import { isAfter, loadStates, newState, type ActivityState } from './state.js';
import type { BuiltTask, TaskTarget } from './tasks.js';

export interface Candidate {
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

/** The activity states a batch reads, and those it writes back at its end. */
export interface ActivityStates {
  byKey: Map<string, ActivityState>;
  touched: Map<string, ActivityState>;
}

/** The states of the batch's activities and of the links its visits went through. */
export async function loadActivityStates(bc: BatchContext, activities: Activity[]): Promise<ActivityStates> {
  const linkKeys = activities.flatMap((a) => {
    const linkId = linkIdOf(a);
    return linkId ? [externalKey(bc.workspaceId, linkId)] : [];
  });
  const keys = [...activities.map((a) => a.externalKey), ...linkKeys];
  return { byKey: await loadStates(bc.db, bc.workspaceId, keys), touched: new Map() };
}

/** The candidates to write: one per activity, unless superseded or waiting for its cadence slot. */
export function selectCandidates(bc: BatchContext, states: ActivityStates, activities: Activity[]): Candidate[] {
  const candidates: Candidate[] = [];
  for (const [key, group] of coalesce(activities)) {
    const known = states.byKey.get(key);
    const activity = firstStart(group, known);
    const state = known ?? newState(key, activity.activityId, activity.type, activity.occurredAt);
    states.byKey.set(key, state);
    states.touched.set(key, state);
    const c: Candidate = { activity, followers: group.older, state };
    if (superseded(bc, c)) continue;
    state.lastEventSeq = c.activity.event.seq;
    state.lastEventTime = c.activity.event.time;
    state.occurredAt = c.activity.occurredAt;
    if (waitsForCadence(bc, c)) continue;
    candidates.push(c);
  }
  return candidates;
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

/**
 * A visit without startedAt started when its first event happened: the earliest time among the
 * batch's events of it and what its state remembers — not the newest event's time.
 */
function firstStart(group: { newest: Activity; older: Activity[] }, known: ActivityState | undefined): Activity {
  const a = group.newest;
  if (a.kind !== 'visit' || !a.startInferred) return a;
  const times = [...group.older.map((o) => o.occurredAt), ...(known ? [known.occurredAt] : [])];
  const first = times.reduce((min, t) => (Date.parse(t) < Date.parse(min) ? t : min), a.occurredAt);
  return first === a.occurredAt ? a : { ...a, occurredAt: first };
}

/** An event older than one already seen for this activity changes nothing. */
function superseded(bc: BatchContext, c: Candidate): boolean {
  const { state, activity: a } = c;
  if (state.lastEventSeq === null || state.lastEventSeq === a.event.seq) return false;
  if (isAfter(a.event.time, a.event.seq, state.lastEventTime, state.lastEventSeq)) return false;
  for (const e of [a, ...c.followers]) {
    if (state.taskId) bc.out.synced(e.event.seq, resultOf(c, { superseded: true }));
    else bc.out.skipped(e.event.seq, 'superseded by a newer event of the same activity');
  }
  return true;
}

/** An active visit written less than VisitResyncMinutes ago waits for its next slot. */
function waitsForCadence(bc: BatchContext, c: Candidate): boolean {
  const { activity: a, state } = c;
  if (a.kind !== 'visit' || !a.active || state.writes === 0 || !state.lastWrittenAt) return false;
  const minutes = bc.config.settings.VisitResyncMinutes;
  const slot = Date.parse(state.lastWrittenAt) + minutes * bc.tuning.visitResyncUnitMs;
  if (bc.now >= slot) return false;
  bc.out.deferred(
    a.event.seq,
    `VISIT_CADENCE: an active visit is updated at most every ${minutes} min; next update at ${new Date(slot).toISOString()}`,
    new Date(slot),
  );
  resolveFollowers(bc, c);
  return true;
}

/** What the cadence reads next time: whether the visit was still active when last written. */
export function rememberActive(state: ActivityState, a: Activity): void {
  if (a.kind === 'visit') state.active = a.active;
}

/** An event's result: the Task and what it was matched to. */
export function resultOf(c: Candidate, extra: Record<string, unknown> = {}): Record<string, unknown> {
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
export function resolveFollowers(bc: BatchContext, c: Candidate): void {
  const own = bc.out.get(c.activity.event.seq);
  if (!own) return;
  for (const f of c.followers) {
    if (own.status === 'synced') bc.out.synced(f.event.seq, { ...own.result, supersededBy: c.activity.event.id });
    else if (own.status === 'deferred' && c.state.taskId)
      bc.out.synced(f.event.seq, { ...resultOf(c), supersededBy: c.activity.event.id });
    else bc.out.set({ ...own, seq: f.event.seq });
  }
}
