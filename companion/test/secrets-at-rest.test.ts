// Secrets at rest and in logs: after a workspace was made, rotated, connected by every flow and
// given an org key, none of its secrets (signing secrets, client secret, private key, access and
// refresh tokens, org key, operator token) appears in plaintext in the PGlite data folder, in the
// PostgreSQL server's data directory, or in anything the companion logged at the most verbose level.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '../src/config/logger.js';
import { getConnectionSecrets } from '../src/workspaces/store.js';
import { startSyncEnv, type SyncEnv } from './sync-helpers/env.js';
import { admin, allowOnEmulator } from './helpers/operator.js';
import { TEST_OPERATOR_TOKEN } from './helpers/config.js';

/** Every file under `dir` that holds one of `needles` (binary search, whole files). */
function filesHolding(dir: string, needles: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (path: string) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      const stat = statSync(full, { throwIfNoEntry: false });
      if (!stat) continue;
      if (stat.isDirectory()) walk(full);
      else if (stat.isFile()) {
        const bytes = readFileSync(full);
        for (const needle of needles)
          if (bytes.includes(Buffer.from(needle, 'utf8'))) found.push(`${full}: ${needle.slice(0, 12)}…`);
      }
    }
  };
  walk(dir);
  return found;
}

for (const backend of ['pglite', 'postgres'] as const) {
  describe(`secrets at rest on ${backend}`, () => {
    let env: SyncEnv;
    const logged: string[] = [];
    const secrets: string[] = [TEST_OPERATOR_TOKEN, 'relay-dev-secret'];
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

    before(async () => {
      const sink = new Writable({
        write(chunk, _encoding, done) {
          logged.push(String(chunk));
          done();
        },
      });
      env = await startSyncEnv({
        backend,
        logger: createLogger('trace', sink),
        emulator: { jwtCertificate: publicKey.export({ type: 'spki', format: 'pem' }).toString() },
      });
      const companion = env.harness.companion;
      const made = await admin(companion, 'POST', '/v1/admin/workspaces', { name: 'Secretive', id: 'secretive' });
      secrets.push(made.json.signingSecret);
      secrets.push(
        (await admin(companion, 'POST', '/v1/admin/workspaces/secretive/signing-secrets', {})).json.signingSecret,
      );
      // The web flow (a refresh token), then JWT bearer (a private key), then client credentials.
      const started = await admin(companion, 'POST', '/v1/admin/workspaces/secretive/connect', {
        flow: 'web',
        environment: 'sandbox',
        loginUrl: env.emu.url,
        clientId: 'relay-dev',
        clientSecret: 'relay-dev-secret',
      });
      const back = await allowOnEmulator(started.json.authorizeUrl);
      await companion.app.inject({ method: 'GET', url: `${back.pathname}${back.search}` });
      const refreshToken = (await getConnectionSecrets(env.harness.db, companion.vault, 'secretive')).refreshToken!;
      secrets.push(refreshToken, (await companion.tokens.for('secretive').session()).accessToken);
      await admin(companion, 'POST', '/v1/admin/workspaces/secretive/connect', {
        flow: 'jwt_bearer',
        loginUrl: env.emu.url,
        clientId: 'relay-dev',
        username: 'integration@relay.test',
        privateKeyPem: pem,
      });
      secrets.push(pem.split('\n')[1]!, (await companion.tokens.for('secretive').session()).accessToken);
      const orgId = env.soql<{ Id: string }>('SELECT Id FROM Organization')[0]!.Id;
      secrets.push((await admin(companion, 'POST', `/v1/admin/orgs/${orgId}/org-key`, {})).json.orgKey);
      secrets.push(env.ws.secret, env.ws.orgKey);
      assert.equal(new Set(secrets).size, secrets.length, 'every secret is a different string');
    });
    after(async () => env?.close());

    test('the database files hold none of them in plaintext', async () => {
      let dir: string;
      if (backend === 'pglite') {
        dir = (env.harness.database.location as { dataDir: string }).dataDir;
        await env.harness.db.query('CHECKPOINT');
      } else {
        await env.harness.db.query('CHECKPOINT');
        dir = (await env.harness.db.query<{ d: string }>(`SELECT current_setting('data_directory') AS d`)).rows[0]!.d;
      }
      assert.deepEqual(filesHolding(dir, secrets), []);
      // The check can fail: the sealed values are there, under their prefix.
      assert.ok(filesHolding(dir, ['rsec1.test.']).length > 0, 'sealed values are found where they are stored');
    });

    test('the logs hold none of them, at trace level', () => {
      const text = logged.join('');
      assert.ok(text.length > 1000, 'the companion did log');
      for (const secret of secrets) assert.ok(!text.includes(secret), `logged: ${secret.slice(0, 12)}…`);
    });
  });
}
