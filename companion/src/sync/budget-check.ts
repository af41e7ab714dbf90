// Lifting an API_BUDGET pause as soon as the budget allows. While a workspace is paused for its
// share of the org's daily limit, Relay makes no call, so it would never learn that an admin raised
// the org's limit or MaxApiSharePercent. The check makes one call anyway — the configuration
// queries in one Composite, counted but not refused by Relay's own budget — whose answer carries
// both the new share (the settings) and the org's limit (`Sforce-Limit-Info`). When Relay's calls
// of the last 24 hours now fit, the pause ends and the held events become due.
//
// It runs on a schedule while a workspace is paused for API_BUDGET (startBudgetRecheck), when the
// package's status finds the configuration copy stale during such a pause, and on demand: the
// operator API's and the Setup page's "Check API budget now".
import type { Db } from '../db/types.js';
import type { QueueControl } from '../queue/control.js';
import { readPause } from '../queue/workspace-state.js';
import type { OrgUsage } from '../salesforce/budget.js';
import { sendComposite } from '../salesforce/composite.js';
import { getWorkspace } from '../workspaces/store.js';
import type { Workspace } from '../workspaces/types.js';
import type { Engine } from './engine.js';

export const API_BUDGET = 'API_BUDGET';

/** How often a paused workspace's budget is looked at again (RELAY_BUDGET_RECHECK_MINUTES). */
export const BUDGET_RECHECK_MS = 5 * 60_000;

export interface BudgetCheck {
  /** True when this check ended the pause. */
  resumed: boolean;
  /** Still paused for the budget after the check. */
  paused: boolean;
  pausedUntil: string | null;
  /** The org's daily limit and Relay's share, as the check read them. */
  max: number | null;
  maxSharePercent: number;
  relayUsedToday: number;
  relayBudget: number | null;
  /** One sentence for the Setup page and the operator. */
  message: string;
}

/** Reads the org's limit and Relay's share now (one call) and ends an API_BUDGET pause they allow. */
export async function checkBudget(engine: Engine, queue: QueueControl, workspace: Workspace): Promise<BudgetCheck> {
  const client = engine.client(workspace);
  if (!client) throw new BudgetCheckError('the workspace is not connected to a Salesforce org');
  const answers = await sendComposite(client, engine.configs.subrequests(), 'budget.check', undefined, {
    budgetCheck: true,
  });
  const share = (await engine.applyConfiguration(workspace.id, client, answers)).settings.MaxApiSharePercent;
  const usage = await engine.budget.usage(client.session!.orgId, share);
  const fits = usage.relayBudget !== null && usage.relayUsed + 1 <= usage.relayBudget;
  const resumed = fits && (await lift(engine, queue, workspace.id));
  const pause = await readPause(engine.db, workspace.id);
  const paused = pause.pausedReason === API_BUDGET;
  return {
    resumed,
    paused,
    pausedUntil: paused ? (pause.pausedUntil?.toISOString() ?? null) : null,
    max: usage.max,
    maxSharePercent: share,
    relayUsedToday: usage.relayUsed,
    relayBudget: usage.relayBudget,
    message: budgetMessage(usage, share, fits, resumed, paused),
  };
}

/** Ends the pause and makes the events held for the budget due; true when anything was held. */
async function lift(engine: Engine, queue: QueueControl, workspaceId: string): Promise<boolean> {
  let resumed = false;
  if ((await readPause(engine.db, workspaceId)).pausedReason === API_BUDGET) {
    await queue.resumeWorkspace(workspaceId);
    resumed = true;
  }
  // Events held for the budget go now (a pause that already ended would leave them waiting).
  resumed = (await queue.releaseDeferred(workspaceId, [API_BUDGET])) > 0 || resumed;
  if (resumed) engine.log.info({ workspaceId }, 'API budget allows again; resuming');
  return resumed;
}

function budgetMessage(usage: OrgUsage, share: number, fits: boolean, resumed: boolean, paused: boolean): string {
  const figures = `${usage.relayUsed} of ${usage.relayBudget ?? 'unknown'} calls today (${share} % of the org's ${usage.max ?? 'unknown'})`;
  if (fits) return `The API budget allows syncing: ${figures}${resumed ? '; syncing resumed' : ''}.`;
  const what = paused ? 'Still paused' : "Relay's share is spent (syncing pauses at its next call)";
  return `${what}: Relay has used ${figures}. Raise the org's daily limit or Max share of daily API limit, or wait for calls to age out of the 24-hour window.`;
}

export class BudgetCheckError extends Error {}

/** Whether the workspace waits for Relay's API budget (paused, or events held for it). */
export async function heldForBudget(db: Db, workspaceId: string): Promise<boolean> {
  if ((await readPause(db, workspaceId)).pausedReason === API_BUDGET) return true;
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM events
      WHERE workspace_id = $1 AND status = 'deferred' AND split_part(status_reason, ':', 1) = $2 AND next_attempt_at > now()`,
    [workspaceId, API_BUDGET],
  );
  return (rows[0]?.n ?? 0) > 0;
}

/** Runs `tick` every `everyMs` until the answer is called; tests pass one they drive themselves. */
export type Schedule = (tick: () => Promise<void>, everyMs: number) => () => void;

export const intervalSchedule: Schedule = (tick, everyMs) => {
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
};

/**
 * Checks every workspace held for the API budget on the schedule. Nothing runs for the others: an
 * org that is not paused costs nothing.
 */
export function startBudgetRecheck(
  engine: Engine,
  queue: QueueControl,
  options: { everyMs?: number; schedule?: Schedule } = {},
): () => void {
  let running: Promise<void> | null = null;
  const tick = async () => {
    running ??= recheckAll(engine, queue).finally(() => (running = null));
    await running;
  };
  return (options.schedule ?? intervalSchedule)(tick, options.everyMs ?? BUDGET_RECHECK_MS);
}

async function recheckAll(engine: Engine, queue: QueueControl): Promise<void> {
  try {
    const { rows } = await engine.db.query<{ workspace_id: string }>(
      `SELECT workspace_id FROM workspace_sync_state WHERE paused_reason = $1 AND paused_until > now()
       UNION
       SELECT DISTINCT workspace_id FROM events
        WHERE status = 'deferred' AND split_part(status_reason, ':', 1) = $1 AND next_attempt_at > now()`,
      [API_BUDGET],
    );
    for (const { workspace_id } of rows) {
      const workspace = await getWorkspace(engine.db, workspace_id);
      if (!workspace?.active) continue;
      await checkBudget(engine, queue, workspace).catch((error: unknown) =>
        engine.log.warn({ err: error, workspaceId: workspace_id }, 'API budget check failed'),
      );
    }
  } catch (error) {
    engine.log.warn({ err: error }, 'API budget check failed');
  }
}
