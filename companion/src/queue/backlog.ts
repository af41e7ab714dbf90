// How much of a workspace's work is where, in the one vocabulary every place uses (the console's
// progress line, the package's status, the Sync health page, the CLI, the docs):
//
//   waiting   received and not synced yet, nothing holding it (pending, being processed, or
//             deferred on the routine visit cadence)
//   retrying  failed so far, tried again after backoff
//   failed    given up on: needs action (listed under Sync health, category and field named)
//   skipped   by a rule, counted per rule (`skippedBy`: unmatched, a Sync* switch off, superseded)
//   paused    held with a reason (`pausedReason`: a limit, the quota, RelayActive, the connection)
//
// An event is counted once, under one of these; `paused` is 0 whenever `pausedReason` is null.
import type { Db } from '../db/types.js';

export interface Backlog {
  pending: number;
  processing: number;
  retrying: number;
  deferred: number;
  failed: number;
  synced: number;
  skipped: number;
  total: number;
  pausedUntil: string | null;
  pausedReason: string | null;
  lastSyncAt: string | null;
  /** Deferred events due later, by the code their reason starts with (API_BUDGET, VISIT_CADENCE…). */
  deferredBy: Record<string, number>;
  /** Skipped events by the rule that skipped them. */
  skippedBy: Record<string, number>;
}

/** Codes that hold events (most pressing first); other deferrals (VISIT_CADENCE) are routine waits. */
export const HOLD_CODES = [
  'REQUEST_LIMIT_EXCEEDED',
  'API_BUDGET',
  'MONTHLY_QUOTA',
  'RELAY_INACTIVE',
  'NEEDS_RECONNECT',
  'API_DISABLED',
  'NOT_CONNECTED',
] as const;

/** The backlog in the shared vocabulary (above). */
export interface BacklogTerms {
  waiting: number;
  retrying: number;
  failed: number;
  skipped: number;
  skippedBy: Record<string, number>;
  paused: number;
  pausedReason: string | null;
  pausedUntil: string | null;
}

export function backlogTerms(b: Backlog): BacklogTerms {
  const holds = HOLD_CODES.filter((code) => (b.deferredBy[code] ?? 0) > 0);
  const held = holds.reduce((n, code) => n + b.deferredBy[code]!, 0);
  // A paused workspace claims nothing: every event not already being processed waits for the pause.
  const paused = b.pausedReason ? b.pending + b.deferred : held;
  return {
    waiting: b.pending + b.processing + b.deferred - paused,
    retrying: b.retrying,
    failed: b.failed,
    skipped: b.skipped,
    skippedBy: b.skippedBy,
    paused,
    pausedReason: b.pausedReason ?? holds[0] ?? null,
    pausedUntil: b.pausedUntil,
  };
}

/** `unmatched 120, SyncVisits off 57`: what skipped events, by the rule that skipped them. */
export function skippedText(skippedBy: Record<string, number>): string {
  return Object.entries(skippedBy)
    .map(([rule, n]) => `${rule} ${n}`)
    .join(', ');
}

// The rule of a skipped event: its unmatched category, the switch named in its reason, or the
// reason's code (also what the platform API's event status names; api/platform/event-status.ts).
export const SKIP_RULE = `CASE
  WHEN result->>'category' = 'unmatched' THEN 'unmatched'
  WHEN status_reason LIKE '% is off in Relay''s settings' THEN split_part(status_reason, ' ', 1) || ' off'
  WHEN status_reason LIKE 'superseded%' THEN 'superseded'
  ELSE left(coalesce(nullif(split_part(status_reason, ':', 1), ''), 'other'), 80) END`;

const STATUSES = ['pending', 'processing', 'retrying', 'deferred', 'failed', 'synced', 'skipped'] as const;

export async function readBacklog(db: Db, workspaceId: string): Promise<Backlog> {
  const [counts, state, deferred, skipped] = await Promise.all([
    db.query<{ status: (typeof STATUSES)[number]; n: number }>(
      'SELECT status, count(*)::int AS n FROM events WHERE workspace_id = $1 GROUP BY status',
      [workspaceId],
    ),
    db.query<{ paused_until: Date | null; paused_reason: string | null; last_sync_at: Date | null }>(
      `SELECT CASE WHEN paused_until > now() THEN paused_until END AS paused_until,
              CASE WHEN paused_until > now() THEN paused_reason END AS paused_reason, last_sync_at
         FROM workspace_sync_state WHERE workspace_id = $1`,
      [workspaceId],
    ),
    db.query<{ code: string; n: number }>(
      `SELECT split_part(status_reason, ':', 1) AS code, count(*)::int AS n FROM events
        WHERE workspace_id = $1 AND status = 'deferred' AND next_attempt_at > now() GROUP BY 1`,
      [workspaceId],
    ),
    db.query<{ rule: string; n: number }>(
      `SELECT ${SKIP_RULE} AS rule, count(*)::int AS n FROM events
        WHERE workspace_id = $1 AND status = 'skipped' GROUP BY 1 ORDER BY 2 DESC, 1`,
      [workspaceId],
    ),
  ]);
  const backlog: Backlog = {
    pending: 0,
    processing: 0,
    retrying: 0,
    deferred: 0,
    failed: 0,
    synced: 0,
    skipped: 0,
    total: 0,
    pausedUntil: null,
    pausedReason: null,
    lastSyncAt: null,
    deferredBy: Object.fromEntries(deferred.rows.map((r) => [r.code, r.n])),
    skippedBy: Object.fromEntries(skipped.rows.map((r) => [r.rule, r.n])),
  };
  for (const row of counts.rows) {
    backlog[row.status] = row.n;
    backlog.total += row.n;
  }
  const s = state.rows[0];
  if (s) {
    backlog.pausedUntil = s.paused_until?.toISOString() ?? null;
    backlog.pausedReason = s.paused_reason;
    backlog.lastSyncAt = s.last_sync_at?.toISOString() ?? null;
  }
  return backlog;
}
