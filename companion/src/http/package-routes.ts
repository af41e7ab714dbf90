// The managed package's routes owned by the platform: `POST /v1/package/ping` (Setup's "Test
// connection"). The data endpoints (status, engagement, errors, retry) are added by the sync
// engine inside the same `packageScope`.
import type { FastifyInstance } from 'fastify';
import { errorSchema } from './errors.js';
import { packageScope, requireOrg, type RouteContext } from './routes.js';

export function registerPackageRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.register(
    packageScope(ctx, (scope) => {
      scope.post(
        '/v1/package/ping',
        {
          config: {
            openapi: {
              summary: 'Test the connection from the managed package',
              tags: ['package'],
              security: 'orgKey',
              responses: {
                '200': {
                  description: 'The org key is valid.',
                  content: {
                    'application/json': {
                      schema: {
                        type: 'object',
                        required: ['ok', 'workspaceId', 'orgId', 'workspaces', 'receivedAt'],
                        properties: {
                          ok: { const: true },
                          workspaceId: { type: 'string' },
                          orgId: { type: 'string' },
                          workspaces: { type: 'array', items: { type: 'object' } },
                          receivedAt: { type: 'string', format: 'date-time' },
                        },
                      },
                    },
                  },
                },
                '401': {
                  description: 'Missing or wrong org key.',
                  content: { 'application/json': { schema: errorSchema } },
                },
              },
            },
          },
        },
        async (request) => {
          const org = requireOrg(request);
          return {
            ok: true,
            workspaceId: org.workspaces[0]!.id,
            orgId: org.orgId,
            workspaces: org.workspaces.map((w) => ({ id: w.id, name: w.name, connection: w.connection.status })),
            receivedAt: new Date(ctx.now()).toISOString(),
          };
        },
      );
    }),
  );
}
