// The people benchmark (`npm run bench:people`): Salesforce API calls spent on 1,000 new prospects
// (`relay.prospect.upserted`) and on 1,000 new list sign-ups to a linked Campaign
// (`relay.list.member.added`), in RecordMode Lead and ContactAccount, written once through
// Composite (sObject Collections) and once through Bulk API 2.0 (RELAY_PEOPLE_BULK_THRESHOLD at its
// default, 200). Each run has a fresh emulated org (so every person is new) and its own workspace
// on one companion — the production wiring, batches of 1,000, PGlite in a temporary folder; the
// calls come from the emulator's usage counter. Figures go to bench/PEOPLE.md.
//
//   npm run bench:people
//   npm run bench:people -- --no-write
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createEmulator, type RunningEmulator } from '../emulator/src/index.js';
import { executeSoql } from '../emulator/src/soql/index.js';
import { createCompanion, type Companion } from '../companion/src/app.js';
import { signatureHeader } from '../companion/src/auth/signature.js';
import { parseConfig } from '../companion/src/config/env.js';
import { BATCH_MEDIA_TYPE } from '../companion/src/intake/route.js';
import { emulatorUsage, resetEmulatorUsage } from './lib/org-figures.mjs';
import { sleep } from './lib/stats.mjs';

const HERE = new URL('.', import.meta.url).pathname;
const { values } = parseArgs({ options: { 'no-write': { type: 'boolean', default: false } } });
const PEOPLE = 1000;
const SECRET = 'bench-people-secret-0123456789abcdef';
const CAMPAIGN = 'Relay Demo Campaign';
const COMPOSITE_ONLY = 150_000_000;

type Workload = 'prospects' | 'sign-ups';
type Mode = 'Lead' | 'ContactAccount';

interface Run {
  workload: Workload;
  mode: Mode;
  path: 'Composite' | 'Bulk';
  calls: number;
  byEndpoint: Record<string, number>;
  statuses: Record<string, number>;
  records: Record<string, number>;
  seconds: number;
}

/** 1,000 new people across 400 companies, as prospects or as sign-ups to the linked Campaign. */
function events(workload: Workload, run: string): unknown[] {
  return Array.from({ length: PEOPLE }, (_, i) => {
    const person = {
      email: `person${i}@${run}.bench.example`,
      firstName: `First${i}`,
      lastName: `Last${i}`,
      title: 'Engineer',
      company: `Company ${i % 400} ${run}`,
    };
    const base = { specversion: '1.0', id: `${run}-${i}`, source: 'bench', time: new Date().toISOString() };
    return workload === 'prospects'
      ? { ...base, type: 'relay.prospect.upserted', data: { prospectId: `p-${i}`, fields: person } }
      : {
          ...base,
          type: 'relay.list.member.added',
          data: { listId: 'newsletter', listName: 'Newsletter', campaignName: CAMPAIGN, contact: person },
        };
  });
}

function setRecordMode(emu: RunningEmulator, mode: Mode): void {
  const [row] = executeSoql("SELECT Id FROM relay__SyncSetting__mdt WHERE DeveloperName = 'RecordMode'", emu.org.soql, {
    includeDeleted: false,
  }).records as { Id: string }[];
  emu.org.update('relay__SyncSetting__mdt', [{ Id: row!.Id, relay__Value__c: mode }], {
    metadataApi: true,
    system: true,
  });
}

/** Records of the run's people in the org (CampaignMembers: all, the demo's few included). */
function recordCounts(emu: RunningEmulator, run: string): Record<string, number> {
  const count = (soql: string) =>
    (executeSoql(soql, emu.org.soql, { includeDeleted: false }).records as unknown[]).length;
  return {
    Lead: count(`SELECT Id FROM Lead WHERE Email LIKE '%@${run}.bench.example'`),
    Contact: count(`SELECT Id FROM Contact WHERE Email LIKE '%@${run}.bench.example'`),
    Account: count(`SELECT Id FROM Account WHERE Name LIKE '% ${run}'`),
    CampaignMember: count('SELECT Id FROM CampaignMember'),
  };
}

async function statuses(companion: Companion, workspaceId: string): Promise<Record<string, number>> {
  const { rows } = await companion.db.query<{ status: string; n: number }>(
    'SELECT status, count(*)::int AS n FROM events WHERE workspace_id = $1 GROUP BY status',
    [workspaceId],
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

async function runOnce(companion: Companion, n: number, workload: Workload, mode: Mode, bulk: boolean): Promise<Run> {
  const run = `r${n}`;
  const emu = await createEmulator({ port: 0, seed: 'demo', orgId: `00D0000000000P${n}BAA` });
  try {
    setRecordMode(emu, mode);
    const { workspace } = await companion.operator.createWorkspace(
      { id: run, name: `People ${run}`, signingSecret: SECRET },
      'bench',
    );
    const connection = { flow: 'client_credentials', loginUrl: emu.url, clientId: 'relay-dev' } as const;
    await companion.operator.connectServer(workspace, { ...connection, clientSecret: 'relay-dev-secret' }, 'bench');
    companion.engine.tuning.peopleBulkThreshold = bulk ? 200 : COMPOSITE_ONLY;
    await resetEmulatorUsage(emu.url);
    const started = Date.now();
    const body = JSON.stringify(events(workload, run));
    const res = await companion.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: {
        'content-type': BATCH_MEDIA_TYPE,
        'relay-workspace': run,
        'relay-signature': signatureHeader(SECRET, body),
      },
      payload: body,
    });
    if (res.statusCode !== 202) throw new Error(`intake answered ${res.statusCode}: ${res.body}`);
    let counts = await statuses(companion, run);
    while (counts.pending || counts.processing || counts.retrying) {
      if (Date.now() - started > 300_000) throw new Error(`not settled: ${JSON.stringify(counts)}`);
      await sleep(100);
      counts = await statuses(companion, run);
    }
    const usage = await emulatorUsage(emu.url);
    return {
      workload,
      mode,
      path: bulk ? 'Bulk' : 'Composite',
      calls: usage.apiRequests,
      byEndpoint: usage.byEndpoint,
      statuses: counts,
      records: recordCounts(emu, run),
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await emu.close();
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'relay-bench-people-'));
const config = parseConfig({
  RELAY_PORT: '0',
  RELAY_LOG_LEVEL: 'warn',
  RELAY_DATA_DIR: dataDir,
  RELAY_BATCH_WAIT_MS: '0',
});
const companion = await createCompanion({ config, listen: false });
const load = loadavg().map((x) => x.toFixed(2));
const runs: Run[] = [];
let n = 0;
try {
  for (const workload of ['prospects', 'sign-ups'] as const)
    for (const mode of ['Lead', 'ContactAccount'] as const)
      for (const bulk of [false, true]) {
        const r = await runOnce(companion, ++n, workload, mode, bulk);
        console.log(
          `${workload}, ${mode}, ${r.path}: ${r.calls} calls, ${JSON.stringify(r.statuses)}, ${JSON.stringify(r.records)}`,
        );
        runs.push(r);
      }
} finally {
  await companion.close();
  rmSync(dataDir, { recursive: true, force: true });
}

const calls = (w: Workload, m: Mode, p: Run['path']) =>
  runs.find((r) => r.workload === w && r.mode === m && r.path === p)!.calls;
const table = [
  '| per 1,000 new people | Composite | Bulk API 2.0 |',
  '|---|--:|--:|',
  ...(['prospects', 'sign-ups'] as const).flatMap((w) =>
    (['Lead', 'ContactAccount'] as const).map(
      (m) => `| ${w}, RecordMode ${m} | ${calls(w, m, 'Composite')} | ${calls(w, m, 'Bulk')} |`,
    ),
  ),
];
const details = runs.map(
  (r) =>
    `- ${r.workload}, ${r.mode}, ${r.path}: ${r.calls} calls (${Object.entries(r.byEndpoint)
      .map(([k, v]) => `${k} ${v}`)
      .join(
        ', ',
      )}); events ${JSON.stringify(r.statuses)}; records ${JSON.stringify(r.records)}; ${r.seconds.toFixed(1)} s`,
);
console.log(['', ...table, '', ...details].join('\n'));

if (!values['no-write']) {
  const markdown = `# People benchmark: Composite against Bulk API 2.0

<!-- Written by \`npm run bench:people\` (bench/people-benchmark.mts). -->

Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}; load average at start ${load.join(' / ')} (the machine is shared).

Salesforce API calls (the emulator's usage counter: every request under \`/services/data/\`) to sync
${PEOPLE.toLocaleString('en-US')} new people posted in one request, synced in one batch of 1,000, into a fresh org. Composite:
\`RELAY_PEOPLE_BULK_THRESHOLD\` above the batch; Bulk: its default, 200. Prospects and sign-ups
name 400 companies (ContactAccount mode creates 400 Accounts); sign-ups join the linked Campaign.

${table.join('\n')}

Both paths spend the same 2–3 lookup calls (the configuration, Contact and Lead by email chunked
to the URI limit, the Campaign or the Accounts by name: up to five queries per Composite call).
Composite then spends one call per 1,000 records written (5 Collections × 200): the people, their
Accounts, their CampaignMembers. A Bulk API 2.0 job costs at least five calls
whatever its size (create, upload, close, a state poll or more, the successful results; failed
results only when a row failed), one job per object. So at 1,000 people Bulk spends more calls
than Composite; it is for larger batches, and for orgs that would rather spend Bulk batches than
synchronous transaction time.

## Runs

${details.join('\n')}
`;
  writeFileSync(join(HERE, 'PEOPLE.md'), markdown);
  console.log('wrote bench/PEOPLE.md');
}
