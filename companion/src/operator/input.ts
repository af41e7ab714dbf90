// Checks of the operator API's request bodies: each problem is a 400 naming the field and the rule,
// and unknown fields are refused (a typo in `outboundUrl` must not be silently ignored).
import { HttpError } from '../http/errors.js';
import type { OrgEnvironment } from '../workspaces/types.js';

export const WORKSPACE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ORG_ID = /^00D[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/;
/** Thirty days: a grace longer than that is a second secret, not a rotation. */
const MAX_GRACE_SECONDS = 30 * 86_400;

export type Body = Record<string, unknown>;

const bad = (message: string): HttpError => new HttpError(400, 'BAD_REQUEST', message);

export function objectBody(body: unknown, allowed: readonly string[]): Body {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw bad('the body must be a JSON object');
  const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw bad(`${unknown[0]}: unknown field (allowed: ${allowed.join(', ')})`);
  return body as Body;
}

export function text(
  body: Body,
  field: string,
  options: { required?: boolean; max?: number } = {},
): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) {
    if (options.required) throw bad(`${field}: required`);
    return undefined;
  }
  if (typeof value !== 'string' || value.trim() === '') throw bad(`${field}: must be a non-empty string`);
  if (value.length > (options.max ?? 255)) throw bad(`${field}: at most ${options.max ?? 255} characters`);
  return value.trim();
}

export function workspaceIdOf(value: string | undefined, field = 'id'): string | undefined {
  if (value !== undefined && !WORKSPACE_ID.test(value)) {
    throw bad(`${field}: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit`);
  }
  return value;
}

export function orgIdOf(value: string): string {
  if (!ORG_ID.test(value)) throw new HttpError(400, 'BAD_REQUEST', 'org id: must be a Salesforce org id (00D…)');
  return value;
}

/** An http(s) URL, or null to clear it. */
export function urlOrNull(body: Body, field: string): string | null | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value !== 'string') throw bad(`${field}: must be an http(s) URL or null`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw bad(`${field}: must be an http(s) URL or null`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw bad(`${field}: must be an http(s) URL or null`);
  if (url.username || url.password) throw bad(`${field}: must not carry credentials`);
  return value;
}

export function bool(body: Body, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw bad(`${field}: must be true or false`);
  return value;
}

export function graceSeconds(body: Body): number {
  const value = body.graceSeconds;
  if (value === undefined) return 86_400;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_GRACE_SECONDS) {
    throw bad(`graceSeconds: an integer from 0 to ${MAX_GRACE_SECONDS} (30 days)`);
  }
  return value;
}

export function oneOf<T extends string>(
  body: Body,
  field: string,
  values: readonly T[],
  required = true,
): T | undefined {
  const value = body[field];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || !values.includes(value as T)) throw bad(`${field}: one of ${values.join(', ')}`);
  return value as T;
}

export const ENVIRONMENTS: readonly OrgEnvironment[] = ['production', 'sandbox', 'mydomain'];
