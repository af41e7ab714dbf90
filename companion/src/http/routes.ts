// How routes plug into the companion. Every route module is a RoutePlugin: a function receiving
// the Fastify app and a RouteContext (database, logger, queue control, workspaces, auth). Routes
// that platforms call are registered inside `signedScope` (Relay-Workspace + Relay-Signature over
// the raw body, docs/platform-api.md); routes the managed package calls inside `packageScope` (Bearer org
// key, docs/package-api.md). Both set `request.workspace`; every query must be scoped by it.
// Document a route by passing `config: { openapi: {...} }`; /openapi.json lists every route.
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config/env.js';
import type { Db } from '../db/types.js';
import type { QueueControl } from '../queue/control.js';
import type { WorkspaceDirectory } from '../workspaces/directory.js';
import type { Workspace } from '../workspaces/types.js';
import type { RouteDoc } from './openapi.js';
import { HttpError } from './errors.js';
import { assertJsonDepth } from './json-depth.js';

/** Who calls the package API: the org of the org key, and every workspace connected to it. */
export interface OrgCaller {
  orgId: string;
  /** At least one, ordered by id. */
  workspaces: Workspace[];
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated workspace (set by signedScope; packageScope sets the org's first). */
    workspace: Workspace | null;
    /** The org of an org key and its workspaces (set by packageScope). */
    org: OrgCaller | null;
    /** The raw request body in signed scopes (what the signature covers). */
    rawBody: Buffer | null;
  }
  interface FastifyContextConfig {
    openapi?: RouteDoc;
  }
}

export interface RouteAuth {
  /** Resolves the workspace of a request signed per docs/platform-api.md, or throws HttpError 401. */
  verifySigned(request: FastifyRequest, body: Buffer): Promise<Workspace>;
  /** Resolves the org of `Authorization: Bearer <org key>` and its workspaces, or throws HttpError 401. */
  verifyOrgKey(request: FastifyRequest): Promise<OrgCaller>;
}

export interface RouteContext {
  config: Config;
  db: Db;
  log: Logger;
  queue: QueueControl;
  workspaces: WorkspaceDirectory;
  auth: RouteAuth;
  /** The companion's clock in milliseconds (tests move it). */
  now(): number;
  /** Told what each intake request stored: accepted, duplicate and rejected events (metrics). */
  onIntake?: (workspaceId: string, counts: { accepted: number; duplicates: number; rejected: number }) => void;
}

export type RoutePlugin = (app: FastifyInstance, ctx: RouteContext) => Promise<void> | void;

/** The org of a package API request (throws if the route is outside packageScope). */
export function requireOrg(request: FastifyRequest): OrgCaller {
  if (!request.org) throw new HttpError(401, 'UNAUTHENTICATED', 'this route needs an org key');
  return request.org;
}

/** The workspace of an authenticated request (throws if the route is outside a scope). */
export function requireWorkspace(request: FastifyRequest): Workspace {
  if (!request.workspace) throw new HttpError(401, 'UNAUTHENTICATED', 'this route needs authentication');
  return request.workspace;
}

function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new HttpError(400, 'INVALID_JSON', `the body is not valid JSON: ${(error as Error).message}`);
  }
  assertJsonDepth(body);
  return body;
}

/**
 * A Fastify plugin whose routes are authenticated with Relay-Workspace + Relay-Signature. JSON
 * bodies are kept raw until the signature is checked, then parsed into `request.body`; GET and
 * other bodiless requests are signed over an empty body.
 */
export function signedScope(
  ctx: RouteContext,
  register: (scope: FastifyInstance) => Promise<void> | void,
): FastifyPluginAsync {
  return async (scope) => {
    scope.removeContentTypeParser(['application/json']);
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    scope.addHook('preHandler', async (request) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      request.rawBody = raw;
      request.workspace = await ctx.auth.verifySigned(request, raw);
      request.body = parseJsonBody(raw);
    });
    await register(scope);
  };
}

/**
 * A Fastify plugin whose routes are authenticated with the workspace's org key (the managed
 * package's Named Credential). An empty JSON body is accepted (Apex often sends one).
 */
export function packageScope(
  ctx: RouteContext,
  register: (scope: FastifyInstance) => Promise<void> | void,
): FastifyPluginAsync {
  return async (scope) => {
    scope.removeContentTypeParser(['application/json']);
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    scope.addHook('onRequest', async (request) => {
      request.org = await ctx.auth.verifyOrgKey(request);
      request.workspace = request.org.workspaces[0]!;
    });
    scope.addHook('preValidation', async (request) => {
      if (Buffer.isBuffer(request.body)) request.body = parseJsonBody(request.body);
    });
    await register(scope);
  };
}
