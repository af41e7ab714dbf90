// Matching people and accounts for a batch with as few calls as possible. Every distinct email,
// phone, account name and platform-user email of the batch that is not in the short-lived
// per-workspace cache becomes part of an `IN (…)` query — Contact by Email, Lead by Email (converted
// ones included, so a converted Lead's activity follows ConvertedContactId), Account by Name, User
// by Email — chunked to the URI limit (soql.ts) and sent as Composite query subrequests (up to 5
// per call, composite.ts), usually together with the configuration queries: one API call for a
// batch of up to ~400 new people.
//
// When Salesforce holds several candidates the choice is deterministic (see choosePerson):
//   1. a Contact with that email;
//   2. the Contact a converted Lead with that email was converted into (ConvertedContactId) — the
//      person is known as a Contact now, even if the Contact's own email differs;
//   3. an open (unconverted) Lead with that email;
//   4. (activities that carry an account name) the Account with that name.
// Within one kind: the most recently modified record (LastModifiedDate), then the lowest Id.
// Users: active users only, the one whose Username equals the email first, then the lowest Id.
import { chunkedInLists, queryUrl, type InQuery } from '../salesforce/soql.js';
import type { Subrequest } from '../salesforce/composite.js';

export type MatchKind = 'Contact' | 'Lead' | 'ConvertedLead' | 'Account';

export interface PersonMatch {
  kind: Exclude<MatchKind, 'Account'>;
  /** Contact or Lead id for Task.WhoId. */
  whoId: string;
  /** The Contact's Account (never with a Lead: FIELD_INTEGRITY_EXCEPTION). */
  accountId: string | null;
  ownerId: string | null;
  reason: string;
  matchedBy: 'email' | 'phone';
  value: string;
}

export interface AccountMatch {
  id: string;
  name: string;
  ownerId: string | null;
  reason: string;
}

export interface UserMatch {
  id: string;
  email: string;
}

interface ContactRow {
  Id: string;
  Email?: string | null;
  Phone?: string | null;
  MobilePhone?: string | null;
  AccountId?: string | null;
  OwnerId?: string | null;
  LastModifiedDate?: string | null;
}

interface LeadRow extends ContactRow {
  IsConverted?: boolean;
  ConvertedContactId?: string | null;
  ConvertedAccountId?: string | null;
}

export interface AccountRow {
  Id: string;
  Name: string;
  OwnerId?: string | null;
  LastModifiedDate?: string | null;
}

interface UserRow {
  Id: string;
  Email: string;
  Username?: string | null;
}

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();
export const normalizeName = (name: string): string => name.trim().toLowerCase();

/** Phones are compared in E.164: digits with a leading +, separators dropped. */
export function normalizePhone(phone: string): string {
  const trimmed = phone.trim();
  const digits = trimmed.replace(/[^0-9]/g, '');
  return trimmed.startsWith('+') ? `+${digits}` : digits;
}

/** Most recently modified first, then the lowest Id (Salesforce ids sort as base-62 in ASCII order). */
export function byRecency<T extends { Id: string; LastModifiedDate?: string | null }>(a: T, b: T): number {
  const ta = a.LastModifiedDate ? Date.parse(a.LastModifiedDate) : 0;
  const tb = b.LastModifiedDate ? Date.parse(b.LastModifiedDate) : 0;
  if (ta !== tb) return tb - ta;
  return a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0;
}

/** The documented choice among the Contacts and Leads that carry one email (or phone). */
export function choosePerson(
  value: string,
  matchedBy: 'email' | 'phone',
  contacts: ContactRow[],
  leads: LeadRow[],
): PersonMatch | null {
  const label = matchedBy === 'email' ? 'email' : 'phone';
  const contact = [...contacts].sort(byRecency)[0];
  if (contact) {
    return {
      kind: 'Contact',
      whoId: contact.Id,
      accountId: contact.AccountId ?? null,
      ownerId: contact.OwnerId ?? null,
      reason: `matched Contact by ${label}`,
      matchedBy,
      value,
    };
  }
  const converted = leads.filter((l) => l.IsConverted && l.ConvertedContactId).sort(byRecency)[0];
  if (converted) {
    return {
      kind: 'ConvertedLead',
      whoId: converted.ConvertedContactId!,
      accountId: converted.ConvertedAccountId ?? null,
      ownerId: null,
      reason: `matched Contact via converted Lead ${converted.Id}`,
      matchedBy,
      value,
    };
  }
  const lead = leads.filter((l) => !l.IsConverted).sort(byRecency)[0];
  if (lead) {
    return {
      kind: 'Lead',
      whoId: lead.Id,
      accountId: null,
      ownerId: lead.OwnerId ?? null,
      reason: `matched Lead by ${label}`,
      matchedBy,
      value,
    };
  }
  return null;
}

export function chooseAccount(name: string, rows: AccountRow[]): AccountMatch | null {
  const row = [...rows].sort(byRecency)[0];
  return row
    ? { id: row.Id, name: row.Name, ownerId: row.OwnerId ?? null, reason: `matched Account by name '${name}'` }
    : null;
}

export function chooseUser(email: string, rows: UserRow[]): UserMatch | null {
  const sorted = [...rows].sort((a, b) => {
    const ua = normalizeEmail(a.Username ?? '') === email ? 0 : 1;
    const ub = normalizeEmail(b.Username ?? '') === email ? 0 : 1;
    return ua - ub || (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0);
  });
  const row = sorted[0];
  return row ? { id: row.Id, email } : null;
}

interface Entry<T> {
  value: T;
  expiresAt: number;
}

/** Short-lived per-workspace memory of lookups, negative answers included. */
export class MatchCache {
  readonly people = new Map<string, Entry<PersonMatch | null>>();
  readonly phones = new Map<string, Entry<PersonMatch | null>>();
  readonly accounts = new Map<string, Entry<AccountMatch | null>>();
  readonly users = new Map<string, Entry<UserMatch | null>>();

  constructor(
    /** People and accounts change often enough that minutes are the most we trust. */
    readonly personTtlMs = 2 * 60_000,
    /** Users (Task owners) change rarely. */
    readonly userTtlMs = 10 * 60_000,
    readonly maxEntries = 50_000,
  ) {}

  /**
   * An expired entry reads as unknown but stays: a reader never deletes, so a read with a later
   * clock cannot remove what another batch just wrote. Writes replace it; eviction drops it.
   */
  static read<T>(map: Map<string, Entry<T>>, key: string, now: number): T | undefined {
    const entry = map.get(key);
    return entry && entry.expiresAt > now ? entry.value : undefined;
  }

  static write<T>(map: Map<string, Entry<T>>, key: string, value: T, ttlMs: number, now: number, max: number): void {
    map.delete(key); // re-inserted last: the map's order is the order of writes
    if (map.size >= max) MatchCache.evict(map, now, max);
    map.set(key, { value, expiresAt: now + ttlMs });
  }

  /** Expired entries first; when still full, the oldest writes (a tenth, so eviction stays rare). */
  static evict<T>(map: Map<string, Entry<T>>, now: number, max: number): void {
    for (const [key, entry] of map) if (entry.expiresAt <= now) map.delete(key);
    if (map.size < max) return;
    let excess = map.size - max + Math.max(1, Math.floor(max / 10));
    for (const key of map.keys()) {
      if (excess-- <= 0) break;
      map.delete(key);
    }
  }

  person(email: string, now = Date.now()): PersonMatch | null | undefined {
    return MatchCache.read(this.people, email, now);
  }
  setPerson(email: string, match: PersonMatch | null, now = Date.now()): void {
    MatchCache.write(this.people, email, match, this.personTtlMs, now, this.maxEntries);
  }
  phone(phone: string, now = Date.now()): PersonMatch | null | undefined {
    return MatchCache.read(this.phones, phone, now);
  }
  setPhone(phone: string, match: PersonMatch | null, now = Date.now()): void {
    MatchCache.write(this.phones, phone, match, this.personTtlMs, now, this.maxEntries);
  }
  account(name: string, now = Date.now()): AccountMatch | null | undefined {
    return MatchCache.read(this.accounts, normalizeName(name), now);
  }
  setAccount(name: string, match: AccountMatch | null, now = Date.now()): void {
    MatchCache.write(this.accounts, normalizeName(name), match, this.personTtlMs, now, this.maxEntries);
  }
  user(email: string, now = Date.now()): UserMatch | null | undefined {
    return MatchCache.read(this.users, email, now);
  }
  setUser(email: string, match: UserMatch | null, now = Date.now()): void {
    MatchCache.write(this.users, email, match, this.userTtlMs, now, this.maxEntries);
  }
  forgetPerson(email: string): void {
    this.people.delete(email);
  }
  clear(): void {
    this.people.clear();
    this.phones.clear();
    this.accounts.clear();
    this.users.clear();
  }
}

/** What a batch needs to know, already minus what the cache knows. */
export interface LookupNeeds {
  emails: Set<string>;
  phones: Set<string>;
  accountNames: Set<string>;
  userEmails: Set<string>;
}

export function emptyNeeds(): LookupNeeds {
  return { emails: new Set(), phones: new Set(), accountNames: new Set(), userEmails: new Set() };
}

export type LookupKind = 'contactEmail' | 'leadEmail' | 'contactPhone' | 'leadPhone' | 'account' | 'user';

export interface LookupQuery {
  kind: LookupKind;
  sub: Subrequest;
  /** The values of the query's `IN` list: what a complete answer to it covers. */
  values: string[];
}

const CONTACT_FIELDS = 'Id, Email, Phone, MobilePhone, AccountId, OwnerId, LastModifiedDate';
const LEAD_FIELDS =
  'Id, Email, Phone, MobilePhone, IsConverted, ConvertedContactId, ConvertedAccountId, OwnerId, LastModifiedDate';

/** The query subrequests for `needs`, in the order they are best packed. */
export function lookupQueries(needs: LookupNeeds): LookupQuery[] {
  const queries: LookupQuery[] = [];
  let n = 0;
  const add = (kind: LookupKind, chunks: InQuery[]) => {
    for (const { soql, values } of chunks)
      queries.push({ kind, values, sub: { method: 'GET', url: queryUrl(soql), referenceId: `${kind}${n++}` } });
  };
  const emails = [...needs.emails].sort();
  add(
    'contactEmail',
    chunkedInLists(emails, (list) => `SELECT ${CONTACT_FIELDS} FROM Contact WHERE Email IN (${list})`),
  );
  add(
    'leadEmail',
    chunkedInLists(emails, (list) => `SELECT ${LEAD_FIELDS} FROM Lead WHERE Email IN (${list})`),
  );
  const phones = [...needs.phones].sort();
  add(
    'contactPhone',
    chunkedInLists(
      phones,
      (list) => `SELECT ${CONTACT_FIELDS} FROM Contact WHERE Phone IN (${list}) OR MobilePhone IN (${list})`,
    ),
  );
  add(
    'leadPhone',
    chunkedInLists(
      phones,
      (list) => `SELECT ${LEAD_FIELDS} FROM Lead WHERE Phone IN (${list}) OR MobilePhone IN (${list})`,
    ),
  );
  add(
    'account',
    chunkedInLists(
      [...needs.accountNames].sort(),
      (list) => `SELECT Id, Name, OwnerId, LastModifiedDate FROM Account WHERE Name IN (${list})`,
    ),
  );
  add(
    'user',
    chunkedInLists(
      [...needs.userEmails].sort(),
      (list) => `SELECT Id, Email, Username FROM User WHERE IsActive = true AND Email IN (${list})`,
    ),
  );
  return queries;
}

/** Rows of every answered lookup query, by kind. */
export interface LookupRows {
  contacts: ContactRow[];
  leads: LeadRow[];
  phoneContacts: ContactRow[];
  phoneLeads: LeadRow[];
  accounts: AccountRow[];
  users: UserRow[];
}

export function emptyRows(): LookupRows {
  return { contacts: [], leads: [], phoneContacts: [], phoneLeads: [], accounts: [], users: [] };
}

export function addRows(rows: LookupRows, kind: LookupKind, records: unknown[]): void {
  const list = records as never[];
  switch (kind) {
    case 'contactEmail':
      rows.contacts.push(...list);
      break;
    case 'leadEmail':
      rows.leads.push(...list);
      break;
    case 'contactPhone':
      rows.phoneContacts.push(...list);
      break;
    case 'leadPhone':
      rows.phoneLeads.push(...list);
      break;
    case 'account':
      rows.accounts.push(...list);
      break;
    case 'user':
      rows.users.push(...list);
      break;
  }
}

/** Rows by key, in their order (rows without a key are left out): one pass, then a lookup per value. */
export function groupRows<T>(list: readonly T[], key: (row: T) => string | null | undefined): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of list) {
    const k = key(row);
    if (!k) continue;
    const bucket = map.get(k);
    if (bucket) bucket.push(row);
    else map.set(k, [row]);
  }
  return map;
}
