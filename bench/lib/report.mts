// bench/RESULTS.md from the results: the figures table (Relay beside the baseline, both sizes,
// ratios), the goals, calls by endpoint, where the CPU went, the dataset and the method. The
// hand-written findings (bench/findings.md) are included as they are.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Expectations } from './dataset.mjs';
import { CATEGORY_WEIGHTS, POPULATION, REDELIVERY_SHARE, VISIT_SHARE } from './dataset.mjs';
import { ratio } from './stats.mjs';
import type { RunFigures } from './types.mjs';

export interface SizeResults {
  size: number;
  dataset: Expectations;
  relay: RunFigures[];
  baseline: RunFigures | null;
}

export interface BenchResults {
  date: string;
  command: string;
  machine: {
    cpu: string;
    cores: number;
    memoryGb: number;
    kernel: string;
    node: string;
    loadAverageAtStart: number[];
  };
  sizes: SizeResults[];
  totalSeconds: number;
}

export const GOALS = { callsPer1000: 5, acceptedPerSec: 5000, peakRssMb: 500, peakRssAt: 100_000 } as const;

const HERE = new URL('.', import.meta.url).pathname;
const int = (n: number | null | undefined) =>
  n === null || n === undefined ? '—' : Math.round(n).toLocaleString('en-US');
const dec = (n: number | null | undefined, d = 1) =>
  n === null || n === undefined
    ? '—'
    : n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const ms = (n: number | null) => (n === null ? '—' : n >= 10_000 ? `${dec(n / 1000, 1)} s` : `${int(n)} ms`);
// Ratios below 1 % read better as a fraction (Relay's calls are 1/853 of the baseline's).
const times = (r: number | null) =>
  r === null ? '—' : r >= 10 ? `${int(r)}×` : r >= 0.01 ? `${dec(r, 2)}×` : `1/${int(1 / r)}`;
const label = (size: number, r: RunFigures) =>
  `${int(size)} ${r.system}${r.storage ? ` (${r.storage})` : ''}${r.sampled ? ` (first ${int(r.events)})` : ''}`;

const latency = (r: RunFigures, v: number | null) => (r.sampled ? `≈ ${ms(v)} (extrapolated)` : ms(v));

function tasksCell(r: RunFigures): string {
  const t = r.tasks;
  return `${int(t.distinctKeys)} / ${int(t.expected)}, ${int(t.duplicates)} duplicates`;
}

/** Rows of the figures table: label, value for a run, ratio Relay/baseline. */
const ROWS: Array<[string, (r: RunFigures) => string, (a: RunFigures, b: RunFigures) => string]> = [
  [
    'API calls per 1,000 activities',
    (r) => dec(r.callsPer1000, 1),
    (a, b) => times(ratio(a.callsPer1000, b.callsPer1000)),
  ],
  [
    'API calls in total',
    (r) =>
      r.sampled
        ? `${int(r.apiCalls)} for ${int(r.events)} (≈ ${int((r.callsPer1000 * r.datasetEvents) / 1000)} for all)`
        : int(r.apiCalls),
    () => '',
  ],
  ['events/s accepted (intake)', (r) => (r.acceptedPerSec === null ? 'n/a (inline)' : int(r.acceptedPerSec)), () => ''],
  [
    'events/s synced (final outcome)',
    (r) => int(r.syncedPerSec),
    (a, b) => times(ratio(a.syncedPerSec, b.syncedPerSec)),
  ],
  ['intake → Task p50', (r) => latency(r, r.latencyP50Ms), (a, b) => times(ratio(a.latencyP50Ms, b.latencyP50Ms))],
  ['intake → Task p95', (r) => latency(r, r.latencyP95Ms), (a, b) => times(ratio(a.latencyP95Ms, b.latencyP95Ms))],
  [
    'peak RSS of the syncing process',
    (r) => `${int(r.peakRssMb)} MB`,
    (a, b) => times(ratio(a.peakRssMb, b.peakRssMb)),
  ],
  ['Tasks (distinct keys / expected)', tasksCell, () => ''],
  [
    'time to sync the dataset',
    (r) =>
      r.sampled
        ? `${dec(r.wallSeconds, 1)} s for ${int(r.events)} (≈ ${int(r.datasetEvents / r.syncedPerSec)} s for all)`
        : `${dec(r.wallSeconds, 1)} s`,
    () => '',
  ],
];

function figuresTable(sizes: SizeResults[]): string[] {
  const head = ['| |'];
  const rule = ['|---|'];
  for (const s of sizes) {
    const b = s.baseline;
    head.push(
      ` ${int(s.size)}: Relay | ${int(s.size)}: baseline${b?.sampled ? ` (first ${int(b.events)}, per-1,000 figures extrapolated)` : ''} | Relay / baseline |`,
    );
    rule.push('---:|---:|---:|');
  }
  const lines = [head.join(''), rule.join('')];
  for (const [label, value, compare] of ROWS) {
    const cells = [`| ${label} |`];
    for (const s of sizes) {
      const relay = s.relay[0]!;
      const b = s.baseline;
      cells.push(` ${value(relay)} | ${b ? value(b) : '—'} | ${b ? compare(relay, b) : ''} |`);
    }
    lines.push(cells.join(''));
  }
  return lines;
}

function goalRows(sizes: SizeResults[]): string[] {
  const relayRuns = sizes.flatMap((s) => s.relay.map((r) => ({ size: s.size, r })));
  const label = (x: { size: number; r: RunFigures }) => `${int(x.size)} (${x.r.storage})`;
  const calls = relayRuns.map((x) => `${dec(x.r.callsPer1000, 1)} at ${label(x)}`).join('; ');
  const callsMet = relayRuns.every((x) => x.r.callsPer1000 <= GOALS.callsPer1000);
  const intakeRuns = relayRuns.filter((x) => x.size >= 10_000);
  const intakeBasis = intakeRuns.length ? intakeRuns : relayRuns;
  const intake = relayRuns.map((x) => `${int(x.r.acceptedPerSec)} at ${label(x)}`).join('; ');
  const intakeMet = intakeBasis.every((x) => (x.r.acceptedPerSec ?? 0) >= GOALS.acceptedPerSec);
  const rssRuns = relayRuns.filter((x) => x.size >= GOALS.peakRssAt);
  const rss = relayRuns.map((x) => `${int(x.r.peakRssMb)} MB at ${label(x)}`).join('; ');
  const rssMet = rssRuns.length
    ? rssRuns.every((x) => x.r.peakRssMb < GOALS.peakRssMb)
      ? 'yes'
      : '**no**'
    : 'not run';
  return [
    '| goal (issue 4) | measured | met |',
    '|---|---|---|',
    `| ≤ ${GOALS.callsPer1000} API calls per 1,000 activities | ${calls} | ${callsMet ? 'yes' : '**no**'} |`,
    `| intake ≥ ${int(GOALS.acceptedPerSec)} events/s | ${intake} (worker syncing at the same time) | ${intakeMet ? 'yes' : '**no**'}${intakeRuns.length ? ' (judged on the 100,000 run)' : ''} |`,
    `| peak RSS < ${GOALS.peakRssMb} MB at ${int(GOALS.peakRssAt)} events | ${rss} | ${rssMet} |`,
  ];
}

function endpointTable(sizes: SizeResults[]): string[] {
  const lines = ['| run | calls by endpoint (emulator usage counter) |', '|---|---|'];
  for (const s of sizes) {
    for (const r of [...s.relay, ...(s.baseline ? [s.baseline] : [])]) {
      const by = Object.entries(r.apiCallsByEndpoint)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `\`${k}\` ${int(v)}`)
        .join(', ');
      lines.push(`| ${label(s.size, r)} | ${by} |`);
    }
  }
  return lines;
}

function cpuTable(sizes: SizeResults[]): string[] {
  const lines = ['| run | wall | CPU seconds (busy share of one core) per process |', '|---|---:|---|'];
  for (const s of sizes) {
    for (const r of [...s.relay, ...(s.baseline ? [s.baseline] : [])]) {
      const procs = Object.entries(r.processes)
        .map(([k, p]) => `${k} ${dec(p.cpuSeconds, 1)} s (${int(p.busy * 100)} %)`)
        .join(', ');
      lines.push(`| ${label(s.size, r)} | ${dec(r.wallSeconds, 1)} s | ${procs} |`);
    }
  }
  return lines;
}

function postgresTable(sizes: SizeResults[]): string[] {
  const runs = sizes.flatMap((s) => s.relay.filter((r) => r.storage === 'postgres').map((r) => ({ size: s.size, r })));
  if (!runs.length) return [];
  return [
    '',
    '### Relay on PostgreSQL (`--postgres`)',
    '',
    '| events | calls / 1,000 | accepted/s | synced/s | p50 / p95 | companion peak RSS | Tasks |',
    '|---:|---:|---:|---:|---|---:|---|',
    ...runs.map(
      ({ size, r }) =>
        `| ${int(size)} | ${dec(r.callsPer1000, 1)} | ${int(r.acceptedPerSec)} | ${int(r.syncedPerSec)} | ${ms(r.latencyP50Ms)} / ${ms(r.latencyP95Ms)} | ${int(r.peakRssMb)} MB | ${tasksCell(r)} |`,
    ),
    '',
    "The PostgreSQL server runs in its own processes; its memory is not in the companion's RSS.",
  ];
}

function datasetSection(sizes: SizeResults[]): string[] {
  const w = CATEGORY_WEIGHTS;
  const pct = (n: number) => `${Math.round(n * 100)} %`;
  const lines = [
    `Generated by \`bench/lib/dataset.mts\` from a fixed seed (mulberry32), the same for both runs; the 1,000 dataset is the start of the 100,000 one. The org is the emulator's \`demo\` seed plus ${int(POPULATION.accounts)} Accounts, ${int(POPULATION.accounts * POPULATION.contactsPerAccount)} Contacts, ${int(POPULATION.leads)} open Leads and ${int(POPULATION.convertedLeads)} converted Leads (whose Contact has another email: the person moved on), inserted through the emulator's \`Org\`.`,
    '',
    `- ${pct(VISIT_SHARE)} visits (\`relay.visit\`, \`active: false\`), the rest messages (\`relay.message.sent\`, 80 % email, 20 % LinkedIn; senders are the demo's sales users or unknown reps).`,
    `- People by intended match: Contact ${pct(w.contact)}, Lead ${pct(w.lead)}, converted Lead ${pct(w.converted)}, Account by name only ${pct(w.account)} (visits; visitors unknown, company known), unmatched ${pct(w.unmatched)} (half with an unknown company name). Messages carry no account name, so their "account" share is unmatched.`,
    '- Within each kind a heavy head: the first person of a kind gets about 5 % of its events, the top 1 % about a third (a few prospects re-opening a deck all day); 3 % of emails arrive upper-cased.',
    `- ${pct(REDELIVERY_SHARE)} of visits re-deliver an earlier visit's final state under a new CloudEvent id: the same Task must be updated, not duplicated.`,
    '',
    '| events | visits | messages | redeliveries | Contact | Lead | converted | Account | unmatched | distinct emails | expected Tasks |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const s of sizes) {
    const d = s.dataset;
    const c = d.byCategory;
    lines.push(
      `| ${int(d.events)} | ${int(d.visits)} | ${int(d.messages)} | ${int(d.redeliveries)} | ${int(c.contact)} | ${int(c.lead)} | ${int(c.converted)} | ${int(c.account)} | ${int(c.unmatched)} | ${int(d.distinctEmails)} | ${int(d.tasks)} |`,
    );
  }
  return lines;
}

const METHOD = `
- **Processes.** Every run starts fresh processes: the emulator (\`bench/lib/emulator-process.mts\`, in-memory org), and the system under test in its own process so its peak RSS is its own (\`VmHWM\` from \`/proc/<pid>/status\`, the kernel's high-water mark, read at the end). CPU time per process is \`utime + stime\` from \`/proc/<pid>/stat\` over the timed part.
- **Relay** (\`bench/lib/companion-process.mts\`): \`createCompanion({ config })\`, the production wiring, with production settings (batches of 1,000, 50 s configuration refresh, default API share and quota), PGlite in a temporary folder (PostgreSQL with \`--postgres\`), one workspace connected to the emulator with its development client. The benchmark posts the dataset signed (\`Relay-Signature\`, signed at send time) in batches of 1,000, four requests in flight, as fast as intake answers 202; bodies are serialised before the clock starts. It then polls the companion until every event is \`synced\` or \`skipped\`.
- **Baseline** (\`bench/lib/baseline-process.mts\`): jsforce 3.10.16, per event: \`SELECT … FROM Contact WHERE Email = …\`, if none \`SELECT … FROM Lead WHERE Email = …\` (a converted Lead is followed to its Contact), if none and the event names a company \`SELECT Id FROM Account WHERE Name = …\`, then one \`POST /sobjects/Task\`. No batching, no cache, no external-id upsert. It matches like Relay so both create the same Tasks; it spares itself the owner lookup Relay does. At 100,000 events it syncs the first ${'`--baseline-sample`'} events (5,000 by default) and the per-1,000 figures stand for the whole dataset: its cost per event does not depend on what came before (no cache), so the sample is representative. Its latency is extrapolated to a burst of the whole dataset (the event at rank p waits for p of the dataset at the sample's time per event); the sample's own burst is in the run notes.
- **API calls** come from the emulator's usage counter (\`POST /__emulator/usage/reset\` before, \`GET /__emulator/usage\` after): every request under \`/services/data/\`, as Salesforce counts DailyApiRequests; OAuth token requests are not counted (nor by Salesforce). "Per 1,000 activities" divides by the events posted, synced or skipped.
- **events/s accepted**: events answered 202 per second, from the first request to the last answer, while the worker is already syncing in the same process. **events/s synced**: events brought to their final outcome per second, from the first request to the last outcome (\`max(completed_at)\`). **intake → Task**: \`completed_at − received_at\` of synced events (Relay), or for the baseline the time from the start of the burst to the Task's insert (its events all wait in line behind one another, as Relay's do behind its batches).
- **Tasks** are counted in the emulator's store by activity key (\`relay__ExternalKey__c\`; the baseline, which writes no external id, carries the key in Description), and compared with the distinct keys of matched events; the WhoId/WhatId kind of each Task is compared with the intended match.
`;

export function renderResults(results: BenchResults): string {
  const m = results.machine;
  const findingsFile = join(HERE, '..', 'findings.md');
  const findings = existsSync(findingsFile) ? readFileSync(findingsFile, 'utf8').trim() : '';
  const notes = results.sizes.flatMap((s) =>
    [...s.relay, ...(s.baseline ? [s.baseline] : [])].flatMap((r) => r.notes.map((n) => `- ${label(s.size, r)}: ${n}`)),
  );
  const whoTable = [
    '| run | Tasks on Contacts | on Leads | on Accounts only |',
    '|---|---:|---:|---:|',
    ...results.sizes.flatMap((s) =>
      [...s.relay, ...(s.baseline ? [s.baseline] : [])].map((r) => {
        const t = r.tasks;
        return `| ${label(s.size, r)} | ${int(t.onContacts)} of ${int(t.expectedOnContacts)} | ${int(t.onLeads)} of ${int(t.expectedOnLeads)} | ${int(t.onAccountsOnly)} of ${int(t.expectedOnAccountsOnly)} |`;
      }),
    ),
  ];
  return [
    '# Sync benchmark: Relay against a per-record jsforce baseline',
    '',
    '<!-- Written by `npm run bench` (bench/sync-benchmark.mts); the findings section comes from bench/findings.md. -->',
    '',
    `Measured ${results.date.slice(0, 16).replace('T', ' ')} UTC on ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, Linux ${m.kernel}, Node ${m.node}; load average at start ${m.loadAverageAtStart.join(' / ')} (other engineers share the machine). Command: \`${results.command}\`, ${int(results.totalSeconds)} s in all. Machine-readable: \`bench/results.json\`.`,
    '',
    '## Figures',
    '',
    ...figuresTable(results.sizes),
    ...postgresTable(results.sizes),
    '',
    '## Goals',
    '',
    ...goalRows(results.sizes),
    '',
    ...(findings ? [findings, ''] : []),
    '## Calls by endpoint',
    '',
    ...endpointTable(results.sizes),
    '',
    '## Where the CPU went',
    '',
    ...cpuTable(results.sizes),
    '',
    '## Correctness',
    '',
    ...whoTable,
    '',
    ...(notes.length ? ['Run notes:', '', ...notes, ''] : []),
    '## Dataset',
    '',
    ...datasetSection(results.sizes),
    '',
    '## Method',
    METHOD,
  ].join('\n');
}
