// GET /metrics: the Prometheus text format, for a scraper holding an operator token
// (`Authorization: Bearer <RELAY_OPERATOR_TOKEN>`): the figures name workspaces and orgs, so they
// are not public. Liveness and readiness stay open (http/health.ts).
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../http/routes.js';
import { authenticateOperator } from '../operator/routes.js';
import type { RelayMetrics } from './metrics.js';

export function registerMetricsRoute(app: FastifyInstance, ctx: RouteContext, metrics: RelayMetrics): void {
  app.get(
    '/metrics',
    {
      config: {
        openapi: {
          summary: 'Prometheus metrics: events, Salesforce calls, API budget, queue depth and age, latencies, memory',
          tags: ['operations'],
          security: 'operator',
          responses: { '200': { description: 'Prometheus text exposition format 0.0.4.' } },
        },
      },
    },
    async (request, reply) => {
      authenticateOperator(ctx, request);
      return reply.type(metrics.contentType).send(await metrics.text());
    },
  );
}
