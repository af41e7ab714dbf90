// GET /v1/package/status: the workspace, its org connection, the org's API usage and Relay's share
// of it, the monthly Task quota, the backlog and why it is held, and what waits to reach the
// platform; with `workspaces`, the same in short for every workspace connected to the org. Reads only the database — except when events are held for the quota and the
// configuration copy is stale: then the configuration is read again (one call), so that an admin
// who just raised the quota sees syncing resume.
import { COMPANION_VERSION } from '../../config/version.js';
import type { Db } from '../../db/types.js';
import type { QueueControl } from '../../queue/control.js';
import type { Engine } from '../../sync/engine.js';
import { MONTHLY_QUOTA, hasQuotaDeferred, quotaUse } from '../../sync/quota.js';
import type { Workspace } from '../../workspaces/types.js';
import { outboundCounts } from '../../reverse/outbox.js';

interface OrgRow {
  org_id: string | null;
  instance_url: string | null;
  connected: boolean;
  last_error: string | null;
  last_error_at: Date | null;
}

/** Reasons that hold a workspace's events, most pressing first (VISIT_CADENCE is routine, not a hold). */
const HELD_REASONS = [
  'REQUEST_LIMIT_EXCEEDED',
  'API_BUDGET',
  MONTHLY_QUOTA,
  'RELAY_INACTIVE',
  'NEEDS_RECONNECT',
  'API_DISABLED',
  'NOT_CONNECTED',
];

/** Sandboxes live on `*.sandbox.my.salesforce.com`, `cs<n>` instances or log in at test.salesforce.com. */
export function looksLikeSandbox(instanceUrl: string | null, loginUrl: string | undefined): boolean {
  return (
    /\.sandbox\.|:\/\/cs\d+\.|--[a-z0-9]+\.(?:sandbox|cs)/i.test(instanceUrl ?? '') ||
    /test\.salesforce\.com/i.test(loginUrl ?? '')
  );
}

export async function readStatus(db: Db, queue: QueueControl, engine: Engine, workspace: Workspace, now = new Date()) {
  let config = await engine.configs.current(workspace.id);
  if (engine.configs.isStale(config) && (await hasQuotaDeferred(db, workspace.id))) {
    config = (await engine.refreshConfiguration(workspace).catch(() => null)) ?? config;
  }
  const { settings } = config;
  const [orgRows, backlog, quota, held] = await Promise.all([
    db.query<OrgRow & Record<string, unknown>>(
      'SELECT org_id, instance_url, connected, last_error, last_error_at FROM sync_org_state WHERE workspace_id = $1',
      [workspace.id],
    ),
    queue.backlog(workspace.id),
    quotaUse(db, workspace.id, settings.MonthlyTaskQuota, settings.QuotaWarningPercent, now),
    // Why deferred events wait, by the code their reason starts with.
    db.query<{ code: string }>(
      `SELECT DISTINCT split_part(status_reason, ':', 1) AS code FROM events
        WHERE workspace_id = $1 AND status = 'deferred' AND next_attempt_at > now()`,
      [workspace.id],
    ),
  ]);
  // Salesforce → platform (reverse sync): null for a workspace that has no outbound URL (nowhere
  // to send) and nothing left in its outbox.
  const counts = await outboundCounts(db, workspace.id);
  const outbound =
    workspace.outboundUrl !== null || counts.pending + counts.retrying + counts.failed > 0 ? counts : null;
  const org = orgRows.rows[0];
  const usage = org?.org_id ? await engine.budget.usage(org.org_id, settings.MaxApiSharePercent) : null;
  const codes = new Set(held.rows.map((r) => r.code));
  // A workspace pause (limits) first, then what holds events: limits, quota, the RelayActive switch.
  const pausedReason = backlog.pausedReason ?? HELD_REASONS.find((code) => codes.has(code)) ?? null;
  return {
    workspace: { id: workspace.id, name: workspace.name, active: workspace.active },
    org: {
      id: org?.org_id ?? null,
      instanceUrl: org?.instance_url ?? null,
      isSandbox: looksLikeSandbox(org?.instance_url ?? null, workspace.salesforce?.loginUrl),
      connected: workspace.salesforce !== null && (org?.connected ?? false),
      lastError:
        workspace.salesforce === null
          ? 'the workspace is not connected to a Salesforce org'
          : (org?.last_error ?? null),
    },
    apiUsage: {
      used: usage?.used ?? null,
      max: usage?.max ?? null,
      relayUsedToday: usage?.relayUsed ?? 0,
      maxSharePercent: settings.MaxApiSharePercent,
      relayBudget: usage?.relayBudget ?? null,
    },
    quota,
    backlog: {
      pending: backlog.pending + backlog.processing,
      retrying: backlog.retrying,
      failed: backlog.failed,
      paused: backlog.deferred,
      pausedReason,
      pausedUntil: backlog.pausedUntil,
    },
    outbound: outbound && {
      enabled: settings.CreatePlatformContacts && workspace.active && workspace.outboundUrl !== null,
      ...outbound,
    },
    lastSyncAt: backlog.lastSyncAt,
    companionVersion: COMPANION_VERSION,
    configuration: {
      readAt: config.readAt > 0 ? new Date(config.readAt).toISOString() : null,
      relayActive: settings.RelayActive,
      problems: config.problems,
    },
  };
}

/**
 * The package's status for an org: `readStatus` of the chosen workspace (the first by id unless the
 * call names one), and `workspaces`, one line per workspace connected to the org, so the Setup page
 * can say which workspace each backlog and quota belongs to.
 */
export async function readOrgStatus(
  db: Db,
  queue: QueueControl,
  engine: Engine,
  workspaces: readonly Workspace[],
  chosen: Workspace,
) {
  const statuses = await Promise.all(
    workspaces.map(async (w) => (w.id === chosen.id ? null : await readStatus(db, queue, engine, w))),
  );
  const main = await readStatus(db, queue, engine, chosen);
  return {
    ...main,
    workspaces: workspaces.map((w, i) => {
      const s = statuses[i] ?? main;
      return {
        id: w.id,
        name: w.name,
        active: w.active,
        connection: w.connection.status,
        quota: s.quota,
        backlog: s.backlog,
        lastSyncAt: s.lastSyncAt,
      };
    }),
  };
}
