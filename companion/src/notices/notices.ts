// Notices: telling a workspace's Salesforce admins (the bell) and its platform (a signed outbound
// event) when syncing is about to stop or stopped — once per cause and period, not once per batch.
// The engine reports every batch (`observe`); causes seen open an episode (store.ts, one row whatever
// the number of batches and processes), recoveries close it, so a later stop is a new notice. The
// outbound event is written with the episode; the bell is sent after the batch, outside it: a
// notification that fails never holds a batch back. Failed bells are retried with backoff (the
// next batch of the workspace, and `sweep` on a timer) and given up after `maxBellAttempts`
// (logged, kept in the table). A lost connection has no bell: Salesforce refuses Relay's calls, so
// only the platform hears of it.
import type { Logger } from 'pino';
import type { Db } from '../db/types.js';
import { LimitPauseError } from '../errors.js';
import { backoffDelayMs } from '../queue/backoff.js';
import { readPause } from '../queue/workspace-state.js';
import type { SalesforceClient } from '../salesforce/client.js';
import { getWorkspace } from '../workspaces/store.js';
import type { Workspace } from '../workspaces/types.js';
import { NotificationTypeCache, ringBell } from './bell.js';
import { titleOf } from './causes.js';
import { judge, type BatchReport } from './detect.js';
import {
  bellFailed,
  bellSent,
  bellSkipped,
  claimDueBells,
  closeNotices,
  openCauses,
  openNotice,
  type DueBell,
} from './store.js';

export interface NoticesOptions {
  db: Db;
  log: Logger;
  /** The workspace's Salesforce client (the engine's), or null when it has no working connection. */
  clientFor: (workspace: Workspace) => SalesforceClient | null;
  /** Backoff of a failed bell: 1 minute doubling to an hour; given up after 48 tries (about two days). */
  bellBaseMs?: number;
  bellMaxMs?: number;
  maxBellAttempts?: number;
}

const LEASE_MS = 2 * 60_000;

export class Notices {
  readonly #types = new NotificationTypeCache();
  readonly #running = new Set<Promise<void>>();

  constructor(private readonly options: NoticesOptions) {}

  /** After a batch: opens and closes episodes now, sends due bells in the background. */
  async observe(workspace: Workspace, report: BatchReport): Promise<void> {
    const { db, log } = this.options;
    try {
      const verdict = judge(report);
      const open = verdict.recovered.length > 0 ? await openCauses(db, workspace.id) : new Set<string>();
      await closeNotices(
        db,
        workspace.id,
        verdict.recovered.filter((c) => open.has(c)),
      );
      for (const opening of verdict.open) {
        const notice = await openNotice(db, workspace.id, opening, {
          outbound: workspace.outboundUrl !== null,
          bell: opening.cause !== 'connection_lost',
        });
        if (notice) log.warn({ workspaceId: workspace.id, cause: notice.cause, period: notice.period }, notice.message);
      }
      if (verdict.open.length > 0 || report.connected) this.#background(() => this.sendBells(workspace.id));
    } catch (error) {
      // Never the batch's failure: the next batch looks again.
      log.error({ err: error, workspaceId: workspace.id }, 'recording notices failed');
    }
  }

  /** Sends the bells due (of one workspace, or all: the sweep). */
  async sendBells(workspaceId: string | null = null): Promise<void> {
    for (const due of await claimDueBells(this.options.db, workspaceId, LEASE_MS)) await this.#ring(due);
  }

  /** Runs a sweep every `everyMs` (unref'd); the answer stops it. */
  startSweep(everyMs = 60_000): () => void {
    const timer = setInterval(() => this.#background(() => this.sendBells()), everyMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** Resolves when no bell is being sent (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }

  #background(work: () => Promise<void>): void {
    const run = work()
      .catch((error: unknown) => this.options.log.error({ err: error }, 'sending notices failed'))
      .finally(() => this.#running.delete(run));
    this.#running.add(run);
  }

  async #ring(due: DueBell): Promise<void> {
    const { db, log } = this.options;
    const workspace = await getWorkspace(db, due.workspaceId);
    const client = workspace ? this.options.clientFor(workspace) : null;
    if (!client) {
      // Not connected now: try again later (connecting the workspace again brings batches, and the sweep).
      await this.#failed(due, 'the workspace has no working Salesforce connection', false, 15 * 60_000);
      return;
    }
    const pause = await readPause(db, due.workspaceId);
    if ((pause.pausedReason === 'REQUEST_LIMIT_EXCEEDED' || pause.pausedReason === 'API_BUDGET') && pause.pausedUntil) {
      // No call can be made until then (Salesforce refuses them, or Relay's share is spent); calling
      // anyway would lengthen the sync's pause. Waiting does not use up an attempt.
      await this.#failed(
        due,
        `paused for ${pause.pausedReason}`,
        false,
        Math.max(1_000, pause.pausedUntil.getTime() - Date.now()),
      );
      return;
    }
    try {
      const result = await ringBell(client, this.#types, { title: titleOf(due.cause), body: due.message });
      if (result.sent) {
        await bellSent(db, due.id);
        log.info(
          { workspaceId: due.workspaceId, cause: due.cause, recipients: result.recipients },
          'Relay admins notified',
        );
      } else {
        await bellSkipped(db, due.id, result.reason);
        log.warn({ workspaceId: due.workspaceId, cause: due.cause }, `notice not sent to Salesforce: ${result.reason}`);
      }
    } catch (error) {
      // A limit refused the call: wait for the time it names, without using up an attempt.
      if (error instanceof LimitPauseError)
        await this.#failed(due, error.message, false, Math.max(1_000, error.until.getTime() - Date.now()));
      else await this.#failed(due, (error as Error).message, true);
    }
  }

  async #failed(due: DueBell, message: string, counts: boolean, waitMs?: number): Promise<void> {
    const attempts = due.attempts + (counts ? 1 : 0);
    const max = this.options.maxBellAttempts ?? 48;
    const last = counts && attempts >= max;
    const retryInMs =
      waitMs ??
      backoffDelayMs(attempts, {
        baseMs: this.options.bellBaseMs ?? 60_000,
        maxMs: this.options.bellMaxMs ?? 3_600_000,
      });
    await bellFailed(this.options.db, due.id, { error: message, retryInMs, counts, last });
    const log = { workspaceId: due.workspaceId, cause: due.cause, attempts, error: message };
    if (last)
      this.options.log.error(log, 'notice could not be sent to Salesforce; given up (kept in the notices table)');
    else this.options.log.warn(log, 'notice could not be sent to Salesforce yet; trying again later');
  }
}
