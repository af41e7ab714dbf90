// Bulk API 1.0 jobs and batches: their state, the JobInfo and BatchInfo fields, and running a
// batch. An ingest batch goes through the Bulk API 2.0 column mapping and saves (so both APIs
// agree on every record); a query batch runs the SOQL engine once and keeps the rows for its one
// result. Batches run one after another in the order they were added, Queued → InProgress →
// Completed or Failed; a job stays Open until closed or aborted (Bulk API Developer Guide, JobInfo
// and BatchInfo).
import { IdFactory, checksum } from '../ids.js';
import type { WriteOptions } from '../org.js';
import { JobFailure, mapHeader, prepareRow, saveRows, type BulkOrg } from '../bulk/ingest.js';
import { UnsupportedQuery, checkBulkQuery } from '../bulk/query.js';
import { SoqlError, runSoql } from '../soql/index.js';
import { formatDateTime } from '../store/values.js';
import { BatchDataError, readBatch } from './records.js';
import type { RowResult, Wire } from './wire.js';

export type Operation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete' | 'query' | 'queryAll';
export type ContentType = 'CSV' | 'JSON' | 'XML';
export type JobState = 'Open' | 'Closed' | 'Aborted' | 'Failed';
export type BatchState = 'Queued' | 'InProgress' | 'Completed' | 'Failed' | 'NotProcessed';

/** Most records one batch may carry (Bulk API limits). */
export const MAX_BATCH_RECORDS = 10_000;
/** Most characters of one batch's data. */
export const MAX_BATCH_CHARS = 10_000_000;

export interface QueryResult {
  id: string;
  columns: string[];
  /** Column values per row, as stored (for JSON and XML). */
  values: unknown[][];
  /** Records in the REST shape (for JSON). */
  records: Record<string, unknown>[];
  /** Describe types of the columns, for CSV value formatting. */
  types: (string | undefined)[];
}

export interface Batch {
  id: string;
  jobId: string;
  state: BatchState;
  stateMessage?: string;
  createdDate: number;
  systemModstamp: number;
  numberRecordsProcessed: number;
  numberRecordsFailed: number;
  totalProcessingTime: number;
  /** The request body as sent (`GET …/batch/{id}/request`). */
  request: string;
  results: RowResult[];
  queryResults: QueryResult[];
  /** PK chunking: the Id range this batch reads (lower bound inclusive, upper exclusive). */
  idRange?: [string, string | undefined];
}

export interface Job {
  id: string;
  operation: Operation;
  object: string;
  createdById: string;
  createdDate: number;
  systemModstamp: number;
  state: JobState;
  externalIdFieldName?: string;
  assignmentRuleId?: string;
  concurrencyMode: 'Parallel' | 'Serial';
  contentType: ContentType;
  apiVersion: string;
  batches: Batch[];
  /** PK chunking's chunk size, when `Sforce-Enable-PKChunking` switched it on. */
  pkChunkSize?: number;
  /** Batches run through this chain, one at a time. */
  queue: Promise<void>;
  writeOptions: WriteOptions;
}

/** How the job answers: JSON jobs in JSON, CSV and XML jobs in XML. */
export function wireOf(job: Job): Wire {
  return job.contentType === 'JSON' ? 'JSON' : 'XML';
}

/** Bulk API 1.0 dates: UTC with milliseconds and `Z` (`2009-09-01T16:42:46.000Z`). */
export function asyncDate(ms: number): string {
  return formatDateTime(new Date(Math.floor(ms / 1000) * 1000)).replace(/\+0000$/, 'Z');
}

type Field = [string, string | number | boolean | undefined];

export function jobFields(job: Job): Field[] {
  const count = (s: BatchState) => job.batches.filter((b) => b.state === s).length;
  const sum = (f: (b: Batch) => number) => job.batches.reduce((n, b) => n + f(b), 0);
  const time = sum((b) => b.totalProcessingTime);
  return [
    ['id', job.id],
    ['operation', job.operation],
    ['object', job.object],
    ['createdById', job.createdById],
    ['createdDate', asyncDate(job.createdDate)],
    ['systemModstamp', asyncDate(job.systemModstamp)],
    ['state', job.state],
    ['externalIdFieldName', job.externalIdFieldName],
    ['concurrencyMode', job.concurrencyMode],
    ['contentType', job.contentType],
    ['numberBatchesQueued', count('Queued')],
    ['numberBatchesInProgress', count('InProgress')],
    ['numberBatchesCompleted', count('Completed')],
    ['numberBatchesFailed', count('Failed')],
    ['numberBatchesTotal', job.batches.length],
    ['numberRecordsProcessed', sum((b) => b.numberRecordsProcessed)],
    ['numberRetries', 0],
    ['apiVersion', job.apiVersion],
    ['assignmentRuleId', job.assignmentRuleId],
    ['numberRecordsFailed', sum((b) => b.numberRecordsFailed)],
    ['totalProcessingTime', time],
    ['apiActiveProcessingTime', time],
    ['apexProcessingTime', 0],
  ];
}

export function batchFields(batch: Batch): Field[] {
  return [
    ['id', batch.id],
    ['jobId', batch.jobId],
    ['state', batch.state],
    ['stateMessage', batch.stateMessage],
    ['createdDate', asyncDate(batch.createdDate)],
    ['systemModstamp', asyncDate(batch.systemModstamp)],
    ['numberRecordsProcessed', batch.numberRecordsProcessed],
    ['numberRecordsFailed', batch.numberRecordsFailed],
    ['totalProcessingTime', batch.totalProcessingTime],
    ['apiActiveProcessingTime', batch.totalProcessingTime],
    ['apexProcessingTime', 0],
  ];
}

/** Jobs (key prefix 750), batches (751) and query results (752) of one emulator. */
export class JobBook {
  private readonly jobs = new Map<string, Job>();
  // Another pod than Bulk API 2.0's job store, so ids of the two APIs never coincide.
  readonly ids = new IdFactory('5h');

  add(job: Job): void {
    this.jobs.set(job.id, job);
  }

  get(id: string): Job | undefined {
    return this.jobs.get(id) ?? (id.length === 15 ? this.jobs.get(id + checksum(id)) : undefined);
  }

  batch(job: Job, id: string): Batch | undefined {
    return job.batches.find((b) => b.id === id || b.id.slice(0, 15) === id);
  }
}

function fail(batch: Batch, message: string, clock: () => number): void {
  batch.state = 'Failed';
  batch.stateMessage = message;
  batch.systemModstamp = clock();
}

function runIngest(job: Job, batch: Batch, org: BulkOrg): void {
  const data = readBatch(job.contentType, batch.request);
  if (data.rows.length > MAX_BATCH_RECORDS)
    throw new JobFailure(`InvalidBatch : Records in a batch may not exceed ${MAX_BATCH_RECORDS}`);
  const obj = org.soql.describe(job.object)!;
  const columns = mapHeader(job.operation, obj, org.soql, data.header);
  const has = (name: string) =>
    columns.some((c) => c.kind === 'field' && c.field.name.toLowerCase() === name.toLowerCase());
  if (data.rows.length > 0 && ['update', 'delete', 'hardDelete'].includes(job.operation) && !has('Id'))
    throw new JobFailure('InvalidBatch : Field name not found : Id');
  const ext = job.externalIdFieldName;
  if (data.rows.length > 0 && job.operation === 'upsert' && ext && ext !== 'Id' && !has(ext))
    throw new JobFailure(`InvalidBatch : Field name not found : ${ext}`);
  const prepared = data.rows.map((cells) => prepareRow(cells, columns, org.soql));
  batch.results = saveRows(job.operation, job.object, ext, org, prepared, job.writeOptions).map((o) =>
    o.error ? { id: o.id, success: false, created: false, error: o.error } : o,
  );
  batch.numberRecordsProcessed = batch.results.length;
  batch.numberRecordsFailed = batch.results.filter((r) => !r.success).length;
}

function runQuery(job: Job, batch: Batch, org: BulkOrg, results: IdFactory, now: Date): void {
  const soql = batch.request.trim();
  checkBulkQuery(soql);
  const run = runSoql(soql, org.soql, {
    includeDeleted: job.operation === 'queryAll',
    apiVersion: job.apiVersion,
    now,
  });
  const keep: number[] = [];
  run.rows.forEach((row, i) => {
    const id = String(row.Id ?? '');
    const [low, high] = batch.idRange ?? ['', undefined];
    if (id >= low && (high === undefined || id < high)) keep.push(i);
  });
  const types = run.columns.map((c) => columnType(org, job.object, c));
  batch.queryResults = [
    {
      id: results.next('752'),
      columns: run.columns,
      values: keep.map((i) => run.columns.map((_, c) => run.column(run.rows[i]!, c))),
      records: keep.map((i) => run.records[i]!),
      types,
    },
  ];
  batch.numberRecordsProcessed = keep.length;
}

/** Describe type of a dotted column (`Account.Name`), for value formatting in CSV. */
function columnType(org: BulkOrg, object: string, column: string): string | undefined {
  const parts = column.split('.');
  let obj = org.soql.describe(object);
  for (let i = 0; i < parts.length - 1 && obj; i++) {
    const rel = [...obj.fields.values()].find((f) => f.relationshipName?.toLowerCase() === parts[i]!.toLowerCase());
    obj = rel?.referenceTo?.length === 1 ? org.soql.describe(rel.referenceTo[0]!) : undefined;
  }
  return obj?.fields.get(parts[parts.length - 1]!.toLowerCase())?.type;
}

/** Runs one batch to Completed or Failed (an aborted job's queued batches stay NotProcessed). */
export function runBatch(job: Job, batch: Batch, org: BulkOrg, results: IdFactory, clock: () => number): void {
  if (batch.state !== 'Queued') return;
  const started = Date.now();
  batch.state = 'InProgress';
  try {
    if (job.operation === 'query' || job.operation === 'queryAll')
      runQuery(job, batch, org, results, new Date(clock()));
    else runIngest(job, batch, org);
    batch.state = 'Completed';
  } catch (e) {
    if (e instanceof JobFailure || e instanceof BatchDataError) fail(batch, messageOf(e), clock);
    else if (e instanceof SoqlError)
      fail(batch, `InvalidBatch : Failed to process query: ${e.errorCode}: ${e.message}`, clock);
    else if (e instanceof UnsupportedQuery) fail(batch, `InvalidBatch : Failed to process query: ${e.message}`, clock);
    else throw e;
  }
  batch.totalProcessingTime = Date.now() - started;
  batch.systemModstamp = clock();
}

function messageOf(e: Error): string {
  return e instanceof BatchDataError ? `InvalidBatch : ${e.message}` : e.message;
}
