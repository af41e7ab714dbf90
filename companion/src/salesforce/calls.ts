// Batched Salesforce calls: queries packed into Composite requests (with paging), and record
// writes through sObject Collections — up to 200 records per Collections subrequest and 5
// Collections per Composite request, so 1,000 records cost one API call — or Bulk API 2.0 above
// the threshold. A failing subrequest affects only its records; a failing call only the records
// it carried; a limit pause stops further calls and leaves the rest unattempted.
import { IntegrationError, LimitPauseError, errorItems, primaryError, type SalesforceErrorItem } from '../errors.js';
import type { SalesforceClient } from './client.js';
import { packComposites, sendComposite, subrequestError, type Subrequest, type SubResponse } from './composite.js';
import { bulkIngest, collectionResult, type IngestSpec, type RecordResult, type RowKey } from './bulk.js';
import { planQueryCalls, sendBatch } from './composite-batch.js';
import { DATA_PATH } from './version.js';

/** Records of a query answer (a Composite subresponse or a plain query body). */
export function queryRecords(body: unknown): { records: unknown[]; nextRecordsUrl: string | null } {
  const b = (body ?? {}) as { records?: unknown[]; done?: boolean; nextRecordsUrl?: string };
  return {
    records: Array.isArray(b.records) ? b.records : [],
    nextRecordsUrl: b.done === false && b.nextRecordsUrl ? b.nextRecordsUrl : null,
  };
}

/** Records per sObject Collections request (Salesforce's limit). */
export const COLLECTION_SIZE = 200;

/**
 * Sends the query subrequests (and any others) in as few calls as the limits allow — one Composite
 * call, or Composite Batch calls of 25 when they need more (composite-batch.ts) — and follows
 * `nextRecordsUrl` of answers Salesforce paged (2,000 rows per page): each page is a call.
 */
export async function runQueries(
  client: SalesforceClient,
  subs: readonly Subrequest[],
  signal?: AbortSignal,
): Promise<Map<string, SubResponse>> {
  const answers = new Map<string, SubResponse>();
  const calls = planQueryCalls(subs);
  for (const group of calls.groups) {
    const sent =
      calls.kind === 'batch'
        ? await sendBatch(client, group, 'lookup', signal)
        : await sendComposite(client, group, 'lookup', signal, { readOnly: group.every((s) => s.method === 'GET') });
    for (const [ref, res] of sent) answers.set(ref, res);
  }
  for (const res of answers.values()) {
    if (res.httpStatusCode !== 200) continue;
    let { nextRecordsUrl } = queryRecords(res.body);
    const all = [...queryRecords(res.body).records];
    while (nextRecordsUrl) {
      const page = await client.request({
        method: 'GET',
        path: nextRecordsUrl,
        label: 'query.more',
        ...(signal ? { signal } : {}),
      });
      const parsed = queryRecords(page.body);
      all.push(...parsed.records);
      nextRecordsUrl = parsed.nextRecordsUrl;
    }
    if (all.length !== queryRecords(res.body).records.length)
      res.body = { totalSize: all.length, done: true, records: all };
  }
  return answers;
}

/**
 * The records of one query subrequest's answer (all pages, after runQueries). A failed or missing
 * answer throws, its message prefixed with what was being asked (`looking up people: …`).
 */
export function answerRecords(answers: Map<string, SubResponse>, referenceId: string, what: string): unknown[] {
  const res = answers.get(referenceId);
  if (!res || res.httpStatusCode !== 200) {
    const e = subrequestError(res);
    throw new IntegrationError(`${what}: ${e.message}`, e.code, res?.httpStatusCode, { fields: e.fields });
  }
  return queryRecords(res.body).records;
}

export interface CollectionWrite {
  method: 'POST' | 'PATCH';
  /** `/composite/sobjects` (create) or `/composite/sobjects/Task/relay__ExternalKey__c` (upsert). */
  path: string;
  headers?: Record<string, string>;
  label: string;
}

export interface WriteResults {
  /** One per record; undefined for records not attempted because of a limit pause. */
  results: (RecordResult | undefined)[];
  pause?: LimitPauseError;
}

function failure(item: SalesforceErrorItem): RecordResult {
  return { id: null, success: false, errors: [item] };
}

function errorItem(error: unknown): SalesforceErrorItem {
  if (error instanceof IntegrationError) return { code: error.code, message: error.message, fields: error.fields };
  return { code: 'UNKNOWN_EXCEPTION', message: error instanceof Error ? error.message : String(error), fields: [] };
}

/** Writes records through Collections subrequests packed into Composite calls. */
export async function writeCollections(
  client: SalesforceClient,
  write: CollectionWrite,
  records: readonly Record<string, unknown>[],
  signal?: AbortSignal,
): Promise<WriteResults> {
  const results: (RecordResult | undefined)[] = new Array(records.length).fill(undefined);
  const subs: Subrequest[] = [];
  const ranges = new Map<string, [number, number]>();
  for (let start = 0, n = 0; start < records.length; start += COLLECTION_SIZE, n += 1) {
    const end = Math.min(records.length, start + COLLECTION_SIZE);
    const referenceId = `w${n}`;
    ranges.set(referenceId, [start, end]);
    subs.push({
      method: write.method,
      url: `${DATA_PATH}${write.path}`,
      referenceId,
      body: { allOrNone: false, records: records.slice(start, end) },
      ...(write.headers ? { httpHeaders: write.headers } : {}),
    });
  }
  for (const group of packComposites(subs)) {
    let answers: Map<string, SubResponse>;
    try {
      answers = await sendComposite(client, group, write.label, signal);
    } catch (error) {
      if (error instanceof LimitPauseError) return { results, pause: error };
      for (const sub of group) {
        const [start, end] = ranges.get(sub.referenceId)!;
        for (let i = start; i < end; i += 1) results[i] = failure(errorItem(error));
      }
      continue;
    }
    for (const sub of group) {
      const [start, end] = ranges.get(sub.referenceId)!;
      const res = answers.get(sub.referenceId);
      if (res && res.httpStatusCode < 300 && Array.isArray(res.body)) {
        const items = res.body as unknown[];
        for (let i = start; i < end; i += 1) results[i] = collectionResult(items[i - start]);
      } else {
        const item = res
          ? subrequestError(res)
          : { code: 'UNKNOWN_EXCEPTION', message: 'no answer for this Collections subrequest', fields: [] };
        for (let i = start; i < end; i += 1) results[i] = failure(item);
      }
    }
  }
  return { results };
}

export interface UpsertOptions {
  /** Above this many records, Bulk API 2.0 instead of Collections. */
  bulkThreshold: number;
  signal?: AbortSignal;
  bulkPollMs?: number;
}

/**
 * Writes records of one object with one Bulk API 2.0 ingest job, answered like writeCollections: a
 * limit pause leaves every record unattempted, any other failure of the job fails each record
 * with it (retried or quarantined by the error table, like a failed Composite call).
 */
export async function writeBulk(
  client: SalesforceClient,
  spec: IngestSpec,
  records: readonly Record<string, unknown>[],
  keyOf: RowKey,
  options: { signal?: AbortSignal; bulkPollMs?: number },
): Promise<WriteResults> {
  try {
    const results = await bulkIngest(client, spec, records, keyOf, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.bulkPollMs ? { pollMs: options.bulkPollMs } : {}),
    });
    return { results };
  } catch (error) {
    if (error instanceof LimitPauseError) return { results: new Array(records.length).fill(undefined), pause: error };
    const item = errorItem(error);
    return { results: records.map(() => failure(item)) };
  }
}

/** Upserts records of one object on an external id, through Collections or Bulk API 2.0. */
export async function upsertRecords(
  client: SalesforceClient,
  object: string,
  externalIdField: string,
  records: readonly Record<string, unknown>[],
  options: UpsertOptions,
): Promise<WriteResults> {
  if (records.length === 0) return { results: [] };
  if (records.length > options.bulkThreshold) {
    const spec: IngestSpec = { object, operation: 'upsert', externalIdFieldName: externalIdField };
    return writeBulk(client, spec, records, (row) => String(row[externalIdField] ?? ''), options);
  }
  return writeCollections(
    client,
    { method: 'PATCH', path: `/composite/sobjects/${object}/${externalIdField}`, label: `upsert.${object}` },
    records,
    options.signal,
  );
}

/**
 * sObject Collections answers DUPLICATES_DETECTED without saying which records matched (the REST
 * API guide's Collections examples carry statusCode, message and fields only); the single-record
 * REST answer carries `duplicateResult`. For the few records a duplicate rule blocked, this sends
 * each once more as a plain create, 25 per Composite call, to learn the duplicates: the results
 * are replaced by what those answers say (the duplicates' ids, or the record created if the
 * duplicate went away meanwhile). Everything else is left alone.
 */
export async function learnDuplicates(
  client: SalesforceClient,
  records: readonly Record<string, unknown>[],
  written: WriteResults,
  headers?: Record<string, string>,
  signal?: AbortSignal,
): Promise<void> {
  const blocked: number[] = [];
  written.results.forEach((r, i) => {
    if (r && !r.success && r.errors.some((e) => e.code === 'DUPLICATES_DETECTED' && !e.duplicateIds?.length))
      blocked.push(i);
  });
  if (blocked.length === 0 || written.pause) return;
  const subs: Subrequest[] = blocked.map((i) => {
    const { attributes, ...fields } = records[i]!;
    const type = (attributes as { type: string }).type;
    return {
      method: 'POST',
      url: `${DATA_PATH}/sobjects/${type}`,
      referenceId: `d${i}`,
      body: fields,
      ...(headers ? { httpHeaders: headers } : {}),
    };
  });
  for (const group of packComposites(subs)) {
    let answers: Map<string, SubResponse>;
    try {
      answers = await sendComposite(client, group, 'duplicates', signal);
    } catch (error) {
      if (error instanceof LimitPauseError) {
        written.pause = error;
        return;
      }
      continue; // keep the Collections answer: the duplicate is reported without its match
    }
    for (const sub of group) {
      const i = Number(sub.referenceId.slice(1));
      const res = answers.get(sub.referenceId);
      if (!res) continue;
      if (res.httpStatusCode < 300) {
        const body = (res.body ?? {}) as { id?: string };
        written.results[i] = { id: body.id ?? null, success: !!body.id, errors: [] };
      } else {
        const items = errorItems(res.body);
        if (items.length > 0) written.results[i] = failure(primaryError(items));
      }
    }
  }
}
