// Conditional request headers on sObject Rows (REST guide, "Conditional Request Headers"):
// If-Modified-Since / If-Unmodified-Since compare with the record's LastModifiedDate; ETag,
// If-Match and If-None-Match are served for Account records only, as in Salesforce.
import { createHash } from 'node:crypto';
import { fail, noContent, type RestCall, type RestResponse } from './http.js';

export function etagOf(row: Readonly<Record<string, unknown>>): string {
  return `"${createHash('sha1').update(JSON.stringify(row)).digest('base64')}-gzip"`;
}

function tags(header: string): string[] {
  return header
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

const PRECONDITION =
  'The request was not executed because one or more of the preconditions in the request headers were not satisfied.';

/**
 * The response a conditional header forces (304, 412 or 400 for an unreadable date), or undefined
 * when the request should proceed.
 */
export function checkConditions(
  call: RestCall,
  type: string,
  row: Readonly<Record<string, unknown>>,
): RestResponse | undefined {
  const reading = call.method === 'GET' || call.method === 'HEAD';
  const modified = Date.parse(String(row.LastModifiedDate ?? '').replace('+0000', 'Z'));
  const modifiedSecond = Math.floor(modified / 1000) * 1000;
  const unmodifiedSince = call.headers['if-unmodified-since'];
  if (unmodifiedSince !== undefined) {
    const t = Date.parse(unmodifiedSince);
    if (Number.isNaN(t))
      return fail(400, 'INVALID_HEADER_VALUE', `Invalid If-Unmodified-Since header: ${unmodifiedSince}`);
    if (modifiedSecond > t) return fail(412, 'PRECONDITION_FAILED', PRECONDITION);
  }
  const modifiedSince = call.headers['if-modified-since'];
  if (modifiedSince !== undefined && reading) {
    const t = Date.parse(modifiedSince);
    if (!Number.isNaN(t) && modifiedSecond <= t) return noContent(304);
  }
  if (type !== 'Account') return undefined;
  const etag = etagOf(row);
  const ifMatch = call.headers['if-match'];
  if (ifMatch !== undefined && ifMatch.trim() !== '*' && !tags(ifMatch).includes(etag))
    return fail(412, 'PRECONDITION_FAILED', PRECONDITION);
  const ifNoneMatch = call.headers['if-none-match'];
  if (ifNoneMatch !== undefined && (ifNoneMatch.trim() === '*' || tags(ifNoneMatch).includes(etag))) {
    return reading ? noContent(304, { ETag: etag }) : fail(412, 'PRECONDITION_FAILED', PRECONDITION);
  }
  return undefined;
}
