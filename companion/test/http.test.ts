// The HTTP surface beside intake: /openapi.json describes every route from the schemas intake
// validates with; /healthz and /readyz; package API auth (Bearer org key) and POST
// /v1/package/ping; the signedScope helper the platform API routes are built with.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pgliteBackend } from './helpers/backends.js';
import { startHarness, type Harness } from './helpers/harness.js';
import { signedScope, requireWorkspace, packageScope } from '../src/http/routes.js';
import { signatureHeader } from '../src/auth/signature.js';
import { EventValidator } from '../src/intake/validate.js';
import { visit } from './helpers/events.js';

describe('HTTP surface', () => {
  const backend = pgliteBackend();
  let h: Harness;

  before(async () => {
    h = await startHarness(backend, {
      processor: async (_ctx, events) => events.map((e) => ({ seq: e.seq, status: 'synced' as const, result: {} })),
      routes: [
        (app, ctx) => {
          app.register(
            signedScope(ctx, (scope) => {
              scope.get(
                '/v1/test/whoami',
                {
                  config: {
                    openapi: { summary: 'test', security: 'signed', responses: { '200': { description: 'ok' } } },
                  },
                },
                async (request) => ({
                  workspace: requireWorkspace(request).id,
                }),
              );
              scope.post(
                '/v1/test/echo',
                {
                  config: {
                    openapi: { summary: 'test', security: 'signed', responses: { '200': { description: 'ok' } } },
                  },
                },
                async (request) => ({
                  workspace: requireWorkspace(request).id,
                  body: request.body,
                }),
              );
            }),
          );
          app.register(
            packageScope(ctx, (scope) => {
              scope.get(
                '/v1/package/test-scope',
                {
                  config: {
                    openapi: { summary: 'test', security: 'orgKey', responses: { '200': { description: 'ok' } } },
                  },
                },
                async (request) => ({
                  workspace: requireWorkspace(request).id,
                }),
              );
            }),
          );
        },
      ],
    });
    await h.addWorkspace('globex');
  });
  after(async () => {
    await h.close();
    await backend.shutdown();
  });

  describe('/openapi.json', () => {
    it('is OpenAPI 3.1 and documents every registered route', async () => {
      const res = await h.companion.app.inject({ method: 'GET', url: '/openapi.json' });
      assert.equal(res.statusCode, 200);
      const doc = res.json() as {
        openapi: string;
        paths: Record<string, Record<string, Record<string, unknown>>>;
        components: { schemas: Record<string, Record<string, unknown>> };
      };
      assert.equal(doc.openapi, '3.1.0');
      for (const [path, method] of [
        ['/v1/events', 'post'],
        ['/v1/package/ping', 'post'],
        ['/healthz', 'get'],
        ['/readyz', 'get'],
        ['/openapi.json', 'get'],
        ['/v1/test/whoami', 'get'],
      ] as const) {
        assert.ok(doc.paths[path]?.[method], `${method.toUpperCase()} ${path} documented`);
      }
      const undocumented = Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.entries(ops)
          .filter(([, op]) => op['x-undocumented'])
          .map(([m]) => `${m} ${path}`),
      );
      assert.deepEqual(undocumented, [], 'every route carries documentation');
      const events = doc.paths['/v1/events']!.post!;
      assert.deepEqual(Object.keys((events.responses as object) ?? {}).sort(), [
        '202',
        '207',
        '400',
        '401',
        '413',
        '415',
      ]);
      assert.deepEqual(events.security, [{ relayWorkspace: [], relaySignature: [] }]);
      assert.deepEqual(doc.paths['/v1/package/ping']!.post!.security, [{ orgKey: [] }]);
    });

    it('carries the same schemas intake validates with', async () => {
      const doc = (await h.companion.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
        components: {
          schemas: Record<
            string,
            {
              properties?: Record<string, { properties?: Record<string, unknown>; required?: string[] }>;
              oneOf?: unknown[];
            }
          >;
        };
      };
      const visitSchema = doc.components.schemas.VisitEvent!;
      const data = visitSchema.properties!.data!;
      assert.deepEqual(data.required, ['visitId', 'visitor', 'document', 'durationSeconds', 'percentViewed', 'active']);
      assert.deepEqual(data.properties!.durationSeconds, {
        type: 'number',
        minimum: 0,
        'x-rule': 'must be a number ≥ 0',
      });
      assert.equal(doc.components.schemas.CloudEvent!.oneOf!.length, 6);
      // The published schema accepts what intake accepts.
      const { Ajv2020 } = await import('ajv/dist/2020.js');
      const addFormats = (await import('ajv-formats')).default as unknown as (a: InstanceType<typeof Ajv2020>) => void;
      const ajv = new Ajv2020({ strict: false });
      addFormats(ajv);
      assert.equal(ajv.validate(visitSchema, visit(1)), true);
      assert.equal(ajv.validate(visitSchema, visit(1, {}, { durationSeconds: -1 })), false);
      assert.equal(new EventValidator().validate(visit(1)).ok, true);
    });
  });

  it('/healthz and /readyz answer', async () => {
    const live = await h.companion.app.inject({ method: 'GET', url: '/healthz' });
    assert.deepEqual(live.json(), { status: 'ok' });
    const ready = await h.companion.app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(ready.json(), { status: 'ready', checks: { database: 'ok', worker: 'running' } });
  });

  it('answers / with a page linking OpenAPI and health (and the preview when it is served)', async () => {
    const res = await h.companion.app.inject({ method: 'GET', url: '/' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.match(res.body, /href="\/openapi.json"/);
    assert.match(res.body, /href="\/healthz"/);
    assert.doesNotMatch(res.body, /href="\/preview/, 'no preview link where none is served');
  });

  it('answers unknown routes with the error shape', async () => {
    const res = await h.companion.app.inject({ method: 'GET', url: '/v1/nope?x=1' });
    assert.equal(res.statusCode, 404);
    assert.deepEqual(res.json(), { error: { code: 'NOT_FOUND', message: 'no route GET /v1/nope' } });
  });

  describe('package API authentication', () => {
    const ping = (headers: Record<string, string>, payload?: string) =>
      h.companion.app.inject({
        method: 'POST',
        url: '/v1/package/ping',
        headers,
        ...(payload !== undefined ? { payload } : {}),
      });

    it('POST /v1/package/ping answers for the key’s workspace', async () => {
      const res = await ping({ authorization: `Bearer ${h.workspace.orgKey}` });
      assert.equal(res.statusCode, 200);
      const body = res.json() as { ok: boolean; workspaceId: string; receivedAt: string };
      assert.equal(body.ok, true);
      assert.equal(body.workspaceId, 'acme');
      assert.ok(!Number.isNaN(Date.parse(body.receivedAt)));
      const other = await ping({ authorization: `Bearer rok_test_globex_0123456789abcdef` });
      assert.equal((other.json() as { workspaceId: string }).workspaceId, 'globex');
    });

    it('accepts the empty JSON body Apex sends', async () => {
      const res = await ping({ authorization: `Bearer ${h.workspace.orgKey}`, 'content-type': 'application/json' }, '');
      assert.equal(res.statusCode, 200);
    });

    for (const [label, headers] of [
      ['no Authorization', {}],
      ['a wrong key', { authorization: 'Bearer rok_wrong_key_0123456789abcdef' }],
      ['another scheme', { authorization: `Basic ${h?.workspace.orgKey ?? 'x'}` }],
    ] as const) {
      it(`refuses ${label} with 401 UNAUTHENTICATED`, async () => {
        const res = await ping(headers as Record<string, string>);
        assert.equal(res.statusCode, 401);
        assert.equal((res.json() as { error: { code: string } }).error.code, 'UNAUTHENTICATED');
      });
    }

    it('scopes packageScope routes to the key’s workspace', async () => {
      const res = await h.companion.app.inject({
        method: 'GET',
        url: '/v1/package/test-scope',
        headers: { authorization: `Bearer ${h.workspace.orgKey}` },
      });
      assert.deepEqual(res.json(), { workspace: 'acme' });
    });
  });

  describe('signedScope (platform API, docs/platform-api.md)', () => {
    it('authenticates a GET signed over an empty body', async () => {
      const res = await h.companion.app.inject({
        method: 'GET',
        url: '/v1/test/whoami',
        headers: { 'relay-workspace': 'acme', 'relay-signature': signatureHeader(h.workspace.secret, '') },
      });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { workspace: 'acme' });
    });

    it('verifies a JSON body on its raw bytes, then parses it', async () => {
      const raw = '{"emails": ["a@example.com"],  "n": 1}';
      const res = await h.companion.app.inject({
        method: 'POST',
        url: '/v1/test/echo',
        headers: {
          'content-type': 'application/json',
          'relay-workspace': 'acme',
          'relay-signature': signatureHeader(h.workspace.secret, raw),
        },
        payload: raw,
      });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { workspace: 'acme', body: { emails: ['a@example.com'], n: 1 } });
    });

    it('refuses a wrong signature, another workspace’s secret, or a signature over another body', async () => {
      const raw = '{"n":1}';
      for (const headers of [
        { 'relay-workspace': 'acme', 'relay-signature': signatureHeader('secret-globex-0123456789abcdef', raw) },
        { 'relay-workspace': 'acme', 'relay-signature': signatureHeader(h.workspace.secret, '{"n":2}') },
        { 'relay-workspace': 'acme' },
      ]) {
        const res = await h.companion.app.inject({
          method: 'POST',
          url: '/v1/test/echo',
          headers: { 'content-type': 'application/json', ...headers },
          payload: raw,
        });
        assert.equal(res.statusCode, 401);
      }
    });

    it('answers 400 naming the problem for a signed body that is not JSON', async () => {
      const raw = '{"n":';
      const res = await h.companion.app.inject({
        method: 'POST',
        url: '/v1/test/echo',
        headers: {
          'content-type': 'application/json',
          'relay-workspace': 'acme',
          'relay-signature': signatureHeader(h.workspace.secret, raw),
        },
        payload: raw,
      });
      assert.equal(res.statusCode, 400);
      assert.equal((res.json() as { error: { code: string } }).error.code, 'INVALID_JSON');
    });
  });
});
