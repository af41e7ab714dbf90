// Tenant isolation on every route. Two tenants, each a workspace on an org of its own (two emulated
// orgs with different org ids); tenant A has data (Tasks, a Lead only its org holds, unmatched
// errors, people). The routes come from the companion's own route table (/openapi.json lists every
// registered route), so a route added later is enumerated too and must get a request below. Each
// route is called with no credentials, with wrong ones and with tenant B's, aimed at tenant A's
// things: no answer may carry tenant A's data, and nothing of tenant A's may change.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createEmulator, type RunningEmulator } from '../../emulator/src/index.js';
import { signatureHeader } from '../src/auth/signature.js';
import { startSyncEnv, type SyncEnv } from './sync-helpers/env.js';
import { visitEvent } from './sync-helpers/e2e-suite.js';
import type { TestWorkspace } from './helpers/harness.js';
import { recordConflicts } from '../src/conflicts/store.js';

type Security = 'signed' | 'orgKey' | 'operator' | 'none';
type Who = 'nobody' | 'wrong' | 'tenantB';

interface Call {
  url: string;
  body?: unknown;
  contentType?: string;
}

describe('tenant isolation on every route', () => {
  let env: SyncEnv;
  let orgB: RunningEmulator;
  let a: TestWorkspace;
  let b: TestWorkspace;
  let leadA: string;
  const ONLY_A = 'only-a@tenant-a.example';

  before(async () => {
    env = await startSyncEnv();
    await env.harness.companion.operator.deleteWorkspace(env.ws.id, 'test');
    orgB = await createEmulator({ port: 0, seed: 'demo', orgId: '00D0000000000B2BAA' });
    a = await env.newWorkspace('tenant-a');
    b = await env.newWorkspace('tenant-b', orgB.url);
    const contact = env.soql<{ Email: string }>('SELECT Email FROM Contact ORDER BY Email LIMIT 1')[0]!;
    await env.setSetting('CreateLeadsForUnmatched', 'false');
    await env.post(
      [
        visitEvent('iso-a-1', contact.Email),
        visitEvent('iso-a-unmatched', 'ghost@tenant-a.example'),
        {
          specversion: '1.0',
          id: 'iso-a-prospect',
          source: 'andsend',
          type: 'relay.prospect.upserted',
          time: '2026-11-20T12:00:00Z',
          data: { prospectId: 'p-a', fields: { email: ONLY_A, lastName: 'Only', company: 'Tenant A Inc' } },
        },
      ],
      a,
    );
    await env.settle(20_000, a.id);
    leadA = env.soql<{ Id: string }>(`SELECT Id FROM Lead WHERE Email = '${ONLY_A}'`)[0]!.Id;
    // A conflict logged for tenant A's Lead (as the sync logs one), for the conflict routes to guard.
    await recordConflicts(env.harness.db, a.id, [
      {
        recordId: leadA,
        object: 'Lead',
        email: ONLY_A,
        field: 'FirstName',
        direction: 'TwoWay',
        platformValue: 'Platform',
        salesforceValue: 'Salesforce',
        platformChangedAt: Date.parse('2026-11-20T12:00:00Z'),
        salesforceChangedAt: Date.parse('2026-11-20T11:00:00Z'),
        winner: 'platform',
        detectedBy: 'sync',
        eventId: 'iso-a-prospect',
      },
    ]);
  });
  after(async () => {
    await env?.close();
    await orgB?.close();
  });

  /** Tenant A's data: none of it may appear in an answer given to anyone else. */
  const markers = () => [a.id, 'iso-a-1', 'iso-a-unmatched', 'iso-a-prospect', ONLY_A, 'ghost@tenant-a.example', leadA];

  /** The request that aims at tenant A's things on each route. */
  function callFor(method: string, path: string): Call | undefined {
    const calls: Record<string, Call> = {
      'GET /': { url: '/' },
      'GET /healthz': { url: '/healthz' },
      'GET /readyz': { url: '/readyz' },
      'GET /health': { url: '/health' },
      'GET /ready': { url: '/ready' },
      'GET /metrics': { url: '/metrics' },
      'GET /openapi.json': { url: '/openapi.json' },
      'POST /v1/events': {
        url: '/v1/events',
        contentType: 'application/cloudevents+json',
        body: visitEvent('iso-intruder', ONLY_A),
      },
      'GET /v1/contacts/lookup': { url: `/v1/contacts/lookup?email=${encodeURIComponent(ONLY_A)}` },
      'POST /v1/contacts/exists': { url: '/v1/contacts/exists', body: { emails: [ONLY_A, 'ghost@tenant-a.example'] } },
      'PATCH /v1/contacts/{id}': { url: `/v1/contacts/${leadA}`, body: { fields: { Title: 'Intruder' } } },
      'POST /v1/contacts/{id}/revert': {
        url: `/v1/contacts/${leadA}/revert`,
        body: { fields: ['Title'], force: true },
      },
      'GET /v1/events/{source}/{id}': { url: '/v1/events/andsend/iso-a-prospect' },
      'POST /v1/package/ping': { url: '/v1/package/ping' },
      'GET /v1/package/status': { url: `/v1/package/status?workspace=${a.id}` },
      'GET /v1/package/engagement': { url: `/v1/package/engagement?recordId=${leadA}` },
      'GET /v1/package/errors': { url: `/v1/package/errors?workspace=${a.id}` },
      'POST /v1/package/budget/check': { url: '/v1/package/budget/check', body: { workspace: a.id } },
      'GET /v1/package/errors.csv': { url: '/v1/package/errors.csv' },
      'GET /v1/package/conflicts': { url: `/v1/package/conflicts?workspace=${a.id}` },
      'GET /v1/conflicts': { url: '/v1/conflicts' },
      'POST /v1/package/errors/retry': {
        url: '/v1/package/errors/retry',
        body: { eventIds: ['iso-a-1', 'iso-a-unmatched'], workspace: a.id },
      },
      'POST /v1/admin/workspaces': { url: '/v1/admin/workspaces', body: { name: 'Intruder' } },
      'GET /v1/admin/workspaces': { url: '/v1/admin/workspaces' },
      'GET /v1/admin/workspaces/{id}': { url: `/v1/admin/workspaces/${a.id}` },
      'PATCH /v1/admin/workspaces/{id}': { url: `/v1/admin/workspaces/${a.id}`, body: { active: false } },
      'DELETE /v1/admin/workspaces/{id}': { url: `/v1/admin/workspaces/${a.id}` },
      'POST /v1/admin/workspaces/{id}/signing-secrets': {
        url: `/v1/admin/workspaces/${a.id}/signing-secrets`,
        body: {},
      },
      'POST /v1/admin/workspaces/{id}/connect': {
        url: `/v1/admin/workspaces/${a.id}/connect`,
        body: {
          flow: 'client_credentials',
          loginUrl: orgB.url,
          clientId: 'relay-dev',
          clientSecret: 'relay-dev-secret',
        },
      },
      'POST /v1/admin/workspaces/{id}/disconnect': { url: `/v1/admin/workspaces/${a.id}/disconnect` },
      'GET /v1/admin/workspaces/{id}/status': { url: `/v1/admin/workspaces/${a.id}/status` },
      'POST /v1/admin/workspaces/{id}/budget-check': { url: `/v1/admin/workspaces/${a.id}/budget-check` },
      'POST /v1/admin/orgs/{orgId}/org-key': {
        url: `/v1/admin/orgs/${env.soql<{ Id: string }>('SELECT Id FROM Organization')[0]!.Id}/org-key`,
        body: {},
      },
      'GET /v1/admin/audit': { url: `/v1/admin/audit?workspace=${a.id}` },
      'POST /v1/admin/workspaces/{id}/backfills': {
        url: `/v1/admin/workspaces/${a.id}/backfills`,
        body: { direction: 'to-platform' },
      },
      'GET /v1/admin/workspaces/{id}/backfills': { url: `/v1/admin/workspaces/${a.id}/backfills` },
      'GET /v1/admin/workspaces/{id}/backfills/{runId}': { url: `/v1/admin/workspaces/${a.id}/backfills/1` },
      'POST /v1/admin/workspaces/{id}/backfills/{runId}/step': { url: `/v1/admin/workspaces/${a.id}/backfills/1/step` },
      'GET /v1/oauth/callback': { url: '/v1/oauth/callback?code=stolen&state=guessed' },
    };
    return calls[`${method.toUpperCase()} ${path}`];
  }

  async function send(method: string, security: Security, call: Call, who: Who) {
    const raw = call.body === undefined ? '' : JSON.stringify(call.body);
    const headers: Record<string, string> = {};
    if (call.body !== undefined) headers['content-type'] = call.contentType ?? 'application/json';
    if (who !== 'nobody') {
      if (security === 'signed') {
        // Tenant B signs with its own secret, naming tenant A's workspace or its own.
        headers['relay-workspace'] = who === 'wrong' ? a.id : b.id;
        headers['relay-signature'] = signatureHeader(who === 'wrong' ? 'not-the-secret-0123456789' : b.secret, raw);
      } else if (security === 'orgKey') {
        headers.authorization = `Bearer ${who === 'wrong' ? 'rok_wrong_0123456789abcdefghij' : b.orgKey}`;
      } else if (security === 'operator') {
        headers.authorization = 'Bearer rot_not_an_operator_token_0123456789';
      }
    }
    const res = await env.harness.companion.app.inject({
      method: method.toUpperCase() as 'GET',
      url: call.url,
      headers,
      ...(call.body !== undefined ? { payload: raw } : {}),
    });
    return { status: res.statusCode, body: res.body };
  }

  test('no answer to anyone but tenant A carries its data, and nothing of tenant A changes', async (t) => {
    const doc = (await env.harness.companion.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, { security?: Array<Record<string, unknown>> }>>;
    };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => {
        const scheme = Object.keys(op.security?.[0] ?? {})[0];
        const security: Security =
          scheme === 'relayWorkspace'
            ? 'signed'
            : scheme === 'orgKey'
              ? 'orgKey'
              : scheme === 'operator'
                ? 'operator'
                : 'none';
        return { method, path, security };
      }),
    );
    const missing = routes.filter((r) => !callFor(r.method, r.path)).map((r) => `${r.method.toUpperCase()} ${r.path}`);
    assert.deepEqual(missing, [], 'every route needs a request aimed at tenant A here');

    let answers = 0;
    for (const route of routes) {
      const call = callFor(route.method, route.path)!;
      for (const who of ['nobody', 'wrong', 'tenantB'] as const) {
        if (route.security === 'operator' && who === 'tenantB') continue; // no tenant holds an operator token
        const res = await send(route.method, route.security, call, who);
        answers += 1;
        const label = `${route.method.toUpperCase()} ${route.path} as ${who}`;
        assert.ok(res.status < 500, `${label}: ${res.status} ${res.body.slice(0, 200)}`);
        if (route.security !== 'none' && who !== 'tenantB') assert.equal(res.status, 401, label);
        // An answer may repeat what the caller itself sent (an email, an id); anything else of
        // tenant A's is a leak.
        const sent = `${call.url} ${JSON.stringify(call.body ?? '')}`;
        for (const marker of markers().filter((m) => !sent.includes(m))) {
          assert.ok(!res.body.includes(marker), `${label} leaked '${marker}'`);
        }
      }
    }
    assert.ok(answers >= 60, `${answers} answers checked`);
    t.diagnostic(`${routes.length} routes, ${answers} answers checked`);

    // Tenant A is as it was: its workspace, its Lead, its events.
    const shown = await env.harness.companion.operator.getWorkspace(a.id);
    assert.equal(shown?.active, true);
    assert.equal(shown?.connection.status, 'connected');
    assert.equal(env.soql<{ Title: string | null }>(`SELECT Title FROM Lead WHERE Id = '${leadA}'`)[0]!.Title, null);
    const statuses = Object.fromEntries(
      (await env.events(a.id)).map((e) => [e.event_id.replace(/^evt-|-\d+$/g, ''), e.status]),
    );
    assert.deepEqual(statuses, { 'iso-a-1': 'synced', 'iso-a-unmatched': 'skipped', 'iso-a-prospect': 'synced' });
  });
});
