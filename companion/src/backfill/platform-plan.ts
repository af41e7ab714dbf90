// What a to-platform backfill costs, from two counts: one Composite call carrying `SELECT COUNT()` of
// the Contacts and the Leads still to read (those after the cursor) and the org's configuration
// queries (the mappings choose the fields announced). Each object is then read in pages of 2,000
// (the first page a query, the next ones queryMore: one call each), or, above the Bulk threshold,
// with one Bulk API 2.0 query job: create, one state check, one call per results page.
import { describeSubrequests, readDescribes, type PersonFieldFacts } from '../reverse/platform-describe.js';
import type { SalesforceClient } from '../salesforce/client.js';
import type { Subrequest } from '../salesforce/composite.js';
import { runQueries } from '../salesforce/calls.js';
import { queryUrl, soqlString } from '../salesforce/soql.js';
import type { Engine } from '../sync/engine.js';
import type { OrgConfiguration } from '../sync/settings.js';
import type { Workspace } from '../workspaces/types.js';
import { PERSON_OBJECTS, type PersonObject } from '../reverse/fields.js';
import { estimateSeconds } from './estimate.js';
import type { PlatformCursor } from './runs.js';

export interface PlatformTuning {
  /** Records per query page (Salesforce answers 200–2,000). */
  pageSize: number;
  /** Above this many records of an object, one Bulk API 2.0 query job reads them. */
  bulkThreshold: number;
  /** Records per Bulk results page (maxRecords). */
  bulkPageSize: number;
  /** First wait before a Bulk job's state is checked (each check is a call). */
  bulkPollMs: number;
}

export const DEFAULT_PLATFORM_TUNING: PlatformTuning = {
  pageSize: 2_000,
  bulkThreshold: 50_000,
  bulkPageSize: 50_000,
  bulkPollMs: 2_000,
};

export interface ObjectPlan {
  object: PersonObject;
  records: number;
  method: 'query' | 'bulk' | 'none';
  apiCalls: number;
  bulkJobs: number;
}

export interface PlatformPlan {
  direction: 'to-platform';
  objects: ObjectPlan[];
  records: number;
  /** Every call the backfill spends, the counting call included. */
  apiCalls: number;
  bulkJobs: number;
  estimatedSeconds: number;
}

/** The calls reading `records` of one object cost. */
export function planObject(object: PersonObject, records: number, tuning: PlatformTuning): ObjectPlan {
  if (records === 0) return { object, records, method: 'none', apiCalls: 0, bulkJobs: 0 };
  if (records > tuning.bulkThreshold) {
    const pages = Math.ceil(records / tuning.bulkPageSize);
    return { object, records, method: 'bulk', apiCalls: 2 + pages, bulkJobs: 1 };
  }
  return { object, records, method: 'query', apiCalls: Math.ceil(records / tuning.pageSize), bulkJobs: 0 };
}

export function planFromCounts(counts: Map<PersonObject, number>, tuning: PlatformTuning): PlatformPlan {
  const objects = PERSON_OBJECTS.map((o) => planObject(o, counts.get(o) ?? 0, tuning));
  const apiCalls = 1 + objects.reduce((n, o) => n + o.apiCalls, 0);
  const bulkJobs = objects.reduce((n, o) => n + o.bulkJobs, 0);
  return {
    direction: 'to-platform',
    objects,
    records: objects.reduce((n, o) => n + o.records, 0),
    apiCalls,
    bulkJobs,
    estimatedSeconds: estimateSeconds(apiCalls, bulkJobs),
  };
}

/** Objects still to read from the cursor on, each with the Id after which its records remain. */
export function remaining(cursor: PlatformCursor): { object: PersonObject; afterId: string | null }[] {
  if (cursor.object === null) return [];
  const from = PERSON_OBJECTS.indexOf(cursor.object);
  return PERSON_OBJECTS.slice(from).map((object, i) => ({ object, afterId: i === 0 ? cursor.lastId : null }));
}

export const afterClause = (afterId: string | null) => (afterId ? ` WHERE Id > ${soqlString(afterId)}` : '');

/**
 * One call: the configuration (applied to the engine's copy) and the count of what remains to read.
 * Returns the counts and the configuration.
 */
export async function countRemaining(
  engine: Engine,
  workspace: Workspace,
  client: SalesforceClient,
  cursor: PlatformCursor,
  signal?: AbortSignal,
): Promise<{ counts: Map<PersonObject, number>; config: OrgConfiguration; facts: PersonFieldFacts }> {
  const todo = remaining(cursor);
  const counts: Subrequest[] = todo.map(({ object, afterId }) => ({
    method: 'GET',
    url: queryUrl(`SELECT COUNT() FROM ${object}${afterClause(afterId)}`),
    referenceId: `count${object}`,
  }));
  // The describes the platform's value rules need ride along (not queries: still one call).
  const answers = await runQueries(
    client,
    [...engine.configs.subrequests(), ...counts, ...describeSubrequests()],
    signal,
  );
  const config = await engine.applyConfiguration(workspace.id, client, answers);
  const out = new Map<PersonObject, number>();
  for (const { object } of todo) {
    const res = answers.get(`count${object}`);
    const total = (res?.body as { totalSize?: unknown } | undefined)?.totalSize;
    if (res?.httpStatusCode !== 200 || typeof total !== 'number')
      throw new Error(`counting ${object} records failed (HTTP ${res?.httpStatusCode ?? 'no answer'})`);
    out.set(object, total);
  }
  return { counts: out, config, facts: readDescribes(answers) };
}
