// Bulk API 2.0 query jobs: checks the statement (Bulk API 2.0 refuses GROUP BY, OFFSET, TYPEOF,
// aggregate functions, FIELDS() and parent-to-child subqueries — Developer Guide, "Understanding
// Bulk API 2.0 Query"), runs it with the SOQL engine, and keeps the result as CSV lines that the
// results resource pages through with `Sforce-Locator`.
import type { Query } from '../soql/ast.js';
import { SoqlError, parseSoql, runSoql } from '../soql/index.js';
import type { SoqlDataSource } from '../soql/source.js';
import { DELIMITERS, lineBreak, quote } from './csv.js';
import type { QueryJob } from './jobs.js';
import { cellText } from './values.js';

/** A statement Bulk API 2.0 will not run; answered at job creation. */
export class UnsupportedQuery extends Error {}

/** Rejects what Bulk API 2.0 does not support. Wording is ours (not recorded from a real org). */
export function checkBulkQuery(text: string): Query {
  const q = parseSoql(text);
  if (q.countOnly || q.groupBy || q.select.some((s) => s.kind === 'aggregate')) {
    throw new UnsupportedQuery('Aggregate queries are not supported by Bulk API 2.0');
  }
  if (q.offset) throw new UnsupportedQuery('OFFSET is not supported by Bulk API 2.0');
  if (q.select.some((s) => s.kind === 'typeof')) throw new UnsupportedQuery('TYPEOF is not supported by Bulk API 2.0');
  if (q.select.some((s) => s.kind === 'fields'))
    throw new UnsupportedQuery('FIELDS() is not supported by Bulk API 2.0');
  // The REST engine answers parent-to-child subqueries; Bulk API 2.0 does not.
  if (q.select.some((s) => s.kind === 'subquery'))
    throw new UnsupportedQuery('Parent-to-child relationship subqueries are not supported by Bulk API 2.0');
  return q;
}

/** Checks fields and objects of a Bulk query without running it (SoqlError when invalid). */
export function validateBulkQuery(text: string, source: SoqlDataSource, operation: 'query' | 'queryAll'): void {
  runSoql(text, source, { includeDeleted: operation === 'queryAll', validateOnly: true });
}

/** Runs the job's query into CSV lines (header quoted, every value quoted, nulls empty). */
export function runQueryJob(job: QueryJob, source: SoqlDataSource, now?: Date): void {
  const started = Date.now();
  const run = runSoql(job.query, source, {
    includeDeleted: job.operation === 'queryAll',
    apiVersion: job.apiVersion,
    ...(now ? { now } : {}),
  });
  const delimiter = DELIMITERS[job.columnDelimiter];
  const types = run.columns.map((name) => columnType(source, job.object, name));
  job.headerLine = run.columns.map(quote).join(delimiter);
  job.lines = run.rows.map((rec) =>
    run.columns.map((_, i) => quote(cellText(run.column(rec, i), types[i]))).join(delimiter),
  );
  job.numberRecordsProcessed = job.lines.length;
  job.totalProcessingTime = Date.now() - started;
}

/** Describe type of a dotted column (`Account.AnnualRevenue`), for value formatting. */
function columnType(source: SoqlDataSource, object: string, column: string): string | undefined {
  const parts = column.split('.');
  let obj = source.describe(object);
  for (let i = 0; i < parts.length - 1 && obj; i++) {
    const rel = [...obj.fields.values()].find((f) => f.relationshipName?.toLowerCase() === parts[i]!.toLowerCase());
    const targets = rel?.referenceTo ?? [];
    obj = targets.length === 1 ? source.describe(targets[0]!) : undefined;
  }
  return obj?.fields.get(parts[parts.length - 1]!.toLowerCase())?.type;
}

/** The locator Salesforce hands out looks like base64 of the next offset (`MTAwMDA` = 10000). */
export function encodeLocator(offset: number): string {
  return Buffer.from(String(offset)).toString('base64').replace(/=+$/, '');
}

export function decodeLocator(locator: string): number | undefined {
  const text = Buffer.from(locator, 'base64').toString('utf8');
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

/** One page of results: body, record count and the next locator (`null` when done). */
export function resultPage(
  job: QueryJob,
  offset: number,
  maxRecords: number,
): { body: string; count: number; locator: string } {
  const nl = lineBreak(job.lineEnding);
  const slice = job.lines.slice(offset, offset + maxRecords);
  const next = offset + slice.length;
  const body = [job.headerLine ?? '', ...slice].join(nl) + nl;
  return { body, count: slice.length, locator: next < job.lines.length ? encodeLocator(next) : 'null' };
}

export { SoqlError };
