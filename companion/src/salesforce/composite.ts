// Composite requests: many subrequests for one API call (REST API Developer Guide, "Composite").
// Salesforce allows at most 25 subrequests per request, of which at most 5 may be queries or
// sObject Collections; `packComposites` fills requests up to both limits. Subrequests here are
// independent (allOrNone false), so a failing one affects only its own records.
import { IntegrationError, errorItems, primaryError, type SalesforceErrorItem } from '../errors.js';
import type { SalesforceClient, SalesforceRequest } from './client.js';

export const MAX_SUBREQUESTS = 25;
export const MAX_QUERY_OR_COLLECTION_SUBREQUESTS = 5;
/**
 * Ceiling for one Composite body. Salesforce documents no hard number for /composite as a whole,
 * but Collections bodies and subrequest answers have size ceilings in the megabytes; staying far
 * below keeps a batch of long message bodies (Description up to 32,000 characters each) from
 * becoming a single rejected request.
 */
export const MAX_COMPOSITE_BODY_BYTES = 6 * 1024 * 1024;

export interface Subrequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Full `/services/data/vNN.N/…` URL (Composite requires the version in each subrequest). */
  url: string;
  referenceId: string;
  body?: unknown;
  httpHeaders?: Record<string, string>;
}

export interface SubResponse {
  referenceId: string;
  httpStatusCode: number;
  body: unknown;
  httpHeaders: Record<string, string>;
}

export function isQueryOrCollection(sub: Subrequest): boolean {
  const path = sub.url.split('?')[0]!.replace(/^\/services\/data\/v[\d.]+/, '');
  return /^\/(query|queryAll)(\/|$)/.test(path) || /^\/composite\/sobjects(\/|$)/.test(path);
}

function bodySize(sub: Subrequest): number {
  return Buffer.byteLength(JSON.stringify(sub)) + 1;
}

/** Splits subrequests into Composite requests that respect every limit, keeping their order. */
export function packComposites(subrequests: readonly Subrequest[]): Subrequest[][] {
  const groups: Subrequest[][] = [];
  let current: Subrequest[] = [];
  let heavy = 0;
  let bytes = 0;
  for (const sub of subrequests) {
    const isHeavy = isQueryOrCollection(sub) ? 1 : 0;
    const size = bodySize(sub);
    if (
      current.length > 0 &&
      (current.length + 1 > MAX_SUBREQUESTS ||
        heavy + isHeavy > MAX_QUERY_OR_COLLECTION_SUBREQUESTS ||
        bytes + size > MAX_COMPOSITE_BODY_BYTES)
    ) {
      groups.push(current);
      current = [];
      heavy = 0;
      bytes = 0;
    }
    current.push(sub);
    heavy += isHeavy;
    bytes += size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** Sends one Composite request (one API call); answers by reference id. */
export async function sendComposite(
  client: SalesforceClient,
  subrequests: readonly Subrequest[],
  label: string,
  signal?: AbortSignal,
  extra: Pick<SalesforceRequest, 'budgetCheck' | 'readOnly'> = {},
): Promise<Map<string, SubResponse>> {
  if (subrequests.length === 1) {
    // A lone subrequest costs one call either way; sent plainly it avoids the Composite envelope.
    const sub = subrequests[0]!;
    try {
      const res = await client.request({
        method: sub.method,
        path: sub.url,
        ...(sub.body !== undefined ? { body: sub.body } : {}),
        ...(sub.httpHeaders ? { headers: sub.httpHeaders } : {}),
        label,
        ...(signal ? { signal } : {}),
        ...extra,
      });
      return new Map([
        [
          sub.referenceId,
          { referenceId: sub.referenceId, httpStatusCode: res.status, body: res.body, httpHeaders: res.headers },
        ],
      ]);
    } catch (error) {
      // A whole-call failure of a plain request that Composite would have reported per
      // subrequest (400/404 with an error body) is answered the same way; the rest propagates.
      if (
        error instanceof IntegrationError &&
        error.status !== undefined &&
        (error.rule.action === 'quarantine' || error.rule.action === 'resolve')
      ) {
        const item: Record<string, unknown> = { errorCode: error.code, message: error.message, fields: error.fields };
        if (error.duplicateIds)
          item.duplicateResult = {
            matchResults: [{ matchRecords: error.duplicateIds.map((Id) => ({ record: { Id } })) }],
          };
        return new Map([
          [
            sub.referenceId,
            { referenceId: sub.referenceId, httpStatusCode: error.status, body: [item], httpHeaders: {} },
          ],
        ]);
      }
      throw error;
    }
  }
  const res = await client.request<{ compositeResponse?: SubResponse[] }>({
    method: 'POST',
    path: '/composite',
    body: { allOrNone: false, compositeRequest: subrequests },
    label,
    ...(signal ? { signal } : {}),
    ...extra,
  });
  const answers = new Map<string, SubResponse>();
  for (const r of res.body?.compositeResponse ?? []) answers.set(r.referenceId, r);
  return answers;
}

/** The error of a failed subrequest (its body is Salesforce's error array). */
export function subrequestError(res: SubResponse | undefined): SalesforceErrorItem {
  if (!res)
    return { code: 'UNKNOWN_EXCEPTION', message: 'Salesforce answered nothing for this subrequest', fields: [] };
  const items = errorItems(res.body);
  return items.length > 0
    ? primaryError(items)
    : { code: `ERROR_HTTP_${res.httpStatusCode}`, message: `HTTP ${res.httpStatusCode}`, fields: [] };
}
