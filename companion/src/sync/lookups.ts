// The batch's lookups: what its activities and people need to know that the match cache does not
// (the person by email or phone, the Account by name, the Task owner by platform user), and the
// answers. The cache is read once per value here: what it knows becomes the batch's decision
// (batch-matches.ts), and what the lookups covered is decided and remembered, negative answers
// included; later steps read the batch's decisions, never the cache again.
import type { Logger } from 'pino';
import { IntegrationError } from '../errors.js';
import type { StoredEvent } from '../queue/batch.js';
import { queryRecords } from '../salesforce/calls.js';
import { subrequestError, type SubResponse } from '../salesforce/composite.js';
import { accountNameOf, personEmail, personPhone, platformUserEmail, type Activity } from './activities.js';
import { BatchMatches, coverageOf, decideLookups } from './batch-matches.js';
import { addRows, emptyNeeds, emptyRows, type LookupNeeds, type LookupQuery, type MatchCache } from './matching.js';
import { peopleNeeds } from './people-events.js';

export interface LookupPlan {
  /** What the cache does not know: to look up. */
  needs: LookupNeeds;
  /** What the cache knew, read once: the batch's decisions so far. */
  matches: BatchMatches;
}

/** Everything the batch needs looked up, minus what the cache knows (taken as decided). */
export function planLookups(cache: MatchCache, activities: Activity[], people: StoredEvent[], now: number): LookupPlan {
  const plan: LookupPlan = { needs: emptyNeeds(), matches: new BatchMatches() };
  for (const a of activities) {
    const person = personNeeds(cache, a, plan, now);
    const accountName = accountNameOf(a);
    // The account is the fallback of a person not matched (or not known yet).
    if (accountName && !person) accountNeeds(cache, accountName, plan, now);
    const userEmail = platformUserEmail(a);
    if (userEmail) userNeeds(cache, userEmail, plan, now);
  }
  peopleNeeds(cache, people, plan.needs, plan.matches, now);
  return plan;
}

/** The person by email (else phone): the cached decision, or a value to look up. */
function personNeeds(
  cache: MatchCache,
  a: Activity,
  { needs, matches }: LookupPlan,
  now: number,
): ReturnType<MatchCache['person']> {
  const email = personEmail(a);
  if (email) {
    if (matches.people.has(email)) return matches.people.get(email);
    const person = cache.person(email, now);
    if (person === undefined) needs.emails.add(email);
    else matches.people.set(email, person);
    return person;
  }
  const phone = personPhone(a);
  if (!phone) return undefined;
  if (matches.phones.has(phone)) return matches.phones.get(phone);
  const person = cache.phone(phone, now);
  if (person === undefined) needs.phones.add(phone);
  else matches.phones.set(phone, person);
  return person;
}

function accountNeeds(cache: MatchCache, name: string, { needs, matches }: LookupPlan, now: number): void {
  if (matches.account(name) !== undefined) return;
  const account = cache.account(name, now);
  if (account === undefined) needs.accountNames.add(name);
  else matches.setAccount(name, account);
}

function userNeeds(cache: MatchCache, email: string, { needs, matches }: LookupPlan, now: number): void {
  if (matches.users.has(email)) return;
  const user = cache.user(email, now);
  if (user === undefined) needs.userEmails.add(email);
  else matches.users.set(email, user);
}

/**
 * Decides what the answers covered (the batch's decisions and the cache); a failed person or
 * Account lookup fails the batch. A failed owner lookup leaves the owner undecided: Tasks go to
 * the integration user, new people (people-writes.ts) wait for a retry.
 */
export function rememberAnswers(
  cache: MatchCache,
  plan: LookupPlan,
  lookups: LookupQuery[],
  answers: Map<string, SubResponse>,
  log: Logger,
  now = Date.now(),
): void {
  const rows = emptyRows();
  for (const q of lookups) {
    const res = answers.get(q.sub.referenceId);
    if (res && res.httpStatusCode === 200) {
      addRows(rows, q.kind, queryRecords(res.body).records);
      continue;
    }
    const err = subrequestError(res);
    if (q.kind === 'user') {
      // Owners are a nicety: without them Tasks belong to the integration user.
      log.warn({ error: err }, 'could not look up Task owners; Tasks are owned by the integration user');
      continue;
    }
    throw new IntegrationError(`looking up ${q.kind}: ${err.message}`, err.code, res?.httpStatusCode, {
      fields: err.fields,
    });
  }
  decideLookups(plan.matches, cache, plan.needs, rows, coverageOf(lookups, answers), now);
}
