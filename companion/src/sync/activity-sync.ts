// Activities (visits, links, spaces, messages: the kinds in activities.ts) → Task upserts, after
// matching (matching.ts). The steps, each in its own module:
//  1. events of one activity in the batch are coalesced: the newest is written, older ones are
//     superseded and resolved to the same Task; an event older than one already written is too
//     (activity-candidates.ts);
//  2. the visit cadence: an active visit is written at most every VisitResyncMinutes
//     (activity-candidates.ts); links gather their visitors (link-visitors.ts);
//  3. who/what/owner from the matches; the unmatched become a Lead, a follow-up Task or a skip,
//     as the switches say (activity-targets.ts);
//  4. the monthly quota holds back new Tasks beyond it (activity-writes.ts);
//  5. a Task identical to what Relay last wrote is not written again (activity-writes.ts);
//  6. one upsert on relay__ExternalKey__c for everything else, Collections in Composite or Bulk
//     (activity-writes.ts);
//  7. per-record results become outcomes, activity state and the quota count; the people the
//     activities are about become person facts.
import { lastSeenAt, personEmail, type Activity } from './activities.js';
import {
  loadActivityStates,
  resolveFollowers,
  selectCandidates,
  type ActivityStates,
  type Candidate,
} from './activity-candidates.js';
import { resolveTargets } from './activity-targets.js';
import { quotaRoom, tasksToWrite, upsertTasks } from './activity-writes.js';
import type { BatchContext } from './batch.js';
import { gatherVisitors, linkUpdates } from './link-visitors.js';
import { recordPeople, type PersonFact } from './people-store.js';
import { countCreated } from './quota.js';
import { writeMappings } from './settings.js';
import { saveStates } from './state.js';
import { objectOfId } from '../salesforce/ids.js';

export async function syncActivities(bc: BatchContext, activities: Activity[]): Promise<void> {
  if (activities.length === 0) return;
  const states = await loadActivityStates(bc, activities);
  const candidates = selectCandidates(bc, states, activities);
  const grownLinks = gatherVisitors(bc, states, candidates, activities);
  await resolveTargets(bc, candidates);
  // The Task field mappings, once per batch (every Task of the batch is built with them).
  const taskMappings = writeMappings(bc.config, 'Task');
  const quota = await quotaRoom(bc);
  const writable = tasksToWrite(bc, candidates, quota, taskMappings, grownLinks);
  const links = linkUpdates(bc, states, grownLinks, writable, taskMappings, activities[0]!.event);
  const created = await upsertTasks(bc, writable, links);
  for (const c of candidates) resolveFollowers(bc, c);
  await save(bc, states, quota.month, created, candidates);
}

/**
 * The quota count and the activity state change together: a crash between them would count a
 * Task twice (or never) when the batch is redone.
 */
async function save(
  bc: BatchContext,
  states: ActivityStates,
  month: string,
  created: number,
  candidates: Candidate[],
): Promise<void> {
  await bc.db.transaction(async (tx) => {
    if (created > 0) await countCreated(tx, bc.workspaceId, month, created);
    await saveStates(tx, bc.workspaceId, [...states.touched.values()]);
  });
  await recordPeople(bc.db, bc.workspaceId, peopleFacts(candidates));
}

function peopleFacts(candidates: Candidate[]): PersonFact[] {
  const facts: PersonFact[] = [];
  for (const c of candidates) {
    const email = personEmail(c.activity);
    if (!email || !c.target || c.target.followUp) continue;
    const seen = lastSeenAt(c.activity);
    facts.push({
      email,
      ...(c.target.whoId ? { recordId: c.target.whoId, recordType: objectOfId(c.target.whoId) ?? null } : {}),
      ...(c.target.whatId ? { accountId: c.target.whatId } : {}),
      matchReason: c.match?.reason ?? c.target.reason,
      matchedBy: c.match?.matchedBy ?? null,
      ...(seen ? { lastSeenAt: seen } : {}),
    });
  }
  return facts;
}
