// Fuzzed intake (the short run; `npm run fuzz` sends 10,000): random and malformed bodies, broken
// fields, batches, deep nesting, wrong content types and signatures. Never a 5xx, every refusal
// names the field or the rule, and every event intake took is stored — none lost, none extra.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from './helpers/harness.js';
import { backendByName } from './helpers/backends.js';
import { testConfig } from './helpers/config.js';
import { runFuzz } from './fuzz/fuzz-run.js';

const CASES = Number(process.env.RELAY_FUZZ_CASES ?? 1500);

describe('intake fuzz', () => {
  let h: Harness;
  const backend = backendByName('pglite');
  before(async () => {
    const config = testConfig({}, { enabled: false });
    // The rate limit is intake's own answer (429) and is tested elsewhere; here every case is judged.
    config.security = { ...config.security, intakeRatePerSecond: 1_000_000, intakeBurst: 1_000_000 };
    h = await startHarness(backend, { config });
  });
  after(async () => {
    await h?.close();
    await backend.shutdown();
  });

  test(`${CASES} malformed and valid requests: no 5xx, every refusal names the field or rule, nothing taken is lost`, async () => {
    const other = await h.addWorkspace('other');
    const report = await runFuzz(h.companion.app, h.db, {
      seed: 20261207,
      cases: CASES,
      workspaces: [h.workspace, other],
    });
    assert.equal(report.serverErrors, 0);
    assert.deepEqual(report.violations, []);
    // The run covers what it claims: taken and refused requests of every sort.
    assert.ok(report.accepted > CASES / 10, `accepted ${report.accepted}`);
    for (const status of ['202', '207', '400', '401']) assert.ok((report.byStatus[status] ?? 0) > 0, `some ${status}`);
  });
});
