// The baseline run: a fresh emulator process (a daily limit large enough for one call per lookup
// and per insert) and the jsforce per-record sync (baseline-process.mts) in its own process, over
// the first `count` events of the dataset.
import { join } from 'node:path';
import { startChild, type Child } from './child.mjs';
import { expectations, generateEvents } from './dataset.mjs';
import { emulatorUsage, resetEmulatorUsage, taskCheck, type OrgTasks } from './org-figures.mjs';
import { percentile } from './stats.mjs';
import type { RunFigures } from './types.mjs';

const HERE = new URL('.', import.meta.url).pathname;

interface BaselineResult {
  events: number;
  created: number;
  skipped: number;
  errors: number;
  firstErrors: string[];
  seconds: number;
  service: number[];
  latency: number[];
}

export async function runBaseline(
  count: number,
  datasetEvents: number,
  options: { nodeArgs: string[]; log(line: string): void },
): Promise<RunFigures> {
  const children: Child[] = [];
  try {
    const emulator = await startChild(join(HERE, 'emulator-process.mts'), { BENCH_DAILY_API_REQUESTS: '100000000' });
    children.push(emulator);
    const url = String(emulator.ready.url);
    const baseline = await startChild(
      join(HERE, 'baseline-process.mts'),
      { BENCH_EMULATOR_URL: url, BENCH_EVENTS: String(count) },
      options.nodeArgs,
    );
    children.push(baseline);
    await resetEmulatorUsage(url);
    options.log(`  baseline: ${count} events one by one…`);
    const cpu0 = { baseline: baseline.cpuSeconds(), emulator: emulator.cpuSeconds() };
    const r = await baseline.call<BaselineResult>('run');
    const cpu = { baseline: baseline.cpuSeconds() - cpu0.baseline, emulator: emulator.cpuSeconds() - cpu0.emulator };
    const usage = await emulatorUsage(url);
    const tasks = await emulator.call<OrgTasks>('tasks');
    const memory = baseline.memory();
    const busy = (s: number) => ({ cpuSeconds: s, busy: s / r.seconds });
    const notes: string[] = [];
    if (r.errors) notes.push(`${r.errors} errors, first: ${r.firstErrors.join(' | ')}`);
    const sampled = r.events < datasetEvents;
    let p50 = percentile(r.latency, 50);
    let p95 = percentile(r.latency, 95);
    if (sampled) {
      // A burst of the whole dataset waits in one line: the event at rank p waits for p of the
      // dataset at the sample's time per event. The sample's own burst is in the notes.
      const perEventMs = (r.seconds * 1000) / r.events;
      notes.push(
        `intake → Task of the ${r.events.toLocaleString('en-US')}-event sample's own burst: p50 ${Math.round(p50 ?? 0)} ms, p95 ${Math.round(p95 ?? 0)} ms; the table extrapolates to a ${datasetEvents.toLocaleString('en-US')}-event burst at ${perEventMs.toFixed(2)} ms per event`,
      );
      p50 = 0.5 * datasetEvents * perEventMs;
      p95 = 0.95 * datasetEvents * perEventMs;
    }
    return {
      system: 'baseline',
      storage: null,
      events: r.events,
      datasetEvents,
      sampled,
      apiCalls: usage.apiRequests,
      apiCallsByEndpoint: usage.byEndpoint,
      callsPer1000: (usage.apiRequests / r.events) * 1000,
      acceptedPerSec: null,
      syncedPerSec: r.events / r.seconds,
      wallSeconds: r.seconds,
      latencyP50Ms: p50,
      latencyP95Ms: p95,
      serviceP50Ms: percentile(r.service, 50),
      serviceP95Ms: percentile(r.service, 95),
      peakRssMb: memory.peakMb,
      processes: { baseline: busy(cpu.baseline), emulator: busy(cpu.emulator) },
      tasks: taskCheck(tasks, expectations(generateEvents(count))),
      outcomes: { synced: r.created, skipped: r.skipped, failed: r.errors },
      notes,
    };
  } finally {
    for (const child of children.reverse()) await child.stop().catch(() => undefined);
  }
}
