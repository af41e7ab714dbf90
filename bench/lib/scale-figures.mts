// What one scale run reads once it is over, and how it knows it is over: the queue gauge that any
// process's GET /metrics reads from the shared database (so PGlite's single process and
// PostgreSQL's many answer the same way), and the events table of the run's database, opened with
// the companion's own storage code after the processes are done with it.
import type { Db } from '../../companion/src/db/types.js';
import { OPERATOR_TOKEN } from './tenants.mjs';

/** Events still waiting (pending, retrying, deferred, processing) across all workspaces. */
export async function waitingEvents(url: string): Promise<number> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } });
  if (!res.ok) throw new Error(`GET /metrics: ${res.status}`);
  let waiting = 0;
  for (const line of (await res.text()).split('\n')) {
    if (line.startsWith('relay_queue_events{')) waiting += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return waiting;
}

export interface EventFigures {
  statuses: Record<string, number>;
  /** Events with a final outcome (synced, skipped, failed). */
  final: number;
  /** ms since epoch: the first event received, the last outcome. */
  firstReceivedAt: number;
  lastCompletedAt: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
}

export async function eventFigures(db: Db): Promise<EventFigures> {
  const statuses: Record<string, number> = {};
  const byStatus = await db.query<{ status: string; n: number }>(
    'SELECT status, count(*)::int AS n FROM events GROUP BY status',
  );
  for (const r of byStatus.rows) statuses[r.status] = r.n;
  const { rows } = await db.query<Record<string, number | null>>(
    `SELECT extract(epoch FROM min(received_at)) * 1000 AS first,
            extract(epoch FROM max(completed_at)) * 1000 AS last,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - received_at))
              FILTER (WHERE status = 'synced') * 1000 AS p50,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - received_at))
              FILTER (WHERE status = 'synced') * 1000 AS p95
       FROM events`,
  );
  const r = rows[0]!;
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    statuses,
    final: (statuses.synced ?? 0) + (statuses.skipped ?? 0) + (statuses.failed ?? 0),
    firstReceivedAt: Number(r.first),
    lastCompletedAt: Number(r.last),
    latencyP50Ms: num(r.p50),
    latencyP95Ms: num(r.p95),
  };
}
