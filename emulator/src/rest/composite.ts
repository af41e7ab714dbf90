// Composite resources. `/composite` runs up to 25 subrequests in order (at most 5 of them queries
// or Collections), substituting `@{ref.path}` references from earlier answers; with allOrNone the
// whole request is one transaction and the other subrequests answer PROCESSING_HALTED.
// `/composite/batch` runs up to 25 independent subrequests; `/composite/tree/{Type}` creates
// record trees all-or-none. Each counts as one API call.
import { fail, json, type RestCall, type RestResponse } from './http.js';
import type { RestRouter } from './router.js';

const MAX_SUBREQUESTS = 25;
const MAX_QUERY_OR_COLLECTIONS = 5;
const HALTED = [
  {
    errorCode: 'PROCESSING_HALTED',
    message: 'The transaction was rolled back since another operation in the same transaction failed.',
  },
];

interface SubRequest {
  method?: unknown;
  url?: unknown;
  referenceId?: unknown;
  body?: unknown;
  httpHeaders?: Record<string, string>;
}

/** Runs one subrequest URL (`/services/data/vNN.N/...`) through the router. */
export type Dispatch = (
  call: RestCall,
  method: string,
  url: string,
  body: unknown,
  headers: Record<string, string | undefined>,
) => RestResponse;

const REF = /@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}/g;

class UnresolvedReference extends Error {
  constructor(
    readonly expression: string,
    readonly refId: string,
  ) {
    super(expression);
  }
}

function walk(value: unknown, path: string): unknown {
  let cur = value;
  for (const m of path.matchAll(/\.([A-Za-z0-9_]+)|\[(\d+)\]/g)) {
    if (cur === null || cur === undefined) return undefined;
    if (m[1] !== undefined) {
      const obj = cur as Record<string, unknown>;
      const key = m[1] in obj ? m[1] : Object.keys(obj).find((k) => k.toLowerCase() === m[1]!.toLowerCase());
      cur = key === undefined ? undefined : obj[key];
    } else cur = (cur as unknown[])[Number(m[2])];
  }
  return cur;
}

function resolveString(s: string, results: Map<string, unknown>): unknown {
  const whole = /^@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}$/.exec(s);
  const lookup = (refId: string, path: string, expr: string): unknown => {
    if (!results.has(refId)) throw new UnresolvedReference(expr, refId);
    const v = walk(results.get(refId), path);
    if (v === undefined) throw new UnresolvedReference(expr, refId);
    return v;
  };
  if (whole) return lookup(whole[1]!, whole[2]!, s);
  return s.replace(REF, (expr, refId: string, path: string) => String(lookup(refId, path, expr)));
}

function resolve(value: unknown, results: Map<string, unknown>): unknown {
  if (typeof value === 'string') return value.includes('@{') ? resolveString(value, results) : value;
  if (Array.isArray(value)) return value.map((v) => resolve(v, results));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, resolve(v, results)]),
    );
  }
  return value;
}

function isQueryOrCollections(url: string): boolean {
  const path = url.split('?')[0]!.replace(/^\/services\/data\/v[\d.]+/, '');
  return /^\/(query|queryAll)(\/|$)/i.test(path) || /^\/composite\/sobjects(\/|$)/i.test(path);
}

class Halt extends Error {}

function composite(call: RestCall, dispatch: Dispatch): RestResponse {
  return compositeRun(call, dispatch, MAX_SUBREQUESTS);
}

function compositeRun(call: RestCall, dispatch: Dispatch, maxSubrequests: number): RestResponse {
  const body = (call.body ?? {}) as { allOrNone?: unknown; compositeRequest?: unknown; collateSubrequests?: unknown };
  if (!Array.isArray(body.compositeRequest) || body.compositeRequest.length === 0) {
    return fail(400, 'JSON_PARSER_ERROR', 'The request body must contain a compositeRequest array.');
  }
  const subs = body.compositeRequest as SubRequest[];
  if (subs.length > maxSubrequests) {
    // Body as recorded from a real org (guardian/support-service-lambdas PR #766): one
    // compositeResponse item without a referenceId. The HTTP status of that answer was not recorded.
    return json(400, {
      compositeResponse: [
        {
          body: [{ errorCode: 'LIMIT_EXCEEDED', message: 'The request can\u2019t contain more than 25 operations.' }],
          httpHeaders: {},
          httpStatusCode: 400,
          referenceId: null,
        },
      ],
    });
  }
  if (
    maxSubrequests === MAX_SUBREQUESTS &&
    subs.filter((s) => isQueryOrCollections(String(s.url ?? ''))).length > MAX_QUERY_OR_COLLECTIONS
  ) {
    return fail(
      400,
      'INVALID_REQUEST',
      `Composite request can contain at most ${MAX_QUERY_OR_COLLECTIONS} query or sObject Collections subrequests.`,
    );
  }
  const seen = new Set<string>();
  for (const s of subs) {
    if (typeof s.referenceId !== 'string' || !s.referenceId)
      return fail(400, 'INVALID_REQUEST', 'Every subrequest needs a referenceId.');
    // v52.0+: a bad referenceId fails the whole request (REST guide, Composite, "Behavior and
    // response when reference IDs contain invalid characters").
    if (!/^[A-Za-z0-9][A-Za-z0-9_]*$/.test(s.referenceId)) {
      return fail(
        400,
        'JSON_PARSER_ERROR',
        `Provided referenceId ('${s.referenceId}') must start with a letter or a number, and it can contain only letters, numbers and underscores ('_').`,
      );
    }
    if (seen.has(s.referenceId)) return fail(400, 'INVALID_REQUEST', `Duplicate referenceId: ${s.referenceId}`);
    seen.add(s.referenceId);
    if (typeof s.url !== 'string' || typeof s.method !== 'string')
      return fail(400, 'INVALID_REQUEST', 'Every subrequest needs a method and a url.');
  }
  const allOrNone = body.allOrNone === true;
  const results = new Map<string, unknown>();
  const responses: Record<string, unknown>[] = [];
  let failedAt = -1;

  const runAll = (): void => {
    subs.forEach((s, i) => {
      const referenceId = s.referenceId as string;
      let res: RestResponse;
      try {
        const url = resolve(s.url, results) as string;
        const subBody = s.body === undefined ? undefined : resolve(s.body, results);
        res = dispatch(call, String(s.method).toUpperCase(), url, subBody, lowerHeaders(s.httpHeaders));
      } catch (e) {
        if (!(e instanceof UnresolvedReference)) throw e;
        // Wording of the REST guide's Composite example and of recorded responses.
        res = fail(
          400,
          'PROCESSING_HALTED',
          `Invalid reference specified. No value for ${e.expression.replace(/^@\{|\}$/g, '')} found in ${e.refId}.`,
        );
      }
      if (res.status < 300 && res.body !== undefined) results.set(referenceId, res.body);
      responses.push({
        body: res.body ?? null,
        httpHeaders: res.headers ?? {},
        httpStatusCode: res.status,
        referenceId,
      });
      if (allOrNone && res.status >= 400) {
        failedAt = i;
        throw new Halt();
      }
    });
  };

  if (allOrNone) {
    try {
      call.ctx.org.transaction(runAll);
    } catch (e) {
      if (!(e instanceof Halt)) throw e;
    }
  } else runAll();

  if (failedAt >= 0) {
    const halted = subs.map((s, i) =>
      i === failedAt
        ? responses[i]!
        : { body: HALTED, httpHeaders: {}, httpStatusCode: 400, referenceId: s.referenceId },
    );
    return json(200, { compositeResponse: halted });
  }
  return json(200, { compositeResponse: responses });
}

function lowerHeaders(h: Record<string, string> | undefined): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(h ?? {})) out[k.toLowerCase()] = v;
  return out;
}

function batch(call: RestCall, dispatch: Dispatch): RestResponse {
  const body = (call.body ?? {}) as { batchRequests?: unknown; haltOnError?: unknown };
  if (!Array.isArray(body.batchRequests) || body.batchRequests.length === 0) {
    return fail(400, 'JSON_PARSER_ERROR', 'The request body must contain a batchRequests array.');
  }
  if (body.batchRequests.length > MAX_SUBREQUESTS)
    return fail(400, 'INVALID_REQUEST', `Batch request can contain at most ${MAX_SUBREQUESTS} subrequests.`);
  let hasErrors = false;
  let halted = false;
  const results = (body.batchRequests as { method?: string; url?: string; richInput?: unknown }[]).map((r) => {
    if (halted)
      return {
        result: HALTED.map((h) => ({
          ...h,
          errorCode: 'BATCH_PROCESSING_HALTED',
          message: 'Batch processing halted per request',
        })),
        statusCode: 412,
      };
    const rel = String(r.url ?? '').replace(/^\/?(services\/data\/)?/, '');
    const url = `/services/data/${rel}`;
    const res = dispatch(call, String(r.method ?? 'GET').toUpperCase(), url, r.richInput, {});
    if (res.status >= 400) {
      hasErrors = true;
      if (body.haltOnError === true) halted = true;
    }
    return { result: res.body ?? null, statusCode: res.status };
  });
  return json(200, { hasErrors, results });
}

interface TreeNode {
  attributes?: { type?: string; referenceId?: string };
  [key: string]: unknown;
}

function tree(call: RestCall): RestResponse {
  const org = call.ctx.org;
  const rootType = org.describe(call.params.type!);
  if (!rootType) return fail(404, 'NOT_FOUND', 'The requested resource does not exist');
  const body = (call.body ?? {}) as { records?: unknown };
  if (!Array.isArray(body.records))
    return fail(400, 'JSON_PARSER_ERROR', 'The request body must contain a records array.');
  const created: { referenceId: string; id: string }[] = [];
  const errors: { referenceId: string; errors: unknown[] }[] = [];
  let count = 0;
  // Up to 200 records in the whole tree (REST guide, sObject Tree), checked before any is written.
  const countNodes = (nodes: unknown[]): number =>
    nodes.reduce<number>((n, node) => {
      let total = n + 1;
      for (const v of Object.values((node ?? {}) as Record<string, unknown>)) {
        if (v && typeof v === 'object' && Array.isArray((v as { records?: unknown }).records))
          total += countNodes((v as { records: unknown[] }).records);
      }
      return total;
    }, 0);
  if (countNodes(body.records) > 200)
    return fail(400, 'INVALID_REQUEST', 'A tree request can contain at most 200 records.');

  const insertNode = (node: TreeNode, type: string, parent?: { field: string; id: string }): void => {
    count += 1;
    const refId = node.attributes?.referenceId ?? `ref${count}`;
    const def = org.describe(node.attributes?.type ?? type);
    if (!def) {
      errors.push({
        referenceId: refId,
        errors: [
          {
            statusCode: 'INVALID_TYPE',
            message: `sObject type '${String(node.attributes?.type)}' is not supported.`,
            fields: [],
          },
        ],
      });
      return;
    }
    const fields: Record<string, unknown> = {};
    const children: [string, TreeNode[]][] = [];
    for (const [k, v] of Object.entries(node)) {
      if (k === 'attributes') continue;
      if (v && typeof v === 'object' && !Array.isArray(v) && Array.isArray((v as { records?: unknown }).records))
        children.push([k, (v as { records: TreeNode[] }).records]);
      else fields[k] = v;
    }
    if (parent) fields[parent.field] = parent.id;
    const [result] = org.insert(def.name, [fields], { runAsUserId: call.session.userId, apiVersion: call.version });
    if (!result!.success) {
      errors.push({
        referenceId: refId,
        errors: result!.errors.map((e) => ({ statusCode: e.statusCode, message: e.message, fields: e.fields })),
      });
      return;
    }
    created.push({ referenceId: refId, id: result!.id! });
    for (const [relName, records] of children) {
      const rel = childRelationship(def.name, relName);
      if (!rel) {
        errors.push({
          referenceId: refId,
          errors: [
            { statusCode: 'INVALID_FIELD', message: `Invalid relationship ${relName} on ${def.name}`, fields: [] },
          ],
        });
        continue;
      }
      for (const child of records) insertNode(child, rel.child, { field: rel.field, id: result!.id! });
    }
  };

  class TreeFailed extends Error {}
  try {
    org.transaction(() => {
      for (const node of body.records as TreeNode[]) insertNode(node, rootType.name);
      if (errors.length > 0) throw new TreeFailed();
    });
  } catch (e) {
    if (!(e instanceof TreeFailed)) throw e;
    return json(400, { hasErrors: true, results: errors });
  }
  return json(201, { hasErrors: false, results: created });
}

function childRelationship(parent: string, relName: string): { child: string; field: string } | undefined {
  const names: Record<string, [string, string]> = {
    'account.contacts': ['Contact', 'AccountId'],
    'account.tasks': ['Task', 'WhatId'],
    'account.events': ['Event', 'WhatId'],
    'account.childaccounts': ['Account', 'ParentId'],
    'contact.tasks': ['Task', 'WhoId'],
    'lead.tasks': ['Task', 'WhoId'],
    'contact.events': ['Event', 'WhoId'],
    'lead.events': ['Event', 'WhoId'],
    'campaign.campaignmembers': ['CampaignMember', 'CampaignId'],
    'contact.campaignmembers': ['CampaignMember', 'ContactId'],
    'lead.campaignmembers': ['CampaignMember', 'LeadId'],
  };
  const hit = names[`${parent.toLowerCase()}.${relName.toLowerCase()}`];
  return hit ? { child: hit[0], field: hit[1] } : undefined;
}

/**
 * Composite Graph: each graph runs as an all-or-none Composite request of its own; a failed graph
 * rolls back only itself and reports `isSuccessful: false`.
 */
function graph(call: RestCall, dispatch: Dispatch): RestResponse {
  const body = (call.body ?? {}) as { graphs?: unknown };
  if (!Array.isArray(body.graphs) || body.graphs.length === 0)
    return fail(400, 'JSON_PARSER_ERROR', 'The request body must contain a graphs array.');
  const graphs = (body.graphs as { graphId?: unknown; compositeRequest?: unknown }[]).map((g) => {
    const nodes = Array.isArray(g.compositeRequest) ? g.compositeRequest.length : 0;
    if (nodes > 500) return { graphId: g.graphId, graphResponse: { compositeResponse: [] }, isSuccessful: false };
    const res = compositeRun(
      { ...call, body: { allOrNone: true, compositeRequest: g.compositeRequest } },
      dispatch,
      Infinity,
    );
    const responses = ((res.body as { compositeResponse?: { httpStatusCode: number }[] } | undefined)
      ?.compositeResponse ?? []) as { httpStatusCode: number }[];
    const ok = res.status === 200 && responses.every((r) => r.httpStatusCode < 400);
    return {
      graphId: g.graphId,
      graphResponse: res.status === 200 ? res.body : { compositeResponse: [] },
      isSuccessful: ok,
    };
  });
  return json(200, { graphs });
}

export function registerCompositeRoutes(router: RestRouter, dispatch: Dispatch): void {
  router
    .add('GET', '/composite', (call) =>
      json(200, {
        tree: `/services/data/v${call.version}/composite/tree`,
        batch: `/services/data/v${call.version}/composite/batch`,
        sobjects: `/services/data/v${call.version}/composite/sobjects`,
        graph: `/services/data/v${call.version}/composite/graph`,
      }),
    )
    .add('POST', '/composite/graph', (call) => graph(call, dispatch));
  router
    .add('POST', '/composite', (call) => composite(call, dispatch))
    .add('POST', '/composite/batch', (call) => batch(call, dispatch))
    .add('POST', '/composite/tree/:type', tree);
}
