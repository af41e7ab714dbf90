// `npm run soak`: the long soak (companion/test/soak/soak-run.ts) on embedded PGlite and on a real
// PostgreSQL server (scripts/postgres-test-server.mjs, as the *.postgres tests start it; or
// RELAY_TEST_DATABASE_URL): several thousand valid events for the emulator's seeded people,
// interleaved with invalid, duplicate and replayed requests over signed HTTP, synced by concurrent
// worker batches. Prints a figure table per database and exits 1 when a guarantee fails.
//
//   npm run soak                          6,000 valid events on PGlite, then on PostgreSQL
//   npm run soak -- --events 20000        more
//   npm run soak -- --only pglite         one database (pglite | postgres)
import { parseArgs } from 'node:util';
import { runSoak, type SoakFigures } from '../companion/test/soak/soak-run.js';
import type { BackendName } from '../companion/test/helpers/backends.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '6000' },
    only: { type: 'string' },
    senders: { type: 'string', default: '8' },
  },
});
const databases: BackendName[] = values.only ? [values.only as BackendName] : ['pglite', 'postgres'];

const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
const list = (r: Record<string, number>) =>
  Object.keys(r).length === 0
    ? '—'
    : Object.entries(r)
        .map(([k, v]) => `${k}: ${v}`)
        .join('; ');

/** The guarantees; each broken one is a line. */
function failures(f: SoakFigures): string[] {
  const out: string[] = [];
  if (f.validNot202 > 0) out.push(`${f.validNot202} valid requests not answered 202`);
  if (f.invalidNot4xx > 0) out.push(`${f.invalidNot4xx} invalid requests not refused with a 4xx`);
  if (f.noMatchExisting > 0) out.push(`${f.noMatchExisting} NO_MATCH for people who exist`);
  if (f.notSynced > 0) out.push(`${f.notSynced} events of existing people not synced`);
  if (f.duplicateTasks > 0) out.push(`${f.duplicateTasks} duplicated Tasks`);
  if (f.tasks !== f.expectedTasks) out.push(`${f.tasks} Tasks, expected ${f.expectedTasks}`);
  return out;
}

function table(f: SoakFigures): string {
  const rows: [string, string][] = [
    ['database', f.database],
    ['requests sent', String(f.requests)],
    [
      'events sent',
      `${f.sent.valid + f.sent.unknownPerson + f.sent.duplicates + f.sent.replays} (valid ${f.sent.valid}, person unknown ${f.sent.unknownPerson}, duplicates ${f.sent.duplicates}, in replayed requests ${f.sent.replays})`,
    ],
    ['invalid requests sent', String(f.sent.invalid)],
    ['events accepted (stored)', String(f.accepted)],
    ['answered as duplicates', String(f.duplicatesAnswered)],
    [`refused (${sum(f.refused)})`, list(f.refused)],
    ['event statuses', list(f.statuses)],
    ['synced', String(f.statuses.synced ?? 0)],
    [`skipped (${sum(f.skipped)})`, list(f.skipped)],
    ['NO_MATCH for existing people', String(f.noMatchExisting)],
    ['existing people not synced', String(f.notSynced)],
    ['Tasks (by external key)', `${f.tasks} (expected ${f.expectedTasks})`],
    ['duplicated Tasks', String(f.duplicateTasks)],
    [
      'elapsed',
      `${(f.elapsedMs.total / 1000).toFixed(1)} s (sending ${(f.elapsedMs.send / 1000).toFixed(1)} s, then syncing ${(f.elapsedMs.sync / 1000).toFixed(1)} s)`,
    ],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `| ${k.padEnd(width)} | ${v}`).join('\n');
}

let failed = false;
for (const backend of databases) {
  const figures = await runSoak({
    backend,
    validEvents: Number(values.events),
    senders: Number(values.senders),
    settleTimeoutMs: 600_000,
    log: (line) => console.log(line),
  });
  console.log(`\n${table(figures)}\n`);
  const broken = failures(figures);
  for (const line of broken) console.log(`FAILED: ${line}`);
  if (broken.length === 0) console.log(`${backend}: every guarantee held`);
  failed ||= broken.length > 0;
}
process.exit(failed ? 1 : 0);
