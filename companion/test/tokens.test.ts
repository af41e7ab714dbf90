// Access tokens: renewed once however many callers find them expired — in one process, and across
// two companions sharing a PostgreSQL database (a rotating refresh token must never be used twice) —
// and a grant Salesforce revoked moves the workspace to needs_reconnect: its events wait, no retry
// storm, and a new connection syncs them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { createCompanion, type Companion } from '../src/app.js';
import { SalesforceClient } from '../src/salesforce/client.js';
import { getConnectionSecrets } from '../src/workspaces/store.js';
import { startSyncEnv, waitFor, type SyncEnv } from './sync-helpers/env.js';
import { admin, allowOnEmulator, postSigned } from './helpers/operator.js';
import { testConfig } from './helpers/config.js';
import { visit } from './helpers/events.js';

const silent = pino({ level: 'silent' });

/** `n` clients of one workspace, as `n` workers or processes would each have, calling at once. */
async function concurrentCalls(companion: Companion, workspaceId: string, n: number): Promise<number[]> {
  const clients = Array.from(
    { length: n },
    () =>
      new SalesforceClient({
        workspaceId,
        tokens: companion.tokens.for(workspaceId),
        budget: companion.engine.budget,
        log: silent,
      }),
  );
  return Promise.all(
    clients.map(async (c) => (await c.request({ method: 'GET', path: '/limits', label: 'test' })).status),
  );
}

async function webConnect(env: SyncEnv, companion: Companion, id: string): Promise<void> {
  const started = await admin(companion, 'POST', `/v1/admin/workspaces/${id}/connect`, {
    flow: 'web',
    environment: 'production',
    loginUrl: env.emu.url,
    clientId: 'relay-dev',
  });
  const back = await allowOnEmulator(started.json.authorizeUrl);
  const page = await companion.app.inject({ method: 'GET', url: `${back.pathname}${back.search}` });
  assert.equal(page.statusCode, 200, page.body);
}

for (const backend of ['pglite', 'postgres'] as const) {
  describe(`tokens on ${backend}`, () => {
    let env: SyncEnv;
    let second: Companion | undefined;
    before(async () => {
      env = await startSyncEnv({ backend });
    });
    after(async () => {
      await second?.close();
      await env?.close();
    });

    test('twenty callers that find the token expired cause exactly one refresh', async () => {
      const companion = env.harness.companion;
      await admin(companion, 'POST', '/v1/admin/workspaces', { name: 'Busy', id: 'busy' });
      await webConnect(env, companion, 'busy');
      await concurrentCalls(companion, 'busy', 1);
      let renewals = companion.tokens.renewals;
      if (backend === 'pglite') {
        await env.control('POST', '/__emulator/faults', { expireSessions: true });
        assert.deepEqual(await concurrentCalls(companion, 'busy', 20), new Array(20).fill(200));
        assert.equal(companion.tokens.renewals - renewals, 1);
        return;
      }
      // Two companions (each with its own pool) on one database: ten callers each.
      second = await createCompanion({ config: testConfig({}, { enabled: false }), db: env.harness.db, listen: false });
      const renewalsOfSecond = second.tokens.renewals;
      renewals = companion.tokens.renewals;
      await env.control('POST', '/__emulator/faults', { expireSessions: true });
      const statuses = await Promise.all([concurrentCalls(companion, 'busy', 10), concurrentCalls(second, 'busy', 10)]);
      assert.deepEqual(statuses.flat(), new Array(20).fill(200));
      assert.equal(companion.tokens.renewals - renewals + (second.tokens.renewals - renewalsOfSecond), 1);
    });

    test('a revoked grant: needs_reconnect, events kept and waiting, no retry storm; connected again they sync', async () => {
      const companion = env.harness.companion;
      const made = await admin(companion, 'POST', '/v1/admin/workspaces', { name: 'Revoked', id: 'revoked' });
      await webConnect(env, companion, 'revoked');
      const { refreshToken } = await getConnectionSecrets(env.harness.db, companion.vault, 'revoked');
      const revoke = await fetch(`${env.emu.url}/services/oauth2/revoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: refreshToken! }).toString(),
      });
      assert.equal(revoke.status, 200);
      await env.control('POST', '/__emulator/faults', { expireSessions: true });
      const renewals = companion.tokens.renewals;
      const email = env.soql<{ Email: string }>('SELECT Email FROM Contact ORDER BY Email LIMIT 1')[0]!.Email;
      for (let i = 0; i < 3; i += 1) {
        const res = await postSigned(
          companion,
          'revoked',
          made.json.signingSecret,
          visit(500 + i, {}, { visitor: { email } }),
        );
        assert.equal(res.status, 202);
      }
      await waitFor(
        async () =>
          (await admin(companion, 'GET', '/v1/admin/workspaces/revoked')).json.workspace.connection.status ===
          'needs_reconnect',
        20_000,
        'the workspace to need reconnecting',
      );
      const shown = (await admin(companion, 'GET', '/v1/admin/workspaces/revoked')).json.workspace.connection;
      assert.match(shown.lastError, /invalid_grant/);
      await waitFor(
        async () =>
          (await env.events('revoked')).every(
            (e) => e.status === 'deferred' && /^NEEDS_RECONNECT/.test(e.status_reason ?? ''),
          ),
        20_000,
        'the events to wait for a new connection',
      );
      // A few seconds later: still one token request, nothing failed, nothing lost.
      await new Promise((r) => setTimeout(r, 3_000));
      assert.equal(companion.tokens.renewals - renewals, 1, 'no retry storm against the login host');
      assert.equal((await env.events('revoked')).length, 3);
      const status = await admin(companion, 'GET', '/v1/admin/workspaces/revoked/status');
      assert.equal(status.json.backlog.pausedReason, 'NEEDS_RECONNECT');

      // Connected again: the held events are due at once (not at the end of their wait) and sync.
      await webConnect(env, companion, 'revoked');
      await waitFor(
        async () => (await env.events('revoked')).every((e) => e.status === 'synced'),
        20_000,
        'the held events to sync',
      );
    });
  });
}
