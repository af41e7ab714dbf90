// The visitor list of a link's Task: a link's own events list its visitors, and a visit through the
// link (its kind's linkId) adds the visitor. A link whose list grew without an event of its own in
// the batch has its Task rebuilt from the stored snapshot and written with the batch's other Tasks.
import { externalKey, linkIdOf, personEmail, personName, type Activity, type Person } from './activities.js';
import type { ActivityStates, Candidate } from './activity-candidates.js';
import type { BatchContext } from './batch.js';
import { link, type LinkActivity } from './kinds/link.js';
import { primaryError } from '../errors.js';
import type { RecordResult } from '../salesforce/bulk.js';
import type { StoredEvent } from '../queue/batch.js';
import type { FieldMapping } from './settings.js';
import { newState, type ActivityState } from './state.js';
import { buildTask, type BuiltTask } from './tasks.js';

export interface LinkUpdate {
  state: ActivityState;
  built: BuiltTask;
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

function visitorOf(a: Activity): Person | undefined {
  const email = personEmail(a);
  const name = personName(a);
  return email ? { email, ...(name ? { name } : {}) } : undefined;
}

/** Merges the batch's visitors into the links' states; the keys of links whose list grew. */
export function gatherVisitors(
  bc: BatchContext,
  states: ActivityStates,
  candidates: Candidate[],
  activities: Activity[],
): Set<string> {
  for (const c of candidates)
    if (c.activity.kind === 'link') c.state.visitors = mergeVisitors(c.state.visitors ?? [], c.activity.visitors);
  const grown = new Set<string>();
  for (const a of activities) {
    const linkId = linkIdOf(a);
    const visitor = visitorOf(a);
    if (!linkId || !visitor) continue;
    const key = externalKey(bc.workspaceId, linkId);
    const state = states.byKey.get(key) ?? newState(key, linkId, link.type, a.occurredAt);
    states.byKey.set(key, state);
    const before = state.visitors?.length ?? 0;
    state.visitors = mergeVisitors(state.visitors ?? [], [visitor]);
    if (state.visitors.length === before) continue;
    states.touched.set(key, state);
    grown.add(key);
  }
  return grown;
}

/** Every visitor known so far of a link candidate's Task; undefined for other kinds. */
export function visitorsFor(c: Candidate): Person[] | undefined {
  return c.activity.kind === 'link' ? (c.state.visitors ?? c.activity.visitors) : undefined;
}

/** The Tasks of links whose list grew and that no candidate of the batch writes anyway. */
export function linkUpdates(
  bc: BatchContext,
  states: ActivityStates,
  grown: Set<string>,
  writable: Candidate[],
  taskMappings: FieldMapping[],
  event: StoredEvent,
): LinkUpdate[] {
  const updates: LinkUpdate[] = [];
  for (const key of grown) {
    if (writable.some((c) => c.state.externalKey === key)) continue;
    const state = states.byKey.get(key)!;
    const built = rebuild(bc, state, taskMappings, event);
    if (built) updates.push({ state, built });
  }
  return updates;
}

/**
 * A link's Task from its stored snapshot (`event`: any of the batch's, the Task does not read it),
 * or nothing while the Task does not exist yet: its own event will list the visitors.
 */
function rebuild(
  bc: BatchContext,
  state: ActivityState,
  taskMappings: FieldMapping[],
  event: StoredEvent,
): BuiltTask | undefined {
  const snapshot = state.details.link;
  if (!state.taskId || !snapshot) return undefined;
  const visitors = state.visitors ?? [];
  const activity: LinkActivity = {
    ...snapshot,
    kind: 'link',
    type: link.type,
    externalKey: state.externalKey,
    activityId: state.activityId,
    event,
    visitors,
  };
  const target = {
    whoId: null,
    whoIsLead: false,
    whatId: state.whatId,
    ownerId: state.ownerId,
    followUp: state.followUp,
    reason: state.matchReason ?? '',
  };
  return buildTask(activity, target, { settings: bc.config.settings, taskMappings, exists: true, visitors });
}

/** The states of the links written; a failure is logged, and the next visit through the link tries again. */
export function recordLinkResults(
  bc: BatchContext,
  updates: LinkUpdate[],
  results: (RecordResult | undefined)[],
): void {
  updates.forEach((u, i) => {
    const r = results[i];
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
}
