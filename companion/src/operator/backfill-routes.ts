// The operator API's backfill routes (docs/operator-api.md, "Backfills"), authenticated like every
// /v1/admin route. A backfill is planned (dryRun: the figures, nothing spent but the to-platform
// count), started or found again (the same command continues an unfinished run), driven page by page
// (to-platform) and followed until its events synced (to-salesforce).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from '../http/errors.js';
import type { RouteContext } from '../http/routes.js';
import { IntegrationError, LimitPauseError } from '../errors.js';
import type { Workspace } from '../workspaces/types.js';
import { BackfillRefused, type PlatformBackfill } from '../backfill/platform.js';
import type { SalesforceBackfill } from '../backfill/salesforce.js';
import { getRun, listRuns, type Run } from '../backfill/runs.js';
import { audit } from './audit.js';
import { adminDoc } from './docs.js';
import { authenticateOperator } from './routes.js';
import { bool, objectBody, oneOf } from './input.js';
import type { Operator } from './service.js';

/** A file of 100,000 events is far above intake's 10 MB; the backfill route takes up to 100 MB. */
const BACKFILL_BODY_BYTES = 100 * 1024 * 1024;

export interface BackfillRouteDeps {
  operator: Operator;
  toPlatform: PlatformBackfill;
  toSalesforce: SalesforceBackfill;
}

export function runView(run: Run): Record<string, unknown> {
  return {
    id: run.id,
    workspaceId: run.workspaceId,
    direction: run.direction,
    origin: run.origin,
    state: run.state,
    plan: run.plan,
    spent: run.spent,
    records: run.done,
    announced: run.announced,
    alreadySent: run.alreadySent,
    cursor: run.direction === 'to-platform' ? run.cursor : undefined,
    lastError: run.lastError,
    startedAt: run.startedAt.toISOString(),
    updatedAt: run.updatedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

/** Refusals and Salesforce's answers as operator API errors. */
async function answering<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof BackfillRefused) throw new HttpError(error.status, error.code, error.message);
    if (error instanceof LimitPauseError)
      throw new HttpError(503, error.code, `${error.message}; try again after ${error.until.toISOString()}`);
    if (error instanceof IntegrationError)
      throw new HttpError(502, error.code, `Salesforce refused the backfill's call: ${error.message}`);
    throw error;
  }
}

export function registerBackfillRoutes(app: FastifyInstance, ctx: RouteContext, deps: BackfillRouteDeps): void {
  const workspaceOf = async (request: FastifyRequest): Promise<Workspace> => {
    const id = (request.params as { id: string }).id;
    const workspace = await deps.operator.getWorkspace(id);
    if (!workspace) throw new HttpError(404, 'NOT_FOUND', `no workspace '${id}'`);
    return workspace;
  };
  const runOf = async (request: FastifyRequest, workspace: Workspace): Promise<Run> => {
    const runId = (request.params as { runId: string }).runId;
    const run = await getRun(ctx.db, workspace.id, runId);
    if (!run) throw new HttpError(404, 'NOT_FOUND', `no backfill '${runId}' of workspace '${workspace.id}'`);
    return run;
  };

  app.register(async (scope) => {
    scope.decorateRequest('operator', null);
    scope.addHook('onRequest', async (request) => {
      request.operator = authenticateOperator(ctx, request);
    });

    scope.post(
      '/v1/admin/workspaces/:id/backfills',
      { bodyLimit: BACKFILL_BODY_BYTES, config: { openapi: adminDoc('Plan (dryRun) or start a backfill', '201') } },
      async (request, reply) => {
        const workspace = await workspaceOf(request);
        const body = objectBody(request.body, ['direction', 'dryRun', 'events']);
        const direction = oneOf(body, 'direction', ['to-platform', 'to-salesforce'] as const)!;
        const dryRun = bool(body, 'dryRun') ?? false;
        if (direction === 'to-platform' && body.events !== undefined)
          throw new HttpError(400, 'BAD_REQUEST', 'events: only a to-salesforce backfill takes events');
        return answering(async () => {
          if (dryRun) {
            const plan =
              direction === 'to-platform'
                ? await deps.toPlatform.plan(workspace)
                : await deps.toSalesforce.plan(workspace, body.events);
            return { dryRun: true, plan };
          }
          const started =
            direction === 'to-platform'
              ? { ...(await deps.toPlatform.start(workspace, 'operator')), stored: 0 }
              : await deps.toSalesforce.start(workspace, body.events);
          await audit(ctx.db, {
            actor: request.operator!,
            action: started.resumed ? 'backfill.resume' : 'backfill.start',
            workspaceId: workspace.id,
            detail: {
              direction,
              run: started.run.id,
              ...(direction === 'to-salesforce' ? { stored: started.stored } : {}),
            },
          });
          return reply
            .status(started.resumed ? 200 : 201)
            .send({ run: runView(started.run), resumed: started.resumed, stored: started.stored });
        });
      },
    );

    scope.get(
      '/v1/admin/workspaces/:id/backfills',
      { config: { openapi: adminDoc("The workspace's backfills, newest first") } },
      async (request) => ({ runs: (await listRuns(ctx.db, (await workspaceOf(request)).id)).map(runView) }),
    );

    scope.get(
      '/v1/admin/workspaces/:id/backfills/:runId',
      { config: { openapi: adminDoc('Where a backfill stands') } },
      async (request) => {
        const workspace = await workspaceOf(request);
        const run = await runOf(request, workspace);
        if (run.direction === 'to-platform') return { run: runView(run) };
        const followed = await deps.toSalesforce.progress(workspace, run);
        return { run: runView(followed.run), progress: followed.progress };
      },
    );

    scope.post(
      '/v1/admin/workspaces/:id/backfills/:runId/step',
      { config: { openapi: adminDoc('Read and announce the next page of a to-platform backfill') } },
      async (request) => {
        const workspace = await workspaceOf(request);
        const run = await runOf(request, workspace);
        if (run.direction !== 'to-platform')
          throw new HttpError(409, 'CONFLICT', 'a to-salesforce backfill is synced by the worker: follow it with GET');
        if (run.state === 'done') return { status: 'done', run: runView(run) };
        const out = await answering(() => deps.toPlatform.step(workspace, run));
        return { status: out.status, run: runView(out.run), ...('reason' in out ? { reason: out.reason } : {}) };
      },
    );
  });
}
