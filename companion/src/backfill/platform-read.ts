// Reading one page of a to-platform backfill from its cursor: Contacts, then Leads, in Id order, so
// the last Id read is a cursor that survives anything (a query cursor expires after 15 idle minutes,
// the Id does not). Below the Bulk threshold a page is a query page of `pageSize` records (the first
// one `SELECT … WHERE Id > :lastId ORDER BY Id`, the next ones its nextRecordsUrl); above it, one
// Bulk API 2.0 query job per object, whose results are read a page at a time by locator.
import { IntegrationError, RetryableError } from '../errors.js';
import type { SalesforceClient } from '../salesforce/client.js';
import { parseCsv } from '../salesforce/bulk.js';
import { encodeQueryParam } from '../salesforce/soql.js';
import { to18 } from '../salesforce/ids.js';
import type { OrgConfiguration } from '../sync/settings.js';
import { PERSON_OBJECTS, type PersonObject } from '../reverse/fields.js';
import { selectList } from '../reverse/read.js';
import type { ChangedRow } from '../reverse/decide.js';
import { afterClause, type PlatformTuning } from './platform-plan.js';
import type { PlatformCursor, Spent } from './runs.js';

export interface Page {
  object: PersonObject;
  rows: ChangedRow[];
  /** Where the next page starts. */
  cursor: PlatformCursor;
  spent: Spent;
}

export const START: PlatformCursor = { object: 'Contact', lastId: null, nextUrl: null, jobId: null, locator: null };

/** The cursor after an object was read to its end. */
function nextObject(object: PersonObject): PlatformCursor {
  const next = PERSON_OBJECTS[PERSON_OBJECTS.indexOf(object) + 1] ?? null;
  return { object: next, lastId: null, nextUrl: null, jobId: null, locator: null };
}

const soqlOf = (config: OrgConfiguration, object: PersonObject, afterId: string | null) =>
  `SELECT ${selectList(config, object)} FROM ${object}${afterClause(afterId)} ORDER BY Id`;

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });

function lastIdOf(rows: readonly ChangedRow[], fallback: string | null): string | null {
  return rows.length > 0 ? to18(rows[rows.length - 1]!.Id) : fallback;
}

/** One query page (a call). An expired queryMore cursor starts a new query from the last Id. */
async function queryPage(
  client: SalesforceClient,
  config: OrgConfiguration,
  cursor: PlatformCursor & { object: PersonObject },
  tuning: PlatformTuning,
  signal?: AbortSignal,
): Promise<Page> {
  const object = cursor.object;
  const path = cursor.nextUrl ?? `/query?q=${encodeQueryParam(soqlOf(config, object, cursor.lastId))}`;
  let body: { records?: ChangedRow[]; done?: boolean; nextRecordsUrl?: string };
  try {
    body = (
      await client.request<typeof body>({
        method: 'GET',
        path,
        headers: { 'Sforce-Query-Options': `batchSize=${tuning.pageSize}` },
        label: 'backfill.query',
        ...(signal ? { signal } : {}),
      })
    ).body;
  } catch (error) {
    if (cursor.nextUrl && error instanceof IntegrationError && error.code === 'INVALID_QUERY_LOCATOR')
      return queryPage(client, config, { ...cursor, nextUrl: null }, tuning, signal);
    throw error;
  }
  const rows = body.records ?? [];
  const spent = { apiCalls: 1, bulkJobs: 0 };
  if (body.done === false && body.nextRecordsUrl) {
    const lastId = lastIdOf(rows, cursor.lastId);
    return { object, rows, spent, cursor: { ...cursor, lastId, nextUrl: body.nextRecordsUrl } };
  }
  return { object, rows, spent, cursor: nextObject(object) };
}

/** Creates the object's Bulk query job and waits for it (each state check is a call). */
async function startJob(
  client: SalesforceClient,
  config: OrgConfiguration,
  cursor: PlatformCursor & { object: PersonObject },
  tuning: PlatformTuning,
  signal?: AbortSignal,
): Promise<{ jobId: string; calls: number }> {
  const created = await client.request<{ id: string }>({
    method: 'POST',
    path: '/jobs/query',
    body: { operation: 'query', query: soqlOf(config, cursor.object, cursor.lastId) },
    label: 'backfill.bulk.create',
    ...(signal ? { signal } : {}),
  });
  const jobId = created.body.id;
  let calls = 1;
  let wait = tuning.bulkPollMs;
  for (;;) {
    // The job runs in Salesforce meanwhile: a check before it could be done is a call wasted.
    await sleep(wait, signal);
    if (signal?.aborted) throw new RetryableError('the backfill was stopped', 'CANCELLED');
    const info = await client.request<{ state?: string; errorMessage?: string }>({
      method: 'GET',
      path: `/jobs/query/${jobId}`,
      label: 'backfill.bulk.poll',
      ...(signal ? { signal } : {}),
    });
    calls += 1;
    const state = info.body.state;
    if (state === 'JobComplete') return { jobId, calls };
    if (state === 'Failed' || state === 'Aborted')
      throw new RetryableError(
        `Bulk query job ${jobId} ${state}: ${info.body.errorMessage ?? 'no reason given'}`,
        'BULK_JOB_FAILED',
      );
    wait = Math.min(wait * 2, 30_000);
  }
}

/** Bulk CSV cells are text, an empty cell a null. */
function rowOf(csv: Record<string, string>): ChangedRow {
  const row: ChangedRow = { Id: csv.Id ?? '' };
  for (const [k, v] of Object.entries(csv)) if (k !== 'Id') row[k] = v === '' ? null : v;
  return row;
}

/** One page of the object's Bulk query results (a call; the job is created first when none is open). */
async function bulkPage(
  client: SalesforceClient,
  config: OrgConfiguration,
  cursor: PlatformCursor & { object: PersonObject },
  tuning: PlatformTuning,
  signal?: AbortSignal,
): Promise<Page> {
  const object = cursor.object;
  const spent = { apiCalls: 0, bulkJobs: 0 };
  let jobId = cursor.jobId;
  if (!jobId) {
    const started = await startJob(client, config, cursor, tuning, signal);
    jobId = started.jobId;
    spent.apiCalls += started.calls;
    spent.bulkJobs += 1;
  }
  const query = new URLSearchParams({ maxRecords: String(tuning.bulkPageSize) });
  if (cursor.locator) query.set('locator', cursor.locator);
  const res = await client.request<string>({
    method: 'GET',
    path: `/jobs/query/${jobId}/results?${query}`,
    headers: { Accept: 'text/csv' },
    label: 'backfill.bulk.results',
    ...(signal ? { signal } : {}),
  });
  spent.apiCalls += 1;
  const rows = (typeof res.body === 'string' ? parseCsv(res.body) : []).map(rowOf);
  const locator = res.headers['sforce-locator'];
  if (locator && locator !== 'null') {
    return { object, rows, spent, cursor: { ...cursor, lastId: lastIdOf(rows, cursor.lastId), jobId, locator } };
  }
  return { object, rows, spent, cursor: nextObject(object) };
}

/** The next page from `cursor`, read the way the plan chose for its object. */
export function readPage(
  client: SalesforceClient,
  config: OrgConfiguration,
  cursor: PlatformCursor & { object: PersonObject },
  method: 'query' | 'bulk',
  tuning: PlatformTuning,
  signal?: AbortSignal,
): Promise<Page> {
  return method === 'bulk'
    ? bulkPage(client, config, cursor, tuning, signal)
    : queryPage(client, config, cursor, tuning, signal);
}

export { nextObject };
