// POST /v1/events (docs/intake-api.md). Order matters: media type (415), size (413, enforced by Fastify
// while reading), signature over the raw bytes (401, nothing parsed or stored before it passes),
// JSON and batch shape (400/413), per-event validation, one multi-row insert, then the answer —
// 202 only once the rows are committed — and finally a nudge so sync starts within a second.
import type { FastifyInstance } from 'fastify';
import { HttpError, errorSchema } from '../http/errors.js';
import type { RouteContext } from '../http/routes.js';
import { EVENT_TYPES, schemaName } from './schemas.js';
import { eventKey } from './store.js';
import { EventWriter } from './writer.js';
import { EventValidator, type ValidEvent } from './validate.js';
import { assertJsonDepth } from '../http/json-depth.js';
import { RateLimiter } from '../http/rate-limit.js';

export const SINGLE_MEDIA_TYPE = 'application/cloudevents+json';
export const BATCH_MEDIA_TYPE = 'application/cloudevents-batch+json';

export interface EventResult {
  /** Position of the event in the request (0 for a single event). */
  index: number;
  id: string | null;
  status: 'accepted' | 'duplicate' | 'rejected';
  error?: string;
}

function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

const resultSchema = {
  type: 'object',
  required: ['id', 'status'],
  properties: {
    index: { type: 'integer', minimum: 0 },
    id: { type: ['string', 'null'] },
    status: { enum: ['accepted', 'duplicate', 'rejected'] },
    error: { type: 'string', description: 'for rejected events: "<field>: <rule>", several joined by "; "' },
  },
};

export function registerIntakeRoute(app: FastifyInstance, ctx: RouteContext): void {
  const validator = new EventValidator();
  const limiter = new RateLimiter(ctx.config.security.intakeRatePerSecond, ctx.config.security.intakeBurst, ctx.now);
  const writer = new EventWriter(ctx.db, { maxConcurrent: ctx.db.kind === 'pglite' ? 1 : 4, maxRows: 5000 });
  const { maxBodyBytes, maxBatchEvents } = ctx.config.intake;
  const batchLimit = maxBatchEvents.toLocaleString('en-US');

  app.register(async (scope) => {
    // Keep the raw bytes: the signature covers them exactly.
    scope.addContentTypeParser(
      [SINGLE_MEDIA_TYPE, BATCH_MEDIA_TYPE],
      { parseAs: 'buffer', bodyLimit: maxBodyBytes },
      (_req, body, done) => done(null, body),
    );

    scope.post(
      '/v1/events',
      {
        bodyLimit: maxBodyBytes,
        config: {
          openapi: {
            summary: 'Send engagement events',
            description:
              'One CloudEvent (`application/cloudevents+json`) or a batch of up to 1,000 (`application/cloudevents-batch+json`, ' +
              'a JSON array), signed with `Relay-Signature`. Idempotent on (`source`, `id`): an event sent again is counted ' +
              'as a duplicate and never synced twice. 202 means every valid event is durably stored.',
            tags: ['intake'],
            security: 'signed',
            requestBody: {
              required: true,
              content: {
                [SINGLE_MEDIA_TYPE]: { schema: { $ref: '#/components/schemas/CloudEvent' } },
                [BATCH_MEDIA_TYPE]: {
                  schema: {
                    type: 'array',
                    minItems: 1,
                    maxItems: maxBatchEvents,
                    items: { $ref: '#/components/schemas/CloudEvent' },
                  },
                },
              },
            },
            responses: {
              '202': {
                description: 'Every event is stored (new or duplicate).',
                content: {
                  'application/json': {
                    schema: {
                      type: 'object',
                      required: ['accepted', 'duplicates'],
                      properties: { accepted: { type: 'integer' }, duplicates: { type: 'integer' } },
                    },
                  },
                },
              },
              '207': {
                description: 'Some events are stored, some rejected; one result per event, in request order.',
                content: {
                  'application/json': {
                    schema: {
                      type: 'object',
                      required: ['results'],
                      properties: {
                        results: { type: 'array', items: resultSchema },
                        accepted: { type: 'integer' },
                        duplicates: { type: 'integer' },
                        rejected: { type: 'integer' },
                      },
                    },
                  },
                },
              },
              '400': {
                description: 'No event is valid (or the body is not JSON / not a batch); nothing stored.',
                content: {
                  'application/json': {
                    schema: {
                      ...errorSchema,
                      properties: { ...errorSchema.properties, results: { type: 'array', items: resultSchema } },
                    },
                  },
                },
              },
              '401': {
                description:
                  'Missing or wrong Relay-Workspace / Relay-Signature, or a signature older than 5 minutes; nothing stored.',
                content: { 'application/json': { schema: errorSchema } },
              },
              '413': {
                description: `Body larger than the limit, or more than ${batchLimit} events.`,
                content: { 'application/json': { schema: errorSchema } },
              },
              '415': { description: 'Another Content-Type.', content: { 'application/json': { schema: errorSchema } } },
            },
          },
        },
      },
      async (request, reply) => {
        const type = mediaType(request.headers['content-type']);
        if (type !== SINGLE_MEDIA_TYPE && type !== BATCH_MEDIA_TYPE) {
          throw new HttpError(
            415,
            'UNSUPPORTED_MEDIA_TYPE',
            `Content-Type must be ${SINGLE_MEDIA_TYPE} (one event) or ${BATCH_MEDIA_TYPE} (a JSON array of up to ${batchLimit}); got '${type || '(none)'}'`,
          );
        }
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const workspace = await ctx.auth.verifySigned(request, raw);
        limiter.take(workspace.id);

        let parsed: unknown;
        try {
          parsed = JSON.parse(raw.toString('utf8'));
        } catch (error) {
          throw new HttpError(400, 'INVALID_JSON', `the body is not valid JSON: ${(error as Error).message}`);
        }
        assertJsonDepth(parsed);
        let inputs: unknown[];
        if (type === BATCH_MEDIA_TYPE) {
          if (!Array.isArray(parsed)) {
            throw new HttpError(400, 'INVALID_BATCH', `a ${BATCH_MEDIA_TYPE} body must be a JSON array of events`);
          }
          if (parsed.length === 0) throw new HttpError(400, 'INVALID_BATCH', 'the batch is empty');
          if (parsed.length > maxBatchEvents) {
            throw new HttpError(
              413,
              'BATCH_TOO_LARGE',
              `a batch holds at most ${batchLimit} events (got ${parsed.length.toLocaleString('en-US')}); split it`,
            );
          }
          inputs = parsed;
        } else {
          if (Array.isArray(parsed)) {
            throw new HttpError(
              400,
              'INVALID_EVENT',
              `send an array as ${BATCH_MEDIA_TYPE}; ${SINGLE_MEDIA_TYPE} carries one event object`,
            );
          }
          inputs = [parsed];
        }

        const results: EventResult[] = [];
        const toStore: ValidEvent[] = [];
        const firstIndex = new Map<string, number>();
        for (const [index, input] of inputs.entries()) {
          const check = validator.validate(input);
          if (!check.ok) {
            results.push({ index, id: check.id, status: 'rejected', error: check.errors.join('; ') });
            continue;
          }
          const key = eventKey(check.event.source, check.event.id);
          if (firstIndex.has(key)) {
            results.push({ index, id: check.event.id, status: 'duplicate' });
            continue;
          }
          firstIndex.set(key, index);
          toStore.push(check.event);
          results.push({ index, id: check.event.id, status: 'accepted' });
        }

        const inserted = await writer.store(workspace.id, toStore);
        for (const event of toStore) {
          const key = eventKey(event.source, event.id);
          if (!inserted.has(key)) results[firstIndex.get(key)!]!.status = 'duplicate';
        }
        if (inserted.size > 0) void ctx.queue.nudge(workspace.id);

        let accepted = 0;
        let duplicates = 0;
        let rejected = 0;
        for (const r of results) {
          if (r.status === 'accepted') accepted += 1;
          else if (r.status === 'duplicate') duplicates += 1;
          else rejected += 1;
        }
        request.log.debug({ workspaceId: workspace.id, accepted, duplicates, rejected }, 'events received');
        ctx.onIntake?.(workspace.id, { accepted, duplicates, rejected });
        if (rejected === 0) return reply.status(202).send({ accepted, duplicates });
        if (rejected === results.length) {
          const first = results[0]!;
          const message =
            results.length === 1
              ? (first.error ?? 'the event is invalid')
              : `none of the ${results.length} events is valid; first: ${first.error ?? 'invalid'}`;
          throw new HttpError(400, results.length === 1 ? 'INVALID_EVENT' : 'INVALID_EVENTS', message, { results });
        }
        return reply.status(207).send({ results, accepted, duplicates, rejected });
      },
    );
  });
}

/** Components of /openapi.json describing the accepted events (from the validation schemas). */
export { EVENT_TYPES, schemaName };
