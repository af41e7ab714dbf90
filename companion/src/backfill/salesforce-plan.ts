// What a to-salesforce backfill costs, planned by the rules the worker and the sync engine apply to
// the same events, without a call: the events not stored yet, in file order, cut into the worker's
// batches — backlog batches (RELAY_BACKLOG_BATCH_SIZE) while more than RELAY_BACKLOG_THRESHOLD
// events remain, else RELAY_BATCH_SIZE; per batch, the lookups the engine would send (planLookups
// and lookupQueries, the configuration queries with the first batch) in one Composite call of five
// queries or, when they need more, Composite Batch calls of 25 (composite-batch.ts); then the Task
// upserts: one Composite call per 1,000 Tasks (5 Collections × 200), or one Bulk API 2.0 job above
// RELAY_BULK_THRESHOLD. People looked up by an earlier batch are in the match cache (2 minutes) and
// are not looked up again. Assumed: every person exists in the org (an unknown person adds an Account
// lookup when the activity names an account), nothing else waits in the workspace's queue, and each
// batch with prospects or list members spends one write call (two when a list is linked to a
// Campaign) — the engine decides creates and updates from what the lookup finds.
import type { Subrequest } from '../salesforce/composite.js';
import { planQueryCalls } from '../salesforce/composite-batch.js';
import { COLLECTION_SIZE } from '../salesforce/calls.js';
import { isActivityType, readActivity, switchOf, type Activity } from '../sync/activities.js';
import { planLookups } from '../sync/lookups.js';
import { lookupQueries, MatchCache, type PersonMatch } from '../sync/matching.js';
import { PEOPLE_TYPES } from '../sync/people-events.js';
import type { OrgConfiguration } from '../sync/settings.js';
import type { StoredEvent } from '../queue/batch.js';
import type { ValidEvent } from '../intake/validate.js';
import { MAX_QUERY_OR_COLLECTION_SUBREQUESTS } from '../salesforce/composite.js';
import { estimateSeconds } from './estimate.js';

/**
 * Calls a Bulk API 2.0 ingest job of Tasks usually costs: create, upload, close, two state checks
 * (the first, right after the close, finds it still running), the successful results. A job with
 * failed or unprocessed rows reads those files too, and a slow one polls more (bulk.ts).
 */
export const BULK_JOB_CALLS = 6;

export interface SalesforceRules {
  batchSize: number;
  /** More events than this left to sync: the worker claims backlog batches. */
  backlogThreshold: number;
  backlogBatchSize: number;
  bulkThreshold: number;
  /** The configuration queries that ride with the first batch's lookups. */
  configSubrequests: Subrequest[];
  config: OrgConfiguration;
}

export interface SalesforcePlan {
  direction: 'to-salesforce';
  events: number;
  /** Events of the file already stored (an earlier run): not synced again. */
  alreadyStored: number;
  toSync: number;
  batches: number;
  /** Distinct people (emails and phones), Accounts and Task owners the batches look up. */
  peopleToLookUp: number;
  accountsToLookUp: number;
  ownersToLookUp: number;
  tasks: number;
  skippedBySwitch: number;
  peopleEvents: number;
  apiCalls: number;
  lookupCalls: number;
  writeCalls: number;
  bulkJobs: number;
  estimatedSeconds: number;
}

const PLACEHOLDER_PERSON: PersonMatch = {
  kind: 'Contact',
  whoId: '',
  accountId: null,
  ownerId: null,
  reason: 'planned',
  matchedBy: 'email',
  value: '',
};

/** A stored event as the worker would hand it over (intake validated it). */
function stored(workspaceId: string, e: ValidEvent, n: number): StoredEvent {
  return {
    seq: String(n),
    workspaceId,
    source: e.source,
    id: e.id,
    type: e.type,
    time: e.time,
    data: e.data,
    receivedAt: new Date(0).toISOString(),
    attempts: 0,
  };
}

/** Upsert calls for `tasks` Tasks of one batch. */
function writeCallsFor(tasks: number, bulkThreshold: number): { calls: number; jobs: number } {
  if (tasks === 0) return { calls: 0, jobs: 0 };
  if (tasks > bulkThreshold) return { calls: BULK_JOB_CALLS, jobs: 1 };
  return { calls: Math.ceil(tasks / (COLLECTION_SIZE * MAX_QUERY_OR_COLLECTION_SUBREQUESTS)), jobs: 0 };
}

/** The worker's next claim with `due` events left (queue/claims.ts, nextClaimSize). */
function claimSize(due: number, rules: SalesforceRules): number {
  if (rules.backlogBatchSize <= rules.batchSize) return rules.batchSize;
  return due > rules.backlogThreshold ? rules.backlogBatchSize : rules.batchSize;
}

export function planToSalesforce(
  workspaceId: string,
  events: readonly ValidEvent[],
  alreadyStored: number,
  rules: SalesforceRules,
): SalesforcePlan {
  const cache = new MatchCache(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  const plan: SalesforcePlan = {
    direction: 'to-salesforce',
    events: events.length + alreadyStored,
    alreadyStored,
    toSync: events.length,
    batches: 0,
    peopleToLookUp: 0,
    accountsToLookUp: 0,
    ownersToLookUp: 0,
    tasks: 0,
    skippedBySwitch: 0,
    peopleEvents: 0,
    apiCalls: 0,
    lookupCalls: 0,
    writeCalls: 0,
    bulkJobs: 0,
    estimatedSeconds: 0,
  };
  for (let start = 0; start < events.length;) {
    const size = claimSize(events.length - start, rules);
    const batch = events.slice(start, start + size).map((e, i) => stored(workspaceId, e, start + i));
    planBatch(batch, plan, cache, rules, start === 0);
    plan.batches += 1;
    start += size;
  }
  plan.apiCalls = plan.lookupCalls + plan.writeCalls;
  plan.estimatedSeconds = estimateSeconds(plan.apiCalls, plan.bulkJobs, plan.toSync);
  return plan;
}

function planBatch(
  batch: StoredEvent[],
  plan: SalesforcePlan,
  cache: MatchCache,
  rules: SalesforceRules,
  first: boolean,
): void {
  const activities: Activity[] = [];
  const people: StoredEvent[] = [];
  for (const e of batch) {
    if (PEOPLE_TYPES.has(e.type)) people.push(e);
    else if (isActivityType(e.type)) {
      const a = readActivity(e);
      if ('invalid' in a) continue;
      if (rules.config.settings[switchOf(a)] === false) plan.skippedBySwitch += 1;
      else activities.push(a);
    }
  }
  const { needs } = planLookups(cache, activities, people, 0);
  const subs = [...(first ? rules.configSubrequests : []), ...lookupQueries(needs).map((q) => q.sub)];
  plan.lookupCalls += subs.length > 0 ? planQueryCalls(subs).groups.length : 0;
  plan.peopleToLookUp += needs.emails.size + needs.phones.size;
  plan.accountsToLookUp += needs.accountNames.size;
  plan.ownersToLookUp += needs.userEmails.size;
  // What this batch looked up is in the match cache for the next ones.
  for (const email of needs.emails) cache.setPerson(email, { ...PLACEHOLDER_PERSON, value: email }, 0);
  for (const phone of needs.phones)
    cache.setPhone(phone, { ...PLACEHOLDER_PERSON, matchedBy: 'phone', value: phone }, 0);
  for (const name of needs.accountNames) cache.setAccount(name, { id: '', name, ownerId: null, reason: 'planned' }, 0);
  for (const email of needs.userEmails) cache.setUser(email, { id: '', email }, 0);
  // Several events of one activity (a visit's updates) coalesce into one Task.
  const tasks = new Set(activities.map((a) => a.externalKey)).size;
  const writes = writeCallsFor(tasks, rules.bulkThreshold);
  plan.tasks += tasks;
  plan.writeCalls += writes.calls;
  plan.bulkJobs += writes.jobs;
  if (people.length > 0) {
    plan.peopleEvents += people.length;
    const campaign = people.some((e) => {
      const d = e.data as Record<string, unknown>;
      return typeof d.campaignId === 'string' || typeof d.campaignName === 'string';
    });
    plan.writeCalls += campaign ? 2 : 1;
  }
}
