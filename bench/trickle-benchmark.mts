// The trickle benchmark (`npm run bench:trickle`): events arriving one per request at a steady rate,
// as a platform sends them on an ordinary day, synced by Relay twice in the same script — with the
// worker's batch wait (RELAY_BATCH_WAIT_MS, default 5 s) and, as the baseline, without it (0: each
// request synced as it arrives). Same dataset, same processes as `npm run bench` (bench/lib); the
// figures and their ratios go to bench/TRICKLE.md.
//
//   npm run bench:trickle                          300 events at 10 per second
//   npm run bench:trickle -- --events 600 --rate 20 --no-write
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateEvents } from './lib/dataset.mjs';
import { runRelay } from './lib/relay-run.mjs';
import { ratio, round } from './lib/stats.mjs';
import type { RunFigures } from './lib/types.mjs';

const HERE = new URL('.', import.meta.url).pathname;
const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '300' },
    rate: { type: 'string', default: '10' },
    wait: { type: 'string', default: '5000' },
    'no-write': { type: 'boolean', default: false },
  },
});
const count = Number(values.events);
const rate = Number(values.rate);
const waitMs = Number(values.wait);
const log = (line: string) => console.log(line);

const started = Date.now();
const load = loadavg().map((n) => n.toFixed(2));
const events = generateEvents(count);
const run = (batchWaitMs: number): Promise<RunFigures> =>
  runRelay(events, {
    storage: 'pglite',
    concurrency: 1,
    timeoutMs: (count / rate) * 1000 + 120_000,
    nodeArgs: [],
    trickle: { eventsPerSecond: rate },
    companionEnv: { RELAY_BATCH_WAIT_MS: String(batchWaitMs) },
    log,
  });
log(`trickle: ${count} events, one per request, ${rate} per second; batch wait ${waitMs} ms against 0`);
const baseline = await run(0);
const relay = await run(waitMs);

const ms = (n: number | null) => (n === null ? '—' : `${Math.round(n).toLocaleString('en-US')} ms`);
const times = (n: number | null) => (n === null ? '—' : `${round(n, 2)}×`);
const duplicates = (f: RunFigures) => `${f.tasks.distinctKeys} / ${f.tasks.expected}, ${f.tasks.duplicates} duplicates`;
const rows: Array<[string, string, string, string]> = [
  [
    'API calls in total',
    String(relay.apiCalls),
    String(baseline.apiCalls),
    times(ratio(relay.apiCalls, baseline.apiCalls)),
  ],
  [
    'API calls per 1,000 activities',
    String(round(relay.callsPer1000, 1)),
    String(round(baseline.callsPer1000, 1)),
    times(ratio(relay.callsPer1000, baseline.callsPer1000)),
  ],
  [
    'intake → Task p50',
    ms(relay.latencyP50Ms),
    ms(baseline.latencyP50Ms),
    times(ratio(relay.latencyP50Ms, baseline.latencyP50Ms)),
  ],
  [
    'intake → Task p95',
    ms(relay.latencyP95Ms),
    ms(baseline.latencyP95Ms),
    times(ratio(relay.latencyP95Ms, baseline.latencyP95Ms)),
  ],
  ['Tasks (distinct keys / expected)', duplicates(relay), duplicates(baseline), ''],
];
const table = [
  `| | batch wait ${waitMs.toLocaleString('en-US')} ms | no wait (baseline) | wait / baseline |`,
  '|---|---:|---:|---:|',
  ...rows.map((r) => `| ${r.join(' | ')} |`),
].join('\n');
const report = `# Trickle benchmark: the worker's batch wait against syncing each request at once

<!-- Written by \`npm run bench:trickle\` (bench/trickle-benchmark.mts). -->

Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${cpus().length} cores, load average at start ${load.join(' / ')}; ${round((Date.now() - started) / 1000)} s in all. ${count.toLocaleString('en-US')} events of \`npm run bench\`'s dataset, one per signed request, ${rate} per second (what a platform sends as things happen), each run on fresh emulator and companion processes (PGlite); the baseline is the same companion with \`RELAY_BATCH_WAIT_MS=0\`.

${table}

Without the wait every request becomes its own batch: a lookup call for people not yet in the match
cache and a write call, so the cost follows the request rate, not the volume. With it, fewer due
events than a batch wait until the oldest has waited ${waitMs.toLocaleString('en-US')} ms, so a
trickle costs about one write call per wait, whatever its rate, for that much more latency. Bursts
are not affected: a full batch, and the rest of a burst, go at once (\`npm run bench\`).
`;
log(`\n${table}\n`);
if (!values['no-write']) {
  writeFileSync(join(HERE, 'TRICKLE.md'), report);
  log('wrote bench/TRICKLE.md');
}
