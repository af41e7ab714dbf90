// SOQL text for batched lookups: quoting literals and splitting long `IN (…)` lists so that every
// query stays inside Salesforce's limits:
//  - a SOQL statement is at most 100,000 characters (MALFORMED_QUERY beyond);
//  - one string literal is at most 4,000 characters;
//  - a GET request's URI plus headers is at most 16,384 bytes (414 URI_TOO_LONG) — and a query
//    travels in the URI, also as a Composite subrequest's `url`. This is the binding limit: about
//    400 URL-encoded email addresses per query.
import { DATA_PATH } from './version.js';

export const MAX_SOQL_CHARS = 100_000;
export const MAX_LITERAL_CHARS = 4_000;
/**
 * Budget for a query's whole URL (path + `?q=` + encoded SOQL). 16,384 bytes is the limit for the
 * request line plus headers; 2,384 are kept for the method, `HTTP/1.1`, the Authorization header
 * (a session id is ~112 characters) and the other headers jsforce sends.
 */
export const MAX_QUERY_URL_BYTES = 14_000;

/** A SOQL string literal: backslash and quote escaped (SOQL "Quoted String Escape Sequences"). */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}'`;
}

/**
 * The `q` parameter, URL-encoded compactly: `@`, `,`, `:` and `'` are legal in a query component
 * (RFC 3986 `pchar`), and a space becomes `+`, which saves ~30 % on an email list against
 * encodeURIComponent. `+` itself is still encoded (%2B) since it means a space.
 */
export function encodeQueryParam(soql: string): string {
  return encodeURIComponent(soql).replace(/%20/g, '+').replace(/%40/g, '@').replace(/%2C/g, ',').replace(/%3A/g, ':');
}

/** `/services/data/v66.0/query?q=…` for a GET or a Composite subrequest. */
export function queryUrl(soql: string): string {
  return `${DATA_PATH}/query?q=${encodeQueryParam(soql)}`;
}

/** One chunked query and the values its `IN` list holds: what an answer to it covers. */
export interface InQuery {
  soql: string;
  values: string[];
}

/**
 * Builds `prefix + IN (v1,v2,…) + suffix` queries over `values`, as few as the limits allow.
 * `render(list)` returns the SOQL for a chunk's `IN` list text (already quoted, comma-separated).
 * Values longer than the literal limit are dropped (they cannot match a field that short anyway):
 * they are in no query's `values`, so no answer covers them.
 */
export function chunkedInLists(values: readonly string[], render: (inList: string) => string): InQuery[] {
  const kept = [...new Set(values)].filter((v) => v.length > 0 && v.length <= MAX_LITERAL_CHARS);
  const queries: InQuery[] = [];
  const fixedBytes = Buffer.byteLength(queryUrl(render('')));
  const fixedChars = render('').length;
  let chunk: string[] = [];
  let literals: string[] = [];
  let bytes = fixedBytes;
  let chars = fixedChars;
  for (const value of kept) {
    const literal = soqlString(value);
    const encoded = Buffer.byteLength(encodeQueryParam(literal)) + 1; // + the comma
    if (chunk.length > 0 && (bytes + encoded > MAX_QUERY_URL_BYTES || chars + literal.length + 1 > MAX_SOQL_CHARS)) {
      queries.push({ soql: render(literals.join(',')), values: chunk });
      chunk = [];
      literals = [];
      bytes = fixedBytes;
      chars = fixedChars;
    }
    chunk.push(value);
    literals.push(literal);
    bytes += encoded;
    chars += literal.length + 1;
  }
  if (chunk.length > 0) queries.push({ soql: render(literals.join(',')), values: chunk });
  return queries;
}

/** The SOQL text of `chunkedInLists` (callers that do not track coverage). */
export function chunkedInQueries(values: readonly string[], render: (inList: string) => string): string[] {
  return chunkedInLists(values, render).map((q) => q.soql);
}
