// The batch's own match decisions. The shared match cache is read once per value when the batch
// plans its lookups, and every later step reads these decisions instead of the cache: an entry
// that expires, is evicted or is replaced while the batch runs cannot change what the batch
// decided (it once turned a cached Contact into NO_MATCH between the lookup and the Task target).
//
// The coverage rule: a value is decided "no match" only by the cache or by complete answers to
// lookup queries whose `IN` lists held it — for a person, both the Contact and the Lead query. A
// value no complete answer covered stays undecided, and the activity is retried
// (LOOKUP_INCOMPLETE), never skipped as unmatched.
import type { SubResponse } from '../salesforce/composite.js';
import {
  chooseAccount,
  choosePerson,
  chooseUser,
  groupRows,
  normalizeEmail,
  normalizeName,
  type AccountMatch,
  type LookupKind,
  type LookupNeeds,
  type LookupQuery,
  type LookupRows,
  type MatchCache,
  type PersonMatch,
  type UserMatch,
} from './matching.js';

/** A decision: the match, `null` for "provably none", absent for undecided. */
export class BatchMatches {
  readonly people = new Map<string, PersonMatch | null>();
  readonly phones = new Map<string, PersonMatch | null>();
  readonly accounts = new Map<string, AccountMatch | null>();
  readonly users = new Map<string, UserMatch | null>();

  person(email: string): PersonMatch | null | undefined {
    return this.people.get(email);
  }
  phone(phone: string): PersonMatch | null | undefined {
    return this.phones.get(phone);
  }
  account(name: string): AccountMatch | null | undefined {
    return this.accounts.get(normalizeName(name));
  }
  user(email: string): UserMatch | null | undefined {
    return this.users.get(email);
  }
  setAccount(name: string, match: AccountMatch | null): void {
    this.accounts.set(normalizeName(name), match);
  }
}

/**
 * A complete answer to a query: HTTP 200 with a query result that says it is done (every page read).
 * Anything else — no answer, an error, a page with more to come, a 200 whose body is no query
 * result — says nothing about the values the query asked for.
 */
export function isComplete(res: SubResponse | undefined): boolean {
  if (!res || res.httpStatusCode !== 200) return false;
  const body = res.body as { done?: unknown; records?: unknown } | null;
  return typeof body === 'object' && body !== null && body.done === true && Array.isArray(body.records);
}

/** The values each lookup kind covered: those of queries answered completely (200, every page). */
export type Coverage = Map<LookupKind, Set<string>>;

export function coverageOf(lookups: readonly LookupQuery[], answers: Map<string, SubResponse>): Coverage {
  const covered: Coverage = new Map();
  for (const q of lookups) {
    if (!isComplete(answers.get(q.sub.referenceId))) continue;
    const set = covered.get(q.kind) ?? new Set<string>();
    for (const v of q.values) set.add(v);
    covered.set(q.kind, set);
  }
  return covered;
}

const covers = (covered: Coverage, value: string, ...kinds: LookupKind[]): boolean =>
  kinds.every((k) => covered.get(k)?.has(value) === true);

/**
 * Decides what the lookups covered, into the batch's decisions and the shared cache; what they did
 * not cover stays undecided (and out of the cache).
 */
export function decideLookups(
  matches: BatchMatches,
  cache: MatchCache,
  needs: LookupNeeds,
  rows: LookupRows,
  covered: Coverage,
  now: number,
): void {
  const contactsByEmail = groupRows(rows.contacts, (r) => (r.Email ? normalizeEmail(r.Email) : null));
  const leadsByEmail = groupRows(rows.leads, (r) => (r.Email ? normalizeEmail(r.Email) : null));
  for (const email of needs.emails) {
    if (!covers(covered, email, 'contactEmail', 'leadEmail')) continue;
    const match = choosePerson(email, 'email', contactsByEmail.get(email) ?? [], leadsByEmail.get(email) ?? []);
    matches.people.set(email, match);
    cache.setPerson(email, match, now);
  }
  for (const phone of needs.phones) {
    if (!covers(covered, phone, 'contactPhone', 'leadPhone')) continue;
    const byPhone = (r: { Phone?: string | null; MobilePhone?: string | null }) =>
      r.Phone === phone || r.MobilePhone === phone;
    const match = choosePerson(phone, 'phone', rows.phoneContacts.filter(byPhone), rows.phoneLeads.filter(byPhone));
    matches.phones.set(phone, match);
    cache.setPhone(phone, match, now);
  }
  const accountsByName = groupRows(rows.accounts, (r) => normalizeName(r.Name));
  for (const name of needs.accountNames) {
    if (!covers(covered, name, 'account')) continue;
    const match = chooseAccount(name, accountsByName.get(normalizeName(name)) ?? []);
    matches.setAccount(name, match);
    cache.setAccount(name, match, now);
  }
  const usersByEmail = groupRows(rows.users, (r) => normalizeEmail(r.Email));
  for (const email of needs.userEmails) {
    if (!covers(covered, email, 'user')) continue;
    const match = chooseUser(email, usersByEmail.get(email) ?? []);
    matches.users.set(email, match);
    cache.setUser(email, match, now);
  }
}
