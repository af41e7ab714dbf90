// Steps 2 and 3 of the people sync: one lookup Composite — people by match key (with the mapped
// fields, for PreferSalesforceUnlessBlank), Accounts by company (ContactAccount mode), Campaigns by
// name — and the known people, chosen the way activities choose them (matching.ts): a Contact with
// the key, the Contact a converted Lead became, an open Lead; most recently modified, then lowest Id.
// The match cache is read once per company, here; the Accounts decided go into the batch's own
// decisions (batch-matches.ts), which the writes read. The coverage rule holds as for activities: a
// person or company that no complete answer covered is undecided, and its events are retried
// (LOOKUP_INCOMPLETE) — never created as new, never given a new Account.
import type { BatchContext } from './batch.js';
import { isComplete } from './batch-matches.js';
import { answerRecords, runQueries } from '../salesforce/calls.js';
import type { Subrequest, SubResponse } from '../salesforce/composite.js';
import { chunkedInLists, queryUrl } from '../salesforce/soql.js';
import { byRecency, chooseAccount, choosePerson, groupRows, normalizeName, type AccountRow } from './matching.js';
import { lookupIncomplete, normalizeKey, type BatchPerson, type MatchKey, type PersonRow } from './people-events.js';
import { companyOf, fieldsToQuery } from './people-fields.js';

// LastModifiedDate and LastModifiedById also tell the conflict log when Salesforce last changed a
// person and whether that was Relay's own write (src/conflicts/), at no extra call.
const LEAD_FIELDS = [
  'Id',
  'Email',
  'Phone',
  'IsConverted',
  'ConvertedContactId',
  'LastModifiedDate',
  'LastModifiedById',
];
const CONTACT_FIELDS = ['Id', 'Email', 'Phone', 'AccountId', 'LastModifiedDate', 'LastModifiedById'];

type Prefix = 'pc' | 'pl' | 'pa' | 'pk';

/** One lookup query and the values of its `IN` list: what a complete answer to it covers. */
interface PeopleQuery {
  sub: Subrequest;
  values: string[];
}

/** The rows answered, and the values complete answers covered, per kind of query. */
interface PeopleAnswers {
  rows: Record<Prefix, PersonRow[]>;
  covered: Record<Prefix, Set<string>>;
}

/** Looks the batch's people up, marks the known ones' targets; the linked Campaigns by name. */
export async function lookUpPeople(
  bc: BatchContext,
  people: Map<string, BatchPerson>,
  key: MatchKey,
): Promise<Map<string, string>> {
  for (const p of people.values()) p.accountName = companyOf(bc.config, p.fields, p.key, key.kind);
  const accountNames = bc.config.settings.RecordMode === 'ContactAccount' ? accountsToLookUp(bc, people) : [];
  const queries = lookupQueries(bc, people, key, accountNames);
  const subs = queries.map((q) => q.sub);
  const answers = answersOf(await runQueries(bc.client, subs, bc.signal), queries);
  decideAccounts(bc, accountNames, answers);
  matchKnown(bc, people, key, answers);
  return campaignsByName(answers.rows.pk);
}

/**
 * The companies the batch has no decision for: the cache is read once per company, and what it
 * knows becomes the batch's decision; the rest is looked up.
 */
function accountsToLookUp(bc: BatchContext, people: Map<string, BatchPerson>): string[] {
  const wanted = new Map<string, string>();
  const now = Date.now();
  for (const p of people.values()) {
    const name = p.accountName!;
    if (bc.matches.account(name) !== undefined || wanted.has(normalizeName(name))) continue;
    const cached = bc.cache.account(name, now);
    if (cached === undefined) wanted.set(normalizeName(name), name);
    else bc.matches.setAccount(name, cached);
  }
  return [...wanted.values()];
}

function lookupQueries(
  bc: BatchContext,
  people: Map<string, BatchPerson>,
  key: MatchKey,
  accountNames: string[],
): PeopleQuery[] {
  const keys = [...people.keys()];
  const keyField = key.kind === 'email' ? 'Email' : 'Phone';
  const contactFields = [...new Set([...CONTACT_FIELDS, ...fieldsToQuery(bc.config, 'Contact')])].join(', ');
  const leadFields = [...new Set([...LEAD_FIELDS, ...fieldsToQuery(bc.config, 'Lead')])].join(', ');
  const campaignNames = [
    ...new Set(
      [...people.values()].flatMap((p) => p.events.map((e) => e.campaignName).filter((n): n is string => !!n)),
    ),
  ];
  const queries: PeopleQuery[] = [];
  const add = (prefix: Prefix, values: string[], render: (inList: string) => string) =>
    chunkedInLists(values, render).forEach((q, i) =>
      queries.push({ values: q.values, sub: { method: 'GET', url: queryUrl(q.soql), referenceId: `${prefix}${i}` } }),
    );
  add('pc', keys, (l) => `SELECT ${contactFields} FROM Contact WHERE ${keyField} IN (${l})`);
  add('pl', keys, (l) => `SELECT ${leadFields} FROM Lead WHERE ${keyField} IN (${l})`);
  add('pa', accountNames, (l) => `SELECT Id, Name, OwnerId, LastModifiedDate FROM Account WHERE Name IN (${l})`);
  add('pk', campaignNames, (l) => `SELECT Id, Name, LastModifiedDate FROM Campaign WHERE Name IN (${l})`);
  return queries;
}

/** A failed query fails the batch (as activities' lookups do); a complete answer covers its values. */
function answersOf(answers: Map<string, SubResponse>, queries: PeopleQuery[]): PeopleAnswers {
  const rows: Record<Prefix, PersonRow[]> = { pc: [], pl: [], pa: [], pk: [] };
  const covered: Record<Prefix, Set<string>> = { pc: new Set(), pl: new Set(), pa: new Set(), pk: new Set() };
  for (const { sub, values } of queries) {
    const prefix = sub.referenceId.slice(0, 2) as Prefix;
    rows[prefix].push(...(answerRecords(answers, sub.referenceId, 'looking up people') as PersonRow[]));
    if (isComplete(answers.get(sub.referenceId))) for (const v of values) covered[prefix].add(v);
  }
  return { rows, covered };
}

/**
 * The Accounts of the companies looked up, into the batch's decisions and the cache; several of
 * one name: the same documented choice as activities (chooseAccount). A company no complete
 * answer covered stays undecided.
 */
function decideAccounts(bc: BatchContext, accountNames: string[], { rows, covered }: PeopleAnswers): void {
  const accounts = rows.pa.map((r): AccountRow => ({
    Id: r.Id,
    Name: String(r.Name),
    OwnerId: (r.OwnerId as string | null | undefined) ?? null,
    LastModifiedDate: r.LastModifiedDate ?? null,
  }));
  const byName = groupRows(accounts, (r) => normalizeName(r.Name));
  for (const n of accountNames) {
    if (!covered.pa.has(n)) continue;
    const match = chooseAccount(n, byName.get(normalizeName(n)) ?? []);
    bc.matches.setAccount(n, match);
    bc.cache.setAccount(n, match);
  }
}

function campaignsByName(rows: PersonRow[]): Map<string, string> {
  const campaigns = new Map<string, string>();
  for (const c of [...rows].sort(byRecency))
    if (!campaigns.has(normalizeName(String(c.Name)))) campaigns.set(normalizeName(String(c.Name)), c.Id);
  return campaigns;
}

/**
 * The known people's targets; a person whose Contact or Lead query was not answered completely is
 * retried, never taken for new. The rows are grouped once per batch, not scanned once per person.
 */
function matchKnown(bc: BatchContext, people: Map<string, BatchPerson>, key: MatchKey, answers: PeopleAnswers): void {
  const { pc: contacts, pl: leads } = answers.rows;
  const keyField = key.kind === 'email' ? 'Email' : 'Phone';
  const contactsByKey = groupRows(contacts, (r) => normalizeKey(r[keyField], key.kind));
  const leadsByKey = groupRows(leads, (r) => normalizeKey(r[keyField], key.kind));
  const contactsById = groupRows(contacts, (r) => r.Id);
  const leadsById = groupRows(leads, (r) => r.Id);
  for (const p of people.values()) {
    if (!answers.covered.pc.has(p.key) || !answers.covered.pl.has(p.key)) {
      lookupIncomplete(bc, p, p.key);
      continue;
    }
    const match = choosePerson(p.key, key.kind, contactsByKey.get(p.key) ?? [], leadsByKey.get(p.key) ?? []);
    if (!match) continue;
    const type = match.kind === 'Lead' ? 'Lead' : 'Contact';
    const current = (type === 'Lead' ? leadsById : contactsById).get(match.whoId)?.[0];
    p.target = { type, id: match.whoId, ...(current ? { current } : {}), reason: match.reason, created: false };
  }
}
