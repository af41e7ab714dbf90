// The operator API: workspaces made, changed and deleted; signing secrets and org keys rotated with
// a grace; connections made (web with PKCE, client credentials, JWT bearer), verified by one call
// and refused with Salesforce's reason; disconnect revoking at Salesforce; the audit log. Against
// the emulator over HTTP, on PGlite.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { startSyncEnv, waitFor, type SyncEnv } from './sync-helpers/env.js';
import { admin, allowOnEmulator, postSigned } from './helpers/operator.js';
import { visit } from './helpers/events.js';

describe('operator API', () => {
  let env: SyncEnv;
  // The companion's clock, moved forward where a test needs time to pass.
  let offset = 0;
  const now = () => Date.now() + offset;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  before(async () => {
    env = await startSyncEnv({
      emulator: { jwtCertificate: publicKey.export({ type: 'spki', format: 'pem' }).toString() },
      now,
    });
  });
  after(async () => env?.close());
  const companion = () => env.harness.companion;

  test('every route answers 401 without the operator token or with a wrong one', async () => {
    for (const [method, url] of [
      ['GET', '/v1/admin/workspaces'],
      ['POST', '/v1/admin/workspaces'],
      ['GET', '/v1/admin/workspaces/acme'],
      ['POST', '/v1/admin/orgs/00D000000000001AAA/org-key'],
      ['GET', '/v1/admin/audit'],
    ] as const) {
      for (const token of [null, 'rot_wrong_token_0123456789abcdef']) {
        const res = await admin(companion(), method, url, method === 'POST' ? {} : undefined, token);
        assert.equal(res.status, 401, `${method} ${url}`);
        assert.equal(res.json.error.code, 'UNAUTHENTICATED');
      }
    }
  });

  test('a workspace is created with its signing secret shown once, listed, shown, changed and deleted with what it stored', async () => {
    const made = await admin(companion(), 'POST', '/v1/admin/workspaces', {
      name: 'Globex Corporation',
      outboundUrl: 'https://hooks.globex.example/relay',
    });
    assert.equal(made.status, 201);
    assert.equal(made.json.workspace.id, 'globex-corporation', 'the id comes from the name');
    assert.equal(made.json.workspace.connection.status, 'not_connected');
    assert.match(made.json.signingSecret, /^rss_/);
    const id = made.json.workspace.id;

    const taken = await admin(companion(), 'POST', '/v1/admin/workspaces', { name: 'Again', id });
    assert.equal(taken.status, 409);
    const bad = await admin(companion(), 'POST', '/v1/admin/workspaces', { name: 'X', outboundUrl: 'ftp://x' });
    assert.equal(bad.status, 400);
    assert.match(bad.json.error.message, /^outboundUrl: /);
    const typo = await admin(companion(), 'POST', '/v1/admin/workspaces', { name: 'X', outboundURL: 'https://x' });
    assert.match(typo.json.error.message, /^outboundURL: unknown field/);

    const shown = await admin(companion(), 'GET', `/v1/admin/workspaces/${id}`);
    assert.equal(shown.json.workspace.name, 'Globex Corporation');
    assert.ok(!JSON.stringify(shown.json).includes(made.json.signingSecret), 'the secret is never shown again');
    const listed = await admin(companion(), 'GET', '/v1/admin/workspaces');
    assert.ok(listed.json.workspaces.some((w: { id: string }) => w.id === id));

    const changed = await admin(companion(), 'PATCH', `/v1/admin/workspaces/${id}`, {
      active: false,
      outboundUrl: null,
    });
    assert.equal(changed.json.workspace.active, false);
    assert.equal(changed.json.workspace.outboundUrl, null);

    const accepted = await postSigned(companion(), id, made.json.signingSecret, visit(1));
    assert.equal(accepted.status, 202, 'an inactive workspace still accepts events: nothing is lost');
    const deleted = await admin(companion(), 'DELETE', `/v1/admin/workspaces/${id}`);
    assert.equal(deleted.status, 204);
    assert.equal((await admin(companion(), 'GET', `/v1/admin/workspaces/${id}`)).status, 404);
    const { rows } = await env.harness.db.query('SELECT 1 FROM events WHERE workspace_id = $1', [id]);
    assert.equal(rows.length, 0, 'its events are gone');
    const refused = await postSigned(companion(), id, made.json.signingSecret, visit(2));
    assert.equal(refused.status, 401);
  });

  test('a rotated signing secret: both verify during the grace, only the new one after it', async () => {
    const made = await admin(companion(), 'POST', '/v1/admin/workspaces', { name: 'Rotating', id: 'rotating' });
    const old = made.json.signingSecret as string;
    const rotated = await admin(companion(), 'POST', '/v1/admin/workspaces/rotating/signing-secrets', {
      graceSeconds: 3600,
    });
    assert.equal(rotated.status, 201);
    const fresh = rotated.json.signingSecret as string;
    assert.notEqual(fresh, old);
    const until = Date.parse(rotated.json.previousValidUntil);
    assert.ok(Math.abs(until - (Date.now() + 3_600_000)) < 60_000);
    assert.equal((await postSigned(companion(), 'rotating', old, visit(10))).status, 202, 'old, during the grace');
    assert.equal((await postSigned(companion(), 'rotating', fresh, visit(11))).status, 202, 'new');
    // After the grace (the companion's clock moved past it; signatures made at that time): the old
    // secret no longer verifies, the new one does.
    offset = 3_601_000;
    try {
      const at = Math.floor(now() / 1000);
      const afterGrace = await postSigned(companion(), 'rotating', old, visit(12), at);
      assert.equal(afterGrace.status, 401, 'old, after the grace');
      assert.match(afterGrace.json.error.message, /does not match/);
      assert.equal((await postSigned(companion(), 'rotating', fresh, visit(13), at)).status, 202);
    } finally {
      offset = 0;
    }
    const bad = await admin(companion(), 'POST', '/v1/admin/workspaces/rotating/signing-secrets', { graceSeconds: -1 });
    assert.match(bad.json.error.message, /^graceSeconds: /);
  });

  test('client credentials: verified by one call; a wrong secret and an org without API access are refused by name', async () => {
    await admin(companion(), 'POST', '/v1/admin/workspaces', { name: 'Server', id: 'server' });
    await env.resetUsage();
    const wrong = await admin(companion(), 'POST', '/v1/admin/workspaces/server/connect', {
      flow: 'client_credentials',
      loginUrl: env.emu.url,
      clientId: 'relay-dev',
      clientSecret: 'not-the-secret',
    });
    assert.equal(wrong.status, 400);
    assert.match(wrong.json.error.code, /^invalid_client/);
    assert.equal(
      (await admin(companion(), 'GET', '/v1/admin/workspaces/server')).json.workspace.connection.status,
      'not_connected',
    );

    await env.fault({ method: 'GET', path: '/query', status: 403, errorCode: 'API_DISABLED_FOR_ORG', count: 1 });
    const disabled = await admin(companion(), 'POST', '/v1/admin/workspaces/server/connect', {
      flow: 'client_credentials',
      loginUrl: env.emu.url,
      clientId: 'relay-dev',
      clientSecret: 'relay-dev-secret',
    });
    assert.equal(disabled.status, 400);
    assert.equal(disabled.json.error.code, 'API_DISABLED_FOR_ORG');
    assert.match(disabled.json.error.message, /API Enabled/);

    const ok = await admin(companion(), 'POST', '/v1/admin/workspaces/server/connect', {
      flow: 'client_credentials',
      loginUrl: env.emu.url,
      clientId: 'relay-dev',
      clientSecret: 'relay-dev-secret',
    });
    assert.equal(ok.status, 200);
    const c = ok.json.workspace.connection;
    assert.equal(c.status, 'connected');
    assert.match(c.orgId, /^00D/);
    assert.equal(c.username, 'integration@relay.test');
    assert.equal(c.isSandbox, false);
    assert.equal(c.flow, 'client_credentials');
    const usage = await env.usage();
    assert.equal(usage.byEndpoint['GET /query'], 2, 'one verifying call per attempt that got a token');
  });

  test('JWT bearer: the private key is sent once and kept sealed; the integration user is the one named', async () => {
    await admin(companion(), 'POST', '/v1/admin/workspaces', { name: 'Jwt', id: 'jwt' });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const res = await admin(companion(), 'POST', '/v1/admin/workspaces/jwt/connect', {
      flow: 'jwt_bearer',
      loginUrl: env.emu.url,
      clientId: 'relay-dev',
      username: 'integration@relay.test',
      privateKeyPem: pem,
    });
    assert.equal(res.status, 200, JSON.stringify(res.json));
    assert.equal(res.json.workspace.connection.username, 'integration@relay.test');
    const { rows } = await env.harness.db.query<{ credentials: string }>(
      'SELECT credentials FROM workspaces WHERE id = $1',
      ['jwt'],
    );
    assert.ok(!rows[0]!.credentials.includes('PRIVATE KEY'), 'sealed');
    const unknown = await admin(companion(), 'POST', '/v1/admin/workspaces/jwt/connect', {
      flow: 'jwt_bearer',
      loginUrl: env.emu.url,
      clientId: 'relay-dev',
      username: 'nobody@relay.test',
      privateKeyPem: pem,
    });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.json.error.code, 'invalid_grant');
  });

  test('web connect: PKCE S256 and a state bound to the workspace; the callback connects once and names the org; a replay is refused', async () => {
    const made = await admin(companion(), 'POST', '/v1/admin/workspaces', { name: 'Web Co', id: 'web-co' });
    const started = await admin(companion(), 'POST', '/v1/admin/workspaces/web-co/connect', {
      flow: 'web',
      environment: 'production',
      loginUrl: env.emu.url,
      clientId: 'relay-dev',
    });
    assert.equal(started.status, 200, JSON.stringify(started.json));
    const authorize = new URL(started.json.authorizeUrl);
    assert.equal(authorize.origin, env.emu.url);
    assert.equal(authorize.pathname, '/services/oauth2/authorize');
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.match(authorize.searchParams.get('code_challenge')!, /^[A-Za-z0-9_-]{43}$/);
    assert.match(authorize.searchParams.get('state')!, /^[A-Za-z0-9_-]{43}$/);
    assert.match(authorize.searchParams.get('redirect_uri')!, /\/v1\/oauth\/callback$/);

    const back = await allowOnEmulator(started.json.authorizeUrl);
    const callback = `${back.pathname}${back.search}`;
    const page = await companion().app.inject({ method: 'GET', url: callback });
    assert.equal(page.statusCode, 200, page.body);
    assert.match(page.body, /Web Co<\/strong> is connected to org <code>00D/);
    const shown = await admin(companion(), 'GET', '/v1/admin/workspaces/web-co');
    assert.equal(shown.json.workspace.connection.status, 'connected');
    assert.equal(shown.json.workspace.connection.flow, 'web');
    assert.equal(shown.json.workspace.connection.username, 'admin@relay.test');

    const replay = await companion().app.inject({ method: 'GET', url: callback });
    assert.equal(replay.statusCode, 400);
    assert.match(replay.body, /INVALID_STATE/);
    const denied = await companion().app.inject({
      method: 'GET',
      url: '/v1/oauth/callback?error=access_denied&error_description=end-user%20denied%20authorization&state=x',
    });
    assert.equal(denied.statusCode, 400);
    assert.match(denied.body, /access_denied/);

    // The new workspace's events become Tasks in its org.
    await postSigned(
      companion(),
      'web-co',
      made.json.signingSecret,
      visit(30, {}, { visitor: { email: 'ava.reed0@acme.example' } }),
    );
    await env.settle(20_000, 'web-co');
    assert.equal(env.tasks('web-co').length, 1);
  });

  test('disconnect revokes the token at Salesforce; events keep arriving and wait until connected again', async () => {
    const made = await admin(companion(), 'POST', '/v1/admin/workspaces', { name: 'Leaving', id: 'leaving' });
    await admin(companion(), 'POST', '/v1/admin/workspaces/leaving/connect', {
      flow: 'client_credentials',
      loginUrl: env.emu.url,
      clientId: 'relay-dev',
      clientSecret: 'relay-dev-secret',
    });
    const token = (await companion().tokens.for('leaving').session()).accessToken;
    const res = await admin(companion(), 'POST', '/v1/admin/workspaces/leaving/disconnect');
    assert.equal(res.status, 200);
    assert.equal(res.json.revoked, true);
    assert.equal(res.json.workspace.connection.status, 'not_connected');
    const call = await fetch(`${env.emu.url}/services/data/v66.0/limits`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(call.status, 401, 'the token no longer works at Salesforce');
    const { rows } = await env.harness.db.query('SELECT 1 FROM salesforce_tokens WHERE workspace_id = $1', ['leaving']);
    assert.equal(rows.length, 0, 'and is forgotten');
    assert.equal((await postSigned(companion(), 'leaving', made.json.signingSecret, visit(40))).status, 202);
    await waitFor(
      async () => (await env.events('leaving')).every((e) => e.status === 'deferred'),
      10_000,
      'the event to wait',
    );
    assert.match((await env.events('leaving'))[0]!.status_reason!, /^NOT_CONNECTED/);
  });

  test('org key: one per org, answering for every workspace connected to it; the old key works during the grace', async () => {
    const orgId = env.soql<{ Id: string }>('SELECT Id FROM Organization')[0]!.Id;
    const issued = await admin(companion(), 'POST', `/v1/admin/orgs/${orgId}/org-key`, { graceSeconds: 600 });
    assert.equal(issued.status, 201);
    const key = issued.json.orgKey as string;
    const ping = await env.packageApi('POST', '/v1/package/ping', key);
    assert.equal(ping.status, 200);
    const rotated = await admin(companion(), 'POST', `/v1/admin/orgs/${orgId}/org-key`, { graceSeconds: 600 });
    assert.ok(rotated.json.previousValidUntil);
    assert.equal((await env.packageApi('POST', '/v1/package/ping', key)).status, 200, 'previous key, during the grace');
    assert.equal((await env.packageApi('POST', '/v1/package/ping', rotated.json.orgKey)).status, 200);
    const wrongOrg = await admin(companion(), 'POST', '/v1/admin/orgs/not-an-org/org-key', {});
    assert.equal(wrongOrg.status, 400);
  });

  test('the audit log says who did what, and never a secret', async () => {
    const res = await admin(companion(), 'GET', '/v1/admin/audit?limit=1000');
    assert.equal(res.status, 200);
    const actions = new Set(res.json.entries.map((e: { action: string }) => e.action));
    for (const action of [
      'workspace.create',
      'workspace.update',
      'workspace.delete',
      'signing-secret.rotate',
      'connection.connect',
      'connection.start',
      'connection.disconnect',
      'org-key.rotate',
    ]) {
      assert.ok(actions.has(action), action);
    }
    const web = res.json.entries.find(
      (e: { action: string; workspaceId: string }) => e.action === 'connection.connect' && e.workspaceId === 'web-co',
    );
    assert.equal(web.actor, 'salesforce:admin@relay.test');
    assert.match(res.json.entries[0].actor, /^operator:[0-9a-f]{12}$/);
    const text = JSON.stringify(res.json);
    for (const secret of ['relay-dev-secret', 'rss_', 'rok_', 'PRIVATE KEY']) assert.ok(!text.includes(secret), secret);
  });
});
