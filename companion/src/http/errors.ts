// Errors as every companion API answers them: `{"error": {"code", "message"}}` with a fitting
// status (docs/platform-api.md, docs/package-api.md). Handlers throw HttpError; Fastify's own errors
// (body too large, unsupported media type, bad JSON) are translated into the same shape with
// messages a caller can act on; anything unexpected is logged and answered 500 without details.
import type { FastifyError, FastifyInstance } from 'fastify';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra top-level members of the answer (e.g. per-event `results`). */
    readonly extra?: Record<string, unknown>,
    /** Response headers (e.g. Retry-After). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface ErrorBody {
  error: { code: string; message: string };
  [key: string]: unknown;
}

export function errorBody(code: string, message: string, extra?: Record<string, unknown>): ErrorBody {
  return { ...extra, error: { code, message } };
}

export const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' } },
    },
  },
} as const;

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

export function installErrorHandling(app: FastifyInstance, options: { maxBodyBytes: number }): void {
  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    if (error instanceof HttpError) {
      if (error.headers) reply.headers(error.headers);
      return reply.status(error.status).send(errorBody(error.code, error.message, error.extra));
    }
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return reply
          .status(413)
          .send(
            errorBody(
              'PAYLOAD_TOO_LARGE',
              `request body is larger than the ${formatBytes(options.maxBodyBytes)} limit; send fewer events per request`,
            ),
          );
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return reply
          .status(415)
          .send(
            errorBody(
              'UNSUPPORTED_MEDIA_TYPE',
              `Content-Type '${request.headers['content-type'] ?? ''}' is not accepted here; send ${
                request.routeOptions.url === '/v1/events'
                  ? 'application/cloudevents+json (one event) or application/cloudevents-batch+json (an array of events)'
                  : 'application/json'
              }`,
            ),
          );
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return reply.status(400).send(errorBody('INVALID_JSON', 'the body is empty but Content-Type says JSON'));
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return reply.status(400).send(errorBody('BAD_REQUEST', 'Content-Length does not match the body'));
      default:
        break;
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = status === 400 ? 'BAD_REQUEST' : status === 404 ? 'NOT_FOUND' : `HTTP_${status}`;
      return reply.status(status).send(errorBody(code, error.message));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send(errorBody('INTERNAL', 'internal error; the request was not completed, try again'));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send(errorBody('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`)),
  );
}
