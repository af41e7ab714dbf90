// Bulk API 2.0 upsert for batches above the configured threshold. A job costs at least seven API
// calls (create, upload, close, one or more state polls, successful / failed / unprocessed
// results) whatever its size up to 150 MB, against one Composite call per 1,000 records
// (5 Collections × 200): Bulk pays off from about 7,000 records, and Salesforce itself recommends
// REST below ~2,000. Every result row is read back to its record by the external-id column, by
// column name — Salesforce does not promise the input order.
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

/** Upserts `records` of `object` on `externalIdField`; one result per record, in input order. */
export async function bulkUpsert(
  client: SalesforceClient,
  object: string,
  externalIdField: string,
  records: readonly Record<string, unknown>[],
  options: BulkOptions = {},
): Promise<RecordResult[]> {
  const { csv } = toCsv(records);
  const signal = options.signal;
  const job = await client.request<{ id: string; state: string }>({
    method: 'POST',
    path: '/jobs/ingest',
    body: { object, operation: 'upsert', externalIdFieldName: externalIdField, contentType: 'CSV', lineEnding: 'LF' },
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
  let state = 'UploadComplete';
  let info: Record<string, unknown> = {};
  for (;;) {
    const res = await client.request<Record<string, unknown>>({
      method: 'GET',
      path: base,
      label: 'bulk.poll',
      ...(signal ? { signal } : {}),
    });
    info = res.body ?? {};
    state = String(info.state ?? '');
    if (state === 'JobComplete' || state === 'Failed' || state === 'Aborted') break;
    if (Date.now() > deadline || signal?.aborted) {
      throw new RetryableError(
        `Bulk API job ${jobId} was still ${state} after the wait; its records will be upserted again`,
        'TIMEOUT',
      );
    }
    await sleep(wait, signal);
    wait = Math.min(wait * 2, options.maxPollMs ?? 10_000);
  }
  if (state === 'Aborted') throw new RetryableError(`Bulk API job ${jobId} was aborted`, 'SERVER_UNAVAILABLE');

  const text = async (kind: string): Promise<Record<string, string>[]> => {
    const res = await client.request<string>({
      method: 'GET',
      path: `${base}/${kind}`,
      headers: { Accept: 'text/csv' },
      label: `bulk.${kind}`,
      ...(signal ? { signal } : {}),
    });
    return typeof res.body === 'string' ? parseCsv(res.body) : [];
  };
  const byKey = new Map<string, RecordResult>();
  for (const row of await text('successfulResults')) {
    byKey.set(row[externalIdField] ?? '', {
      id: row.sf__Id || null,
      success: true,
      created: row.sf__Created === 'true',
      errors: [],
    });
  }
  for (const row of await text('failedResults')) {
    byKey.set(row[externalIdField] ?? '', {
      id: row.sf__Id || null,
      success: false,
      errors: [parseBulkError(row.sf__Error ?? '')],
    });
  }
  for (const row of await text('unprocessedrecords')) {
    const message =
      state === 'Failed'
        ? `the Bulk API job failed: ${String(info.errorMessage ?? 'no reason given')}`
        : 'not processed by the Bulk API job';
    byKey.set(row[externalIdField] ?? '', {
      id: null,
      success: false,
      errors: [{ code: 'SERVER_UNAVAILABLE', message, fields: [] }],
    });
  }
  return records.map((r) => {
    const result = byKey.get(String(r[externalIdField] ?? ''));
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
