// GET /v1/package/status: the workspace, its org connection, the org's API usage and Relay's share
// of it, the monthly Task quota, the backlog and why it is held, and what waits to reach the
// platform; with `workspaces`, the same in short for every workspace connected to the org. The
// configuration it shows is read from the org at each call (one API call per workspace;
// freshConfiguration), the rest from the database.
import { COMPANION_VERSION } from '../../config/version.js';
import type { Db } from '../../db/types.js';
import type { QueueControl } from '../../queue/control.js';
import { backlogTerms } from '../../queue/backlog.js';
import type { Engine } from '../../sync/engine.js';
import { quotaUse } from '../../sync/quota.js';
import { checkBudget, heldForBudget } from '../../sync/budget-check.js';
import { readPause } from '../../queue/workspace-state.js';
import type { Workspace } from '../../workspaces/types.js';
import { outboundCounts } from '../../reverse/outbox.js';
import { countRejections } from '../../reverse/rejections.js';

interface OrgRow {
  org_id: string | null;
  instance_url: string | null;
  connected: boolean;
  last_error: string | null;
  last_error_at: Date | null;
}

/** Sandboxes live on `*.sandbox.my.salesforce.com`, `cs<n>` instances or log in at test.salesforce.com. */
export function looksLikeSandbox(instanceUrl: string | null, loginUrl: string | undefined): boolean {
  return (
    /\.sandbox\.|:\/\/cs\d+\.|--[a-z0-9]+\.(?:sandbox|cs)/i.test(instanceUrl ?? '') ||
    /test\.salesforce\.com/i.test(loginUrl ?? '')
  );
}

/**
 * The configuration status shows, read now (one call) so that a setting just changed in Setup —
 * the quota, a switch, the API share — shows at once and takes effect (a raised quota resumes held
 * events). While the workspace is paused for Relay's API budget a stale copy is read by the budget
 * check instead, which the spent budget allows and which resumes syncing when it can; while
 * Salesforce itself refuses calls (REQUEST_LIMIT_EXCEEDED) the stored copy is shown.
 */
async function freshConfiguration(db: Db, queue: QueueControl, engine: Engine, workspace: Workspace) {
  const current = await engine.configs.current(workspace.id);
  if (!engine.client(workspace)) return current;
  const pause = await readPause(db, workspace.id);
  if (pause.pausedReason === 'REQUEST_LIMIT_EXCEEDED') return current;
  if (await heldForBudget(db, workspace.id)) {
    if (!engine.configs.isStale(current)) return current;
    await checkBudget(engine, queue, workspace).catch(() => null);
    return engine.configs.current(workspace.id);
  }
  return (await engine.refreshConfiguration(workspace).catch(() => null)) ?? current;
}

export async function readStatus(
  db: Db,
  queue: QueueControl,
  engine: Engine,
  workspace: Workspace,
  options: { fresh?: boolean; now?: Date } = {},
) {
  const now = options.now ?? new Date();
  const config =
    (options.fresh ?? true)
      ? await freshConfiguration(db, queue, engine, workspace)
      : await engine.configs.current(workspace.id);
  const { settings } = config;
  const [orgRows, backlog, quota] = await Promise.all([
    db.query<OrgRow & Record<string, unknown>>(
      'SELECT org_id, instance_url, connected, last_error, last_error_at FROM sync_org_state WHERE workspace_id = $1',
      [workspace.id],
    ),
    queue.backlog(workspace.id),
    quotaUse(db, workspace.id, settings.MonthlyTaskQuota, settings.QuotaWarningPercent, now),
  ]);
  // Salesforce → platform (reverse sync): null for a workspace that has no outbound URL (nowhere
  // to send) and nothing left in its outbox.
  const counts = { ...(await outboundCounts(db, workspace.id)), rejected: await countRejections(db, workspace.id) };
  const outbound =
    workspace.outboundUrl !== null || counts.pending + counts.retrying + counts.failed + counts.rejected > 0
      ? counts
      : null;
  const org = orgRows.rows[0];
  const usage = org?.org_id ? await engine.budget.usage(org.org_id, settings.MaxApiSharePercent) : null;
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
    // waiting, retrying, failed, skipped (per rule), paused (with its reason): queue/backlog.ts.
    backlog: backlogTerms(backlog),
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
    // The other workspaces' lines show their stored configuration: one call per status, not one each.
    workspaces.map(async (w) => (w.id === chosen.id ? null : await readStatus(db, queue, engine, w, { fresh: false }))),
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
