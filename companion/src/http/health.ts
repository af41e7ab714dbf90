// Liveness (/healthz, also /health: the process answers) and readiness (/readyz, also /ready: the
// database answers and, when this process syncs, the worker runs). Load balancers route intake only
// to ready processes. Both spellings answer because probes of different platforms expect either.
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/types.js';

export interface ReadinessProbe {
  db: Db;
  /** Undefined when this process runs no worker. */
  workerRunning?: () => boolean;
}

const statusSchema = { type: 'object', properties: { status: { type: 'string' }, checks: { type: 'object' } } };

export function registerHealthRoutes(app: FastifyInstance, probe: ReadinessProbe): void {
  for (const url of ['/healthz', '/health'])
    app.get(
      url,
      {
        config: {
          openapi: {
            summary: 'Liveness',
            tags: ['operations'],
            security: 'none',
            responses: {
              '200': { description: 'The process answers.', content: { 'application/json': { schema: statusSchema } } },
            },
          },
        },
      },
      async () => ({ status: 'ok' }),
    );
  for (const url of ['/readyz', '/ready'])
    app.get(
      url,
      {
        config: {
          openapi: {
            summary: 'Readiness',
            tags: ['operations'],
            security: 'none',
            responses: {
              '200': {
                description: 'Database reachable and worker running.',
                content: { 'application/json': { schema: statusSchema } },
              },
              '503': {
                description: 'Not ready; `checks` says what is not.',
                content: { 'application/json': { schema: statusSchema } },
              },
            },
          },
        },
      },
      async (_request, reply) => {
        const checks: Record<string, string> = {};
        let ready = true;
        try {
          await probe.db.query('SELECT 1');
          checks.database = 'ok';
        } catch (error) {
          checks.database = `failing: ${(error as Error).message}`;
          ready = false;
        }
        if (probe.workerRunning) {
          const running = probe.workerRunning();
          checks.worker = running ? 'running' : 'stopped';
          ready &&= running;
        } else {
          checks.worker = 'disabled';
        }
        return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks });
      },
    );
}
