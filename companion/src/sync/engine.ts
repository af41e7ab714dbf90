// The sync engine's BatchProcessor: one batch of a workspace's stored events → as few Salesforce
// calls as the batch allows, one outcome per event.
//
//   call 1  Composite: configuration queries when the cached copy is older than 50 s, and the
//           batch's lookups (Contact/Lead by email, Account by name, User by email) not in the
//           match cache — up to 5 queries per call, more calls only for very large batches;
//   call 2  only when needed: Leads for unmatched people (CreateLeadsForUnmatched);
//   call 3  Composite: the Task upserts, 5 Collections × 200 per call (Bulk API 2.0 above the
//           threshold); prospects and list members add their own writes.
//
// With batches of 1,000 events and a warm cache that is 1–2 calls per 1,000 activities.
// Limits: every call is reserved against Relay's API budget (MaxApiSharePercent, budget.ts); a
// spent budget or REQUEST_LIMIT_EXCEEDED pauses the workspace until the window allows and defers
// what was not attempted — the engine never spins on a refused call.
import type { Logger } from 'pino';
import type { Db } from '../db/types.js';
import { IntegrationError, LimitPauseError } from '../errors.js';
import { OAuthRefusedError } from '../salesforce/auth.js';
import { ApiBudget } from '../salesforce/budget.js';
import { SalesforceClient, type CallRecord, type TokenProvider } from '../salesforce/client.js';
import type { SubResponse } from '../salesforce/composite.js';
import type { Workspace } from '../workspaces/types.js';
import { isActivityType, readActivity, switchOf, type Activity } from './activities.js';
import { syncActivities } from './activity-sync.js';
import type { BatchContext, EngineTuning } from './batch.js';
import { runQueries } from '../salesforce/calls.js';
import { ConfigStore } from './configuration.js';
import { SyncCounters } from './counters.js';
import { BatchMatches } from './batch-matches.js';
import { planLookups, rememberAnswers } from './lookups.js';
import { MatchCache, lookupQueries } from './matching.js';
import { OutcomeSet } from './outcome-set.js';
import { PEOPLE_TYPES } from './people-events.js';
import { syncPeople } from './people-sync.js';
import { DescribeCache } from './describe-cache.js';
import { hasQuotaDeferred, requeueQuotaDeferred, tasksCreated, monthOf } from './quota.js';
import type { OrgConfiguration } from './settings.js';
import type { EventOutcome, StoredEvent, SyncContext } from '../queue/batch.js';
import type { QueueControl } from '../queue/control.js';
import type { BatchReport } from '../notices/detect.js';

/** Told about every batch's end (the notices: quota, limits, connection, mappings). */
export interface BatchObserver {
  observe(workspace: Workspace, report: BatchReport): Promise<void>;
}

export interface EngineOptions {
  db: Db;
  log: Logger;
  /** The session source of each workspace's client (connections/tokens.ts). */
  tokensFor: (workspaceId: string) => TokenProvider;
  queue?: QueueControl;
  tuning?: Partial<EngineTuning>;
  /** Salesforce request timeout. */
  timeoutMs?: number;
  /** First pause after REQUEST_LIMIT_EXCEEDED; doubles per consecutive refusal, up to limitPauseMaxMs. */
  limitPauseMs?: number;
  limitPauseMaxMs?: number;
  /** How old the configuration copy may get before a batch with work reads it again. */
  configRefreshMs?: number;
  /** How long a person or Account match is trusted (2 minutes; soaks shorten it to churn the cache). */
  matchCacheTtlMs?: number;
  /** Told of every Salesforce call of every workspace's client (metrics). */
  onCall?: (call: CallRecord) => void;
}

/** Not connected: look again in 5 minutes (connecting the workspace nudges it anyway). */
const NOT_CONNECTED_RETRY_MS = 5 * 60_000;

/** Why events wait while the workspace has no working connection (code first, as status shows it). */
function notConnectedReason(workspace: Workspace): string {
  switch (workspace.connection.status) {
    case 'needs_reconnect':
      return `NEEDS_RECONNECT: Salesforce refused the connection (${workspace.connection.lastError ?? 'grant revoked or expired'}); connect the workspace again`;
    case 'api_disabled':
      return 'API_DISABLED: the org or the integration user has no API access';
    default:
      return 'NOT_CONNECTED: the workspace is not connected to a Salesforce org';
  }
}

interface SortedEvents {
  activities: Activity[];
  /** Prospects and list members. */
  people: StoredEvent[];
}

/** The batch's activities and people; an unreadable activity or an unknown type fails at once. */
function sortEvents(events: StoredEvent[], out: OutcomeSet): SortedEvents {
  const sorted: SortedEvents = { activities: [], people: [] };
  for (const e of events) {
    if (isActivityType(e.type)) {
      const a = readActivity(e);
      if ('invalid' in a) out.failed(e.seq, 'configuration', 'INVALID_EVENT', a.invalid);
      else sorted.activities.push(a);
    } else if (PEOPLE_TYPES.has(e.type)) sorted.people.push(e);
    else out.failed(e.seq, 'configuration', 'UNSUPPORTED_EVENT_TYPE', `Relay does not sync events of type '${e.type}'`);
  }
  return sorted;
}

export class Engine {
  readonly db: Db;
  readonly log: Logger;
  readonly budget: ApiBudget;
  readonly configs: ConfigStore;
  readonly counters = new SyncCounters();
  readonly tuning: EngineTuning;
  /** Salesforce request timeout of clients created from now on. */
  clientTimeoutMs: number | undefined;
  readonly #clients = new Map<string, { client: SalesforceClient; fingerprint: string }>();
  readonly #caches = new Map<string, MatchCache>();
  /** Per org, not per workspace: workspaces of one org share its describe. */
  readonly describes = new DescribeCache();

  constructor(private readonly options: EngineOptions) {
    this.db = options.db;
    this.log = options.log;
    this.budget = new ApiBudget(options.db);
    this.configs = new ConfigStore(options.db, options.configRefreshMs ?? 50_000);
    this.clientTimeoutMs = options.timeoutMs;
    this.tuning = {
      bulkThreshold: 10_000,
      visitResyncUnitMs: 60_000,
      bulkPollMs: 1000,
      peopleBulkThreshold: 200,
      ...options.tuning,
    };
  }

  set queue(queue: QueueControl | undefined) {
    this.options.queue = queue;
  }

  /** Set once the notices exist (they need the engine's clients). */
  observer: BatchObserver | undefined;

  /** The workspace's client (a new one when it was connected again or its settings changed). */
  client(workspace: Workspace): SalesforceClient | null {
    const connection = workspace.salesforce;
    if (!connection || workspace.connection.status !== 'connected') return null;
    const fingerprint = JSON.stringify([connection, workspace.connection.connectedAt]);
    const known = this.#clients.get(workspace.id);
    if (known && known.fingerprint === fingerprint) return known.client;
    const client = new SalesforceClient({
      workspaceId: workspace.id,
      tokens: this.options.tokensFor(workspace.id),
      budget: this.budget,
      log: this.log,
      ...(this.clientTimeoutMs ? { timeoutMs: this.clientTimeoutMs } : {}),
      ...(this.options.limitPauseMs ? { limitPauseMs: this.options.limitPauseMs } : {}),
      ...(this.options.limitPauseMaxMs ? { limitPauseMaxMs: this.options.limitPauseMaxMs } : {}),
      onCall: (call: CallRecord) => {
        this.counters.call(workspace.id, call);
        this.options.onCall?.(call);
      },
    });
    this.#clients.set(workspace.id, { client, fingerprint });
    return client;
  }

  knownClient(workspaceId: string): SalesforceClient | undefined {
    return this.#clients.get(workspaceId)?.client;
  }

  /** Drops what is cached for a workspace whose connection or existence changed. */
  forget(workspaceId: string): void {
    this.#clients.delete(workspaceId);
    this.#caches.delete(workspaceId);
  }

  /** Drops the workspace's remembered matches (a retry found people the cache says do not exist). */
  forgetMatches(workspaceId: string): void {
    this.#caches.delete(workspaceId);
  }

  cache(workspaceId: string): MatchCache {
    let cache = this.#caches.get(workspaceId);
    if (!cache) {
      cache = new MatchCache(this.options.matchCacheTtlMs);
      this.#caches.set(workspaceId, cache);
    }
    return cache;
  }

  /** The BatchProcessor the platform's worker calls. */
  readonly process = async (ctx: SyncContext, events: StoredEvent[]): Promise<EventOutcome[]> => {
    const out = new OutcomeSet();
    const workspace = ctx.workspace;
    const now = Date.now();
    const client = this.client(workspace);
    if (!client) {
      const reason = notConnectedReason(workspace);
      for (const e of events) out.deferred(e.seq, reason, new Date(now + NOT_CONNECTED_RETRY_MS));
      const outcomes = this.#finish(workspace.id, events, out);
      const refused =
        workspace.connection.status === 'needs_reconnect'
          ? (workspace.connection.lastError ?? 'grant revoked or expired')
          : null;
      await this.#observe(workspace, { connected: false, connectionRefused: refused, pause: null, outcomes, now });
      return outcomes;
    }
    const config = await this.configs.current(workspace.id, now);
    client.setSharePercent(config.settings.MaxApiSharePercent);
    const batch = sortEvents(events, out);
    const bc: BatchContext = {
      workspaceId: workspace.id,
      client,
      config,
      cache: this.cache(workspace.id),
      matches: new BatchMatches(),
      describes: this.describes,
      db: this.db,
      log: ctx.log,
      out,
      signal: ctx.signal,
      now,
      tuning: this.tuning,
      pause: null,
    };
    let refused: string | null = null;
    try {
      await this.#syncBatch(bc, events, batch);
    } catch (error) {
      if (error instanceof LimitPauseError) bc.pause = error;
      else if (error instanceof OAuthRefusedError) {
        refused = error.message;
        // The grant was revoked or expired (the token store marked the workspace): events wait for
        // a new connection instead of spending their attempts.
        const reason = `NEEDS_RECONNECT: ${error.message}; connect the workspace again`;
        for (const e of events)
          if (!out.has(e.seq)) out.deferred(e.seq, reason, new Date(now + NOT_CONNECTED_RETRY_MS));
      } else {
        if (!(error instanceof IntegrationError)) ctx.log.error({ err: error }, 'sync batch failed');
        for (const e of events) if (!out.has(e.seq)) out.callError(e.seq, error);
      }
    }
    if (bc.pause) await this.#hold(ctx, bc.pause, events, out);
    await this.#saveOrgState(workspace.id, client);
    const outcomes = this.#finish(workspace.id, events, out);
    const pause = bc.pause
      ? {
          code: bc.pause.code === 'API_BUDGET' ? ('API_BUDGET' as const) : ('REQUEST_LIMIT_EXCEEDED' as const),
          until: bc.pause.until,
          message: bc.pause.message,
        }
      : null;
    await this.#observe(
      workspace,
      { connected: refused === null, connectionRefused: refused, pause, outcomes, now },
      bc.config,
    );
    return outcomes;
  };

  /** Tells the observer how the batch ended, with the month's quota use; never fails the batch. */
  async #observe(
    workspace: Workspace,
    report: Omit<BatchReport, 'workspaceId' | 'quota'>,
    config?: OrgConfiguration,
  ): Promise<void> {
    if (!this.observer) return;
    try {
      const quota = config?.readAt
        ? {
            used: await tasksCreated(this.db, workspace.id, monthOf(new Date(report.now))),
            limit: config.settings.MonthlyTaskQuota,
            warningPercent: config.settings.QuotaWarningPercent,
          }
        : null;
      await this.observer.observe(workspace, { ...report, workspaceId: workspace.id, quota });
    } catch (error) {
      this.log.error({ err: error, workspaceId: workspace.id }, 'batch observer failed');
    }
  }

  /** The switches, the configuration and lookups the batch needs (one call), then the two syncs. */
  async #syncBatch(bc: BatchContext, events: StoredEvent[], batch: SortedEvents): Promise<void> {
    let stale = this.configs.isStale(bc.config, bc.now);
    if (stale && !bc.config.settings.RelayActive) {
      // Known inactive: ask only for the configuration before looking anything up.
      const answers = await runQueries(bc.client, this.configs.subrequests(), bc.signal);
      bc.config = await this.#refreshConfig(bc.workspaceId, bc.client, answers);
      stale = false;
    }
    if (!stale) this.#applySwitches(bc.config, events, batch.activities, bc.out, bc.now);
    if (bc.out.size >= events.length) return;
    await this.#lookUp(bc, events, batch, stale);
    await syncActivities(
      bc,
      batch.activities.filter((a) => !bc.out.has(a.event.seq)),
    );
    await syncPeople(
      bc,
      batch.people.filter((e) => !bc.out.has(e.seq)),
    );
  }

  /**
   * The batch's match decisions: what the match cache knows (read once), and what it does not,
   * looked up in one Composite with the configuration queries when the copy is stale (the
   * switches are applied once it is read).
   */
  async #lookUp(bc: BatchContext, events: StoredEvent[], batch: SortedEvents, stale: boolean): Promise<void> {
    const plan = planLookups(bc.cache, batch.activities, batch.people, Date.now());
    bc.matches = plan.matches;
    const lookups = lookupQueries(plan.needs);
    const subs = [...(stale ? this.configs.subrequests() : []), ...lookups.map((q) => q.sub)];
    if (subs.length === 0) return;
    const answers = await runQueries(bc.client, subs, bc.signal);
    if (stale) {
      bc.config = await this.#refreshConfig(bc.workspaceId, bc.client, answers);
      this.#applySwitches(bc.config, events, batch.activities, bc.out, bc.now);
    }
    rememberAnswers(bc.cache, plan, lookups, answers, bc.log);
  }

  /** A limit hit: the workspace pauses, and what was not attempted waits for the same time. */
  async #hold(ctx: SyncContext, pause: LimitPauseError, events: StoredEvent[], out: OutcomeSet): Promise<void> {
    await ctx.pause(pause.until, pause.code);
    for (const e of events) if (!out.has(e.seq)) out.deferred(e.seq, `${pause.code}: ${pause.message}`, pause.until);
  }

  #finish(workspaceId: string, events: StoredEvent[], out: OutcomeSet): EventOutcome[] {
    const outcomes = out.list(events);
    this.counters.outcomes(workspaceId, outcomes);
    return outcomes;
  }

  /** RelayActive and the Sync* switches, for events not answered yet. */
  #applySwitches(
    config: OrgConfiguration,
    events: StoredEvent[],
    activities: Activity[],
    out: OutcomeSet,
    now: number,
  ): void {
    const { settings } = config;
    if (!settings.RelayActive) {
      for (const e of events) {
        if (out.has(e.seq)) continue;
        // A draft integration is re-checked every minute for an hour, then every 15 minutes:
        // at most 4 configuration reads an hour while nothing can be written.
        const age = now - Date.parse(e.receivedAt);
        const wait = age < 3_600_000 ? 60_000 : 15 * 60_000;
        out.deferred(
          e.seq,
          'RELAY_INACTIVE: RelayActive is off in the org; events are kept until it is switched on',
          new Date(now + wait),
        );
      }
      return;
    }
    for (const a of activities) {
      const name = switchOf(a);
      if (settings[name] === false && !out.has(a.event.seq))
        out.skipped(a.event.seq, `${name} is off in Relay's settings`);
    }
  }

  /**
   * Applies freshly read configuration answers. Events held for the quota are resumed when the
   * quota was raised or never read before, or always (`resumeQuota`: the explicit refresh).
   */
  async #refreshConfig(
    workspaceId: string,
    client: SalesforceClient,
    answers: Map<string, SubResponse>,
    resumeQuota = false,
  ): Promise<OrgConfiguration> {
    const before = await this.configs.current(workspaceId);
    const config = await this.configs.apply(workspaceId, answers);
    client.setSharePercent(config.settings.MaxApiSharePercent);
    if (resumeQuota || config.settings.MonthlyTaskQuota > before.settings.MonthlyTaskQuota || before.readAt === 0)
      await this.#resumeQuota(workspaceId, config);
    return config;
  }

  /** Applies configuration answers read elsewhere (the budget check), as a batch's read would. */
  applyConfiguration(
    workspaceId: string,
    client: SalesforceClient,
    answers: Map<string, SubResponse>,
  ): Promise<OrgConfiguration> {
    return this.#refreshConfig(workspaceId, client, answers);
  }

  /** Quota raised (or a new month): events held for the quota become due now. */
  async #resumeQuota(workspaceId: string, config: OrgConfiguration): Promise<number> {
    const used = await tasksCreated(this.db, workspaceId, monthOf(new Date()));
    if (used >= config.settings.MonthlyTaskQuota) return 0;
    if (!(await hasQuotaDeferred(this.db, workspaceId))) return 0;
    const n = await requeueQuotaDeferred(this.db, workspaceId);
    if (n > 0) {
      this.log.info({ workspaceId, events: n }, 'monthly Task quota allows again; resuming held events');
      await this.options.queue?.nudge(workspaceId);
    }
    return n;
  }

  /**
   * The configuration copy when it is at most `maxAgeMs` old, else read again now (one call); the
   * client's API share follows it. The platform API and reverse sync choose their own age; batches
   * read it with their lookups instead (`process`).
   */
  async configurationFor(workspace: Workspace, client: SalesforceClient, maxAgeMs: number): Promise<OrgConfiguration> {
    let config = await this.configs.current(workspace.id);
    if (config.readAt === 0 || Date.now() - config.readAt > maxAgeMs)
      config = (await this.refreshConfiguration(workspace)) ?? config;
    client.setSharePercent(config.settings.MaxApiSharePercent);
    return config;
  }

  /**
   * Reads the configuration now (one call) — the quota recheck and the package's status endpoint
   * use it — and resumes events held for the quota when it allows.
   */
  async refreshConfiguration(workspace: Workspace): Promise<OrgConfiguration | null> {
    const client = this.client(workspace);
    if (!client) return null;
    const answers = await runQueries(client, this.configs.subrequests());
    // One quota check: #refreshConfig would otherwise check again after a raise.
    const config = await this.#refreshConfig(workspace.id, client, answers, true);
    await this.#saveOrgState(workspace.id, client);
    return config;
  }

  async #saveOrgState(workspaceId: string, client: SalesforceClient): Promise<void> {
    const session = client.session;
    await this.db.query(
      `INSERT INTO sync_org_state (workspace_id, org_id, instance_url, integration_user_id, connected, last_error, last_error_at)
       VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $6::text IS NULL THEN NULL ELSE now() END)
       ON CONFLICT (workspace_id) DO UPDATE SET
         org_id = coalesce(excluded.org_id, sync_org_state.org_id),
         instance_url = coalesce(excluded.instance_url, sync_org_state.instance_url),
         integration_user_id = coalesce(excluded.integration_user_id, sync_org_state.integration_user_id),
         connected = excluded.connected,
         last_error = excluded.last_error,
         last_error_at = CASE WHEN excluded.last_error IS NULL THEN sync_org_state.last_error_at ELSE now() END,
         updated_at = now()`,
      [
        workspaceId,
        session?.orgId ?? null,
        session?.instanceUrl ?? null,
        session?.userId ?? null,
        session !== undefined,
        client.lastError,
      ],
    );
  }
}
