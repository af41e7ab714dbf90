// The managed package's data endpoints (docs/package-api.md): status, engagement, errors, retry,
// errors.csv, conflicts — inside the platform's packageScope (Bearer org key). An org key answers for
// every workspace connected to its org, and every query is scoped to those workspaces (or to the one a
// `workspace` parameter names among them), so another org's ids and events are simply not found.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errorSchema, HttpError } from '../../http/errors.js';
import { packageScope, requireOrg, type RouteContext } from '../../http/routes.js';
import type { Workspace } from '../../workspaces/types.js';
import type { Engine } from '../../sync/engine.js';
import { readEngagement } from './engagement.js';
import { errorsCsv, listErrors, retryErrors } from './errors-api.js';
import { one, type Query } from './params.js';
import { readOrgStatus } from './status.js';
import { runBudgetCheck } from './budget.js';
import { packageConflicts } from '../../conflicts/api.js';

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

/**
 * The workspaces a call is about: the one named by `workspace` (query, or body for POST) among the
 * org's, else all of them. A name that is not one of the org's is 404, as if it did not exist.
 */
export function workspacesOf(request: FastifyRequest): Workspace[] {
  const org = requireOrg(request);
  const fromBody = (request.body as { workspace?: unknown } | undefined)?.workspace;
  const named = one(request.query as Query, 'workspace') ?? (typeof fromBody === 'string' ? fromBody : undefined);
  if (named === undefined) return org.workspaces;
  const workspace = org.workspaces.find((w) => w.id === named);
  if (!workspace) throw new HttpError(404, 'NOT_FOUND', 'workspace: not a workspace connected to this org');
  return [workspace];
}

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
        async (request) =>
          readOrgStatus(ctx.db, ctx.queue, engine, requireOrg(request).workspaces, workspacesOf(request)[0]!),
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
        async (request) => readEngagement(ctx.db, engine, workspacesOf(request), request.query as Query),
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
        async (request) =>
          listErrors(
            ctx.db,
            workspacesOf(request).map((w) => w.id),
            request.query as Query,
          ),
      );
      scope.get(
        '/v1/package/conflicts',
        {
          config: {
            openapi: {
              summary: 'Fields both sides changed since the last sync, and which side won, newest first',
              tags: ['package'],
              security: 'orgKey',
              responses: { '200': json('{"conflicts": [...]}'), ...problems },
            },
          },
        },
        async (request) =>
          packageConflicts(
            ctx.db,
            workspacesOf(request).map((w) => w.id),
            request.query as Query,
          ),
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
          const csv = await errorsCsv(
            ctx.db,
            workspacesOf(request).map((w) => w.id),
            request.query as Query,
          );
          return reply
            .type('text/csv; charset=utf-8')
            .header('content-disposition', 'attachment; filename="relay-sync-errors.csv"')
            .send(csv);
        },
      );
      scope.post(
        '/v1/package/budget/check',
        {
          config: {
            openapi: {
              summary: "Check the API budget now: resume syncing paused for Relay's share when it allows",
              tags: ['package'],
              security: 'orgKey',
              responses: {
                '200': json(
                  '{"resumed","paused","pausedUntil","max","maxSharePercent","relayUsedToday","relayBudget","message"}',
                ),
                ...problems,
              },
            },
          },
        },
        async (request) => runBudgetCheck(engine, ctx.queue, workspacesOf(request)[0]!),
      );
      scope.post(
        '/v1/package/errors/retry',
        {
          config: {
            openapi: {
              summary: 'Retry failed events, and unmatched ones a retry can now match',
              tags: ['package'],
              security: 'orgKey',
              responses: {
                '200': json('{"queued": n, "left": [{"category","count","reason"}], "message"}'),
                ...problems,
              },
            },
          },
        },
        async (request) => retryErrors(ctx.db, ctx.queue, engine, workspacesOf(request), request.body),
      );
    }),
  );
}
