// Prospects (`relay.prospect.upserted`) and list members (`relay.list.member.added`) → Leads, or
// Contacts with their Accounts (RecordMode), through the org's active field mappings.
//
// A known person is updated, never duplicated. People are found by the match-key mapping
// (IsMatchKey: email → Email, or phone → Phone; email when no mapping is marked), in this order:
// a Contact with the key, the Contact a converted Lead became, an open Lead (most recently
// modified, then lowest Id, as for activities). Unknown people are created as the RecordMode says.
// Several events for one person in a batch become one write (later values win).
//
// Field values: every active mapping of the target object whose direction writes to Salesforce
// (PlatformToSalesforce, TwoWay; PreferSalesforceUnlessBlank only fills fields that are blank in
// Salesforce), through the mapping's ValueMap for picklists and checkboxes. Created Leads get the
// required LastName and Company (from the mappings, else the email's local part and domain),
// LeadSource from the settings, Status "New" for list members; the owner is the User whose email
// is `ownerEmail`. Duplicate rules: with AllowSaveDuplicates the record is saved anyway
// (Sforce-Duplicate-Rule-Header: allowSave=true), otherwise the event is attached to the
// duplicate Salesforce found.
//
// Campaigns: a list is linked to a Campaign by the event — `data.campaignId` (a Campaign id) or
// `data.campaignName` (looked up by Name) — and each member becomes a CampaignMember with Status
// "Sent"; an existing membership (DUPLICATE_VALUE) counts as done.
//
// Calls per batch of people: one lookup Composite, one for new Accounts (ContactAccount mode
// only), one Composite for the person writes, one for new campaign memberships.
import { objectOfId } from '../salesforce/ids.js';
import { chunkedInQueries, queryUrl } from '../salesforce/soql.js';
import type { Subrequest } from '../salesforce/composite.js';
import { primaryError, type SalesforceErrorItem } from '../errors.js';
import { normalizePhone } from './activities.js';
import type { BatchContext } from './batch.js';
import {
  answerRecords,
  learnDuplicates,
  runQueries,
  writeCollections,
  type WriteResults,
} from '../salesforce/calls.js';
import {
  byRecency,
  chooseAccount,
  choosePerson,
  groupRows,
  normalizeEmail,
  normalizeName,
  type AccountRow,
  type LookupNeeds,
  type MatchCache,
} from './matching.js';
import { recordPeople, type PersonFact } from './people-store.js';
import { writeMappings, type FieldMapping, type OrgConfiguration } from './settings.js';
import type { StoredEvent } from '../queue/batch.js';
import { truncate } from './tasks.js';

export const PEOPLE_TYPES: ReadonlySet<string> = new Set(['relay.prospect.upserted', 'relay.list.member.added']);

type Fields = Record<string, string | number | boolean | null>;

interface PersonEvent {
  event: StoredEvent;
  fields: Fields;
  ownerEmail?: string;
  listName?: string;
  campaignId?: string;
  campaignName?: string;
  isListMember: boolean;
  prospectId?: string;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

function readPerson(e: StoredEvent): PersonEvent {
  const d = obj(e.data);
  const isListMember = e.type === 'relay.list.member.added';
  const fields = obj(isListMember ? d.contact : d.fields) as Fields;
  const list = obj(d.list);
  const person: PersonEvent = { event: e, fields, isListMember };
  const owner = str(d.ownerEmail) ?? str(fields.ownerEmail);
  if (owner) person.ownerEmail = normalizeEmail(owner);
  if (isListMember) {
    person.listName = str(d.listName) ?? str(list.name) ?? str(d.listId) ?? 'list';
    const campaignId = str(d.campaignId) ?? str(list.campaignId);
    const campaignName = str(d.campaignName) ?? str(list.campaignName);
    if (campaignId) person.campaignId = campaignId;
    if (campaignName) person.campaignName = campaignName;
  } else {
    const id = str(d.prospectId);
    if (id) person.prospectId = id;
  }
  return person;
}

/** The match key: the mapping marked IsMatchKey for the person objects, email by default. */
function matchKey(config: OrgConfiguration): { platformField: string; kind: 'email' | 'phone' } {
  const key = config.mappings.find(
    (m) => m.active && m.isMatchKey && (m.targetObject === 'Lead' || m.targetObject === 'Contact'),
  );
  if (key && /phone/i.test(key.targetField)) return { platformField: key.platformField, kind: 'phone' };
  return { platformField: key?.platformField ?? 'email', kind: 'email' };
}

function keyValue(p: PersonEvent, key: { platformField: string; kind: 'email' | 'phone' }): string | undefined {
  const raw = p.fields[key.platformField] ?? (key.kind === 'email' ? p.fields.email : p.fields.phone);
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  return key.kind === 'email' ? normalizeEmail(raw) : normalizePhone(raw);
}

/** Task owners of prospects ride on the batch's main lookup. */
export function peopleNeeds(
  cache: MatchCache,
  events: StoredEvent[],
  _config: OrgConfiguration,
  needs: LookupNeeds,
  now: number,
): void {
  for (const e of events) {
    const owner = readPerson(e).ownerEmail;
    if (owner && cache.user(owner, now) === undefined) needs.userEmails.add(owner);
  }
}

interface Row {
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

interface Person {
  key: string;
  events: PersonEvent[];
  fields: Fields;
  /** The record written, once known. */
  target?: { type: 'Lead' | 'Contact'; id: string; current?: Row; reason: string; created: boolean };
  accountName?: string;
  accountId?: string | null;
}

function mappedValue(m: FieldMapping, value: string | number | boolean | null): unknown {
  if (m.valueMap && value !== null && String(value) in m.valueMap) return m.valueMap[String(value)];
  return value;
}

const blank = (v: unknown) => v === null || v === undefined || v === '';

/**
 * The fields to write on `object` from the platform's values. `current` is the record being
 * updated (null when its values are unknown: PreferSalesforceUnlessBlank fields are then left
 * alone), undefined on create.
 */
function fieldsFor(
  config: OrgConfiguration,
  object: string,
  values: Fields,
  current: Row | null | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of writeMappings(config, object)) {
    if (!(m.platformField in values)) continue;
    if (
      m.direction === 'PreferSalesforceUnlessBlank' &&
      current !== undefined &&
      (current === null || !blank(current[m.targetField]))
    )
      continue;
    out[m.targetField] = mappedValue(m, values[m.platformField]!);
  }
  return out;
}

function fieldsToQuery(config: OrgConfiguration, object: string): string[] {
  return [...new Set(writeMappings(config, object).map((m) => m.targetField))];
}

export async function syncPeople(bc: BatchContext, events: StoredEvent[]): Promise<void> {
  if (events.length === 0) return;
  const { settings } = bc.config;
  const key = matchKey(bc.config);
  const people = new Map<string, Person>();
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
    const person = people.get(k) ?? { key: k, events: [], fields: {} };
    person.events.push(p);
    Object.assign(person.fields, p.fields);
    people.set(k, person);
  }
  if (people.size === 0) return;

  // Lookups: people by key (with the mapped fields, for PreferSalesforceUnlessBlank), Accounts by
  // company (ContactAccount mode), Campaigns by name.
  const contactMode = settings.RecordMode === 'ContactAccount';
  const keys = [...people.keys()];
  const keyField = key.kind === 'email' ? 'Email' : 'Phone';
  const leadFields = [
    'Id',
    'Email',
    'Phone',
    'IsConverted',
    'ConvertedContactId',
    'LastModifiedDate',
    ...fieldsToQuery(bc.config, 'Lead'),
  ];
  const contactFields = [
    'Id',
    'Email',
    'Phone',
    'AccountId',
    'LastModifiedDate',
    ...fieldsToQuery(bc.config, 'Contact'),
  ];
  const subs: Subrequest[] = [];
  const add = (prefix: string, soqls: string[]) =>
    soqls.forEach((q, i) => subs.push({ method: 'GET', url: queryUrl(q), referenceId: `${prefix}${i}` }));
  add(
    'pc',
    chunkedInQueries(
      keys,
      (l) => `SELECT ${[...new Set(contactFields)].join(', ')} FROM Contact WHERE ${keyField} IN (${l})`,
    ),
  );
  add(
    'pl',
    chunkedInQueries(
      keys,
      (l) => `SELECT ${[...new Set(leadFields)].join(', ')} FROM Lead WHERE ${keyField} IN (${l})`,
    ),
  );
  for (const p of people.values()) p.accountName = companyOf(bc.config, p.fields, p.key, key.kind);
  const accountNames = contactMode
    ? [...new Set([...people.values()].map((p) => p.accountName!).filter((n) => bc.cache.account(n) === undefined))]
    : [];
  add(
    'pa',
    chunkedInQueries(
      accountNames,
      (l) => `SELECT Id, Name, OwnerId, LastModifiedDate FROM Account WHERE Name IN (${l})`,
    ),
  );
  const campaignNames = [
    ...new Set(
      [...people.values()].flatMap((p) => p.events.map((e) => e.campaignName).filter((n): n is string => !!n)),
    ),
  ];
  add(
    'pk',
    chunkedInQueries(campaignNames, (l) => `SELECT Id, Name, LastModifiedDate FROM Campaign WHERE Name IN (${l})`),
  );
  const answers = await runQueries(bc.client, subs, bc.signal);
  const rows: Record<string, Row[]> = { pc: [], pl: [], pa: [], pk: [] };
  for (const sub of subs)
    rows[sub.referenceId.slice(0, 2)]!.push(...(answerRecords(answers, sub.referenceId, 'looking up people') as Row[]));
  const norm = (v: unknown) =>
    typeof v !== 'string' ? '' : key.kind === 'email' ? normalizeEmail(v) : normalizePhone(v);
  // Several Accounts of one name: the same documented choice as activities (chooseAccount).
  const accounts = rows.pa!.map((r): AccountRow => ({
    Id: r.Id,
    Name: String(r.Name),
    OwnerId: (r.OwnerId as string | null | undefined) ?? null,
    LastModifiedDate: r.LastModifiedDate ?? null,
  }));
  const accountsByName = groupRows(accounts, (r) => normalizeName(r.Name));
  for (const n of accountNames) bc.cache.setAccount(n, chooseAccount(n, accountsByName.get(normalizeName(n)) ?? []));
  const campaigns = new Map<string, string>();
  for (const c of [...rows.pk!].sort(byRecency))
    if (!campaigns.has(normalizeName(String(c.Name)))) campaigns.set(normalizeName(String(c.Name)), c.Id);

  // Known people, by the same documented choice as activities (matching.ts choosePerson). The rows
  // are grouped once per batch, not scanned once per person.
  const contactsByKey = groupRows(rows.pc!, (r) => norm(r[keyField]));
  const leadsByKey = groupRows(rows.pl!, (r) => norm(r[keyField]));
  const contactsById = groupRows(rows.pc!, (r) => r.Id);
  const leadsById = groupRows(rows.pl!, (r) => r.Id);
  for (const p of people.values()) {
    const match = choosePerson(p.key, key.kind, contactsByKey.get(p.key) ?? [], leadsByKey.get(p.key) ?? []);
    if (!match) continue;
    const type = match.kind === 'Lead' ? 'Lead' : 'Contact';
    const current = (type === 'Lead' ? leadsById : contactsById).get(match.whoId)?.[0];
    p.target = { type, id: match.whoId, ...(current ? { current } : {}), reason: match.reason, created: false };
  }

  // ContactAccount mode: Accounts for new Contacts.
  if (contactMode) await createAccounts(bc, people);
  if (bc.pause) return;

  // Person writes: updates and creates in one Composite.
  const updates: { p: Person; record: Record<string, unknown> }[] = [];
  const creates: { p: Person; record: Record<string, unknown> }[] = [];
  for (const p of people.values()) {
    if (p.events.every((e) => bc.out.has(e.event.seq))) continue;
    const ownerEmail = p.events.map((e) => e.ownerEmail).find(Boolean);
    const ownerId = ownerEmail ? (bc.cache.user(ownerEmail)?.id ?? null) : null;
    if (p.target) {
      const fields = fieldsFor(bc.config, p.target.type, p.fields, p.target.current ?? null);
      if (Object.keys(fields).length > 0)
        updates.push({ p, record: { attributes: { type: p.target.type }, Id: p.target.id, ...fields } });
      continue;
    }
    const object = contactMode ? 'Contact' : 'Lead';
    const record: Record<string, unknown> = {
      attributes: { type: object },
      ...fieldsFor(bc.config, object, p.fields, undefined),
    };
    const local = key.kind === 'email' ? p.key.split('@')[0]! : p.key;
    if (blank(record.LastName)) record.LastName = truncate(String(p.fields.lastName ?? local), 80);
    if (key.kind === 'email' && blank(record.Email)) record.Email = p.key;
    if (key.kind === 'phone' && blank(record.Phone)) record.Phone = p.key;
    if (blank(record.LeadSource)) record.LeadSource = settings.LeadSource;
    if (ownerId) record.OwnerId = ownerId;
    if (object === 'Lead') {
      if (blank(record.Company)) record.Company = truncate(p.accountName!, 255);
      if (p.events.some((e) => e.isListMember) && blank(record.Status)) record.Status = 'New';
    } else if (p.accountId) record.AccountId = p.accountId;
    creates.push({ p, record });
  }
  const dupHeader = settings.AllowSaveDuplicates ? { 'Sforce-Duplicate-Rule-Header': 'allowSave=true' } : undefined;
  const [updated, created] = await writeBoth(
    bc,
    updates.map((u) => u.record),
    creates.map((c) => c.record),
    dupHeader,
  );
  updates.forEach((u, i) => settle(bc, u.p, updated.results[i], false));
  creates.forEach((c, i) => settle(bc, c.p, created.results[i], true));

  // Campaign members (status Sent) for list members of a linked list.
  await addCampaignMembers(bc, people, campaigns);

  for (const p of people.values()) {
    for (const e of p.events) {
      if (bc.out.has(e.event.seq) || !p.target) continue;
      bc.out.synced(e.event.seq, {
        recordId: p.target.id,
        recordType: p.target.type,
        created: p.target.created,
        matchReason: p.target.reason,
        ...(p.accountId ? { accountId: p.accountId } : {}),
      });
    }
  }
  await recordPeople(bc.db, bc.workspaceId, facts(people, key.kind));
}

/** Company: the mapped Account Name / Lead Company, else `company`, else the email's domain. */
function companyOf(config: OrgConfiguration, fields: Fields, key: string, kind: 'email' | 'phone'): string {
  for (const [object, field] of [
    ['Account', 'Name'],
    ['Lead', 'Company'],
  ] as const) {
    const m = writeMappings(config, object).find((x) => x.targetField === field && x.platformField in fields);
    const v = m ? fields[m.platformField] : undefined;
    if (typeof v === 'string' && v.trim()) return v.trim();
  }
  const company = fields.company;
  if (typeof company === 'string' && company.trim()) return company.trim();
  return kind === 'email' ? (key.split('@')[1] ?? key) : key;
}

async function createAccounts(bc: BatchContext, people: Map<string, Person>): Promise<void> {
  const missing = new Map<string, Person[]>();
  for (const p of people.values()) {
    if (p.target) continue;
    const known = bc.cache.account(p.accountName!);
    if (known) p.accountId = known.id;
    else {
      const list = missing.get(normalizeName(p.accountName!)) ?? [];
      list.push(p);
      missing.set(normalizeName(p.accountName!), list);
    }
  }
  if (missing.size === 0) return;
  const groups = [...missing.values()];
  const records = groups.map((ps) => {
    const owner = ps.flatMap((p) => p.events.map((e) => e.ownerEmail)).find(Boolean);
    const ownerId = owner ? bc.cache.user(owner)?.id : undefined;
    return {
      attributes: { type: 'Account' },
      ...fieldsFor(bc.config, 'Account', ps[0]!.fields, undefined),
      Name: truncate(ps[0]!.accountName!, 255),
      ...(ownerId ? { OwnerId: ownerId } : {}),
    };
  });
  const written = await writeCollections(
    bc.client,
    { method: 'POST', path: '/composite/sobjects', label: 'create.Account' },
    records,
    bc.signal,
  );
  if (written.pause) bc.pause = written.pause;
  groups.forEach((ps, i) => {
    const r = written.results[i];
    if (!r) return;
    if (r.success && r.id) {
      bc.cache.setAccount(ps[0]!.accountName!, {
        id: r.id,
        name: ps[0]!.accountName!,
        ownerId: null,
        reason: 'created Account',
      });
      for (const p of ps) p.accountId = r.id;
    } else
      for (const p of ps)
        for (const e of p.events)
          bc.out.recordError(e.event.seq, withContext(primaryError(r.errors), 'creating the Account'));
  });
}

async function writeBoth(
  bc: BatchContext,
  updates: Record<string, unknown>[],
  creates: Record<string, unknown>[],
  dupHeader: Record<string, string> | undefined,
): Promise<[WriteResults, WriteResults]> {
  const none: WriteResults = { results: [] };
  const updated = updates.length
    ? await writeCollections(
        bc.client,
        {
          method: 'PATCH',
          path: '/composite/sobjects',
          label: 'update.person',
          ...(dupHeader ? { headers: dupHeader } : {}),
        },
        updates,
        bc.signal,
      )
    : none;
  if (updated.pause) bc.pause = updated.pause;
  if (bc.pause) return [updated, { results: creates.map(() => undefined) }];
  const created = creates.length
    ? await writeCollections(
        bc.client,
        {
          method: 'POST',
          path: '/composite/sobjects',
          label: 'create.person',
          ...(dupHeader ? { headers: dupHeader } : {}),
        },
        creates,
        bc.signal,
      )
    : none;
  if (creates.length) await learnDuplicates(bc.client, creates, created, undefined, bc.signal);
  if (created.pause) bc.pause = created.pause;
  return [updated, created];
}

function withContext(err: SalesforceErrorItem, doing: string): SalesforceErrorItem {
  return { ...err, message: `${doing}: ${err.message}` };
}

function settle(
  bc: BatchContext,
  p: Person,
  r: { id: string | null; success: boolean; errors: SalesforceErrorItem[] } | undefined,
  creating: boolean,
): void {
  if (!r) return;
  if (r.success) {
    if (creating && r.id) {
      const type = objectOfId(r.id) === 'Contact' ? 'Contact' : 'Lead';
      p.target = {
        type,
        id: r.id,
        reason: `created ${type} (RecordMode ${bc.config.settings.RecordMode})`,
        created: true,
      };
    }
    return;
  }
  const err = primaryError(r.errors);
  const dup = err.code === 'DUPLICATES_DETECTED' ? err.duplicateIds?.[0] : undefined;
  const dupType = dup ? objectOfId(dup) : undefined;
  if (dup && (dupType === 'Lead' || dupType === 'Contact')) {
    p.target = {
      type: dupType,
      id: dup,
      reason: `attached to duplicate ${dupType} ${dup} found by Salesforce's duplicate rule`,
      created: false,
    };
    return;
  }
  p.target = undefined;
  for (const e of p.events)
    bc.out.recordError(e.event.seq, withContext(err, creating ? 'creating the person' : 'updating the person'));
}

async function addCampaignMembers(
  bc: BatchContext,
  people: Map<string, Person>,
  campaigns: Map<string, string>,
): Promise<void> {
  if (bc.pause) return;
  const members: { p: Person; record: Record<string, unknown> }[] = [];
  for (const p of people.values()) {
    if (!p.target) continue;
    const seen = new Set<string>();
    for (const e of p.events) {
      if (!e.isListMember || bc.out.has(e.event.seq)) continue;
      const campaignId = e.campaignId ?? (e.campaignName ? campaigns.get(normalizeName(e.campaignName)) : undefined);
      if (e.campaignName && !campaignId) {
        bc.out.failed(
          e.event.seq,
          'configuration',
          'CAMPAIGN_NOT_FOUND',
          `no Campaign is named '${e.campaignName}' (the list's campaignName)`,
          'campaignName',
        );
        continue;
      }
      if (!campaignId || seen.has(campaignId)) continue;
      seen.add(campaignId);
      members.push({
        p,
        record: {
          attributes: { type: 'CampaignMember' },
          CampaignId: campaignId,
          [p.target.type === 'Lead' ? 'LeadId' : 'ContactId']: p.target.id,
          Status: 'Sent',
        },
      });
    }
  }
  if (members.length === 0) return;
  const written = await writeCollections(
    bc.client,
    { method: 'POST', path: '/composite/sobjects', label: 'create.CampaignMember' },
    members.map((m) => m.record),
    bc.signal,
  );
  if (written.pause) bc.pause = written.pause;
  members.forEach((m, i) => {
    const r = written.results[i];
    if (!r || r.success) return;
    const err = primaryError(r.errors);
    if (err.code === 'DUPLICATE_VALUE') return; // already a member of the campaign
    for (const e of m.p.events)
      if (e.isListMember && !bc.out.has(e.event.seq))
        bc.out.recordError(e.event.seq, withContext(err, 'adding the campaign member'));
  });
}

function facts(people: Map<string, Person>, kind: 'email' | 'phone'): PersonFact[] {
  const out: PersonFact[] = [];
  for (const p of people.values()) {
    if (kind !== 'email') continue;
    const tags = p.events.flatMap((e) => {
      const t = e.fields.tags;
      return typeof t === 'string'
        ? t
            .split(/[,;]/)
            .map((x) => x.trim())
            .filter(Boolean)
        : [];
    });
    const lastSeen = p.events
      .map((e) => e.fields.lastSeenAt)
      .find((v): v is string => typeof v === 'string' && !Number.isNaN(Date.parse(v)));
    out.push({
      email: p.key,
      ...(p.target
        ? { recordId: p.target.id, recordType: p.target.type, matchReason: p.target.reason, matchedBy: kind }
        : {}),
      ...(p.accountId ? { accountId: p.accountId } : {}),
      lists: p.events.flatMap((e) => (e.listName ? [e.listName] : [])),
      ...(tags.length ? { tags: [...new Set(tags)] } : {}),
      ...(lastSeen ? { lastSeenAt: new Date(lastSeen).toISOString() } : {}),
      ...(p.events.find((e) => e.prospectId) ? { prospectId: p.events.find((e) => e.prospectId)!.prospectId! } : {}),
    });
  }
  return out;
}
