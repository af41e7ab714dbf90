// The relay CLI against a listening companion and the emulator: every command, its readable output
// and its --json, and the exit codes a script tests. One run goes through the installed bin
// (`npx relay`), the rest call the CLI's entry point in-process with the same environment.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../src/cli/main.js';
import { startSyncEnv, type SyncEnv } from './sync-helpers/env.js';
import { TEST_OPERATOR_TOKEN } from './helpers/config.js';

describe('relay CLI', () => {
  let env: SyncEnv;
  let cliEnv: Record<string, string>;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

  before(async () => {
    env = await startSyncEnv({
      listen: true,
      emulator: { jwtCertificate: publicKey.export({ type: 'spki', format: 'pem' }).toString() },
    });
    cliEnv = { RELAY_URL: env.harness.companion.url, RELAY_OPERATOR_TOKEN: TEST_OPERATOR_TOKEN };
  });
  after(async () => env?.close());

  async function relay(args: string[], extraEnv: Record<string, string> = {}) {
    let out = '';
    let err = '';
    const code = await run(
      args,
      { ...cliEnv, ...extraEnv },
      { write: (t: string) => (out += t) },
      { write: (t: string) => (err += t) },
    );
    return { code, out, err };
  }

  test('the installed bin runs and exits 0 with the workspaces listed', async () => {
    // Not spawnSync: this process is the companion the CLI talks to, and must keep answering.
    const { stdout } = await promisify(execFile)('npx', ['relay', 'workspace', 'list'], {
      cwd: new URL('..', import.meta.url).pathname,
      env: { ...process.env, ...cliEnv },
      encoding: 'utf8',
    });
    assert.match(stdout, /^ID\s+NAME\s+ACTIVE\s+CONNECTION\s+ORG\s+USER/m);
    assert.match(stdout, /^acme\s+Workspace acme\s+yes\s+connected\s+00D/m);
  });

  test('workspace create, show, update, list, secret rotate, delete — readable and --json', async () => {
    const made = await relay([
      'workspace',
      'create',
      '--name',
      'Initech',
      '--outbound-url',
      'https://hooks.initech.example',
    ]);
    assert.equal(made.code, 0, made.err);
    assert.match(made.out, /^id\s+initech$/m);
    assert.match(made.out, /^signing secret: rss_\S+\n\(shown once/m);
    const json = await relay(['workspace', 'show', 'initech', '--json']);
    assert.equal(JSON.parse(json.out).workspace.outboundUrl, 'https://hooks.initech.example');
    const updated = await relay(['workspace', 'update', 'initech', '--active', 'false', '--outbound-url', 'none']);
    assert.match(updated.out, /^active\s+no$/m);
    assert.match(updated.out, /^outbound URL\s+-$/m);
    const rotated = await relay(['secret', 'rotate', 'initech', '--grace-seconds', '60', '--json']);
    assert.match(JSON.parse(rotated.out).signingSecret, /^rss_/);
    const listed = await relay(['workspace', 'list']);
    assert.match(listed.out, /^initech\s+Initech\s+no\s+not_connected/m);
    assert.equal((await relay(['workspace', 'delete', 'initech'])).code, 0);
    assert.equal((await relay(['workspace', 'show', 'initech'])).code, 5, 'not found');
  });

  test('connect by JWT bearer and client credentials, the web flow prints the link, disconnect, org key, status', async () => {
    await relay(['workspace', 'create', '--name', 'Hooli', '--id', 'hooli']);
    const dir = mkdtempSync(join(tmpdir(), 'relay-cli-'));
    const keyFile = join(dir, 'server.key');
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const jwt = await relay([
      'connect',
      'hooli',
      '--flow',
      'jwt_bearer',
      '--login-url',
      env.emu.url,
      '--client-id',
      'relay-dev',
      '--username',
      'integration@relay.test',
      '--private-key-file',
      keyFile,
    ]);
    assert.equal(jwt.code, 0, jwt.err);
    assert.match(jwt.out, /^connection\s+connected$/m);
    assert.match(jwt.out, /^user\s+integration@relay\.test$/m);

    const refused = await relay([
      'connect',
      'hooli',
      '--flow',
      'client_credentials',
      '--login-url',
      env.emu.url,
      '--client-id',
      'relay-dev',
      '--client-secret',
      'wrong',
    ]);
    assert.equal(refused.code, 1, 'refused by Salesforce');
    assert.match(refused.err, /invalid_client/);

    const web = await relay([
      'connect',
      'hooli',
      '--flow',
      'web',
      '--environment',
      'mydomain',
      '--login-url',
      env.emu.url,
      '--client-id',
      'relay-dev',
    ]);
    assert.equal(web.code, 0, web.err);
    assert.match(
      web.out,
      new RegExp(`^${env.emu.url}/services/oauth2/authorize\\?\\S+code_challenge_method=S256`, 'm'),
    );

    const orgId = env.soql<{ Id: string }>('SELECT Id FROM Organization')[0]!.Id;
    const key = await relay(['org-key', 'rotate', orgId, '--grace-seconds', '0']);
    assert.match(key.out, /^org key: rok_\S+$/m);
    const status = await relay(['status', 'hooli']);
    assert.match(status.out, /^workspace\s+hooli \(Hooli\)$/m);
    assert.match(status.out, /^backlog\s+0 waiting, 0 retrying, 0 failed$/m);
    const gone = await relay(['disconnect', 'hooli']);
    assert.match(gone.out, /the token was revoked at Salesforce/);
    const audit = await relay(['audit', '--workspace', 'hooli', '--json']);
    assert.ok(JSON.parse(audit.out).entries.some((e: { action: string }) => e.action === 'connection.disconnect'));
  });

  test('exit codes: usage 2, unauthenticated 4, unreachable 3, conflict 6', async () => {
    assert.equal((await relay([])).code, 2);
    assert.equal((await relay(['workspace', 'frobnicate'])).code, 2);
    assert.equal((await relay(['workspace', 'create'])).code, 2, '--name is required');
    assert.equal((await relay(['workspace', 'list', '--colour', 'red'])).code, 2, 'unknown option');
    assert.equal(
      (await relay(['workspace', 'list'], { RELAY_OPERATOR_TOKEN: 'rot_wrong_token_0123456789abc' })).code,
      4,
    );
    assert.equal((await relay(['workspace', 'list'], { RELAY_URL: 'http://127.0.0.1:9' })).code, 3);
    await relay(['workspace', 'create', '--name', 'Twice', '--id', 'twice']);
    const again = await relay(['workspace', 'create', '--name', 'Twice', '--id', 'twice']);
    assert.equal(again.code, 6);
    assert.match(again.err, /CONFLICT/);
  });
});
