// Test configuration: the defaults of `npm start` with a free port, silent logs and a worker tuned
// to make retries, leases and wake-ups take milliseconds instead of minutes.
import { parseConfig, type Config } from '../../src/config/env.js';

export function testConfig(overrides: Partial<Config> = {}, worker: Partial<Config['worker']> = {}): Config {
  const base = parseConfig({ RELAY_PORT: '0', RELAY_LOG_LEVEL: process.env.RELAY_TEST_LOG_LEVEL ?? 'silent' });
  return {
    ...base,
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
