// The batch's lookups: what its activities and people need to know that the match cache does not
// (the person by email or phone, the Account by name, the Task owner by platform user), and the
// answers remembered in the cache — negative ones included — for matching to read.
import type { Logger } from 'pino';
import { IntegrationError } from '../errors.js';
import type { StoredEvent } from '../queue/batch.js';
import { queryRecords } from '../salesforce/calls.js';
import { subrequestError, type SubResponse } from '../salesforce/composite.js';
import { accountNameOf, personEmail, personPhone, platformUserEmail, type Activity } from './activities.js';
import {
  addRows,
  emptyNeeds,
  emptyRows,
  rememberLookups,
  type LookupNeeds,
  type LookupQuery,
  type MatchCache,
} from './matching.js';
import { peopleNeeds } from './people-events.js';

/** Everything the batch needs looked up, minus what the cache knows. */
export function batchNeeds(cache: MatchCache, activities: Activity[], people: StoredEvent[]): LookupNeeds {
  const needs = emptyNeeds();
  const now = Date.now();
  for (const a of activities) {
    const person = personNeeds(cache, a, needs, now);
    const accountName = accountNameOf(a);
    // The account is the fallback of a person not matched (or not known yet).
    if (accountName && !person && cache.account(accountName, now) === undefined) needs.accountNames.add(accountName);
    const userEmail = platformUserEmail(a);
    if (userEmail && cache.user(userEmail, now) === undefined) needs.userEmails.add(userEmail);
  }
  peopleNeeds(cache, people, needs, now);
  return needs;
}

/** The cached match of the activity's person (by email, else phone); asks for it when unknown. */
function personNeeds(
  cache: MatchCache,
  a: Activity,
  needs: LookupNeeds,
  now: number,
): ReturnType<MatchCache['person']> {
  const email = personEmail(a);
  if (email) {
    const person = cache.person(email, now);
    if (person === undefined) needs.emails.add(email);
    return person;
  }
  const phone = personPhone(a);
  if (!phone) return undefined;
  const person = cache.phone(phone, now);
  if (person === undefined) needs.phones.add(phone);
  return person;
}

/** Stores the lookup answers in the cache; a failed person or Account lookup fails the batch. */
export function rememberAnswers(
  cache: MatchCache,
  needs: LookupNeeds,
  lookups: LookupQuery[],
  answers: Map<string, SubResponse>,
  log: Logger,
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
      needs.userEmails.clear();
      continue;
    }
    throw new IntegrationError(`looking up ${q.kind}: ${err.message}`, err.code, res?.httpStatusCode, {
      fields: err.fields,
    });
  }
  rememberLookups(cache, needs, rows);
}
