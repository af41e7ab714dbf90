// Mounts the REST API on Fastify: `/services/data` (versions), `/services/data/vNN.N/` (resources)
// and every resource through the RestRouter, so the same handlers serve HTTP and Composite.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EmulatorContext } from '../context.js';
import { fail, json, notFound, type RestCall, type RestResponse } from './http.js';
import { RestRouter } from './router.js';
import { effectiveMethod, registerGuard, lockFaultRequested } from './guard.js';
import { checkVersion, resourceList, versionList } from '../versions.js';
import { registerSObjectRoutes } from './sobjects.js';
import { registerQueryRoutes } from './query.js';
import { registerCollectionRoutes } from './collections.js';
import { registerCompositeRoutes, type Dispatch } from './composite.js';
import { registerLayoutRoutes, unservedMessage } from './layouts.js';
import { registerListViewRoutes } from './listviews.js';
import { registerRecentRoutes } from './recent.js';
import { registerActionRoutes } from './actions.js';

function splitUrl(url: string): { path: string; query: Record<string, string> } {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query: Record<string, string> = {};
  if (q >= 0) for (const [k, v] of new URLSearchParams(url.slice(q + 1))) query[k] = v;
  return { path, query };
}

export function buildRouter(): RestRouter {
  const router = new RestRouter();
  router.add('GET', '/', (call) =>
    // `identity` is the caller's identity URL, which jsforce's conn.identity() follows.
    json(200, {
      ...resourceList(call.version),
      identity: `${call.ctx.baseUrl()}/id/${call.session.orgId}/${call.session.userId}`,
    }),
  );
  router.add('GET', '/limits', (call) => json(200, call.ctx.limits.document()));
  registerSObjectRoutes(router);
  registerQueryRoutes(router);
  registerCollectionRoutes(router);
  registerLayoutRoutes(router);
  registerListViewRoutes(router);
  registerRecentRoutes(router);
  registerActionRoutes(router);
  const dispatch: Dispatch = (outer, method, url, body, headers) => {
    const { path, query } = splitUrl(url);
    const m = /^\/services\/data\/([^/]+)(\/.*)?$/.exec(path);
    if (!m) return notFound();
    const version = checkVersion(m[1]!);
    if (!version.ok)
      return version.status === 410
        ? fail(410, 'GONE', 'The requested API version has been retired. Use a newer version.')
        : notFound();
    const relative = m[2] ?? '/';
    const call: RestCall = {
      ...outer,
      method,
      path: relative,
      version: version.version,
      query,
      headers: { ...outer.headers, ...headers },
      body,
      params: {},
      inComposite: true,
      // A lock fault on the Composite call hits the writes inside it.
      lockFault: outer.lockFault,
    };
    const matched = router.match(method, relative);
    outer.ctx.usage.countSubrequest(method, matched && 'pattern' in matched ? matched.pattern : relative);
    const fault = outer.ctx.faults.takeSubrequest(method, relative, query.q);
    if (fault) {
      const errorCode = fault.errorCode ?? 'UNKNOWN_EXCEPTION';
      return json(fault.status ?? 500, [{ message: fault.message ?? `${errorCode} (injected)`, errorCode }]);
    }
    return route(router, call);
  };
  registerCompositeRoutes(router, dispatch);
  return router;
}

/** Resources of the version list the emulator serves (a wrong path under them is a plain 404). */
const SERVED = new Set(['sobjects', 'query', 'queryAll', 'composite', 'limits', 'jobs', 'recent', 'tabs', 'theme']);

function route(router: RestRouter, call: RestCall): RestResponse {
  // HEAD answers like GET without a body (the guide lists HEAD on most resources).
  const m = router.match(call.method === 'HEAD' ? 'GET' : call.method, call.path);
  if (!m) {
    // A resource the version lists (tooling, search, chatter…) that the emulator does not serve is
    // named in the answer; any other path gets Salesforce's plain 404.
    const first = call.path.split('/').filter(Boolean)[0] ?? '';
    return first in resourceList(call.version) && !SERVED.has(first)
      ? fail(404, 'NOT_FOUND', unservedMessage(call.path))
      : notFound();
  }
  if ('allowed' in m) {
    const res = fail(
      405,
      'METHOD_NOT_ALLOWED',
      `HTTP Method '${call.method}' not allowed. Allowed are ${m.allowed.join(',')}`,
    );
    res.headers = { Allow: m.allowed.join(', ') };
    return res;
  }
  return m.handler({ ...call, params: m.params });
}

function send(reply: FastifyReply, res: RestResponse): FastifyReply {
  reply.code(res.status);
  for (const [k, v] of Object.entries(res.headers ?? {})) reply.header(k, v);
  if (res.body === undefined || res.status === 204 || res.status === 304 || reply.request.method === 'HEAD')
    return reply.send();
  return reply.type('application/json;charset=UTF-8').send(JSON.stringify(res.body));
}

export function registerRestRoutes(app: FastifyInstance, ctx: EmulatorContext): RestRouter {
  const router = buildRouter();
  registerGuard(app, ctx, router);

  // The version list needs no session and carries no Sforce-Limit-Info.
  const versions = async (_req: FastifyRequest, reply: FastifyReply) => reply.send(versionList());
  app.get('/services/data', versions);
  app.get('/services/data/', versions);

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const raw = request.raw.url ?? request.url;
    const { path, query } = splitUrl(raw);
    const m = /^\/services\/data\/([^/]+)(\/.*)?$/.exec(path)!;
    const version = checkVersion(m[1]!);
    if (!version.ok) return send(reply, notFound());
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(request.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
    const call: RestCall = {
      method: effectiveMethod(request),
      path: m[2] ?? '/',
      version: version.version,
      query,
      headers,
      body: request.body,
      session: ctx.session(request)!,
      ctx,
      params: {},
      lockFault: lockFaultRequested(request),
    };
    return send(reply, route(router, call));
  };
  app.all('/services/data/:version', handler);
  app.all('/services/data/:version/*', handler);
  return router;
}
