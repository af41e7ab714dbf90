// Gauges read from the database when Prometheus scrapes: what waits in each workspace's queue and
// how late its oldest due event is, and each org's API budget. The database is shared by every
// process, so any process answers for the whole system. One read per scrape serves every gauge.
import { Gauge, type Registry } from 'prom-client';
import type { Db } from '../db/types.js';
import { budgetOf } from '../salesforce/budget.js';
import { defaultConfiguration } from '../sync/settings.js';

type QueueRow = {
  workspace_id: string;
  status: string;
  n: number;
  /** Seconds since the oldest event of this status became due (null: none due yet). */
  overdue: number | null;
};

type OrgRow = {
  org_id: string;
  max: number;
  used: number;
  relay_used: number;
  share: number;
};

interface Snapshot {
  queue: QueueRow[];
  orgs: OrgRow[];
}

const WAITING = ['pending', 'retrying', 'deferred', 'processing'];

async function readSnapshot(db: Db): Promise<Snapshot> {
  const [queue, orgs] = await Promise.all([
    db.query<QueueRow>(
      `SELECT workspace_id, status, count(*)::int AS n,
              extract(epoch FROM now() - min(next_attempt_at) FILTER (WHERE next_attempt_at <= now()))::float8 AS overdue
         FROM events WHERE status = ANY($1::text[]) GROUP BY workspace_id, status`,
      [WAITING],
    ),
    db.query<OrgRow>(
      `SELECT l.org_id, l.max, l.used,
              coalesce((SELECT sum(u.calls) FROM sync_api_usage u
                         WHERE u.org_id = l.org_id AND u.hour >= date_trunc('hour', now() - interval '24 hours')), 0)::int
                AS relay_used,
              coalesce((SELECT max((s.settings->'settings'->>'MaxApiSharePercent')::float8)
                          FROM sync_org_state s WHERE s.org_id = l.org_id), $1)::float8 AS share
         FROM sync_org_limits l`,
      [defaultConfiguration().settings.MaxApiSharePercent],
    ),
  ]);
  return { queue: queue.rows, orgs: orgs.rows };
}

export function registerDatabaseGauges(registry: Registry, db: Db): void {
  // Every gauge's collect() of one scrape shares the read (they are collected together).
  let current: { at: number; snapshot: Promise<Snapshot> } | null = null;
  const snapshot = (): Promise<Snapshot> => {
    if (!current || Date.now() - current.at > 1000) current = { at: Date.now(), snapshot: readSnapshot(db) };
    return current.snapshot;
  };
  const registers = [registry];
  new Gauge({
    name: 'relay_queue_events',
    help: 'Events waiting in a workspace queue, by status (pending, retrying, deferred, processing)',
    labelNames: ['workspace', 'status'],
    registers,
    async collect() {
      this.reset();
      for (const r of (await snapshot()).queue) this.set({ workspace: r.workspace_id, status: r.status }, r.n);
    },
  });
  new Gauge({
    name: 'relay_queue_oldest_due_seconds',
    help: 'How long the oldest due event of a workspace has waited since it became due (0: nothing due)',
    labelNames: ['workspace'],
    registers,
    async collect() {
      this.reset();
      const oldest = new Map<string, number>();
      for (const r of (await snapshot()).queue) {
        if (r.status === 'processing') continue;
        oldest.set(r.workspace_id, Math.max(oldest.get(r.workspace_id) ?? 0, r.overdue ?? 0));
      }
      for (const [workspace, seconds] of oldest) this.set({ workspace }, seconds);
    },
  });
  new Gauge({
    name: 'relay_api_budget_remaining',
    help: "Calls Relay may still make to an org in the rolling 24 hours (its MaxApiSharePercent of the org's limit, less what it used)",
    labelNames: ['org'],
    registers,
    async collect() {
      this.reset();
      for (const o of (await snapshot()).orgs)
        this.set({ org: o.org_id }, Math.max(0, budgetOf(o.max, o.share) - o.relay_used));
    },
  });
  new Gauge({
    name: 'relay_org_api_requests',
    help: "The org's daily API requests as Salesforce last reported them: used (all clients) and limit",
    labelNames: ['org', 'kind'],
    registers,
    async collect() {
      this.reset();
      for (const o of (await snapshot()).orgs) {
        this.set({ org: o.org_id, kind: 'used' }, o.used);
        this.set({ org: o.org_id, kind: 'limit' }, o.max);
      }
    },
  });
}
