// Configuration from the environment: defaults of README.md and messages a person can act on.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, parseConfig } from '../src/config/env.js';
import { REDACTED_PATHS, createLogger } from '../src/config/logger.js';
import { Writable } from 'node:stream';

const problems = (env: Record<string, string>): string[] => {
  try {
    parseConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return [...error.problems];
  }
  assert.fail('expected a ConfigError');
};

describe('configuration', () => {
  it('has the defaults of README.md', () => {
    const c = parseConfig({});
    assert.equal(c.port, 8787);
    assert.equal(c.emulatorPort, 8788);
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.dataDir, resolve('.relay'));
    assert.equal(c.databaseUrl, undefined);
    assert.equal(c.demo.stream, true);
    assert.equal(c.demo.workspaceId, 'demo');
    assert.equal(c.demo.workspaceSecret, undefined);
    assert.equal(c.salesforce, undefined);
    assert.equal(c.intake.maxBatchEvents, 1000);
    assert.equal(c.intake.signatureToleranceSeconds, 300);
  });

  it('reads every variable', () => {
    const c = parseConfig({
      RELAY_PORT: '9000',
      RELAY_EMULATOR_PORT: '9001',
      RELAY_DEMO_STREAM: 'off',
      RELAY_DEMO_WORKSPACE_ID: 'acme-1',
      RELAY_DEMO_WORKSPACE_SECRET: 'a-secret-of-enough-length',
      RELAY_DEMO_OUTBOUND_URL: 'https://platform.example/hooks/relay',
      RELAY_DATA_DIR: '/tmp/relay-data',
      RELAY_DATABASE_URL: 'postgres://u:p@db.example:5432/relay',
    });
    assert.equal(c.port, 9000);
    assert.equal(c.emulatorPort, 9001);
    assert.equal(c.demo.stream, false);
    assert.equal(c.demo.workspaceId, 'acme-1');
    assert.equal(c.demo.workspaceSecret, 'a-secret-of-enough-length');
    assert.equal(c.demo.outboundUrl, 'https://platform.example/hooks/relay');
    assert.equal(c.dataDir, '/tmp/relay-data');
    assert.equal(c.databaseUrl, 'postgres://u:p@db.example:5432/relay');
  });

  it('reports every problem at once, naming the variable and what it must be', () => {
    const list = problems({
      RELAY_PORT: 'eighty',
      RELAY_DEMO_STREAM: 'maybe',
      RELAY_DATABASE_URL: 'mysql://x:secretpw@h/db',
      RELAY_DEMO_WORKSPACE_SECRET: 'short',
      RELAY_DEMO_WORKSPACE_ID: 'has spaces',
    });
    assert.deepEqual(list.sort(), [
      "RELAY_DATABASE_URL must start with postgres:// or postgresql:// (got 'mysql://x:***@h/db')",
      "RELAY_DEMO_STREAM must be 'on' or 'off' (got 'maybe')",
      "RELAY_DEMO_WORKSPACE_ID must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit (got 'has spaces')",
      'RELAY_DEMO_WORKSPACE_SECRET must be at least 16 characters (got 5); unset it to get a random one',
      "RELAY_PORT must be an integer from 0 to 65535 (got 'eighty')",
    ]);
  });

  it('checks the sync and reverse-sync tuning at start-up instead of ignoring a bad value', () => {
    const tuned = parseConfig({
      RELAY_BULK_THRESHOLD: '5000',
      RELAY_PEOPLE_BULK_THRESHOLD: '500',
      RELAY_LIMIT_PAUSE_SECONDS: '600',
      RELAY_SF_TIMEOUT_SECONDS: '30',
      RELAY_REVERSE_POLL_MINUTES: '5',
      RELAY_REVERSE_READ_CALLS: '2',
      RELAY_REVERSE_BULK_THRESHOLD: '80',
      RELAY_OUTBOUND_MAX_ATTEMPTS: '12',
    });
    assert.deepEqual(tuned.sync, {
      bulkThreshold: 5000,
      peopleBulkThreshold: 500,
      limitPauseSeconds: 600,
      timeoutSeconds: 30,
      reverse: { pollEveryMinutes: 5, maxReadCalls: 2, bulkThreshold: 80, outboundMaxAttempts: 12 },
    });
    assert.deepEqual(parseConfig({}).sync, { reverse: {} });
    assert.deepEqual(
      problems({
        RELAY_BULK_THRESHOLD: 'lots',
        RELAY_PEOPLE_BULK_THRESHOLD: '0',
        RELAY_REVERSE_POLL_MINUTES: '90',
      }).sort(),
      [
        "RELAY_BULK_THRESHOLD must be an integer from 1 to 150000000 (got 'lots')",
        "RELAY_PEOPLE_BULK_THRESHOLD must be an integer from 1 to 150000000 (got '0')",
        "RELAY_REVERSE_POLL_MINUTES must be an integer from 1 to 59 (got '90')",
      ],
    );
  });

  it('lets a partial batch wait 5 s for company by default; RELAY_BATCH_WAIT_MS tunes it, 0 turns it off', () => {
    assert.equal(parseConfig({}).worker.batchWaitMs, 5000);
    assert.equal(parseConfig({ RELAY_BATCH_WAIT_MS: '0' }).worker.batchWaitMs, 0);
    assert.equal(parseConfig({ RELAY_BATCH_WAIT_MS: '1500' }).worker.batchWaitMs, 1500);
    assert.deepEqual(problems({ RELAY_BATCH_WAIT_MS: '120000' }), [
      "RELAY_BATCH_WAIT_MS must be an integer from 0 to 60000 (got '120000')",
    ]);
  });

  it('claims a backlog above 10,000 due events 20,000 at a time on PostgreSQL; RELAY_BACKLOG_* tune it within bounds', () => {
    const { worker } = parseConfig({ RELAY_DATABASE_URL: 'postgres://relay@127.0.0.1/relay' });
    assert.deepEqual([worker.backlogThreshold, worker.backlogBatchSize], [10_000, 20_000]);
    const tuned = parseConfig({ RELAY_BACKLOG_THRESHOLD: '2000', RELAY_BACKLOG_BATCH_SIZE: '20000' }).worker;
    assert.deepEqual([tuned.backlogThreshold, tuned.backlogBatchSize], [2000, 20_000]);
    assert.deepEqual(problems({ RELAY_BACKLOG_THRESHOLD: '0', RELAY_BACKLOG_BATCH_SIZE: '500000' }).sort(), [
      "RELAY_BACKLOG_BATCH_SIZE must be an integer from 1 to 100000 (got '500000')",
      "RELAY_BACKLOG_THRESHOLD must be an integer from 1 to 10000000 (got '0')",
    ]);
    // Embedded PGlite keeps the database in the companion's memory: backlog batches are opt-in there
    // (a backlog batch as big as the usual batch is none).
    assert.equal(parseConfig({}).worker.backlogBatchSize, 1000);
    assert.equal(parseConfig({ RELAY_BATCH_SIZE: '2500' }).worker.backlogBatchSize, 2500);
    assert.equal(parseConfig({ RELAY_BACKLOG_BATCH_SIZE: '20000' }).worker.backlogBatchSize, 20_000);
    assert.deepEqual(problems({ RELAY_BATCH_SIZE: '5000', RELAY_BACKLOG_BATCH_SIZE: '2000' }), [
      'RELAY_BACKLOG_BATCH_SIZE (2000) must not be below RELAY_BATCH_SIZE (5000)',
    ]);
  });

  it('never echoes a secret in a message', () => {
    const message = problems({ RELAY_DEMO_WORKSPACE_SECRET: 'short' }).join('\n');
    assert.doesNotMatch(message, /short'/);
  });

  it('connects a real org with client credentials or a JWT key, and says what is missing', () => {
    const cc = parseConfig({ RELAY_SF_CLIENT_ID: 'cid', RELAY_SF_CLIENT_SECRET: 'csecret' });
    assert.deepEqual(cc.salesforce, {
      loginUrl: 'https://login.salesforce.com',
      clientId: 'cid',
      authFlow: 'client_credentials',
      clientSecret: 'csecret',
    });
    const dir = mkdtempSync(join(tmpdir(), 'relay-key-'));
    const key = join(dir, 'server.key');
    writeFileSync(key, '-----BEGIN PRIVATE KEY-----\n');
    const jwt = parseConfig({
      RELAY_SF_LOGIN_URL: 'https://test.salesforce.com',
      RELAY_SF_CLIENT_ID: 'cid',
      RELAY_SF_USERNAME: 'int@acme.example',
      RELAY_SF_PRIVATE_KEY_FILE: key,
    });
    assert.equal(jwt.salesforce?.authFlow, 'jwt_bearer');
    assert.equal(jwt.salesforce?.privateKeyFile, key);
    assert.deepEqual(problems({ RELAY_SF_CLIENT_SECRET: 'x' }), [
      'RELAY_SF_CLIENT_ID is required when connecting a real org (the consumer key of the External Client App or Connected App)',
    ]);
    assert.deepEqual(problems({ RELAY_SF_CLIENT_ID: 'cid' }), [
      'set RELAY_SF_CLIENT_SECRET (client-credentials flow) or RELAY_SF_USERNAME and RELAY_SF_PRIVATE_KEY_FILE (JWT bearer flow)',
    ]);
    const missing = problems({ RELAY_SF_CLIENT_ID: 'cid', RELAY_SF_PRIVATE_KEY_FILE: join(dir, 'nope.key') });
    assert.equal(missing.length, 2);
    assert.match(missing.join('\n'), /RELAY_SF_USERNAME is required with RELAY_SF_PRIVATE_KEY_FILE/);
    assert.match(missing.join('\n'), /nope\.key does not exist or cannot be read/);
  });

  it('reads the security settings: encryption keys with ids, operator tokens, the intake rate, the public URL', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const config = parseConfig({
      RELAY_ENCRYPTION_KEY: `new:${key},old:${Buffer.alloc(32, 9).toString('base64')}`,
      RELAY_OPERATOR_TOKEN: 'rot_first_token_0123456789abcdef, rot_second_token_0123456789abcdef',
      RELAY_INTAKE_RATE_PER_SECOND: '50',
      RELAY_PUBLIC_URL: 'https://relay.example/',
    });
    assert.deepEqual(
      config.security.encryptionKeys!.map((k) => k.id),
      ['new', 'old'],
    );
    assert.equal(config.security.operatorTokenHashes.length, 2);
    assert.ok(
      config.security.operatorTokenHashes.every((h) => /^[0-9a-f]{64}$/.test(h)),
      'only hashes are kept',
    );
    assert.equal(config.security.intakeRatePerSecond, 50);
    assert.equal(config.security.intakeBurst, 100);
    assert.equal(config.security.publicUrl, 'https://relay.example');
    assert.equal(parseConfig({ RELAY_ENCRYPTION_KEY: key }).security.encryptionKeys![0]!.id, 'k0');
    const refused = problems({
      RELAY_ENCRYPTION_KEY: 'c2hvcnQ=',
      RELAY_OPERATOR_TOKEN: 'short',
      RELAY_PREVIEW: 'on',
      RELAY_HOST: '0.0.0.0',
    });
    assert.ok(
      refused.some((p) => /RELAY_ENCRYPTION_KEY key 'k0' must be base64 of exactly 32 bytes/.test(p)),
      refused.join('\n'),
    );
    assert.ok(refused.some((p) => /RELAY_OPERATOR_TOKEN: every token must be at least 24 characters/.test(p)));
    assert.ok(refused.some((p) => /RELAY_PREVIEW=on .* needs a loopback RELAY_HOST/.test(p)));
    assert.ok(!refused.join(' ').includes('c2hvcnQ='), 'a key is never echoed');
  });

  it('redacts secrets in log lines', () => {
    let out = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        out += String(chunk);
        done();
      },
    });
    const log = createLogger('info', sink as never);
    const config = parseConfig({
      RELAY_DEMO_WORKSPACE_SECRET: 'super-secret-value-123',
      RELAY_SF_CLIENT_ID: 'cid',
      RELAY_SF_CLIENT_SECRET: 'sf-secret-value-456',
    });
    log.info({ config, workspace: { signingSecret: 'ws-secret-789', orgKey: 'rok_abc' } }, 'started');
    assert.ok(REDACTED_PATHS.length > 0);
    assert.doesNotMatch(out, /super-secret-value-123|sf-secret-value-456|ws-secret-789|rok_abc/);
    assert.match(out, /\[redacted\]/);
  });
});
