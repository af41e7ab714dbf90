// The REST resources are plain synchronous functions from a call to a response, so that Composite
// can run its subrequests inside one all-or-none transaction without going back through HTTP, and
// the Fastify layer only translates.
import type { EmulatorContext } from '../context.js';
import type { Session } from '../oauth/sessions.js';
import type { WriteOptions } from '../org.js';

export interface RestCall {
  method: string;
  /** Path after `/services/data/vNN.N`, without the query string, e.g. `/sobjects/Account`. */
  path: string;
  /** `62.0` */
  version: string;
  query: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  body: unknown;
  session: Session;
  ctx: EmulatorContext;
  /** Set by the router: decoded path parameters. */
  params: Record<string, string>;
  /** True inside Composite (counts and limits were already spent by the outer call). */
  inComposite?: boolean;
  /** An injected UNABLE_TO_LOCK_ROW fault applies to this call's writes. */
  lockFault?: boolean;
}

export interface RestResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type RestHandler = (call: RestCall) => RestResponse;

const RESPONSE = Symbol('relay.restResponse');

function mark(res: RestResponse): RestResponse {
  Object.defineProperty(res, RESPONSE, { value: true, enumerable: false });
  return res;
}

/** Whether a value is a response built here (not a request body that happens to have `status`). */
export function isResponse(x: unknown): x is RestResponse {
  return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[RESPONSE] === true;
}

export function json(status: number, body: unknown, headers?: Record<string, string>): RestResponse {
  return mark(headers ? { status, body, headers } : { status, body });
}

export function noContent(status = 204, headers?: Record<string, string>): RestResponse {
  return mark(headers ? { status, headers } : { status });
}

/** Salesforce's top-level error: a one-element array (fields only when Salesforce sends them). */
export function fail(status: number, errorCode: string, message: string, fields?: string[]): RestResponse {
  const error: Record<string, unknown> = { message, errorCode };
  if (fields) error.fields = fields;
  return mark({ status, body: [error] });
}

export const NOT_FOUND_MESSAGE = 'The requested resource does not exist';

export function notFound(): RestResponse {
  return fail(404, 'NOT_FOUND', NOT_FOUND_MESSAGE);
}

/** Write options carried by request headers. */
export function writeOptions(call: RestCall): WriteOptions {
  const dup = call.headers['sforce-duplicate-rule-header'] ?? '';
  const callOptions = call.headers['sforce-call-options'] ?? '';
  const client = /(?:^|[,;\s])client=([^,;\s]+)/i.exec(callOptions)?.[1];
  return {
    allowSave: /allowSave\s*=\s*true/i.test(dup),
    runAsUserId: call.session.userId,
    callOptionsClient: client,
    apiVersion: call.version,
  };
}

export function sobjectUrl(version: string, type: string, id: string): string {
  return `/services/data/v${version}/sobjects/${type}/${id}`;
}

/** A stored record as the REST API shows it: `attributes` first, then the fields. */
export function withAttributes(
  version: string,
  type: string,
  record: Record<string, unknown>,
  recordId?: string,
): Record<string, unknown> {
  const id = recordId ?? (record.Id as string | undefined);
  return { attributes: { type, url: id ? sobjectUrl(version, type, id) : undefined }, ...record };
}
