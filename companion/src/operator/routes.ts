// The operator API (docs/operator-api.md): `Authorization: Bearer <operator token>` on every route
// under /v1/admin; tokens come from RELAY_OPERATOR_TOKEN (several during a rotation) and are
// compared as SHA-256 digests in constant time. Without a configured token every request is 401.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { hashOperatorToken } from '../config/env.js';
import { HttpError } from '../http/errors.js';
import type { RouteContext } from '../http/routes.js';
import { ConnectError } from '../connections/connect.js';
import type { Workspace } from '../workspaces/types.js';
import { WorkspaceExistsError } from '../workspaces/store.js';
import { operatorActor, readAudit } from './audit.js';
import {
  bool,
  ENVIRONMENTS,
  graceSeconds,
  objectBody,
  oneOf,
  orgIdOf,
  text,
  urlOrNull,
  workspaceIdOf,
} from './input.js';
import { adminDoc } from './docs.js';
import type { Operator } from './service.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who made an operator request (audit log), set by the operator scope. */
    operator: string | null;
  }
}

export interface OperatorRouteDeps {
  operator: Operator;
  /** The package status shape of one workspace (api/package/status.ts). */
  status(workspace: Workspace): Promise<unknown>;
  /** Reads the org's API limit and Relay's share now and ends an API_BUDGET pause they allow. */
  checkBudget(workspace: Workspace): Promise<unknown>;
}

/** The answer shape of a workspace: never a secret. */
export function workspaceView(w: Workspace): Record<string, unknown> {
  return {
    id: w.id,
    name: w.name,
    active: w.active,
    outboundUrl: w.outboundUrl,
    createdAt: w.createdAt,
    updatedAt: w.updatedAt,
    connection: {
      ...w.connection,
      flow: w.salesforce?.authFlow ?? null,
      loginUrl: w.salesforce?.loginUrl ?? null,
    },
  };
}

/** The operator named by the request's bearer token (the audit actor); 401 otherwise. */
export function authenticate(ctx: RouteContext, request: FastifyRequest): string {
  const hashes = ctx.config.security.operatorTokenHashes;
  if (hashes.length === 0) {
    throw new HttpError(401, 'UNAUTHENTICATED', 'the operator API is off: set RELAY_OPERATOR_TOKEN to use it');
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  if (!match) throw new HttpError(401, 'UNAUTHENTICATED', 'Authorization: Bearer <operator token> is required');
  const given = Buffer.from(hashOperatorToken(match[1]!), 'hex');
  let found: string | null = null;
  for (const hash of hashes) if (timingSafeEqual(given, Buffer.from(hash, 'hex'))) found = hash;
  if (!found) throw new HttpError(401, 'UNAUTHENTICATED', 'the operator token is not valid');
  return operatorActor(found);
}

export function registerOperatorRoutes(app: FastifyInstance, ctx: RouteContext, deps: OperatorRouteDeps): void {
  const { operator } = deps;
  const actor = (request: FastifyRequest) => request.operator!;
  const workspaceOf = async (request: FastifyRequest): Promise<Workspace> => {
    const id = (request.params as { id: string }).id;
    const workspace = await operator.getWorkspace(id);
    if (!workspace) throw new HttpError(404, 'NOT_FOUND', `no workspace '${id}'`);
    return workspace;
  };
  const connectFailure = (error: unknown): never => {
    if (error instanceof ConnectError) throw new HttpError(error.status, error.code, error.message);
    throw error;
  };

  app.register(async (scope) => {
    scope.decorateRequest('operator', null);
    scope.addHook('onRequest', async (request) => {
      request.operator = authenticate(ctx, request);
    });

    scope.post(
      '/v1/admin/workspaces',
      { config: { openapi: adminDoc('Create a workspace', '201') } },
      async (request, reply) => {
        const body = objectBody(request.body, ['name', 'id', 'outboundUrl']);
        const input = {
          name: text(body, 'name', { required: true, max: 200 })!,
          ...(body.id !== undefined ? { id: workspaceIdOf(text(body, 'id', { max: 64 }))! } : {}),
          ...(body.outboundUrl !== undefined ? { outboundUrl: urlOrNull(body, 'outboundUrl') ?? null } : {}),
        };
        try {
          const { workspace, signingSecret } = await operator.createWorkspace(input, actor(request));
          return reply.status(201).send({ workspace: workspaceView(workspace), signingSecret });
        } catch (error) {
          if (error instanceof WorkspaceExistsError) throw new HttpError(409, 'CONFLICT', error.message);
          throw error;
        }
      },
    );

    scope.get('/v1/admin/workspaces', { config: { openapi: adminDoc('List workspaces') } }, async () => ({
      workspaces: (await operator.listWorkspaces()).map(workspaceView),
    }));

    scope.get('/v1/admin/workspaces/:id', { config: { openapi: adminDoc('Show a workspace') } }, async (request) => ({
      workspace: workspaceView(await workspaceOf(request)),
    }));

    scope.patch(
      '/v1/admin/workspaces/:id',
      { config: { openapi: adminDoc('Change a workspace') } },
      async (request) => {
        const workspace = await workspaceOf(request);
        const body = objectBody(request.body, ['name', 'outboundUrl', 'active']);
        const name = text(body, 'name', { max: 200 });
        const outboundUrl = urlOrNull(body, 'outboundUrl');
        const active = bool(body, 'active');
        const updated = await operator.updateWorkspace(
          workspace.id,
          {
            ...(name !== undefined ? { name } : {}),
            ...(outboundUrl !== undefined ? { outboundUrl } : {}),
            ...(active !== undefined ? { active } : {}),
          },
          actor(request),
        );
        return { workspace: workspaceView(updated!) };
      },
    );

    scope.delete(
      '/v1/admin/workspaces/:id',
      { config: { openapi: adminDoc('Delete a workspace', '204') } },
      async (request, reply) => {
        const workspace = await workspaceOf(request);
        await operator.deleteWorkspace(workspace.id, actor(request));
        return reply.status(204).send();
      },
    );

    scope.post(
      '/v1/admin/workspaces/:id/signing-secrets',
      { config: { openapi: adminDoc('Rotate the signing secret', '201') } },
      async (request, reply) => {
        const workspace = await workspaceOf(request);
        const grace = graceSeconds(objectBody(request.body, ['graceSeconds']));
        const rotated = await operator.rotateSigningSecret(workspace.id, grace, actor(request));
        return reply.status(201).send(rotated);
      },
    );

    scope.post(
      '/v1/admin/workspaces/:id/connect',
      { config: { openapi: adminDoc('Connect to a Salesforce org') } },
      async (request) => {
        const workspace = await workspaceOf(request);
        const raw = objectBody(request.body, [
          'flow',
          'environment',
          'loginUrl',
          'clientId',
          'clientSecret',
          'username',
          'privateKeyPem',
        ]);
        const flow = oneOf(raw, 'flow', ['web', 'jwt_bearer', 'client_credentials'] as const)!;
        const clientId = text(raw, 'clientId', { required: true, max: 512 })!;
        const loginUrl = text(raw, 'loginUrl', { max: 2048 });
        const environment = oneOf(raw, 'environment', ENVIRONMENTS, flow === 'web');
        const clientSecret = text(raw, 'clientSecret', { max: 1024 });
        try {
          if (flow === 'web') {
            return await operator.startWebConnect(
              workspace,
              {
                environment: environment!,
                clientId,
                ...(loginUrl ? { loginUrl } : {}),
                ...(clientSecret ? { clientSecret } : {}),
              },
              actor(request),
            );
          }
          if (!loginUrl && !environment) throw new HttpError(400, 'BAD_REQUEST', 'loginUrl: required (or environment)');
          const serverInput =
            flow === 'jwt_bearer'
              ? {
                  flow,
                  username: text(raw, 'username', { required: true, max: 255 })!,
                  privateKeyPem: text(raw, 'privateKeyPem', { required: true, max: 16_384 })!,
                }
              : { flow, clientSecret: text(raw, 'clientSecret', { required: true, max: 1024 })! };
          const connected = await operator.connectServer(
            workspace,
            {
              ...serverInput,
              clientId,
              ...(loginUrl ? { loginUrl } : {}),
              ...(environment ? { environment } : {}),
            } as Parameters<Operator['connectServer']>[1],
            actor(request),
          );
          return { workspace: workspaceView(connected) };
        } catch (error) {
          return connectFailure(error);
        }
      },
    );

    scope.post(
      '/v1/admin/workspaces/:id/disconnect',
      { config: { openapi: adminDoc('Disconnect from the org (the token is revoked)') } },
      async (request) => {
        const workspace = await workspaceOf(request);
        const result = await operator.disconnect(workspace, actor(request));
        return {
          workspace: workspaceView(result.workspace),
          revoked: result.revoked,
          ...(result.revokeError ? { revokeError: result.revokeError } : {}),
        };
      },
    );

    scope.get(
      '/v1/admin/workspaces/:id/status',
      { config: { openapi: adminDoc('Sync status of a workspace') } },
      async (request) => deps.status(await workspaceOf(request)),
    );

    scope.post(
      '/v1/admin/workspaces/:id/budget-check',
      { config: { openapi: adminDoc("Check the API budget now: resume a workspace paused for Relay's share") } },
      async (request) => deps.checkBudget(await workspaceOf(request)),
    );

    scope.post(
      '/v1/admin/orgs/:orgId/org-key',
      { config: { openapi: adminDoc("Issue or rotate an org's key", '201') } },
      async (request, reply) => {
        const orgId = orgIdOf((request.params as { orgId: string }).orgId);
        const grace = graceSeconds(objectBody(request.body, ['graceSeconds']));
        return reply.status(201).send(await operator.rotateOrgKey(orgId, grace, actor(request)));
      },
    );

    scope.get('/v1/admin/audit', { config: { openapi: adminDoc('The audit log, newest first') } }, async (request) => {
      const query = request.query as Record<string, unknown>;
      const workspace = typeof query.workspace === 'string' ? workspaceIdOf(query.workspace, 'workspace')! : null;
      const limit = query.limit === undefined ? 100 : Number(query.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
        throw new HttpError(400, 'BAD_REQUEST', 'limit: an integer from 1 to 1000');
      }
      return { entries: await readAudit(ctx.db, workspace, limit) };
    });
  });
}
