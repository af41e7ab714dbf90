// To-platform backfills: every existing Contact and Lead announced to the platform once, through the
// reverse-sync outbox (signed, retried, dead letters listed). Started when reverse sync is switched on
// (poller.ts opens the run; poll cycles drive it, `stepsPerCycle` pages each) or by the operator
// (`relay backfill <workspace> --direction to-platform`, which drives it page by page and shows the
// progress). A step is one page under the workspace's poll lease, so a poll and a backfill page never
// announce the same record at once; the page's events, baselines and the run's cursor commit together,
// so a kill between steps loses nothing and repeats nothing.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db } from '../db/types.js';
import { LimitPauseError } from '../errors.js';
import type { Engine } from '../sync/engine.js';
import type { Workspace } from '../workspaces/types.js';
import { getWorkspace } from '../workspaces/store.js';
import { enqueue } from '../reverse/outbox.js';
import { acquirePollLease, releasePollLease, writeBaselines } from '../reverse/store.js';
import { readableFields, type PersonObject } from '../reverse/fields.js';
import {
  DescribeCache,
  describeSubrequests,
  readDescribes,
  type PersonFieldFacts,
} from '../reverse/platform-describe.js';
import { recordRejections } from '../reverse/rejections.js';
import { sendComposite } from '../salesforce/composite.js';
import type { OrgConfiguration } from '../sync/settings.js';
import { announce } from './platform-announce.js';
import {
  countRemaining,
  DEFAULT_PLATFORM_TUNING,
  planFromCounts,
  type PlatformPlan,
  type PlatformTuning,
} from './platform-plan.js';
import { nextObject, readPage, START } from './platform-read.js';
import { getRun, openRun, openRunOf, recordProgress, setPlan, type PlatformCursor, type Run } from './runs.js';

/** The one open to-platform backfill of a workspace: all of its Contacts and Leads. */
export const PLATFORM_KEY = 'all';

export class BackfillRefused extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status = 409,
  ) {
    super(message);
    this.name = 'BackfillRefused';
  }
}

export type StepOutcome =
  { status: 'planned' | 'read' | 'done'; run: Run } | { status: 'busy' | 'paused'; run: Run; reason: string };

export interface PlatformBackfillOptions extends PlatformTuning {
  /** Pages a poll cycle reads of a backfill that reverse sync's switch-on started. */
  stepsPerCycle: number;
  now: () => number;
}

export class PlatformBackfill {
  readonly options: PlatformBackfillOptions;

  constructor(
    private readonly deps: { db: Db; engine: Engine; log: Logger; describes: DescribeCache },
    options: Partial<PlatformBackfillOptions> = {},
  ) {
    this.options = { ...DEFAULT_PLATFORM_TUNING, stepsPerCycle: 10, now: Date.now, ...options };
  }

  #client(workspace: Workspace) {
    if (!workspace.outboundUrl)
      throw new BackfillRefused(
        `workspace '${workspace.id}' has no outbound URL: set one (relay workspace update ${workspace.id} --outbound-url <url>) so announcements have somewhere to go`,
        'NO_OUTBOUND_URL',
      );
    const client = this.deps.engine.client(workspace);
    if (!client) throw new BackfillRefused(`workspace '${workspace.id}' is not connected to an org`, 'NOT_CONNECTED');
    return client;
  }

  /** The dry run: what a backfill from the cursor would spend (one call: the count and the configuration). */
  async plan(workspace: Workspace, cursor: PlatformCursor = START, signal?: AbortSignal): Promise<PlatformPlan> {
    const client = this.#client(workspace);
    const { counts, config, facts } = await countRemaining(this.deps.engine, workspace, client, cursor, signal);
    this.deps.describes.set(workspace.id, this.options.now(), facts);
    if (!config.settings.CreatePlatformContacts)
      throw new BackfillRefused(
        'CreatePlatformContacts is off in the org: switch it on in Relay Setup (switching it on starts this backfill by itself)',
        'REVERSE_SYNC_OFF',
      );
    return planFromCounts(counts, this.options);
  }

  /** Opens the workspace's backfill (or finds the unfinished one) and plans it. */
  async start(workspace: Workspace, origin: string, signal?: AbortSignal): Promise<{ run: Run; resumed: boolean }> {
    this.#client(workspace);
    const { run, created } = await openRun(this.deps.db, workspace.id, 'to-platform', PLATFORM_KEY, origin, {
      ...START,
    });
    // A re-run counts what remains from its cursor, so its figures say what is left to spend.
    const planned = await this.step(workspace, run, signal, true);
    return { run: planned.run, resumed: !created };
  }

  /** Opens a backfill without planning it: the next poll cycle does (reverse sync switched on). */
  async open(workspaceId: string, origin: string): Promise<void> {
    await openRun(this.deps.db, workspaceId, 'to-platform', PLATFORM_KEY, origin, { ...START });
  }

  openRun(workspaceId: string): Promise<Run | null> {
    return openRunOf(this.deps.db, workspaceId, 'to-platform', PLATFORM_KEY);
  }

  /**
   * One step: the plan (counting what remains) when the run has none from this start, else one page.
   * `busy` when a poll holds the workspace's lease; `paused` on a limit refusal.
   */
  async step(workspace: Workspace, run: Run, signal?: AbortSignal, replan = false): Promise<StepOutcome> {
    const client = this.#client(workspace);
    const token = randomUUID();
    if (!(await acquirePollLease(this.deps.db, workspace.id, token, 5 * 60_000)))
      return { status: 'busy', run, reason: 'a reverse-sync poll of this workspace is running' };
    try {
      const fresh = await openRunOf(this.deps.db, workspace.id, 'to-platform', run.runKey);
      if (!fresh || fresh.id !== run.id) return await this.#after(workspace, run);
      const cursor = fresh.cursor as unknown as PlatformCursor;
      if (!fresh.plan || replan) return await this.#plan(workspace, fresh, cursor, signal);
      return await this.#page(workspace, client, fresh, cursor, signal);
    } catch (error) {
      // The step's writes rolled back: the same page is read again by the next step.
      const reason =
        error instanceof LimitPauseError
          ? `${error.code}: paused until ${error.until.toISOString()}`
          : error instanceof Error
            ? error.message
            : String(error);
      await recordProgress(this.deps.db, run, { error: reason });
      if (error instanceof LimitPauseError) return { status: 'paused', run, reason };
      throw error;
    } finally {
      await releasePollLease(this.deps.db, workspace.id, token);
    }
  }

  async #plan(workspace: Workspace, run: Run, cursor: PlatformCursor, signal?: AbortSignal): Promise<StepOutcome> {
    const plan = await this.plan(workspace, cursor, signal);
    await setPlan(this.deps.db, run, { ...plan, resumedFrom: cursor.object === null ? null : cursor });
    // countRemaining is one Composite call (four queries).
    await recordProgress(this.deps.db, run, { spent: { apiCalls: 1, bulkJobs: 0 } });
    return { status: 'planned', run: (await this.openRun(workspace.id)) ?? run };
  }

  async #page(
    workspace: Workspace,
    client: NonNullable<ReturnType<Engine['client']>>,
    run: Run,
    cursor: PlatformCursor,
    signal?: AbortSignal,
  ): Promise<StepOutcome> {
    const db = this.deps.db;
    if (cursor.object === null) {
      await recordProgress(db, run, { finished: true });
      return { status: 'done', run: { ...run, state: 'done' } };
    }
    const object: PersonObject = cursor.object;
    const plan = run.plan as unknown as PlatformPlan;
    const method = cursor.jobId ? 'bulk' : (plan.objects.find((o) => o.object === object)?.method ?? 'query');
    if (method === 'none') {
      await recordProgress(db, run, { cursor: { ...nextObject(object) } });
      return this.#after(workspace, run);
    }
    const config = await this.deps.engine.configs.current(workspace.id);
    const described = await this.#facts(workspace.id, client, config, signal);
    const page = await readPage(client, config, { ...cursor, object }, method, this.options, signal);
    const out = await announce(
      db,
      workspace.id,
      { orgId: client.session!.orgId, config, facts: described.facts },
      object,
      page.rows,
      this.options.now(),
    );
    await db.transaction(async (tx) => {
      await enqueue(tx, workspace.id, out.events);
      await recordRejections(tx, workspace.id, out.rejections);
      await writeBaselines(tx, workspace.id, out.baselines);
      await recordProgress(tx, run, {
        cursor: { ...page.cursor },
        done: page.rows.length,
        announced: out.events.length,
        alreadySent: out.alreadySent,
        spent: { ...page.spent, apiCalls: page.spent.apiCalls + described.calls },
        finished: page.cursor.object === null,
      });
    });
    return this.#after(workspace, run);
  }

  /**
   * The field facts the platform's rules need: those the plan read (kept an hour), else read again
   * — one call the plan did not count, only when a backfill outlives the kept copy or a restart.
   */
  async #facts(
    workspaceId: string,
    client: NonNullable<ReturnType<Engine['client']>>,
    config: OrgConfiguration,
    signal?: AbortSignal,
  ): Promise<{ facts: PersonFieldFacts; calls: number }> {
    const now = this.options.now();
    const readable = { Contact: readableFields(config, 'Contact'), Lead: readableFields(config, 'Lead') };
    const known = this.deps.describes.get(workspaceId, now, readable);
    if (known) return { facts: known, calls: 0 };
    const facts = readDescribes(await sendComposite(client, describeSubrequests(), 'backfill.describe', signal));
    this.deps.describes.set(workspaceId, now, facts);
    return { facts, calls: 1 };
  }

  async #after(workspace: Workspace, run: Run): Promise<StepOutcome> {
    const now = await openRunOf(this.deps.db, workspace.id, 'to-platform', run.runKey);
    if (now && now.id === run.id) return { status: 'read', run: now };
    return { status: 'done', run: (await getRun(this.deps.db, workspace.id, run.id)) ?? run };
  }

  /**
   * Drives the workspace's open backfill for up to `maxSteps` pages (a poll cycle's share). Returns
   * the announcements queued.
   */
  async continue(workspaceId: string, maxSteps = this.options.stepsPerCycle, signal?: AbortSignal): Promise<number> {
    let run = await this.openRun(workspaceId);
    if (!run) return 0;
    const workspace = await getWorkspace(this.deps.db, workspaceId);
    if (!workspace?.outboundUrl || !workspace.active) return 0;
    const before = run.announced;
    for (let i = 0; i < maxSteps && run.state === 'running' && !signal?.aborted; i += 1) {
      const out = await this.step(workspace, run, signal);
      run = out.run;
      if (out.status === 'busy' || out.status === 'paused' || out.status === 'done') break;
    }
    if (run.announced > before)
      this.deps.log.info(
        { workspaceId, announced: run.announced, read: run.done },
        'backfill to the platform: progress',
      );
    return run.announced - before;
  }
}
