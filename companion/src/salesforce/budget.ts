// Relay's API budget per org: never more than MaxApiSharePercent of the org's daily API request
// limit. Salesforce's limit is a rolling 24-hour window; Relay counts its own calls per org and
// hour in the database (every worker of every process shares the count) and reserves each call
// before sending it, so the budget holds even with many workers. The org's limit (`max`) and its
// total usage come from the `Sforce-Limit-Info: api-usage=<used>/<max>` header of every response.
//
// Counting is conservative: hour buckets from the start of the hour 24 hours ago are included
// (up to one hour more than Salesforce's window), and a call is counted before it is sent, even
// if the network loses it.
import type { Db } from '../db/types.js';
import { LimitPauseError } from '../errors.js';

export interface OrgUsage {
  /** The org's usage as Salesforce last reported it (all clients), or null before the first call. */
  used: number | null;
  max: number | null;
  observedAt: string | null;
  /** Relay's calls in the rolling window. */
  relayUsed: number;
  /** The most Relay may use in the window, or null while the org's limit is unknown. */
  relayBudget: number | null;
}

const WINDOW = `date_trunc('hour', now() - interval '24 hours')`;

/** `api-usage=10018/100000` → numbers. */
export function parseLimitInfo(header: string | undefined): { used: number; max: number } | null {
  const m = /api-usage=(\d+)\/(\d+)/.exec(header ?? '');
  return m ? { used: Number(m[1]), max: Number(m[2]) } : null;
}

export function budgetOf(max: number, sharePercent: number): number {
  return Math.floor((max * sharePercent) / 100);
}

export class ApiBudget {
  /** Last known limit per org, so reserve() needs no extra read. */
  readonly #limits = new Map<string, { used: number; max: number }>();

  constructor(private readonly db: Db) {}

  /**
   * Counts one call for the org, or throws LimitPauseError('API_BUDGET') with the time the window
   * frees enough when Relay's share is spent. Serialised per org with an advisory lock so two
   * workers cannot both take the last call.
   */
  async reserve(orgId: string, sharePercent: number): Promise<void> {
    const max = this.#limits.get(orgId)?.max ?? (await this.#loadLimit(orgId))?.max;
    const budget = max === undefined ? null : budgetOf(max, sharePercent);
    const refusedUntil = await this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`relay-budget:${orgId}`]);
      if (budget !== null) {
        const { rows } = await tx.query<{ hour: Date; calls: number }>(
          `SELECT hour, calls FROM sync_api_usage WHERE org_id = $1 AND hour >= ${WINDOW} ORDER BY hour`,
          [orgId],
        );
        const used = rows.reduce((n, r) => n + r.calls, 0);
        if (used + 1 > budget) return freeAt(rows, used + 1 - budget);
      }
      await tx.query(
        `INSERT INTO sync_api_usage (org_id, hour, calls) VALUES ($1, date_trunc('hour', now()), 1)
         ON CONFLICT (org_id, hour) DO UPDATE SET calls = sync_api_usage.calls + 1`,
        [orgId],
      );
      return null;
    });
    if (refusedUntil) {
      throw new LimitPauseError(
        `Relay has used its share (${sharePercent} %, ${budget} calls) of the org's daily API limit; paused until the 24-hour window frees calls`,
        'API_BUDGET',
        refusedUntil,
      );
    }
  }

  /**
   * Counts one call without asking the budget: only the budget check's own reads (budget-check.ts),
   * which must reach the org to learn that its limit or Relay's share was raised.
   */
  async count(orgId: string): Promise<void> {
    await this.db.query(
      `INSERT INTO sync_api_usage (org_id, hour, calls) VALUES ($1, date_trunc('hour', now()), 1)
       ON CONFLICT (org_id, hour) DO UPDATE SET calls = sync_api_usage.calls + 1`,
      [orgId],
    );
  }

  /** Records a call Salesforce refused for its limit (not counted by Salesforce, shown to operators). */
  async refused(orgId: string): Promise<void> {
    await this.db.query(
      `INSERT INTO sync_api_usage (org_id, hour, calls, refused) VALUES ($1, date_trunc('hour', now()), 0, 1)
       ON CONFLICT (org_id, hour) DO UPDATE SET refused = sync_api_usage.refused + 1`,
      [orgId],
    );
  }

  /** Stores what Sforce-Limit-Info said. */
  async observe(orgId: string, used: number, max: number): Promise<void> {
    this.#limits.set(orgId, { used, max });
    await this.db.query(
      `INSERT INTO sync_org_limits (org_id, used, max, observed_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (org_id) DO UPDATE SET used = excluded.used, max = excluded.max, observed_at = excluded.observed_at`,
      [orgId, used, max],
    );
  }

  known(orgId: string): { used: number; max: number } | undefined {
    return this.#limits.get(orgId);
  }

  async usage(orgId: string, sharePercent: number): Promise<OrgUsage> {
    const [limit, relay] = await Promise.all([
      this.db.query<{ used: number; max: number; observed_at: Date }>(
        'SELECT used, max, observed_at FROM sync_org_limits WHERE org_id = $1',
        [orgId],
      ),
      this.db.query<{ n: number }>(
        `SELECT coalesce(sum(calls), 0)::int AS n FROM sync_api_usage WHERE org_id = $1 AND hour >= ${WINDOW}`,
        [orgId],
      ),
    ]);
    const row = limit.rows[0];
    return {
      used: row?.used ?? null,
      max: row?.max ?? null,
      observedAt: row?.observed_at.toISOString() ?? null,
      relayUsed: relay.rows[0]?.n ?? 0,
      relayBudget: row ? budgetOf(row.max, sharePercent) : null,
    };
  }

  async #loadLimit(orgId: string): Promise<{ used: number; max: number } | undefined> {
    const { rows } = await this.db.query<{ used: number; max: number }>(
      'SELECT used, max FROM sync_org_limits WHERE org_id = $1',
      [orgId],
    );
    const row = rows[0];
    if (row) this.#limits.set(orgId, { used: row.used, max: row.max });
    return row;
  }
}

/**
 * When enough of the window's oldest calls have aged out to free `needed` calls: a bucket starting
 * at hour H stops counting once the window starts after it, at H + 25 h.
 */
function freeAt(rows: { hour: Date; calls: number }[], needed: number): Date {
  let freed = 0;
  for (const row of rows) {
    freed += row.calls;
    if (freed >= needed) return new Date(row.hour.getTime() + 25 * 3_600_000);
  }
  return new Date(Date.now() + 3_600_000);
}
