// The Salesforce client against the emulator over HTTP: the OAuth flows Relay supports, the
// Sforce-Call-Options header on every call, Sforce-Limit-Info recorded, timeouts that are retried
// by the engine (never behind its back), and one re-login on an expired session.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createEmulator, type RunningEmulator } from '../../emulator/src/index.js';
import { PgliteDb } from '../src/db/pglite.js';
import { migrate } from '../src/db/migrate.js';
import { migrations } from '../src/db/migrations/index.js';
import { ApiBudget } from '../src/salesforce/budget.js';
import { SalesforceClient, loginTokens } from '../src/salesforce/client.js';
import { login } from '../src/salesforce/auth.js';
import { InvalidAuthenticationError, RetryableError } from '../src/errors.js';
import type { LoginSettings } from '../src/salesforce/auth.js';

describe('Salesforce client', () => {
  let emu: RunningEmulator;
  let db: PgliteDb;
  let budget: ApiBudget;
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyFile = join(mkdtempSync(join(tmpdir(), 'relay-jwt-')), 'server.key');
  writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const log = pino({ level: 'silent' });
  const control = (path: string, body: unknown) =>
    fetch(`${emu.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const clientCredentials = (): LoginSettings => ({
    loginUrl: emu.url,
    authFlow: 'client_credentials',
    clientId: 'relay-dev',
    clientSecret: 'relay-dev-secret',
  });

  before(async () => {
    emu = await createEmulator({
      port: 0,
      seed: 'demo',
      jwtCertificate: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    });
    db = await PgliteDb.open(undefined);
    await migrate(db, migrations);
    budget = new ApiBudget(db);
  });
  after(async () => {
    await db?.close();
    await emu?.close();
  });

  test('logs in with client credentials, JWT bearer (no secret sent) and refuses wrong credentials as an authentication error', async () => {
    const cc = await login(clientCredentials());
    assert.match(cc.orgId, /^00D/);
    assert.match(cc.userId, /^005/);
    assert.equal(cc.instanceUrl, emu.url);
    const jwt = await login({
      loginUrl: emu.url,
      authFlow: 'jwt_bearer',
      clientId: 'relay-dev',
      username: 'integration@relay.test',
      privateKeyFile: keyFile,
    });
    assert.equal(jwt.orgId, cc.orgId);
    await assert.rejects(login({ ...clientCredentials(), clientSecret: 'wrong' }), InvalidAuthenticationError);
  });

  test('every call carries Sforce-Call-Options client=relay (Change Data Capture changeOrigin) and records Sforce-Limit-Info', async () => {
    const client = new SalesforceClient({ workspaceId: 'w1', tokens: loginTokens(clientCredentials()), budget, log });
    const res = await client.request<{ id: string }>({
      method: 'POST',
      path: '/sobjects/Account',
      body: { Name: 'Call Options Co' },
      label: 'test',
    });
    const changes = (await (await fetch(`${emu.url}/__emulator/changes`)).json()) as {
      changes: { recordIds: string[]; changeOrigin: string }[];
    };
    const change = changes.changes.find((c) => c.recordIds.includes(res.body.id));
    assert.match(change!.changeOrigin, /client=relay/);
    const known = budget.known(client.session!.orgId);
    assert.ok(known && known.max === 100_000 && known.used > 0);
    assert.equal(client.calls, 1);
  });

  test('a timeout is a retryable TIMEOUT, sent once (jsforce does not retry it behind the budget)', async () => {
    const client = new SalesforceClient({
      workspaceId: 'w2',
      tokens: loginTokens(clientCredentials()),
      budget,
      log,
      timeoutMs: 300,
    });
    await client.ensureSession();
    await control('/__emulator/usage/reset', {});
    await control('/__emulator/faults', { method: 'GET', path: '/limits', latencyMs: 1500, count: 1 });
    await control('/__emulator/faults', {
      method: 'GET',
      path: '/limits',
      status: 503,
      errorCode: 'SERVER_UNAVAILABLE',
      count: 1,
    });
    const error = await client.request({ method: 'GET', path: '/limits', label: 'test' }).catch((e: unknown) => e);
    assert.ok(error instanceof RetryableError && error.code === 'TIMEOUT', String(error));
    const unavailable = await client
      .request({ method: 'GET', path: '/limits', label: 'test' })
      .catch((e: unknown) => e);
    assert.ok(unavailable instanceof RetryableError && unavailable.code === 'SERVER_UNAVAILABLE', String(unavailable));
    await new Promise((r) => setTimeout(r, 1500));
    const usage = (await (await fetch(`${emu.url}/__emulator/usage`)).json()) as { byEndpoint: Record<string, number> };
    assert.equal(usage.byEndpoint['GET /limits'], 2, 'one request each: a 503 on a GET is not retried by jsforce');
  });

  test('an expired session is refreshed once and the call repeated; a session refused again is an authentication error', async () => {
    const client = new SalesforceClient({ workspaceId: 'w3', tokens: loginTokens(clientCredentials()), budget, log });
    await client.ensureSession();
    const before = client.session!.accessToken;
    await control('/__emulator/faults', { expireSessions: true });
    const res = await client.request({ method: 'GET', path: '/limits', label: 'test' });
    assert.equal(res.status, 200);
    assert.notEqual(client.session!.accessToken, before);
    await control('/__emulator/faults', { errorCode: 'INVALID_SESSION_ID', status: 401, count: 2 });
    await assert.rejects(
      client.request({ method: 'GET', path: '/limits', label: 'test' }),
      (e: unknown) => e instanceof InvalidAuthenticationError,
    );
  });
});
