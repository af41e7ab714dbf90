// `npm run chaos`: the chaos run (companion/test/chaos/chaos-run.ts) on the production build and a
// real PostgreSQL server (scripts/postgres-test-server.mjs): intake-only and worker-only processes,
// a random one killed with SIGKILL and replaced in every cycle while signed events keep arriving,
// a fifth of the emulated org's API calls failing (503, UNABLE_TO_LOCK_ROW, expired sessions,
// latency) and its daily API requests spent once. Then every accepted event must be exactly one
// Task. Builds the companion first (`npm run build`). Prints the figures; exits 1 when one fails.
//
//   npm run chaos                       100 cycles
//   npm run chaos -- --cycles 20        fewer
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runChaos } from '../companion/test/chaos/chaos-run.js';
import { buildCompanion } from '../companion/test/helpers/build.js';

const { values } = parseArgs({
  options: {
    cycles: { type: 'string', default: '100' },
    intakes: { type: 'string', default: '2' },
    workers: { type: 'string', default: '2' },
    'events-per-cycle': { type: 'string', default: '40' },
  },
});

const build = await buildCompanion();
const f = await runChaos({
  build,
  cycles: Number(values.cycles),
  intakes: Number(values.intakes),
  workers: Number(values.workers),
  eventsPerCycle: Number(values['events-per-cycle']),
  drainTimeoutMs: 600_000,
  log: (line) => console.log(line),
});
rmSync(build, { recursive: true, force: true });

const list = (r: Record<string, number>) =>
  Object.entries(r)
    .map(([k, v]) => `${k}: ${v}`)
    .join('; ');
const injected = Object.entries(f.faults)
  .filter(([k]) => k !== 'daily limit exhausted')
  .reduce((a, [, v]) => a + v, 0);
const rows: [string, string][] = [
  ['cycles (SIGKILL + replacement)', `${f.cycles} (intake ${f.killed.intake}, worker ${f.killed.worker})`],
  [
    'killed mid-work',
    `${f.killedBusy.worker} workers holding a leased batch, ${f.killedBusy.intake} intakes with requests unanswered`,
  ],
  ['requests sent', `${f.requests.sent} (${f.requests.retried} sent again after their process died)`],
  ['events accepted (202)', String(f.accepted)],
  ['Tasks (by external key)', String(f.tasks)],
  ['lost', String(f.lost)],
  ['duplicated', String(f.duplicated)],
  ['Tasks for no accepted event', String(f.unexpected)],
  ['event statuses', list(f.statuses)],
  ['API calls', String(f.apiCalls)],
  [
    `faults injected (${injected}, ${((100 * injected) / Math.max(1, f.apiCalls)).toFixed(0)} % of calls)`,
    list(f.faults),
  ],
  ['elapsed', `${(f.elapsedMs / 1000).toFixed(1)} s`],
];
const width = Math.max(...rows.map(([k]) => k.length));
console.log(`\n${rows.map(([k, v]) => `| ${k.padEnd(width)} | ${v}`).join('\n')}\n`);

const broken: string[] = [];
if (f.lost > 0) broken.push(`${f.lost} accepted events without a Task`);
if (f.duplicated > 0) broken.push(`${f.duplicated} duplicated Tasks`);
if (f.unexpected > 0) broken.push(`${f.unexpected} Tasks for events that were not accepted`);
if (f.tasks !== f.accepted) broken.push(`${f.tasks} Tasks for ${f.accepted} accepted events`);
if (!f.dailyLimitExhausted) broken.push('the daily limit was never exhausted');
for (const line of broken) console.log(`FAILED: ${line}`);
if (broken.length === 0) console.log('every accepted event is in Salesforce exactly once');
process.exit(broken.length > 0 ? 1 : 0);
