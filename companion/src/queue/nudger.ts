// "Sync this workspace soon" signals. Intake nudges after every committed request; a burst of
// requests for one workspace becomes one pg-boss job per second at most: leading edge at once,
// one trailing nudge at the end of the window in this process, and pg-boss's debounce
// (singletonKey = workspace, one-second slots, next slot when the current one is taken) across
// processes. Future wake-ups (retry backoff, deferrals, pauses, a lease that will expire) are jobs
// with a start time; workspace_sync_state.next_wake_at keeps them to one per earlier time.
import type { Logger } from 'pino';
import type { Db } from '../db/types.js';
import type { PgBoss } from './boss.js';
import { SYNC_QUEUE, type SyncJobData } from './names.js';
import { claimWake } from './workspace-state.js';

interface Window {
  timer: NodeJS.Timeout;
  trailing: boolean;
}

export class Nudger {
  readonly #windows = new Map<string, Window>();
  #closed = false;

  constructor(
    private readonly boss: PgBoss,
    private readonly db: Db,
    private readonly log: Logger,
    private readonly windowMs = 250,
  ) {}

  /** Asks for the workspace to be synced now. Never rejects (a lost nudge is recovered by the sweep). */
  async nudge(workspaceId: string): Promise<void> {
    if (this.#closed) return;
    const window = this.#windows.get(workspaceId);
    if (window) {
      window.trailing = true;
      return;
    }
    const entry: Window = {
      trailing: false,
      timer: setTimeout(() => {
        this.#windows.delete(workspaceId);
        if (entry.trailing) void this.nudge(workspaceId);
      }, this.windowMs),
    };
    entry.timer.unref();
    this.#windows.set(workspaceId, entry);
    await this.#send(workspaceId);
  }

  /**
   * Queues a job for the workspace now, behind every job already queued and without the debounce:
   * a drain that gave up its slot comes back right after the workspaces it made room for, not a
   * debounce slot later.
   */
  async requeue(workspaceId: string): Promise<void> {
    if (this.#closed) return;
    try {
      const data: SyncJobData = { workspaceId };
      await this.boss.send(SYNC_QUEUE, data);
    } catch (error) {
      if (!this.#closed)
        this.log.warn({ err: error, workspaceId }, 'could not requeue the workspace; the sweep will catch up');
    }
  }

  /** Asks for the workspace to be looked at again at `at` (ignored if an earlier wake-up is pending). */
  async wakeAt(workspaceId: string, at: Date): Promise<void> {
    if (this.#closed) return;
    try {
      if (!(await claimWake(this.db, workspaceId, at))) return;
      const data: SyncJobData = { workspaceId };
      await this.boss.send(SYNC_QUEUE, data, { startAfter: at, singletonKey: `${workspaceId}:wake` });
    } catch (error) {
      this.log.warn({ err: error, workspaceId }, 'could not schedule a wake-up; the sweep will catch up');
    }
  }

  async #send(workspaceId: string): Promise<void> {
    try {
      const data: SyncJobData = { workspaceId };
      await this.boss.sendDebounced(SYNC_QUEUE, data, null, 1, workspaceId);
    } catch (error) {
      if (!this.#closed)
        this.log.warn({ err: error, workspaceId }, 'could not nudge the worker; the sweep will catch up');
    }
  }

  close(): void {
    this.#closed = true;
    for (const window of this.#windows.values()) clearTimeout(window.timer);
    this.#windows.clear();
  }
}
