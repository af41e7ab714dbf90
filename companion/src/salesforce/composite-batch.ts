// Composite Batch requests (REST API Developer Guide, "Batch"): up to 25 independent subrequests
// per API call, queries included, where `/composite` takes at most 5 queries. A big batch's lookups
// (hundreds of `IN` list chunks for tens of thousands of distinct people) go 25 queries to a call
// instead of 5. Each subrequest is answered on its own (`haltOnError` false): a failing query
// leaves the others' answers intact, so the coverage rule (batch-matches.ts) holds unchanged.
import type { SalesforceClient } from './client.js';
import {
  MAX_COMPOSITE_BODY_BYTES,
  MAX_SUBREQUESTS,
  packComposites,
  type Subrequest,
  type SubResponse,
} from './composite.js';

/** Subrequests per Composite Batch request (Salesforce's limit). */
export const MAX_BATCH_SUBREQUESTS = 25;

/** How the subrequests of one lookup go out: one `/composite` per group, or `/composite/batch`. */
export interface QueryCalls {
  kind: 'composite' | 'batch';
  groups: Subrequest[][];
}

/**
 * The fewest calls for these subrequests: Composite when they fit one call (its answers are what
 * the rest of the engine has always read), else Composite Batch, 25 to a call. Only GETs go in a
 * batch (queries and the configuration reads); anything else keeps Composite's packing.
 */
export function planQueryCalls(subs: readonly Subrequest[]): QueryCalls {
  const composite = packComposites(subs);
  if (composite.length <= 1 || subs.some((s) => s.method !== 'GET')) return { kind: 'composite', groups: composite };
  return { kind: 'batch', groups: packBatches(subs) };
}

function size(sub: Subrequest): number {
  return Buffer.byteLength(sub.url) + 64;
}

/** Splits subrequests into Composite Batch requests of at most 25 (and a sane body), in order. */
export function packBatches(subs: readonly Subrequest[]): Subrequest[][] {
  const groups: Subrequest[][] = [];
  let current: Subrequest[] = [];
  let bytes = 0;
  for (const sub of subs) {
    if (
      current.length > 0 &&
      (current.length >= Math.min(MAX_SUBREQUESTS, MAX_BATCH_SUBREQUESTS) ||
        bytes + size(sub) > MAX_COMPOSITE_BODY_BYTES)
    ) {
      groups.push(current);
      current = [];
      bytes = 0;
    }
    current.push(sub);
    bytes += size(sub);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** A batch subrequest's `url` is relative to `/services/data/` (`v66.0/query?q=…`). */
function relativeUrl(url: string): string {
  return url.replace(/^\/services\/data\//, '');
}

/** Sends one Composite Batch request (one API call); answers by the subrequests' reference ids. */
export async function sendBatch(
  client: SalesforceClient,
  subs: readonly Subrequest[],
  label: string,
  signal?: AbortSignal,
): Promise<Map<string, SubResponse>> {
  const res = await client.request<{ results?: { statusCode?: number; result?: unknown }[] }>({
    method: 'POST',
    path: '/composite/batch',
    body: {
      haltOnError: false,
      batchRequests: subs.map((s) => ({
        method: s.method,
        url: relativeUrl(s.url),
        ...(s.body !== undefined ? { richInput: s.body } : {}),
      })),
    },
    label,
    readOnly: subs.every((s) => s.method === 'GET'),
    ...(signal ? { signal } : {}),
  });
  // Results come back in the order of the subrequests (the Batch resource has no reference ids).
  const results = res.body?.results ?? [];
  const answers = new Map<string, SubResponse>();
  subs.forEach((sub, i) => {
    const r = results[i];
    if (!r) return;
    answers.set(sub.referenceId, {
      referenceId: sub.referenceId,
      httpStatusCode: typeof r.statusCode === 'number' ? r.statusCode : 500,
      body: r.result ?? null,
      httpHeaders: {},
    });
  });
  return answers;
}
