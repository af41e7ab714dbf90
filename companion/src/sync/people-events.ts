// Step 1 of the people sync: prospects (`relay.prospect.upserted`) and list members
// (`relay.list.member.added`) read from their events and grouped by person. People are matched by
// the match-key mapping (IsMatchField: email → Email, or phone → Phone; email when no mapping is
// marked); several events for one person in a batch become one write (later values win).
import type { StoredEvent } from '../queue/batch.js';
import type { BatchContext } from './batch.js';
import type { BatchMatches } from './batch-matches.js';
import { obj, str } from './kinds/base.js';
import { normalizeEmail, normalizePhone, type LookupNeeds, type MatchCache } from './matching.js';
import type { OrgConfiguration, SyncSettings } from './settings.js';

/** The people event types, each with the Sync* setting that switches it off (its events are then skipped). */
export const PEOPLE_SWITCHES: Readonly<Record<string, keyof SyncSettings>> = Object.freeze({
  'relay.prospect.upserted': 'SyncProspects',
  'relay.list.member.added': 'SyncListSignups',
});

export const PEOPLE_TYPES: ReadonlySet<string> = new Set(Object.keys(PEOPLE_SWITCHES));

export type Fields = Record<string, string | number | boolean | null>;

export interface PersonEvent {
  event: StoredEvent;
  fields: Fields;
  ownerEmail?: string;
  listName?: string;
  /** The platform's id of the list (`data.listId`): the admin's list → Campaign link is keyed by it. */
  listId?: string;
  campaignId?: string;
  campaignName?: string;
  isListMember: boolean;
  prospectId?: string;
}

/** A Contact or Lead as the lookup reads it (the mapped fields included). */
export interface PersonRow {
  Id: string;
  Email?: string | null;
  Phone?: string | null;
  MobilePhone?: string | null;
  IsConverted?: boolean;
  ConvertedContactId?: string | null;
  AccountId?: string | null;
  LastModifiedDate?: string | null;
  [field: string]: unknown;
}

/** One person of the batch: their events, their merged fields, and the record written for them. */
export interface BatchPerson {
  key: string;
  events: PersonEvent[];
  /** Every event's values merged (a new person is created from them). */
  fields: Fields;
  /** The prospects' values alone, and the list sign-ups' alone: a known person treats them apart. */
  prospectFields: Fields;
  signUpFields: Fields;
  /** The record written, once known. */
  target?: { type: 'Lead' | 'Contact'; id: string; current?: PersonRow; reason: string; created: boolean };
  accountName?: string;
  accountId?: string | null;
}

export interface MatchKey {
  platformField: string;
  kind: 'email' | 'phone';
}

function readPerson(e: StoredEvent): PersonEvent {
  const d = obj(e.data);
  const isListMember = e.type === 'relay.list.member.added';
  const fields = obj(isListMember ? d.contact : d.fields) as Fields;
  const person: PersonEvent = { event: e, fields, isListMember };
  const owner = str(d.ownerEmail) ?? str(fields.ownerEmail);
  if (owner) person.ownerEmail = normalizeEmail(owner);
  if (isListMember) Object.assign(person, listOf(d));
  else {
    const id = str(d.prospectId);
    if (id) person.prospectId = id;
  }
  return person;
}

/** The list a member joined, and the Campaign it is linked to (by id or by name). */
function listOf(d: Record<string, unknown>): Pick<PersonEvent, 'listName' | 'listId' | 'campaignId' | 'campaignName'> {
  const list = obj(d.list);
  const listId = str(d.listId) ?? str(list.id);
  const campaignId = str(d.campaignId) ?? str(list.campaignId);
  const campaignName = str(d.campaignName) ?? str(list.campaignName);
  return {
    listName: str(d.listName) ?? str(list.name) ?? listId ?? 'list',
    ...(listId ? { listId } : {}),
    ...(campaignId ? { campaignId } : {}),
    ...(campaignName ? { campaignName } : {}),
  };
}

/** The match key: the mapping marked IsMatchField for the person objects, email by default. */
export function matchKey(config: OrgConfiguration): MatchKey {
  const key = config.mappings.find(
    (m) => m.active && m.isMatchKey && (m.targetObject === 'Lead' || m.targetObject === 'Contact'),
  );
  if (key && /phone/i.test(key.targetField)) return { platformField: key.platformField, kind: 'phone' };
  return { platformField: key?.platformField ?? 'email', kind: 'email' };
}

/** A value compared as the match key compares it. */
export function normalizeKey(value: unknown, kind: MatchKey['kind']): string {
  if (typeof value !== 'string') return '';
  return kind === 'email' ? normalizeEmail(value) : normalizePhone(value);
}

function keyValue(p: PersonEvent, key: MatchKey): string | undefined {
  const raw = p.fields[key.platformField] ?? (key.kind === 'email' ? p.fields.email : p.fields.phone);
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  return normalizeKey(raw, key.kind);
}

/** The batch's people by match key; an event without one fails (configuration). */
export function groupPeople(bc: BatchContext, events: StoredEvent[], key: MatchKey): Map<string, BatchPerson> {
  const people = new Map<string, BatchPerson>();
  for (const e of events) {
    const p = readPerson(e);
    const k = keyValue(p, key);
    if (!k) {
      bc.out.failed(
        e.seq,
        'configuration',
        'MISSING_MATCH_KEY',
        `the ${p.isListMember ? 'contact' : 'prospect'} has no '${key.platformField}', the field people are matched by`,
        key.platformField,
      );
      continue;
    }
    const person = people.get(k) ?? { key: k, events: [], fields: {}, prospectFields: {}, signUpFields: {} };
    person.events.push(p);
    Object.assign(person.fields, p.fields);
    Object.assign(p.isListMember ? person.signUpFields : person.prospectFields, p.fields);
    people.set(k, person);
  }
  return people;
}

/**
 * Owners of new people ride on the batch's main lookup. The cache is read once per owner: what it
 * knows becomes the batch's decision, which the writes read (never the cache again).
 */
export function peopleNeeds(
  cache: MatchCache,
  events: StoredEvent[],
  needs: LookupNeeds,
  matches: BatchMatches,
  now: number,
): void {
  for (const e of events) {
    const owner = readPerson(e).ownerEmail;
    if (!owner || matches.users.has(owner) || needs.userEmails.has(owner)) continue;
    const user = cache.user(owner, now);
    if (user === undefined) needs.userEmails.add(owner);
    else matches.users.set(owner, user);
  }
}

/** The first owner any of a person's events names. */
export function ownerEmailOf(events: PersonEvent[]): string | undefined {
  return events.map((e) => e.ownerEmail).find(Boolean);
}

/**
 * No lookup of this batch decided what the person's write needs (the person, their Account or
 * their owner): their events are tried again, never written on a guess.
 */
export function lookupIncomplete(bc: BatchContext, p: BatchPerson, what: string): void {
  for (const e of p.events)
    if (!bc.out.has(e.event.seq))
      bc.out.retry(
        e.event.seq,
        'LOOKUP_INCOMPLETE',
        `LOOKUP_INCOMPLETE: no lookup of this batch covered ${what}; matched again on the next attempt`,
      );
}
