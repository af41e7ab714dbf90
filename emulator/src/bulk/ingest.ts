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

type Column =
  | { kind: 'field'; field: SoqlField; index: number }
  | { kind: 'reference'; refField: SoqlField; target: SoqlObject; lookup: SoqlField; header: string; index: number }
  | { kind: 'ignored'; index: number };

class JobFailure extends Error {}

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

function mapHeader(job: IngestJob, obj: SoqlObject, source: SoqlDataSource, header: string[]): Column[] {
  const deleting = job.operation === 'delete' || job.operation === 'hardDelete';
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

interface PreparedRow {
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

function prepareRow(cells: string[], columns: Column[], source: SoqlDataSource): PreparedRow {
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
  job.header = header;
  let columns: Column[];
  try {
    columns = mapHeader(job, obj, source, header);
    const has = (name: string) =>
      columns.some((c) => c.kind === 'field' && c.field.name.toLowerCase() === name.toLowerCase());
    if ((job.operation === 'update' || job.operation === 'delete' || job.operation === 'hardDelete') && !has('Id')) {
      throw new JobFailure('InvalidBatch : Field name not found : Id');
    }
    if (job.operation === 'upsert' && job.externalIdFieldName && !has(job.externalIdFieldName)) {
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
    writeChunk(job, org, columns, chunk, opts);
  }
  finish('JobComplete');
}

function writeChunk(job: IngestJob, org: BulkOrg, columns: Column[], chunk: PreparedRow[], opts: WriteOptions): void {
  const delimiter = DELIMITERS[job.columnDelimiter];
  const valid = chunk.filter((r) => !r.error);
  let results: SaveResult[] = [];
  if (valid.length > 0) {
    switch (job.operation) {
      case 'insert':
        results = org.insert(
          job.object,
          valid.map((r) => withoutId(r.record)),
          opts,
        );
        break;
      case 'update':
        results = org.update(
          job.object,
          valid.map((r) => r.record),
          opts,
        );
        break;
      case 'upsert':
        results = org.upsert(
          job.object,
          job.externalIdFieldName!,
          valid.map((r) => r.record),
          opts,
        );
        break;
      case 'delete':
        results = org.delete(
          valid.map((r) => String(r.record.Id ?? '')),
          opts,
        );
        break;
      case 'hardDelete':
        results = org.delete(
          valid.map((r) => String(r.record.Id ?? '')),
          { ...opts, hardDelete: true } as WriteOptions,
        );
        break;
    }
  }
  let k = 0;
  for (const row of chunk) {
    const cells = resultCells(job, columns, row);
    const givenId = typeof row.record.Id === 'string' ? row.record.Id : '';
    if (row.error) {
      job.failedRows.push([quote(givenId), quote(errorText(row.error)), ...cells.map(quote)].join(delimiter));
      job.numberRecordsFailed += 1;
      job.numberRecordsProcessed += 1;
      continue;
    }
    const result = results[k++];
    job.numberRecordsProcessed += 1;
    if (result && result.success) {
      const created = job.operation === 'insert' ? true : job.operation === 'upsert' ? result.created === true : false;
      job.successRows.push([quote(result.id ?? givenId), quote(String(created)), ...cells.map(quote)].join(delimiter));
    } else {
      const err = result?.errors[0] ?? {
        statusCode: 'UNKNOWN_EXCEPTION',
        message: 'An unexpected error occurred',
        fields: [],
      };
      const id = job.operation === 'insert' ? '' : (result?.id ?? givenId);
      job.failedRows.push([quote(id ?? ''), quote(errorText(err)), ...cells.map(quote)].join(delimiter));
      job.numberRecordsFailed += 1;
    }
  }
}

function withoutId(record: Record<string, unknown>): Record<string, unknown> {
  if (!('Id' in record)) return record;
  const { Id: _id, ...rest } = record;
  return rest;
}
