// Bulk API 2.0 jobs: their state and the JobInfo bodies Salesforce answers with. Field sets and
// order follow the Bulk API 2.0 Developer Guide's examples: the create response carries
// `contentUrl`, the state-change (PATCH) response stops at `apiVersion`, and job info adds
// `jobType`, the counters and processing times (`contentUrl` only while the job is Open).
import type { ColumnDelimiter, LineEnding } from './csv.js';
import { formatDateTime } from '../store/values.js';

export type IngestOperation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';
export type QueryOperation = 'query' | 'queryAll';
export type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

interface BaseJob {
  id: string;
  object: string;
  createdById: string;
  createdDate: number;
  systemModstamp: number;
  state: JobState;
  apiVersion: string;
  lineEnding: LineEnding;
  columnDelimiter: ColumnDelimiter;
  numberRecordsProcessed: number;
  retries: number;
  totalProcessingTime: number;
  errorMessage?: string;
}

export interface IngestJob extends BaseJob {
  kind: 'ingest';
  operation: IngestOperation;
  externalIdFieldName?: string;
  /**
   * An injected UNABLE_TO_LOCK_ROW fault hit the request that closed the job: every row fails
   * with it, as rows contending for a locked parent fail in Salesforce.
   */
  lockFault?: boolean;
  assignmentRuleId?: string;
  numberRecordsFailed: number;
  apiActiveProcessingTime: number;
  /** Uploaded CSV (one upload per job). */
  data?: string;
  /** Result CSV bodies (without header), kept as row strings. */
  successRows: string[];
  failedRows: string[];
  unprocessedRows: string[];
  /** Header of the uploaded data, for result files. */
  header: string[];
  /** Indexes of the uploaded columns that named fields (results carry only those). */
  resultColumns: number[];
}

export interface QueryJob extends BaseJob {
  kind: 'query';
  operation: QueryOperation;
  query: string;
  /** Result header line and data lines, filled when the job completes. */
  headerLine?: string;
  lines: string[];
}

export type Job = IngestJob | QueryJob;

export const TERMINAL: ReadonlySet<JobState> = new Set(['JobComplete', 'Failed', 'Aborted']);

/** Salesforce's JobInfo datetime: UTC, whole seconds, `+0000`. */
export function jobDate(ms: number): string {
  return formatDateTime(new Date(Math.floor(ms / 1000) * 1000));
}

function head(job: Job): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: job.createdById,
    createdDate: jobDate(job.createdDate),
    systemModstamp: jobDate(job.systemModstamp),
    state: job.state,
  };
  if (job.kind === 'ingest') {
    if (job.externalIdFieldName) out.externalIdFieldName = job.externalIdFieldName;
    if (job.assignmentRuleId) out.assignmentRuleId = job.assignmentRuleId;
  }
  out.concurrencyMode = 'Parallel';
  out.contentType = 'CSV';
  out.apiVersion = Number(job.apiVersion);
  return out;
}

export function contentUrl(job: IngestJob): string {
  return `services/data/v${job.apiVersion}/jobs/ingest/${job.id}/batches`;
}

/** Body of the create-job response. */
export function createdInfo(job: Job): Record<string, unknown> {
  const out = head(job);
  if (job.kind === 'ingest') out.contentUrl = contentUrl(job);
  out.lineEnding = job.lineEnding;
  out.columnDelimiter = job.columnDelimiter;
  return out;
}

/** Body of the PATCH (UploadComplete / Aborted) response. */
export function patchedInfo(job: Job): Record<string, unknown> {
  return head(job);
}

/** Body of GET job info. */
export function fullInfo(job: Job): Record<string, unknown> {
  const out = head(job);
  if (job.kind === 'ingest') {
    out.jobType = 'V2Ingest';
    if (job.state === 'Open') out.contentUrl = contentUrl(job);
    out.lineEnding = job.lineEnding;
    out.columnDelimiter = job.columnDelimiter;
    if (job.state !== 'Open') {
      out.numberRecordsProcessed = job.numberRecordsProcessed;
      out.numberRecordsFailed = job.numberRecordsFailed;
    }
    if (job.errorMessage) out.errorMessage = job.errorMessage;
    out.retries = job.retries;
    out.totalProcessingTime = job.totalProcessingTime;
    out.apiActiveProcessingTime = job.apiActiveProcessingTime;
    out.apexProcessingTime = 0;
  } else {
    out.jobType = 'V2Query';
    out.lineEnding = job.lineEnding;
    out.columnDelimiter = job.columnDelimiter;
    out.numberRecordsProcessed = job.numberRecordsProcessed;
    if (job.errorMessage) out.errorMessage = job.errorMessage;
    out.retries = job.retries;
    out.totalProcessingTime = job.totalProcessingTime;
    out.isPkChunkingSupported = true;
  }
  return out;
}

/** One entry of GET /jobs/ingest or /jobs/query. */
export function listedInfo(job: Job): Record<string, unknown> {
  const out = head(job);
  out.jobType = job.kind === 'ingest' ? 'V2Ingest' : 'V2Query';
  out.lineEnding = job.lineEnding;
  out.columnDelimiter = job.columnDelimiter;
  return out;
}

/**
 * JSON with `apiVersion` printed as Salesforce prints it (`66.0`, not `66`), which JSON.stringify
 * cannot do for a whole number.
 */
export function jobJson(body: unknown): string {
  return JSON.stringify(body).replace(/"apiVersion":(\d+)(?=[,}])/g, '"apiVersion":$1.0');
}
