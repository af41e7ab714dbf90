// `npm run fuzz`: 10,000 fuzzed intake requests (companion/test/fuzz/intake-cases.ts: random and
// malformed bodies, broken fields, batches, nesting up to 100,000 levels, wrong content types and
// signatures) against a companion on embedded PGlite and on PostgreSQL 15. Prints the answers by
// status, the cases by kind, 5xx (must be 0), the rule violations (must be none) and how many
// events were taken and found stored. The test suite runs 1,500 of them (intake-fuzz.test.ts).
//
//   node --import tsx bench/fuzz.mts [--cases 10000] [--seed 1] [--backend pglite|postgres|both]
import { parseArgs } from 'node:util';
import { startHarness } from '../companion/test/helpers/harness.js';
import { backendByName, type BackendName } from '../companion/test/helpers/backends.js';
import { testConfig } from '../companion/test/helpers/config.js';
import { runFuzz } from '../companion/test/fuzz/fuzz-run.js';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '1' },
    backend: { type: 'string', default: 'both' },
  },
});
const backends: BackendName[] = values.backend === 'both' ? ['pglite', 'postgres'] : [values.backend as BackendName];
let failed = false;
for (const name of backends) {
  const backend = backendByName(name);
  const config = testConfig({}, { enabled: false });
  config.security = { ...config.security, intakeRatePerSecond: 1_000_000, intakeBurst: 1_000_000 };
  const h = await startHarness(backend, { config });
  const other = await h.addWorkspace('other');
  const started = Date.now();
  const report = await runFuzz(h.companion.app, h.db, {
    seed: Number(values.seed),
    cases: Number(values.cases),
    workspaces: [h.workspace, other],
  });
  const seconds = (Date.now() - started) / 1000;
  console.log(`\n${name}: ${report.cases} cases in ${seconds.toFixed(1)} s`);
  console.log(`  answers by status: ${JSON.stringify(report.byStatus)}`);
  console.log(`  cases by kind: ${JSON.stringify(report.byKind)}`);
  console.log(`  5xx: ${report.serverErrors}; events taken and found stored: ${report.accepted}`);
  console.log(`  violations: ${report.violations.length === 0 ? 'none' : `\n    ${report.violations.join('\n    ')}`}`);
  failed ||= report.serverErrors > 0 || report.violations.length > 0;
  await h.close();
  await backend.shutdown();
}
process.exitCode = failed ? 1 : 0;
