// The managed package's data endpoints (docs/package-api.md): status, engagement, errors, retry,
// errors.csv — inside the platform's packageScope (Bearer org key; every query scoped to the key's
// workspace, so another tenant's ids and events are simply not found).
import type { FastifyInstance } from 'fastify';
import { errorSchema } from '../../http/errors.js';
import { packageScope, requireWorkspace, type RouteContext } from '../../http/routes.js';
import type { Engine } from '../../sync/engine.js';
import { readEngagement } from './engagement.js';
import { errorsCsv, listErrors, retryErrors } from './errors-api.js';
import type { Query } from './params.js';
import { readStatus } from './status.js';

const json = (description: string) => ({
  description,
  content: { 'application/json': { schema: { type: 'object' } } },
});
const problems = {
  '400': {
    description: 'A parameter breaks a rule (the message names it).',
    content: { 'application/json': { schema: errorSchema } },
  },
  '401': { description: 'Missing or wrong org key.', content: { 'application/json': { schema: errorSchema } } },
};

export function registerPackageApi(app: FastifyInstance, ctx: RouteContext, engine: Engine): void {
  app.register(
    packageScope(ctx, (scope) => {
      scope.get(
        '/v1/package/status',
        {
          config: {
            openapi: {
              summary: 'Sync status: connection, API usage, quota, backlog',
              tags: ['package'],
              security: 'orgKey',
              responses: { '200': json('The status.'), ...problems },
            },
          },
        },
        async (request) => readStatus(ctx.db, ctx.queue, engine, requireWorkspace(request)),
      );
      scope.get(
        '/v1/package/engagement',
        {
          config: {
            openapi: {
              summary: 'Engagement timeline of a Lead, Contact or Account (recordId) or of an email',
              tags: ['package'],
              security: 'orgKey',
              responses: { '200': json('Summary, match, person and items, newest first.'), ...problems },
            },
          },
        },
        async (request) => readEngagement(ctx.db, engine, requireWorkspace(request), request.query as Query),
      );
      scope.get(
        '/v1/package/errors',
        {
          config: {
            openapi: {
              summary: 'Per-record sync errors by category',
              tags: ['package'],
              security: 'orgKey',
              responses: { '200': json('Groups and items.'), ...problems },
            },
          },
        },
        async (request) => listErrors(ctx.db, requireWorkspace(request), request.query as Query),
      );
      scope.get(
        '/v1/package/errors.csv',
        {
          config: {
            openapi: {
              summary: 'Sync errors as CSV',
              tags: ['package'],
              security: 'orgKey',
              responses: {
                '200': {
                  description: 'text/csv with a header row.',
                  content: { 'text/csv': { schema: { type: 'string' } } },
                },
                ...problems,
              },
            },
          },
        },
        async (request, reply) => {
          const csv = await errorsCsv(ctx.db, requireWorkspace(request), request.query as Query);
          return reply
            .type('text/csv; charset=utf-8')
            .header('content-disposition', 'attachment; filename="relay-sync-errors.csv"')
            .send(csv);
        },
      );
      scope.post(
        '/v1/package/errors/retry',
        {
          config: {
            openapi: {
              summary: 'Retry failed or unmatched events',
              tags: ['package'],
              security: 'orgKey',
              responses: { '200': json('{"queued": n}'), ...problems },
            },
          },
        },
        async (request) => retryErrors(ctx.db, ctx.queue, requireWorkspace(request), request.body),
      );
    }),
  );
}
