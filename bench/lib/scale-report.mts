// The scale benchmark's tables (markdown): every figure beside its baseline from the same run —
// PostgreSQL with 1 worker process for the worker counts, and for PGlite.
import type { ScaleFigures } from './scale-run.mjs';
import { ratio, round } from './stats.mjs';

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const times = (n: number | null) => (n === null ? '—' : `${round(n, 2)}×`);
const mbList = (list: number[]) => (list.length ? list.map((n) => `${int(n)}`).join(' / ') + ' MB' : '—');
const seconds = (ms: number | null) => (ms === null ? '—' : `${round(ms / 1000, 1)} s`);

function figuresTable(runs: ScaleFigures[], base: ScaleFigures | undefined): string[] {
  return [
    '| run | events/s synced | ratio to 1 worker | time | API calls / 1,000 | peak RSS per worker process | intake process peak RSS | Tasks distinct / expected, duplicates | intake → synced p50 / p95 |',
    '|---|--:|--:|--:|--:|--:|--:|---|--:|',
    ...runs.map((r) => {
      const t = r.tasks;
      return `| ${r.label} | ${int(r.syncedPerSec)} | ${times(ratio(r.syncedPerSec, base?.syncedPerSec))} | ${round(r.wallSeconds, 1)} s | ${round(r.callsPer1000, 2)} | ${mbList(r.workerPeakMb)} | ${mbList(r.intakePeakMb)} | ${int(t.distinct)} / ${int(t.expected)}, ${t.duplicates} duplicates | ${seconds(r.outcomes.latencyP50Ms)} / ${seconds(r.outcomes.latencyP95Ms)} |`;
    }),
  ];
}

function cpuTable(runs: ScaleFigures[]): string[] {
  const kinds = Object.keys(runs[0]?.busy ?? {});
  return [
    `| run (cores busy, CPU s / wall s) | ${kinds.join(' | ')} | all |`,
    `|---|${kinds.map(() => '--:').join('|')}|--:|`,
    ...runs.map((r) => {
      const all = Object.values(r.busy).reduce((a, b) => a + b, 0);
      return `| ${r.label} | ${kinds.map((k) => round(r.busy[k] ?? 0, 2)).join(' | ')} | ${round(all, 2)} |`;
    }),
  ];
}

/** CPU per event does not depend on how much of the shared machine the run was given. */
function cpuPerEventTable(runs: ScaleFigures[], base: ScaleFigures | undefined): string[] {
  const per = (r: ScaleFigures | undefined, s: number | undefined) =>
    r && s !== undefined ? (s * 1000) / r.events : null;
  return [
    '| run | CPU ms per event: Relay + database | ratio to 1 worker | all processes of the run (with orgs, client) | events per CPU second (all) | intake time for the dataset |',
    '|---|--:|--:|--:|--:|--:|',
    ...runs.map((r) => {
      const relay = per(r, r.relayCpuSeconds);
      return `| ${r.label} | ${round(relay ?? 0, 2)} | ${times(ratio(relay, per(base, base?.relayCpuSeconds)))} | ${round(per(r, r.allCpuSeconds) ?? 0, 2)} | ${int(r.events / r.allCpuSeconds)} | ${round(r.postSeconds, 1)} s |`;
    }),
  ];
}

function pgliteLines(pglite: ScaleFigures | undefined, base: ScaleFigures | undefined): string[] {
  if (!pglite || !base) return [];
  const baseRss = (base.workerPeakMb[0] ?? 0) + (base.intakePeakMb[0] ?? 0);
  return [
    '| PGlite (1 process) against PostgreSQL, 1 worker (+ 1 intake) | PGlite | PostgreSQL | PGlite / PostgreSQL |',
    '|---|--:|--:|--:|',
    `| events/s synced | ${int(pglite.syncedPerSec)} | ${int(base.syncedPerSec)} | ${times(ratio(pglite.syncedPerSec, base.syncedPerSec))} |`,
    `| API calls / 1,000 | ${round(pglite.callsPer1000, 2)} | ${round(base.callsPer1000, 2)} | ${times(ratio(pglite.callsPer1000, base.callsPer1000))} |`,
    `| peak RSS, Relay's processes together | ${int(pglite.workerPeakMb[0] ?? 0)} MB | ${int(baseRss)} MB (+ the PostgreSQL server) | ${times(ratio(pglite.workerPeakMb[0], baseRss))} |`,
    `| CPU ms per event, Relay + database | ${round((pglite.relayCpuSeconds * 1000) / pglite.events, 2)} | ${round((base.relayCpuSeconds * 1000) / base.events, 2)} | ${times(ratio(pglite.relayCpuSeconds / pglite.events, base.relayCpuSeconds / base.events))} |`,
    `| intake → synced p95 | ${seconds(pglite.outcomes.latencyP95Ms)} | ${seconds(base.outcomes.latencyP95Ms)} | ${times(ratio(pglite.outcomes.latencyP95Ms, base.outcomes.latencyP95Ms))} |`,
  ];
}

export function scaleReport(runs: ScaleFigures[]): string {
  const postgres = runs.filter((r) => r.label.startsWith('PostgreSQL'));
  const base = postgres.find((r) => r.label === 'PostgreSQL, 1 worker');
  const pglite = runs.find((r) => r.label.startsWith('PGlite'));
  return [
    ...figuresTable(runs, base),
    '',
    ...cpuTable(runs),
    '',
    ...cpuPerEventTable(runs, base),
    '',
    ...pgliteLines(pglite, base),
  ].join('\n');
}
