// Steps 2 and 3 of the people sync: one lookup Composite — people by match key (with the mapped
// fields, for PreferSalesforceUnlessBlank), Accounts by company (ContactAccount mode), Campaigns by
// name — and the known people, chosen the way activities choose them (matching.ts): a Contact with
// the key, the Contact a converted Lead became, an open Lead; most recently modified, then lowest Id.
import type { BatchContext } from './batch.js';
import { answerRecords, runQueries } from '../salesforce/calls.js';
import type { Subrequest, SubResponse } from '../salesforce/composite.js';
import { chunkedInQueries, queryUrl } from '../salesforce/soql.js';
import { byRecency, chooseAccount, choosePerson, groupRows, normalizeName, type AccountRow } from './matching.js';
import { normalizeKey, type BatchPerson, type MatchKey, type PersonRow } from './people-events.js';
import { companyOf, fieldsToQuery } from './people-fields.js';

const LEAD_FIELDS = ['Id', 'Email', 'Phone', 'IsConverted', 'ConvertedContactId', 'LastModifiedDate'];
const CONTACT_FIELDS = ['Id', 'Email', 'Phone', 'AccountId', 'LastModifiedDate'];

type Prefix = 'pc' | 'pl' | 'pa' | 'pk';

/** Looks the batch's people up, marks the known ones' targets; the linked Campaigns by name. */
export async function lookUpPeople(
  bc: BatchContext,
  people: Map<string, BatchPerson>,
  key: MatchKey,
): Promise<Map<string, string>> {
  for (const p of people.values()) p.accountName = companyOf(bc.config, p.fields, p.key, key.kind);
  const accountNames =
    bc.config.settings.RecordMode === 'ContactAccount'
      ? [...new Set([...people.values()].map((p) => p.accountName!).filter((n) => bc.cache.account(n) === undefined))]
      : [];
  const subs = lookupQueries(bc, people, key, accountNames);
  const rows = rowsOf(await runQueries(bc.client, subs, bc.signal), subs);
  rememberAccounts(bc, accountNames, rows.pa);
  matchKnown(people, key, rows.pc, rows.pl);
  return campaignsByName(rows.pk);
}

function lookupQueries(
  bc: BatchContext,
  people: Map<string, BatchPerson>,
  key: MatchKey,
  accountNames: string[],
): Subrequest[] {
  const keys = [...people.keys()];
  const keyField = key.kind === 'email' ? 'Email' : 'Phone';
  const contactFields = [...new Set([...CONTACT_FIELDS, ...fieldsToQuery(bc.config, 'Contact')])].join(', ');
  const leadFields = [...new Set([...LEAD_FIELDS, ...fieldsToQuery(bc.config, 'Lead')])].join(', ');
  const campaignNames = [
    ...new Set(
      [...people.values()].flatMap((p) => p.events.map((e) => e.campaignName).filter((n): n is string => !!n)),
    ),
  ];
  const subs: Subrequest[] = [];
  const add = (prefix: Prefix, soqls: string[]) =>
    soqls.forEach((q, i) => subs.push({ method: 'GET', url: queryUrl(q), referenceId: `${prefix}${i}` }));
  add(
    'pc',
    chunkedInQueries(keys, (l) => `SELECT ${contactFields} FROM Contact WHERE ${keyField} IN (${l})`),
  );
  add(
    'pl',
    chunkedInQueries(keys, (l) => `SELECT ${leadFields} FROM Lead WHERE ${keyField} IN (${l})`),
  );
  add(
    'pa',
    chunkedInQueries(
      accountNames,
      (l) => `SELECT Id, Name, OwnerId, LastModifiedDate FROM Account WHERE Name IN (${l})`,
    ),
  );
  add(
    'pk',
    chunkedInQueries(campaignNames, (l) => `SELECT Id, Name, LastModifiedDate FROM Campaign WHERE Name IN (${l})`),
  );
  return subs;
}

function rowsOf(answers: Map<string, SubResponse>, subs: Subrequest[]): Record<Prefix, PersonRow[]> {
  const rows: Record<Prefix, PersonRow[]> = { pc: [], pl: [], pa: [], pk: [] };
  for (const sub of subs)
    rows[sub.referenceId.slice(0, 2) as Prefix].push(
      ...(answerRecords(answers, sub.referenceId, 'looking up people') as PersonRow[]),
    );
  return rows;
}

/** Several Accounts of one name: the same documented choice as activities (chooseAccount). */
function rememberAccounts(bc: BatchContext, accountNames: string[], rows: PersonRow[]): void {
  const accounts = rows.map((r): AccountRow => ({
    Id: r.Id,
    Name: String(r.Name),
    OwnerId: (r.OwnerId as string | null | undefined) ?? null,
    LastModifiedDate: r.LastModifiedDate ?? null,
  }));
  const byName = groupRows(accounts, (r) => normalizeName(r.Name));
  for (const n of accountNames) bc.cache.setAccount(n, chooseAccount(n, byName.get(normalizeName(n)) ?? []));
}

function campaignsByName(rows: PersonRow[]): Map<string, string> {
  const campaigns = new Map<string, string>();
  for (const c of [...rows].sort(byRecency))
    if (!campaigns.has(normalizeName(String(c.Name)))) campaigns.set(normalizeName(String(c.Name)), c.Id);
  return campaigns;
}

/** The known people's targets. The rows are grouped once per batch, not scanned once per person. */
function matchKnown(people: Map<string, BatchPerson>, key: MatchKey, contacts: PersonRow[], leads: PersonRow[]): void {
  const keyField = key.kind === 'email' ? 'Email' : 'Phone';
  const contactsByKey = groupRows(contacts, (r) => normalizeKey(r[keyField], key.kind));
  const leadsByKey = groupRows(leads, (r) => normalizeKey(r[keyField], key.kind));
  const contactsById = groupRows(contacts, (r) => r.Id);
  const leadsById = groupRows(leads, (r) => r.Id);
  for (const p of people.values()) {
    const match = choosePerson(p.key, key.kind, contactsByKey.get(p.key) ?? [], leadsByKey.get(p.key) ?? []);
    if (!match) continue;
    const type = match.kind === 'Lead' ? 'Lead' : 'Contact';
    const current = (type === 'Lead' ? leadsById : contactsById).get(match.whoId)?.[0];
    p.target = { type, id: match.whoId, ...(current ? { current } : {}), reason: match.reason, created: false };
  }
}
