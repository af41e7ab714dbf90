// The managed package's routes owned by the platform: `POST /v1/package/ping` (Setup's "Test
// connection"). The data endpoints (status, engagement, errors, retry) are added by the sync
// engine inside the same `packageScope`.
import type { FastifyInstance } from 'fastify';
import { errorSchema } from './errors.js';
import { packageScope, requireWorkspace, type RouteContext } from './routes.js';

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
                        required: ['ok', 'workspaceId', 'receivedAt'],
                        properties: {
                          ok: { const: true },
                          workspaceId: { type: 'string' },
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
        async (request) => ({
          ok: true,
          workspaceId: requireWorkspace(request).id,
          receivedAt: new Date(ctx.now()).toISOString(),
        }),
      );
    }),
  );
}
