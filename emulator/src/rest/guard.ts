// The checks every call under /services/data/vNN.N/ passes before its handler, in Salesforce's
// order: URI length (414), URI plus headers (431), API version (404/410), session (401), injected faults, the daily API
// request limit (403), then the call is counted once and `Sforce-Limit-Info` is set. Bulk routes
// (part B) get the same treatment because the hook is global.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EmulatorContext } from '../context.js';
import type { Session } from '../oauth/sessions.js';
import { bearerToken } from '../oauth/bearer.js';
import { checkVersion } from '../versions.js';
import type { RestRouter } from './router.js';

export const MAX_URI_BYTES = 16384;
const SESSION_KEY = Symbol('relay.session');

type WithSession = FastifyRequest & { [SESSION_KEY]?: Session };

export function sessionOf(request: FastifyRequest): Session | undefined {
  return (request as WithSession)[SESSION_KEY];
}

export function limitInfo(ctx: EmulatorContext): string {
  const max = ctx.limits.getMax('DailyApiRequests');
  return `api-usage=${max - ctx.limits.remaining('DailyApiRequests')}/${max}`;
}

/** Bytes of the request's header lines as sent (`Name: value` and the line break). */
function headerBytes(request: FastifyRequest): number {
  const raw = request.raw.rawHeaders;
  let n = 0;
  for (let i = 0; i + 1 < raw.length; i += 2) n += Buffer.byteLength(raw[i]!) + Buffer.byteLength(raw[i + 1]!) + 4;
  return n;
}

/**
 * The method a REST call stands for: a POST may name another with `?_HttpMethod=PATCH` (REST API
 * Developer Guide, "Update a Record", for HTTP libraries that cannot send PATCH).
 */
export function effectiveMethod(request: FastifyRequest): string {
  if (request.method !== 'POST') return request.method;
  const url = request.raw.url ?? request.url;
  const q = url.indexOf('?');
  if (q < 0) return request.method;
  const override = new URLSearchParams(url.slice(q + 1)).get('_HttpMethod');
  return override ? override.toUpperCase() : request.method;
}

const DATA_PATH = /^\/services\/data\/([^/?]+)(\/[^?]*)?/;

/** `METHOD pattern` key of a request for the usage counters (pattern without the version). */
function endpointPattern(request: FastifyRequest, relative: string, router: RestRouter): string {
  const routeUrl = request.routeOptions.url;
  if (routeUrl && !routeUrl.endsWith('*') && effectiveMethod(request) === request.method)
    return routeUrl.replace(/^\/services\/data\/:[^/]+/, '') || '/';
  const method = effectiveMethod(request);
  const m = router.match(method === 'HEAD' ? 'GET' : method, relative);
  return m && 'pattern' in m ? m.pattern : relative;
}

export function registerGuard(app: FastifyInstance, ctx: EmulatorContext, router: RestRouter): void {
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const rawUrl = request.raw.url ?? request.url;
    // docs/emulator-control-plane.md and the REST API Developer Guide: every REST response under a version carries
    // Sforce-Limit-Info (the version list at /services/data does not), refusals included.
    if (/^\/services\/data\/v/.test(rawUrl)) reply.header('Sforce-Limit-Info', limitInfo(ctx));
    if (Buffer.byteLength(rawUrl) > MAX_URI_BYTES) {
      return reply
        .code(414)
        .type('application/json;charset=UTF-8')
        .send([{ errorCode: 'URI_TOO_LONG', message: 'The request URI is too long' }]);
    }
    // REST API Developer Guide, "Status Codes and Error Responses": 431 when the URI and the
    // headers together exceed 16,384 bytes (the URI alone is judged above).
    if (Buffer.byteLength(rawUrl) + headerBytes(request) > MAX_URI_BYTES) {
      return reply
        .code(431)
        .type('application/json;charset=UTF-8')
        .send([{ errorCode: 'REQUEST_HEADER_FIELDS_TOO_LARGE', message: 'Request header fields too large' }]);
    }
    const m = DATA_PATH.exec(rawUrl);
    if (!m) {
      if (!rawUrl.startsWith('/services/oauth2/')) return;
      // Faults aimed at the OAuth endpoints answer in OAuth's error shape.
      const fault = ctx.faults.takeExplicit(request.method, rawUrl.split('?')[0]!);
      if (!fault) return;
      if (fault.latencyMs) await new Promise((r) => setTimeout(r, fault.latencyMs));
      if (!fault.status && !fault.errorCode) return;
      return reply.code(fault.status ?? 400).send({
        error: (fault.errorCode ?? 'server_unavailable').toLowerCase(),
        error_description: fault.message ?? defaultFaultMessage(fault.errorCode ?? 'SERVER_UNAVAILABLE'),
      });
    }
    const relative = m[2] ?? '';
    if (relative === '' || relative === '/') {
      if (m[1] === '' || !m[1]!.startsWith('v')) return;
    }
    const version = checkVersion(m[1]!);
    if (!version.ok) {
      if (version.status === 410) {
        return reply
          .code(410)
          .send([{ errorCode: 'GONE', message: 'The requested API version has been retired. Use a newer version.' }]);
      }
      return reply.code(404).send([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
    }
    const session = ctx.auth.validate(bearerToken(request));
    if (!session) {
      return reply
        .code(401)
        .header('WWW-Authenticate', 'Token')
        .send([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    }
    (request as WithSession)[SESSION_KEY] = session;
    const fault = ctx.faults.take(effectiveMethod(request), relative.replace(/\/$/, '') || '/', rawUrl.split('?')[0]!);
    if (fault?.latencyMs) await new Promise((r) => setTimeout(r, fault.latencyMs));
    const faultCode = fault?.errorCode ?? (fault?.status ? defaultFaultCode(fault.status) : undefined);
    if (faultCode === 'REQUEST_LIMIT_EXCEEDED' || !ctx.limits.consume('DailyApiRequests', 1)) {
      return reply
        .code(fault?.status ?? 403)
        .header('Sforce-Limit-Info', limitInfo(ctx))
        .send([{ message: fault?.message ?? 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
    }
    ctx.usage.count(effectiveMethod(request), endpointPattern(request, relative, router));
    reply.header('Sforce-Limit-Info', limitInfo(ctx));
    if (fault && faultCode) {
      if (faultCode === 'UNABLE_TO_LOCK_ROW' && !fault.status) {
        (request as FastifyRequest & { relayLockFault?: true }).relayLockFault = true;
        return;
      }
      const message = fault.message ?? defaultFaultMessage(faultCode);
      return reply.code(fault.status ?? 500).send([{ message, errorCode: faultCode }]);
    }
  });
}

/** The error code Salesforce sends with a status when a fault names only the status. */
function defaultFaultCode(status: number): string {
  if (status === 401) return 'INVALID_SESSION_ID';
  if (status === 403) return 'REQUEST_LIMIT_EXCEEDED';
  if (status === 404) return 'NOT_FOUND';
  if (status === 500) return 'UNKNOWN_EXCEPTION';
  return 'SERVER_UNAVAILABLE';
}

function defaultFaultMessage(code: string): string {
  switch (code) {
    case 'SERVER_UNAVAILABLE':
      return 'Server temporarily unavailable';
    case 'INVALID_SESSION_ID':
      return 'Session expired or invalid';
    case 'UNABLE_TO_LOCK_ROW':
      return 'unable to obtain exclusive access to this record';
    case 'NOT_FOUND':
      return 'The requested resource does not exist';
    case 'API_DISABLED_FOR_ORG':
      return 'The REST API is not enabled for this Organization.';
    case 'REQUEST_LIMIT_EXCEEDED':
      return 'TotalRequests Limit exceeded.';
    default:
      return 'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)';
  }
}

/** Whether the guard asked the handler to fail its writes with UNABLE_TO_LOCK_ROW. */
export function lockFaultRequested(request: FastifyRequest): boolean {
  return !!(request as FastifyRequest & { relayLockFault?: true }).relayLockFault;
}
