// Processes an ingest job's uploaded CSV: maps the header to fields (relationship columns such as
// `Owner.Email` or `Lead:Who.Email` resolve parents by an indexed field), converts cells by field
// type, writes through the org in internal batches of 10,000 records — each one counted against
// DailyBulkApiBatches, as Salesforce does — and records successful, failed and unprocessed rows.
import type { SaveResult, WriteOptions } from '../org.js';
import type { SoqlDataSource, SoqlField, SoqlObject, SoqlRecord } from '../soql/source.js';
import { CsvError, DELIMITERS, parseCsv, quote } from './csv.js';
import type { IngestJob } from './jobs.js';
import { CellError, cellText, cellValue } from './values.js';

/** The part of the Org the Bulk API writes through (the Org class satisfies it). */
export interface BulkOrg {
  insert(type: string, records: Record<string, unknown>[], opts?: WriteOptions): SaveResult[];
  update(type: string, records: Record<string, unknown>[], opts?: WriteOptions): SaveResult[];
  upsert(type: string, externalIdField: string, records: Record<string, unknown>[], opts?: WriteOptions): SaveResult[];
  delete(ids: string[], opts?: WriteOptions): SaveResult[];
  readonly soql: SoqlDataSource;
}

/** Spends one internal batch of the daily allocation; false when none is left. */
export type BatchAllowance = () => boolean;

export const INTERNAL_BATCH = 10_000;

export type Column =
  | { kind: 'field'; field: SoqlField; index: number }
  | { kind: 'reference'; refField: SoqlField; target: SoqlObject; lookup: SoqlField; header: string; index: number }
  | { kind: 'ignored'; index: number };

export class JobFailure extends Error {}

function fieldOf(obj: SoqlObject, name: string): SoqlField | undefined {
  return obj.fields.get(name.toLowerCase());
}

function relationshipOf(obj: SoqlObject, name: string): SoqlField | undefined {
  const lower = name.toLowerCase();
  for (const f of obj.fields.values()) {
    if (f.type === 'reference' && f.relationshipName?.toLowerCase() === lower) return f;
  }
  return undefined;
}

export function mapHeader(operation: string, obj: SoqlObject, source: SoqlDataSource, header: string[]): Column[] {
  const deleting = operation === 'delete' || operation === 'hardDelete';
  return header.map((raw, index): Column => {
    const name = raw.trim();
    if (deleting) {
      return name.toLowerCase() === 'id'
        ? { kind: 'field', field: fieldOf(obj, 'Id')!, index }
        : { kind: 'ignored', index };
    }
    const dot = name.indexOf('.');
    if (dot < 0) {
      const field = fieldOf(obj, name);
      if (!field) throw new JobFailure(`InvalidBatch : Field name not found : ${name}`);
      return { kind: 'field', field, index };
    }
    // `Rel.Field` or, for polymorphic references, `Type:Rel.Field`.
    const relPart = name.slice(0, dot);
    const lookupName = name.slice(dot + 1);
    const colon = relPart.indexOf(':');
    const relName = colon >= 0 ? relPart.slice(colon + 1) : relPart;
    const typeName = colon >= 0 ? relPart.slice(0, colon) : undefined;
    const refField = relationshipOf(obj, relName);
    if (!refField) throw new JobFailure(`InvalidBatch : Field name not found : ${name}`);
    const targets = refField.referenceTo ?? [];
    let targetName: string | undefined;
    if (targets.length > 1) {
      if (!typeName) throw new JobFailure(`InvalidBatch : Field name not found : ${name}`);
      targetName = targets.find((t) => t.toLowerCase() === typeName.toLowerCase());
    } else {
      if (typeName) throw new JobFailure(`InvalidBatch : Field name not found : ${name}`);
      targetName = targets[0];
    }
    const target = targetName ? source.describe(targetName) : undefined;
    const lookup = target ? fieldOf(target, lookupName) : undefined;
    if (!target || !lookup) throw new JobFailure(`InvalidBatch : Field name not found : ${name}`);
    return { kind: 'reference', refField, target, lookup, header: name, index };
  });
}

export interface PreparedRow {
  cells: string[];
  record: Record<string, unknown>;
  /** Converted values per column index, for result files. */
  values: Map<number, unknown>;
  error?: { statusCode: string; message: string; fields: string[] };
}

function findParent(source: SoqlDataSource, target: SoqlObject, lookup: SoqlField, value: string): SoqlRecord[] {
  const hits = source.indexed(target.name, lookup.name, [value], false);
  const lower = value.toLowerCase();
  const candidates = hits ?? source.scan(target.name, false);
  const out: SoqlRecord[] = [];
  for (const rec of candidates) {
    const v = rec[lookup.name];
    if (v !== undefined && v !== null && String(v).toLowerCase() === lower) out.push(rec);
  }
  return out;
}

export function prepareRow(cells: string[], columns: Column[], source: SoqlDataSource): PreparedRow {
  const record: Record<string, unknown> = {};
  const values = new Map<number, unknown>();
  const row: PreparedRow = { cells, record, values };
  for (const col of columns) {
    const text = cells[col.index] ?? '';
    if (col.kind === 'ignored') continue;
    if (col.kind === 'field') {
      try {
        const v = cellValue(text, col.field, col.index + 1);
        values.set(col.index, v);
        if (v !== undefined) record[col.field.name] = v;
      } catch (e) {
        if (!(e instanceof CellError)) throw e;
        row.error ??= { statusCode: 'INVALID_FIELD', message: e.message, fields: [col.field.name] };
      }
      continue;
    }
    if (text === '') continue;
    if (text === '#N/A') {
      record[col.refField.name] = null;
      continue;
    }
    const parents = findParent(source, col.target, col.lookup, text);
    if (parents.length === 1) {
      record[col.refField.name] = parents[0]!.Id;
    } else if (parents.length === 0) {
      row.error ??= {
        statusCode: 'INVALID_FIELD',
        message: `Foreign key external ID: ${text} not found for field ${col.lookup.name} in entity ${col.target.name}`,
        fields: [],
      };
    } else {
      row.error ??= {
        statusCode: 'INVALID_FIELD',
        message: `Foreign key external ID: ${text} matched more than one record for field ${col.lookup.name} in entity ${col.target.name}`,
        fields: [],
      };
    }
  }
  return row;
}

/** `CODE:message:Field1 Field2 --`, the sf__Error form (Bulk API Developer Guide, batch results). */
export function errorText(e: { statusCode: string; message: string; fields: string[] }): string {
  return `${e.statusCode}:${e.message}:${e.fields.map((f) => `${f} `).join('')}--`;
}

function resultCells(job: IngestJob, columns: Column[], row: PreparedRow): string[] {
  return job.resultColumns.map((index) => {
    const col = columns[index]!;
    if (col.kind === 'field' && row.values.has(index)) return cellText(row.values.get(index), col.field.type);
    return row.cells[index] ?? '';
  });
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A row of a job closed under an injected lock fault (Salesforce's wording for a contended row). */
const LOCKED = {
  statusCode: 'UNABLE_TO_LOCK_ROW',
  message: 'unable to obtain exclusive access to this record or 1 records',
  fields: [] as string[],
};

/**
 * Runs the job to JobComplete or Failed. Writes go through `org`; `allowance` spends one daily
 * batch per internal batch of 10,000 records.
 */
export async function processIngestJob(
  job: IngestJob,
  org: BulkOrg,
  allowance: BatchAllowance,
  opts: WriteOptions,
  clock: () => number = Date.now,
): Promise<void> {
  const started = Date.now();
  const delimiter = DELIMITERS[job.columnDelimiter];
  const source = org.soql;
  const finish = (state: 'JobComplete' | 'Failed', errorMessage?: string) => {
    if (job.state === 'Aborted') return;
    job.state = state;
    if (errorMessage) job.errorMessage = errorMessage;
    job.totalProcessingTime = Date.now() - started;
    job.apiActiveProcessingTime = job.totalProcessingTime;
    job.systemModstamp = clock();
  };
  let rows: string[][];
  try {
    rows = parseCsv(job.data ?? '', delimiter, job.lineEnding);
  } catch (e) {
    if (e instanceof CsvError) return finish('Failed', e.message);
    throw e;
  }
  const obj = source.describe(job.object);
  if (!obj) return finish('Failed', `InvalidJob : Unable to find object: ${job.object}`);
  const header = rows.shift() ?? [];
  // An upload with nothing in it (jsforce sends one for an empty input) completes with no
  // results, as Salesforce completes it; only data rows need a header that fits the operation.
  if (header.length === 0 || (header.length === 1 && header[0] === '' && rows.length === 0)) {
    return finish('JobComplete');
  }
  job.header = header;
  let columns: Column[];
  try {
    columns = mapHeader(job.operation, obj, source, header);
    const has = (name: string) =>
      columns.some((c) => c.kind === 'field' && c.field.name.toLowerCase() === name.toLowerCase());
    if ((job.operation === 'update' || job.operation === 'delete' || job.operation === 'hardDelete') && !has('Id')) {
      throw new JobFailure('InvalidBatch : Field name not found : Id');
    }
    // Upsert on `Id` without an Id column inserts every row (Salesforce does the same).
    if (
      job.operation === 'upsert' &&
      job.externalIdFieldName &&
      job.externalIdFieldName !== 'Id' &&
      !has(job.externalIdFieldName)
    ) {
      throw new JobFailure(`InvalidBatch : Field name not found : ${job.externalIdFieldName}`);
    }
  } catch (e) {
    if (!(e instanceof JobFailure)) throw e;
    job.unprocessedRows = rows.map((cells) => cells.map(quote).join(delimiter));
    return finish('Failed', e.message);
  }
  job.resultColumns = columns.filter((c) => c.kind !== 'ignored').map((c) => c.index);

  for (let start = 0; start < rows.length; start += INTERNAL_BATCH) {
    await yieldToEventLoop();
    if (job.state === 'Aborted') {
      job.unprocessedRows.push(...rows.slice(start).map((cells) => cells.map(quote).join(delimiter)));
      return;
    }
    if (!allowance()) {
      job.unprocessedRows.push(...rows.slice(start).map((cells) => cells.map(quote).join(delimiter)));
      // Wording unverified: the guide only says the job fails when the daily allocation runs out.
      return finish('Failed', 'ExceededQuota : Daily Bulk API batch allocation exceeded');
    }
    const chunk = rows.slice(start, start + INTERNAL_BATCH).map((cells) => prepareRow(cells, columns, source));
    if (job.lockFault) for (const row of chunk) row.error ??= LOCKED;
    writeChunk(job, org, columns, chunk, opts);
  }
  finish('JobComplete');
}

function writeChunk(job: IngestJob, org: BulkOrg, columns: Column[], chunk: PreparedRow[], opts: WriteOptions): void {
  const delimiter = DELIMITERS[job.columnDelimiter];
  const outcomes = saveRows(job.operation, job.object, job.externalIdFieldName, org, chunk, opts);
  chunk.forEach((row, i) => {
    const outcome = outcomes[i]!;
    const cells = resultCells(job, columns, row).map(quote);
    job.numberRecordsProcessed += 1;
    if (outcome.success) {
      job.successRows.push([quote(outcome.id), quote(String(outcome.created)), ...cells].join(delimiter));
    } else {
      job.failedRows.push([quote(outcome.id), quote(errorText(outcome.error!)), ...cells].join(delimiter));
      job.numberRecordsFailed += 1;
    }
  });
}

/** What became of one row: the record id (empty when none), created, or the first error. */
export interface RowOutcome {
  id: string;
  success: boolean;
  created: boolean;
  error?: { statusCode: string; message: string; fields: string[] };
}

/**
 * Saves prepared rows with one org call for the operation and answers one outcome per row, in
 * order. Rows that failed preparation keep their error and are not sent.
 */
export function saveRows(
  operation: string,
  object: string,
  externalIdField: string | undefined,
  org: BulkOrg,
  chunk: PreparedRow[],
  opts: WriteOptions,
): RowOutcome[] {
  const valid = chunk.filter((r) => !r.error);
  let results: SaveResult[] = [];
  if (valid.length > 0) {
    const records = valid.map((r) => r.record);
    switch (operation) {
      case 'insert':
        results = org.insert(object, records.map(withoutId), opts);
        break;
      case 'update':
        results = org.update(object, records, opts);
        break;
      case 'upsert':
        results = org.upsert(object, externalIdField!, records, opts);
        break;
      case 'delete':
      case 'hardDelete':
        results = org.delete(
          records.map((r) => String(r.Id ?? '')),
          operation === 'hardDelete' ? { ...opts, hardDelete: true } : opts,
        );
        break;
    }
  }
  let k = 0;
  return chunk.map((row): RowOutcome => {
    const givenId = typeof row.record.Id === 'string' ? row.record.Id : '';
    if (row.error) return { id: givenId, success: false, created: false, error: row.error };
    const result = results[k++];
    if (result && result.success) {
      const created = operation === 'insert' ? true : operation === 'upsert' ? result.created === true : false;
      return { id: result.id ?? givenId, success: true, created };
    }
    const error = result?.errors[0] ?? {
      statusCode: 'UNKNOWN_EXCEPTION',
      message: 'An unexpected error occurred',
      fields: [],
    };
    const id = operation === 'insert' ? '' : (result?.id ?? givenId);
    return { id: id ?? '', success: false, created: false, error };
  });
}

function withoutId(record: Record<string, unknown>): Record<string, unknown> {
  if (!('Id' in record)) return record;
  const { Id: _id, ...rest } = record;
  return rest;
}
