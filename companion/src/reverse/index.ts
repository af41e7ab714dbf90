// Reverse sync: Salesforce Contacts and Leads → the platform, as signed CloudEvents (docs/platform-api.md),
// switched by CreatePlatformContacts (off by default: nothing is polled or sent). See README.md here.
//
//   pg-boss `relay-reverse-poll`   one schedule per workspace that has an outbound URL (key = its id),
//                                  every `pollEveryMinutes`; a job polls (poller.ts) then delivers;
//   pg-boss `relay-reverse-schedules`  every minute: schedules for workspaces that gained an outbound
//                                  URL, none for those that lost it; delivered rows older than a week go;
//   delivery sweep                 every few seconds in each worker process: workspaces whose outbox has
//                                  events due (first attempts, backoff retries) get a delivery round.
//
// The composition root (app.ts) builds one ReverseSync on the sync engine, whose Salesforce clients,
// configuration and matching it reuses, and hands it to the platform API.
import type { Logger } from 'pino';
import type { Db } from '../db/types.js';
import type { PgBoss } from '../queue/boss.js';
import type { Engine } from '../sync/engine.js';
import type { Vault } from '../secrets/vault.js';
import { DescribeCache } from './platform-describe.js';
import { DEFAULT_POLL, pollWorkspace, type PollOptions, type PollOutcome } from './poller.js';
import { DEFAULT_DELIVERY, deliverRound, type DeliveryOptions, type RoundResult } from './deliver.js';
import { trimDelivered, workspacesWithDueEvents } from './outbox.js';
import { rememberPlatformWrite } from './store.js';
import type { PersonObject } from './fields.js';
import { PlatformBackfill, type PlatformBackfillOptions } from '../backfill/platform.js';

export type { PollOutcome, RoundResult };

export const POLL_QUEUE = 'relay-reverse-poll';
export const SCHEDULES_QUEUE = 'relay-reverse-schedules';

export interface ReverseOptions extends Partial<Omit<PollOptions, 'now'>> {
  /** Clock (ms) for change windows; tests move it together with the emulator's. */
  now?: () => number;
  /** pg-boss poll schedules (default: on in processes that run the worker). */
  schedule?: boolean;
  pollEveryMinutes?: number;
  delivery?: Partial<DeliveryOptions>;
  /** How often the delivery sweep looks for due events (0: never; it runs in worker processes). */
  sweepMs?: number;
  /** The to-platform backfill's page sizes, Bulk threshold and pages per poll cycle. */
  backfill?: Partial<Omit<PlatformBackfillOptions, 'now'>>;
}

interface PollJob {
  workspaceId: string;
}

export class ReverseSync {
  readonly pollOptions: PollOptions;
  readonly delivery: DeliveryOptions;
  /** Announces existing Contacts and Leads once (switch-on and `relay backfill`). */
  readonly backfill: PlatformBackfill;
  readonly #schedule: boolean;
  readonly #pollEveryMinutes: number;
  readonly #sweepMs: number;
  readonly #abort = new AbortController();
  readonly #delivering = new Set<string>();
  readonly #describes = new DescribeCache();
  readonly #running = new Set<Promise<unknown>>();
  #sweep: NodeJS.Timeout | undefined;
  #started = false;

  constructor(
    private readonly deps: { db: Db; vault: Vault; log: Logger; engine: Engine; boss?: PgBoss; worker: boolean },
    options: ReverseOptions = {},
  ) {
    this.pollOptions = {
      ...DEFAULT_POLL,
      ...Object.fromEntries(
        Object.entries({
          maxReadCalls: options.maxReadCalls,
          bulkThreshold: options.bulkThreshold,
          configMaxAgeMs: options.configMaxAgeMs,
          configOffMaxAgeMs: options.configOffMaxAgeMs,
          backfillOnSwitchOn: options.backfillOnSwitchOn,
        }).filter(([, v]) => v !== undefined),
      ),
      now: options.now ?? Date.now,
    };
    this.delivery = { ...DEFAULT_DELIVERY, ...options.delivery };
    this.backfill = new PlatformBackfill(
      { db: deps.db, engine: deps.engine, log: deps.log, describes: this.#describes },
      { ...options.backfill, now: this.pollOptions.now },
    );
    this.#schedule = (options.schedule ?? true) && deps.worker && deps.boss !== undefined;
    this.#pollEveryMinutes = options.pollEveryMinutes ?? 1;
    this.#sweepMs = options.sweepMs ?? 2_000;
  }

  get log(): Logger {
    return this.deps.log;
  }

  async start(): Promise<void> {
    if (this.#started || !this.deps.worker) return;
    this.#started = true;
    if (this.#schedule) {
      const boss = this.deps.boss!;
      // A missed poll is not worth a retry: the next one covers its window too.
      await boss.createQueue(POLL_QUEUE, { retryLimit: 0, expireInSeconds: 600, deleteAfterSeconds: 3600 });
      await boss.createQueue(SCHEDULES_QUEUE, { retryLimit: 0, expireInSeconds: 300, deleteAfterSeconds: 3600 });
      await boss.work<PollJob>(
        POLL_QUEUE,
        { batchSize: 1, localConcurrency: 2, pollingIntervalSeconds: 2 },
        async (jobs) => {
          for (const job of jobs) await this.#track(this.pollAndDeliver(job.data.workspaceId));
        },
      );
      await boss.work(SCHEDULES_QUEUE, { pollingIntervalSeconds: 5 }, async () => {
        await this.reconcileSchedules();
        const trimmed = await trimDelivered(this.deps.db);
        if (trimmed > 0) this.log.debug({ rows: trimmed }, 'removed week-old delivered outbound events');
      });
      await boss.schedule(SCHEDULES_QUEUE, '* * * * *');
      await this.reconcileSchedules();
    }
    if (this.#sweepMs > 0) {
      this.#sweep = setInterval(() => void this.sweep(), this.#sweepMs);
      this.#sweep.unref();
    }
  }

  async close(): Promise<void> {
    if (this.#sweep) clearInterval(this.#sweep);
    this.#abort.abort();
    if (this.#started && this.#schedule && this.deps.boss) {
      await Promise.all(
        [POLL_QUEUE, SCHEDULES_QUEUE].map((q) => this.deps.boss!.offWork(q, { wait: false }).catch(() => {})),
      );
    }
    // Polls stop at their next Salesforce call; deliveries finish their current POST.
    await Promise.race([Promise.allSettled([...this.#running]), new Promise((r) => setTimeout(r, 5_000).unref())]);
  }

  /** One poll cycle (detect, read, queue events). */
  poll(workspaceId: string): Promise<PollOutcome> {
    return pollWorkspace(
      {
        db: this.deps.db,
        log: this.log,
        engine: this.deps.engine,
        options: this.pollOptions,
        signal: this.#abort.signal,
        describes: this.#describes,
      },
      workspaceId,
    );
  }

  /** A delivery round for the workspace (null when one is already running here or elsewhere). */
  async deliver(workspaceId: string): Promise<RoundResult | null> {
    if (this.#delivering.has(workspaceId)) return null;
    this.#delivering.add(workspaceId);
    try {
      return await deliverRound(this.deps.db, this.deps.vault, this.log, workspaceId, this.delivery);
    } finally {
      this.#delivering.delete(workspaceId);
    }
  }

  async pollAndDeliver(
    workspaceId: string,
  ): Promise<{ poll: PollOutcome; backfilled: number; delivery: RoundResult | null }> {
    const poll = await this.poll(workspaceId);
    // An open backfill (switch-on, or a `relay backfill` that was stopped) moves on a few pages a cycle.
    const backfilled = poll.status === 'polled' ? await this.#backfill(workspaceId) : 0;
    const queued = poll.status === 'polled' ? poll.queued + backfilled : 0;
    const delivery = queued > 0 ? await this.deliver(workspaceId) : null;
    this.log.debug({ workspaceId, poll, backfilled, delivery }, 'reverse sync poll');
    return { poll, backfilled, delivery };
  }

  async #backfill(workspaceId: string): Promise<number> {
    try {
      return await this.backfill.continue(workspaceId, undefined, this.#abort.signal);
    } catch (error) {
      // The page is read again next cycle: its writes rolled back.
      this.log.warn({ err: error, workspaceId }, 'backfill to the platform: a page failed; the next cycle retries it');
      return 0;
    }
  }

  /** Delivery rounds for every workspace with due events. */
  async sweep(): Promise<void> {
    try {
      const due = await workspacesWithDueEvents(this.deps.db);
      await Promise.all(due.map((id) => this.#track(this.deliver(id))));
    } catch (error) {
      if (!this.#abort.signal.aborted) this.log.warn({ err: error }, 'outbound delivery sweep failed');
    }
  }

  /**
   * One pg-boss schedule per workspace that has an outbound URL, a connection and is active; none
   * for the others. Returns the workspace ids scheduled.
   */
  async reconcileSchedules(): Promise<string[]> {
    const boss = this.deps.boss;
    if (!boss) return [];
    const { rows } = await this.deps.db.query<{ id: string }>(
      `SELECT id FROM workspaces WHERE active AND outbound_url IS NOT NULL AND connection_status = 'connected' ORDER BY id`,
    );
    const wanted = new Set(rows.map((r) => r.id));
    const cron = this.#pollEveryMinutes === 1 ? '* * * * *' : `*/${this.#pollEveryMinutes} * * * *`;
    const existing = await boss.getSchedules(POLL_QUEUE);
    for (const s of existing) {
      if (!wanted.has(s.key)) await boss.unschedule(POLL_QUEUE, s.key);
    }
    for (const id of wanted) {
      const known = existing.find((s) => s.key === id);
      if (known && known.cron === cron) continue;
      await boss.schedule(POLL_QUEUE, cron, { workspaceId: id } satisfies PollJob, { key: id });
    }
    return [...wanted];
  }

  /** PATCH wrote these values for the platform: they are known to it (store.ts). */
  rememberPlatformWrite(workspaceId: string, object: PersonObject, recordId: string, fields: Record<string, unknown>) {
    return rememberPlatformWrite(this.deps.db, workspaceId, object, recordId, fields);
  }

  async #track<T>(work: Promise<T>): Promise<T> {
    this.#running.add(work);
    try {
      return await work;
    } finally {
      this.#running.delete(work);
    }
  }
}
