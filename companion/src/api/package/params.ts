// Query parameters of the package endpoints, checked with messages that name the parameter and the
// rule (docs/package-api.md: "400 names the parameter and the rule"), and the opaque cursors.
import { HttpError } from '../../http/errors.js';
import { isSalesforceId, to18 } from '../../salesforce/ids.js';

export type Query = Record<string, string | string[] | undefined>;

export function one(query: Query, name: string): string | undefined {
  const v = query[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s.trim() === '' ? undefined : s.trim();
}

export function intParam(query: Query, name: string, min: number, max: number, fallback: number): number {
  const v = one(query, name);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
    throw new HttpError(400, 'BAD_REQUEST', `${name}: must be a whole number from ${min} to ${max} (got '${v}')`);
  }
  return Number(v);
}

export function recordIdParam(query: Query, name = 'recordId'): string | undefined {
  const v = one(query, name);
  if (v === undefined) return undefined;
  if (!isSalesforceId(v))
    throw new HttpError(400, 'BAD_REQUEST', `${name}: not a 15 or 18 character Salesforce record id (got '${v}')`);
  return to18(v);
}

export function encodeCursor(value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function decodeCursor<T extends Record<string, unknown>>(
  query: Query,
  check: (v: Record<string, unknown>) => v is T,
): T | undefined {
  const v = one(query, 'cursor');
  if (v === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(v, 'base64url').toString('utf8'));
    if (parsed && typeof parsed === 'object' && check(parsed as Record<string, unknown>)) return parsed as T;
  } catch {
    // fall through
  }
  throw new HttpError(400, 'BAD_REQUEST', 'cursor: not a cursor this API returned (pass nextCursor unchanged)');
}
