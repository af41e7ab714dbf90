// Test configuration: the defaults of `npm start` with a free port, silent logs and a worker tuned
// to make retries, leases and wake-ups take milliseconds instead of minutes.
import { randomBytes } from 'node:crypto';
import { parseConfig, type Config } from '../../src/config/env.js';

/** One vault key per test process (RELAY_ENCRYPTION_KEY's shape), so no key file is written. */
export const TEST_KEYS = [{ id: 'test', key: randomBytes(32) }];
/** The operator token every test companion accepts. */
export const TEST_OPERATOR_TOKEN = 'rot_test_operator_token_0123456789';

export function testConfig(overrides: Partial<Config> = {}, worker: Partial<Config['worker']> = {}): Config {
  const base = parseConfig({
    RELAY_PORT: '0',
    RELAY_LOG_LEVEL: process.env.RELAY_TEST_LOG_LEVEL ?? 'silent',
    RELAY_OPERATOR_TOKEN: TEST_OPERATOR_TOKEN,
  });
  return {
    ...base,
    // Companions under test mostly answer through inject (no port): the OAuth callback's address
    // is then this one, which the tests read the path of.
    security: { ...base.security, encryptionKeys: TEST_KEYS, publicUrl: 'http://127.0.0.1:8787' },
    ...overrides,
    worker: {
      ...base.worker,
      batchSize: 50,
      leaseMs: 5000,
      maxAttempts: 3,
      backoffBaseMs: 100,
      backoffMaxMs: 400,
      shutdownGraceMs: 2000,
      // Tests see each request synced at once; the batch wait has a test of its own.
      batchWaitMs: 0,
      ...worker,
    },
  };
}
