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

function pgliteLines(pglite: ScaleFigures | undefined, base: ScaleFigures | undefined): string[] {
  if (!pglite || !base) return [];
  const baseRss = (base.workerPeakMb[0] ?? 0) + (base.intakePeakMb[0] ?? 0);
  return [
    '| PGlite (1 process) against PostgreSQL, 1 worker (+ 1 intake) | PGlite | PostgreSQL | PGlite / PostgreSQL |',
    '|---|--:|--:|--:|',
    `| events/s synced | ${int(pglite.syncedPerSec)} | ${int(base.syncedPerSec)} | ${times(ratio(pglite.syncedPerSec, base.syncedPerSec))} |`,
    `| API calls / 1,000 | ${round(pglite.callsPer1000, 2)} | ${round(base.callsPer1000, 2)} | ${times(ratio(pglite.callsPer1000, base.callsPer1000))} |`,
    `| peak RSS, Relay's processes together | ${int(pglite.workerPeakMb[0] ?? 0)} MB | ${int(baseRss)} MB (+ the PostgreSQL server) | ${times(ratio(pglite.workerPeakMb[0], baseRss))} |`,
    `| intake → synced p95 | ${seconds(pglite.outcomes.latencyP95Ms)} | ${seconds(base.outcomes.latencyP95Ms)} | ${times(ratio(pglite.outcomes.latencyP95Ms, base.outcomes.latencyP95Ms))} |`,
  ];
}

export function scaleReport(runs: ScaleFigures[]): string {
  const postgres = runs.filter((r) => r.label.startsWith('PostgreSQL'));
  const base = postgres.find((r) => r.label === 'PostgreSQL, 1 worker');
  const pglite = runs.find((r) => r.label.startsWith('PGlite'));
  return [...figuresTable(runs, base), '', ...cpuTable(runs), '', ...pgliteLines(pglite, base)].join('\n');
}
