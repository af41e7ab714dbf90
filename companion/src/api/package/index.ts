// The managed package's data endpoints (docs/package-api.md): status, engagement, errors, retry,
// errors.csv, conflicts — inside the platform's packageScope (Bearer org key). An org key answers for
// every workspace connected to its org, and every query is scoped to those workspaces (or to the one a
// `workspace` parameter names among them), so another org's ids and events are simply not found.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errorSchema, HttpError } from '../../http/errors.js';
import type { RouteDoc } from '../../http/openapi.js';
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

/** The filters of GET /v1/package/errors and errors.csv (errors-api.ts checks them). */
const errorFilters: NonNullable<RouteDoc['parameters']> = [
  {
    name: 'category',
    in: 'query',
    description: 'One error category.',
    schema: {
      type: 'string',
      enum: ['validation', 'duplicate', 'permission', 'configuration', 'limit', 'transient', 'unmatched', 'delivery'],
    },
  },
  { name: 'workspace', in: 'query', description: "One of the org's workspaces.", schema: { type: 'string' } },
  {
    name: 'since',
    in: 'query',
    description: 'Errors last attempted (or, never attempted, whose event happened) within this range back from now.',
    schema: { type: 'string', enum: ['1h', '24h', '7d', '30d', 'all'], default: 'all' },
  },
  {
    name: 'cause',
    in: 'query',
    description: 'One cause: a causes[].cause key, <category>:<errorCode>:<field>.',
    schema: { type: 'string', maxLength: 255 },
  },
];

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
              summary:
                'Per-record sync errors by category and by cause, filtered by category, workspace, time and cause',
              description:
                'groups counts each category within workspace and since; causes (count, first and last seen, ' +
                'sentence, fix, action, retry advice) and items follow every filter.',
              parameters: [
                ...errorFilters,
                {
                  name: 'limit',
                  in: 'query',
                  description: 'Items per page.',
                  schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
                },
                {
                  name: 'cursor',
                  in: 'query',
                  description: 'nextCursor of the previous page.',
                  schema: { type: 'string' },
                },
              ],
              tags: ['package'],
              security: 'orgKey',
              responses: {
                '200': json('{"groups": [...], "causes": [...], "items": [...], "nextCursor"}'),
                ...problems,
              },
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
              summary: 'Sync errors as CSV, with the filters of GET /v1/package/errors',
              parameters: errorFilters,
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
              summary: 'Retry failed events (by id, by cause or all), and unmatched ones a retry can now match',
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
