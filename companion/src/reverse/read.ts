// Reading the records a detection reported, in batched SOQL: `SELECT … FROM Contact WHERE Id IN (…)`
// through queryAll (deleted records included, so a record deleted and restored between two polls is
// told apart from one that is gone), as Composite query subrequests — 5 per API call, each `IN` list
// as long as the URI limit allows (~600 ids) — so one call reads about 3,000 changed records. A poll
// cycle sends at most `maxCalls` such calls; ids not read stay pending for the next cycle.
import type { SalesforceClient } from '../salesforce/client.js';
import { MAX_QUERY_OR_COLLECTION_SUBREQUESTS, type Subrequest, type SubResponse } from '../salesforce/composite.js';
import { MAX_QUERY_URL_BYTES, encodeQueryParam, soqlString } from '../salesforce/soql.js';
import { DATA_PATH } from '../salesforce/version.js';
import { answerRecords, runQueries } from '../salesforce/calls.js';
import { readableFields, type PersonObject } from './fields.js';
import type { ChangedRow } from './decide.js';
import type { PendingRecord } from './store.js';
import type { OrgConfiguration } from '../sync/settings.js';
import { to18 } from '../salesforce/ids.js';

/** What every read needs besides the mapped fields: who changed it when, and the email for tags. */
const SYSTEM = [
  'Id',
  'IsDeleted',
  'CreatedDate',
  'CreatedById',
  'LastModifiedDate',
  'LastModifiedById',
  'SystemModstamp',
  'Email',
];

export function selectList(config: OrgConfiguration, object: PersonObject): string {
  const names = new Map(SYSTEM.map((f) => [f.toLowerCase(), f]));
  for (const f of readableFields(config, object)) if (!names.has(f.toLowerCase())) names.set(f.toLowerCase(), f);
  return [...names.values()].join(', ');
}

const queryAllUrl = (soql: string) => `${DATA_PATH}/queryAll?q=${encodeQueryParam(soql)}`;

export interface ReadPlan {
  subrequests: Subrequest[];
  /** The pending records the subrequests cover (the rest waits for the next cycle). */
  covered: PendingRecord[];
}

/** Query subrequests for the pending records, at most `maxQueries` of them. */
export function planReads(config: OrgConfiguration, pending: readonly PendingRecord[], maxQueries: number): ReadPlan {
  const subrequests: Subrequest[] = [];
  const covered: PendingRecord[] = [];
  for (const object of ['Contact', 'Lead'] as const) {
    const mine = pending.filter((p) => p.object === object);
    const render = (list: string) => `SELECT ${selectList(config, object)} FROM ${object} WHERE Id IN (${list})`;
    // Ids are 18 plain characters: each costs its quotes and a comma in the (compactly) encoded URL.
    const fixed = Buffer.byteLength(queryAllUrl(render('')));
    const perQuery = Math.max(1, Math.floor((MAX_QUERY_URL_BYTES - fixed) / (18 + 3)));
    for (let i = 0; i < mine.length && subrequests.length < maxQueries; i += perQuery) {
      const chunk = mine.slice(i, i + perQuery);
      subrequests.push({
        method: 'GET',
        url: queryAllUrl(render(chunk.map((p) => soqlString(p.recordId)).join(','))),
        referenceId: `read${subrequests.length}`,
      });
      covered.push(...chunk);
    }
  }
  return { subrequests, covered };
}

/**
 * Sends the plan (⌈queries / 5⌉ calls) and returns the rows by 18-character id. `extra`
 * subrequests (describes) ride in the same Composite calls; their answers come back by reference id.
 */
export async function readRecords(
  client: SalesforceClient,
  plan: ReadPlan,
  signal?: AbortSignal,
  extra: readonly Subrequest[] = [],
): Promise<{ rows: Map<string, ChangedRow>; extra: Map<string, SubResponse> }> {
  const rows = new Map<string, ChangedRow>();
  if (plan.subrequests.length === 0) return { rows, extra: new Map() };
  const answers = await runQueries(client, [...plan.subrequests, ...extra], signal);
  for (const sub of plan.subrequests) {
    for (const r of answerRecords(answers, sub.referenceId, 'reading changed records') as ChangedRow[])
      rows.set(to18(r.Id), r);
  }
  return {
    rows,
    extra: new Map(
      extra.flatMap((sub) => (answers.has(sub.referenceId) ? [[sub.referenceId, answers.get(sub.referenceId)!]] : [])),
    ),
  };
}

/** Reads per cycle: `maxCalls` Composite calls of 5 queries each. */
export const queriesFor = (maxCalls: number) => Math.max(1, maxCalls) * MAX_QUERY_OR_COLLECTION_SUBREQUESTS;
