// /openapi.json, built from the routes actually registered (Fastify's onRoute hook) and their
// `config.openapi` documentation, with the schema components the caller adds (the CloudEvent
// schemas intake validates with). A route registered without documentation still appears (marked so), which the
// tests treat as a failure.
import type { FastifyInstance } from 'fastify';
import { errorSchema } from './errors.js';

/** A JSON Schema object as OpenAPI 3.1 embeds it. */
export type JsonSchema = Record<string, unknown>;

export interface RouteDoc {
  summary: string;
  description?: string;
  tags?: string[];
  /** `signed`: Relay-Workspace + Relay-Signature; `orgKey`: Bearer org key; `operator`: Bearer operator token; `none`: public. */
  security: 'signed' | 'orgKey' | 'operator' | 'none';
  parameters?: Array<{
    name: string;
    in: 'query' | 'path' | 'header';
    required?: boolean;
    description?: string;
    schema: JsonSchema;
  }>;
  requestBody?: { required?: boolean; description?: string; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: JsonSchema }> }>;
}

interface CollectedRoute {
  method: string;
  url: string;
  doc: RouteDoc | undefined;
}

/** Starts collecting routes; call before any route is registered. */
export function collectRoutes(app: FastifyInstance): CollectedRoute[] {
  const routes: CollectedRoute[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue; // Fastify adds HEAD for every GET; documented with it.
      routes.push({ method: method.toLowerCase(), url: route.url, doc: route.config?.openapi });
    }
  });
  return routes;
}

const toOpenApiPath = (url: string): string => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

export function buildOpenApi(
  routes: readonly CollectedRoute[],
  version: string,
  schemas: Record<string, JsonSchema> = {},
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = toOpenApiPath(route.url);
    const doc = route.doc;
    const params = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    const operation: Record<string, unknown> = doc
      ? {
          summary: doc.summary,
          ...(doc.description ? { description: doc.description } : {}),
          ...(doc.tags ? { tags: doc.tags } : {}),
          security:
            doc.security === 'none'
              ? []
              : doc.security === 'signed'
                ? [{ relayWorkspace: [], relaySignature: [] }]
                : [{ [doc.security]: [] }],
          parameters: [
            ...params
              .filter((name) => !doc.parameters?.some((p) => p.in === 'path' && p.name === name))
              .map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
            ...(doc.parameters ?? []),
          ],
          ...(doc.requestBody ? { requestBody: doc.requestBody } : {}),
          responses: doc.responses,
        }
      : {
          summary: 'undocumented route',
          'x-undocumented': true,
          parameters: params.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
          responses: { default: { description: 'see the source' } },
        };
    (paths[path] ??= {})[route.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Relay companion',
      version,
      description:
        'Signed CloudEvents intake, the platform API and the managed package API of Relay. Errors are ' +
        '`{"error": {"code", "message"}}`.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths,
    components: {
      schemas: { Error: errorSchema, ...schemas },
      securitySchemes: {
        relayWorkspace: { type: 'apiKey', in: 'header', name: 'Relay-Workspace', description: 'The workspace id.' },
        relaySignature: {
          type: 'apiKey',
          in: 'header',
          name: 'Relay-Signature',
          description:
            '`t=<unix seconds>,v1=<hex HMAC-SHA256(workspace secret, "<t>." + raw body)>`; an empty body for GET. ' +
            'Accepted within 5 minutes of the server clock.',
        },
        orgKey: {
          type: 'http',
          scheme: 'bearer',
          description: "The org's key (the package's Named Credential).",
        },
        operator: {
          type: 'http',
          scheme: 'bearer',
          description: 'An operator token from RELAY_OPERATOR_TOKEN (docs/operator-api.md).',
        },
      },
    },
  };
}
