// Bulk API 2.0 ingest jobs (Task upserts, people inserts) for batches above their thresholds. A job
// costs at least five API calls (create, upload, close, one or more state polls, then the result
// files that can hold rows: successful, failed, unprocessed) whatever its size up to 150 MB,
// against one Composite call per 1,000 records (5 Collections × 200): Bulk never saves calls below
// a few thousand records, and Salesforce itself recommends REST below ~2,000. Every result row is
// read back to its record by a key column (the external id, or one the caller names), by column
// name — Salesforce does not promise the input order.
import { errorItems, RetryableError, type SalesforceErrorItem } from '../errors.js';
import type { SalesforceClient } from './client.js';

export interface RecordResult {
  id: string | null;
  success: boolean;
  created?: boolean;
  errors: SalesforceErrorItem[];
}

export interface BulkOptions {
  signal?: AbortSignal;
  /** First wait between state polls; doubles up to maxPollMs (each poll is an API call). */
  pollMs?: number;
  maxPollMs?: number;
  /** Give up waiting (the job goes on in Salesforce; the events are retried and upsert again). */
  timeoutMs?: number;
}

/** RFC 4180 field: quoted when it holds a comma, quote, CR or LF. */
function csvField(value: unknown): string {
  // Bulk API 2.0 leaves a field alone when its cell is empty; `#N/A` sets it to null.
  if (value === null) return '#N/A';
  if (value === undefined) return '';
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(records: readonly Record<string, unknown>[]): { csv: string; columns: string[] } {
  const columns: string[] = [];
  for (const r of records)
    for (const k of Object.keys(r)) if (k !== 'attributes' && !columns.includes(k)) columns.push(k);
  const lines = [columns.join(',')];
  for (const r of records) lines.push(columns.map((c) => csvField(r[c])).join(','));
  return { csv: `${lines.join('\n')}\n`, columns };
}

/** Parses CSV (RFC 4180, as Bulk API 2.0 writes it) into rows keyed by header. */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 1;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  const [header, ...body] = rows.filter((r) => !(r.length === 1 && r[0] === ''));
  if (!header) return [];
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

/**
 * `sf__Error` is `CODE:message:fields`, the fields separated by spaces or commas and closed by
 * ` --` (`REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --`); the message may
 * itself contain colons, so the fields are the part after the last one.
 */
export function parseBulkError(text: string): SalesforceErrorItem {
  const m = /^([A-Z_]+):(.*)$/s.exec(text.trim());
  if (!m) return { code: 'UNKNOWN_EXCEPTION', message: text, fields: [] };
  const rest = m[2]!;
  const last = rest.lastIndexOf(':');
  const tail = last >= 0 ? rest.slice(last + 1).replace(/\s*--\s*$/, '') : '';
  if (last >= 0 && /^[A-Za-z0-9_,\s]*$/.test(tail)) {
    const fields = tail.split(/[\s,]+/).filter(Boolean);
    return { code: m[1]!, message: rest.slice(0, last), fields };
  }
  return { code: m[1]!, message: rest, fields: [] };
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });

/** One ingest job: the object, the operation, and for an upsert the external-id field. */
export interface IngestSpec {
  object: string;
  operation: 'insert' | 'upsert';
  externalIdFieldName?: string;
}

/**
 * What matches a result row back to its record, computed alike from the record sent and from the
 * row's echoed columns (both keyed by field name). Insert jobs have no external id: the caller
 * names a column set unique in its batch (a person's email or phone, an Account's name).
 */
export type RowKey = (row: Readonly<Record<string, unknown>>) => string;

interface JobEnd {
  jobId: string;
  state: string;
  info: Record<string, unknown>;
}

/** Creates the job, uploads the CSV, closes it and polls until it ends. */
async function runJob(client: SalesforceClient, spec: IngestSpec, csv: string, options: BulkOptions): Promise<JobEnd> {
  const signal = options.signal;
  const job = await client.request<{ id: string; state: string }>({
    method: 'POST',
    path: '/jobs/ingest',
    body: {
      object: spec.object,
      operation: spec.operation,
      ...(spec.externalIdFieldName ? { externalIdFieldName: spec.externalIdFieldName } : {}),
      contentType: 'CSV',
      lineEnding: 'LF',
    },
    label: 'bulk.create',
    ...(signal ? { signal } : {}),
  });
  const jobId = job.body.id;
  const base = `/jobs/ingest/${jobId}`;
  await client.request({
    method: 'PUT',
    path: `${base}/batches`,
    body: csv,
    contentType: 'text/csv',
    label: 'bulk.upload',
    ...(signal ? { signal } : {}),
  });
  await client.request({
    method: 'PATCH',
    path: base,
    body: { state: 'UploadComplete' },
    label: 'bulk.close',
    ...(signal ? { signal } : {}),
  });

  let wait = options.pollMs ?? 1000;
  const deadline = Date.now() + (options.timeoutMs ?? 10 * 60_000);
  for (;;) {
    const res = await client.request<Record<string, unknown>>({
      method: 'GET',
      path: base,
      label: 'bulk.poll',
      ...(signal ? { signal } : {}),
    });
    const info = res.body ?? {};
    const state = String(info.state ?? '');
    if (state === 'JobComplete' || state === 'Failed') return { jobId, state, info };
    if (state === 'Aborted') throw new RetryableError(`Bulk API job ${jobId} was aborted`, 'SERVER_UNAVAILABLE');
    if (Date.now() > deadline || signal?.aborted) {
      throw new RetryableError(
        `Bulk API job ${jobId} was still ${state} after the wait; its records will be written again`,
        'TIMEOUT',
      );
    }
    await sleep(wait, signal);
    wait = Math.min(wait * 2, options.maxPollMs ?? 10_000);
  }
}

/**
 * Which result files can hold rows: each download is an API call, and a completed job's counters
 * say when a file is empty (every record processed: no unprocessed rows; none failed: no failed
 * rows). Missing counters, or a failed job, read all three.
 */
function filesToRead(end: JobEnd, total: number): string[] {
  const processed = end.info.numberRecordsProcessed;
  const failed = end.info.numberRecordsFailed;
  if (end.state !== 'JobComplete' || typeof processed !== 'number' || typeof failed !== 'number')
    return ['successfulResults', 'failedResults', 'unprocessedrecords'];
  return [
    ...(processed > failed ? ['successfulResults'] : []),
    ...(failed > 0 ? ['failedResults'] : []),
    ...(processed < total ? ['unprocessedrecords'] : []),
  ];
}

/** A result row as the RecordResult of its record. */
function rowResult(kind: string, row: Record<string, string>, end: JobEnd): RecordResult {
  if (kind === 'successfulResults')
    return { id: row.sf__Id || null, success: true, created: row.sf__Created === 'true', errors: [] };
  if (kind === 'failedResults')
    return { id: row.sf__Id || null, success: false, errors: [parseBulkError(row.sf__Error ?? '')] };
  const error: SalesforceErrorItem =
    end.state === 'Failed'
      ? jobFailure(String(end.info.errorMessage ?? 'no reason given'))
      : { code: 'SERVER_UNAVAILABLE', message: 'not processed by the Bulk API job', fields: [] };
  return { id: null, success: false, errors: [error] };
}

/**
 * Why a failed job left its records unprocessed. A column Salesforce does not know fails the whole
 * job (`InvalidBatch : Field name not found : Nickname__c`) where Collections answer INVALID_FIELD
 * for each record: it is the same configuration fault, quarantined with the field named, not
 * retried. Anything else may pass (an exhausted daily Bulk allocation, an internal error).
 */
export function jobFailure(errorMessage: string): SalesforceErrorItem {
  const message = `the Bulk API job failed: ${errorMessage}`;
  const unknown = /^InvalidBatch\s*:\s*Field name not found\s*:\s*(\S+)/.exec(errorMessage);
  if (unknown) return { code: 'INVALID_FIELD', message, fields: [unknown[1]!] };
  return { code: 'SERVER_UNAVAILABLE', message, fields: [] };
}

/**
 * Runs one Bulk API 2.0 ingest job over `records` (one object); one result per record, in input
 * order, each row matched back by `keyOf`. Records sharing a key take that key's rows in turn.
 */
export async function bulkIngest(
  client: SalesforceClient,
  spec: IngestSpec,
  records: readonly Record<string, unknown>[],
  keyOf: RowKey,
  options: BulkOptions = {},
): Promise<RecordResult[]> {
  const end = await runJob(client, spec, toCsv(records).csv, options);
  const byKey = new Map<string, RecordResult[]>();
  for (const kind of filesToRead(end, records.length)) {
    const res = await client.request<string>({
      method: 'GET',
      path: `/jobs/ingest/${end.jobId}/${kind}`,
      headers: { Accept: 'text/csv' },
      label: `bulk.${kind}`,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    for (const row of typeof res.body === 'string' ? parseCsv(res.body) : []) {
      const key = keyOf(row);
      byKey.set(key, [...(byKey.get(key) ?? []), rowResult(kind, row, end)]);
    }
  }
  return records.map((r) => {
    const result = byKey.get(keyOf(r))?.shift();
    if (result) return result;
    return {
      id: null,
      success: false,
      errors: [{ code: 'UNKNOWN_EXCEPTION', message: 'the Bulk API job reported nothing for this record', fields: [] }],
    };
  });
}

/** A Collections result item (`statusCode` errors) as a RecordResult. */
export function collectionResult(item: unknown): RecordResult {
  const o = (item ?? {}) as { id?: unknown; success?: unknown; created?: unknown; errors?: unknown };
  const result: RecordResult = {
    id: typeof o.id === 'string' ? o.id : null,
    success: o.success === true,
    errors: errorItems(o.errors),
  };
  if (typeof o.created === 'boolean') result.created = o.created;
  return result;
}
