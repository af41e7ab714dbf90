// The composition root: the one place that builds the running companion from its configuration.
// `npm start` (main.ts), every test and the benchmarks call createCompanion, so they all run the
// production wiring:
//
//   storage    PGlite or PostgreSQL (db/open.ts), one ordered migration list (db/migrations), the
//              vault that seals secrets at rest (secrets/)
//   queue      pg-boss, nudges and wake-ups, claims and outcomes (queue/)
//   tenancy    connections to orgs and their tokens (connections/), the operator's workspace
//              lifecycle and audit log (operator/)
//   engine     the sync engine (sync/) — the worker's BatchProcessor (queue/batch.ts) — and its
//              quota and API-budget rechecks; reverse sync (reverse/) on the engine's clients and configuration
//   worker     drains each workspace's due events through the engine (worker/)
//   metrics    Prometheus counters fed by the engine's clients, the worker and intake (metrics/)
//   HTTP       health, /metrics, intake, the package's routes (http/package-routes.ts, api/package), the
//              platform API (api/platform), the operator API and OAuth callback (operator/), the
//              preview (preview/) and /openapi.json
//
// Dependencies point one way: HTTP routes → engine parts → Salesforce client and storage.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config, SyncTuning, WorkerConfig } from './config/env.js';
import { createLogger } from './config/logger.js';
import { COMPANION_VERSION } from './config/version.js';
import type { Db } from './db/types.js';
import { openDatabase } from './db/open.js';
import { PgliteDb } from './db/pglite.js';
import { migrate } from './db/migrate.js';
import { migrations } from './db/migrations/index.js';
import { startBoss, type PgBoss } from './queue/boss.js';
import { Nudger } from './queue/nudger.js';
import { createQueueControl, type QueueControl } from './queue/control.js';
import type { BatchProcessor } from './queue/batch.js';
import { SyncWorker } from './worker/worker.js';
import { WorkspaceDirectory } from './workspaces/directory.js';
import { createRequestAuth } from './auth/request-auth.js';
import { installErrorHandling } from './http/errors.js';
import { buildOpenApi, collectRoutes } from './http/openapi.js';
import { registerHealthRoutes } from './http/health.js';
import { registerHomePage } from './http/home.js';
import { registerPackageRoutes } from './http/package-routes.js';
import type { RouteContext, RoutePlugin } from './http/routes.js';
import { registerIntakeRoute } from './intake/route.js';
import { intakeSchemaComponents } from './intake/schemas.js';
import { Engine, type EngineOptions } from './sync/engine.js';
import { readSyncProgress, type SyncProgress } from './sync/counters.js';
import { startQuotaRecheck } from './sync/recheck.js';
import { startBudgetRecheck, type Schedule } from './sync/budget-check.js';
import { runBudgetCheck } from './api/package/budget.js';
import { ReverseSync, type ReverseOptions } from './reverse/index.js';
import { Notices, type NoticesOptions } from './notices/notices.js';
import { registerPackageApi } from './api/package/index.js';
import { registerPlatformApi } from './api/platform/index.js';
import { LookupCache, type LookupCacheOptions } from './api/platform/lookup-cache.js';
import type { Match } from './api/platform/lookup.js';
import { previewRoutes, type PreviewOptions } from './preview/index.js';
import { openVault } from './secrets/key-file.js';
import { resealStoredSecrets } from './secrets/reseal.js';
import type { Vault } from './secrets/vault.js';
import { TokenStore } from './connections/tokens.js';
import { ConnectService } from './connections/connect.js';
import { Operator } from './operator/service.js';
import { registerOperatorRoutes } from './operator/routes.js';
import { registerOAuthCallback } from './operator/callback.js';
import { registerBackfillRoutes } from './operator/backfill-routes.js';
import { SalesforceBackfill } from './backfill/salesforce.js';
import { readStatus } from './api/package/status.js';
import { RelayMetrics } from './metrics/metrics.js';
import { registerMetricsRoute } from './metrics/route.js';

export interface CompanionOptions {
  config: Config;
  /** An open database to use (and not close). Default: opened from the configuration. */
  db?: Db;
  logger?: Logger;
  /** Listen on config.host:config.port (default true). */
  listen?: boolean;
  /** Clock for signature windows and answers, in ms (default Date.now). */
  now?: () => number;
  /** Overrides of config.worker, plus the drain time slice. */
  worker?: Partial<WorkerConfig> & { maxDrainMs?: number };
  /** Sync engine settings beyond the configuration's (tests shorten cadences and pauses). */
  sync?: Partial<Omit<EngineOptions, 'db' | 'log' | 'queue'>>;
  /** Reverse sync settings beyond the configuration's. */
  reverse?: ReverseOptions;
  /** The platform lookup's cache: a minute, 10,000 answers, Date.now (tests move the clock). */
  lookupCache?: Partial<LookupCacheOptions>;
  /** The browser preview of the package (none when absent; see preview/index.ts). */
  preview?: PreviewOptions;
  /**
   * Replaces the sync engine as the worker's processor: only the worker's own tests, which
   * exercise the queue ↔ processor contract with a recording processor, set it.
   */
  processor?: BatchProcessor;
  /** More routes. */
  routes?: readonly RoutePlugin[];
  /** Notices' bell retries (tests shorten them); `sweepMs` spaces the retry sweep (a minute). */
  notices?: Partial<Omit<NoticesOptions, 'db' | 'log' | 'clientFor'>> & { sweepMs?: number };
  /** The API-budget recheck's schedule (tests drive it themselves; default every few minutes). */
  budgetRecheck?: { everyMs?: number; schedule?: Schedule };
}

export interface Companion {
  app: FastifyInstance;
  /** `http://host:port` when listening, else ''. */
  url: string;
  config: Config;
  db: Db;
  boss: PgBoss;
  queue: QueueControl;
  worker: SyncWorker | null;
  /** The sync engine (Salesforce clients, configuration, match caches, counters). */
  engine: Engine;
  reverse: ReverseSync;
  /** Quota, limit, connection and mapping notices to admins (the bell) and the platform. */
  notices: Notices;
  /** Seals and opens the secrets stored in the database. */
  vault: Vault;
  tokens: TokenStore;
  /** Workspaces, secrets, org keys and connections, as the operator API changes them. */
  operator: Operator;
  log: Logger;
  /** Prometheus metrics of this process (GET /metrics). */
  metrics: RelayMetrics;
  /** Figures for the progress line: events received/synced/failed, API calls used. */
  progress(workspaceId?: string): Promise<SyncProgress>;
  /** Stops the worker (finishing or handing back its batches), the HTTP server, the queue, the database. */
  close(): Promise<void>;
}

/** Why events wait for a connection (sync/engine.ts), released when one is made. */
const CONNECTION_HOLDS = ['NOT_CONNECTED', 'NEEDS_RECONNECT', 'API_DISABLED'];

/** The engine options the start-up configuration sets (checked in config/env.ts). */
function engineTuning(tuning: SyncTuning | undefined): Partial<EngineOptions> {
  return {
    tuning: {
      ...(tuning?.bulkThreshold !== undefined ? { bulkThreshold: tuning.bulkThreshold } : {}),
      ...(tuning?.peopleBulkThreshold !== undefined ? { peopleBulkThreshold: tuning.peopleBulkThreshold } : {}),
    },
    ...(tuning?.limitPauseSeconds !== undefined ? { limitPauseMs: tuning.limitPauseSeconds * 1000 } : {}),
    ...(tuning?.timeoutSeconds !== undefined ? { timeoutMs: tuning.timeoutSeconds * 1000 } : {}),
  };
}

/** The reverse-sync options the start-up configuration sets (checked in config/env.ts). */
function reverseTuning(tuning: SyncTuning['reverse'] | undefined): ReverseOptions {
  return {
    ...(tuning?.pollEveryMinutes !== undefined ? { pollEveryMinutes: tuning.pollEveryMinutes } : {}),
    ...(tuning?.maxReadCalls !== undefined ? { maxReadCalls: tuning.maxReadCalls } : {}),
    ...(tuning?.bulkThreshold !== undefined ? { bulkThreshold: tuning.bulkThreshold } : {}),
    ...(tuning?.outboundMaxAttempts !== undefined ? { delivery: { maxAttempts: tuning.outboundMaxAttempts } } : {}),
  };
}

function createHttpApp(config: Config, log: Logger): FastifyInstance {
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; the cast keeps FastifyInstance's default generics.
    loggerInstance: log as FastifyBaseLogger,
    bodyLimit: config.intake.maxBodyBytes,
    // One debug line per request from our onResponse hook instead of Fastify's two info lines.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
  });
  app.decorateRequest('workspace', null);
  app.decorateRequest('rawBody', null);
  app.decorateRequest('org', null);
  installErrorHandling(app, { maxBodyBytes: config.intake.maxBodyBytes });
  app.addHook('onResponse', async (request, reply) => {
    const level = reply.statusCode >= 500 ? 'warn' : 'debug';
    request.log[level](
      { method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request',
    );
  });
  return app;
}

async function listen(app: FastifyInstance, config: Config): Promise<string> {
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  if (!address || typeof address !== 'object') return '';
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`;
}

export async function createCompanion(options: CompanionOptions): Promise<Companion> {
  const { config } = options;
  const log = options.logger ?? createLogger(config.logLevel);
  const now = options.now ?? Date.now;
  const ownsDb = !options.db;
  const db = options.db ?? (await openDatabase(config));
  const cleanup: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const step of cleanup.reverse()) {
      try {
        await step();
      } catch (error) {
        log.warn({ err: error }, 'error while shutting down');
      }
    }
    cleanup.length = 0;
  };
  if (ownsDb) cleanup.push(() => db.close());

  try {
    await migrate(db, migrations, log);
    const vault = openVault(config.security.encryptionKeys, config.dataDir);
    await resealStoredSecrets(db, vault, log);
    const boss = await startBoss(db, log);
    cleanup.push(() => boss.stop({ graceful: true, timeout: 5000, close: true }));
    const nudger = new Nudger(boss, db, log);
    cleanup.push(async () => nudger.close());
    const queue = createQueueControl(db, nudger);
    const workerConfig = { ...config.worker, ...options.worker };

    const metrics = new RelayMetrics(db);
    const directory = new WorkspaceDirectory(db, vault);
    let engineRef: Engine | undefined;
    const tokens = new TokenStore({ db, vault, log, onRefused: (id) => engineRef?.forget(id) });
    const engine = new Engine({
      db,
      log: log.child({ component: 'sync' }),
      queue,
      tokensFor: (workspaceId) => tokens.for(workspaceId),
      onCall: (call) => metrics.call(call),
      ...engineTuning(config.sync),
      ...options.sync,
    });
    const reverse = new ReverseSync(
      { db, vault, log: log.child({ component: 'reverse' }), engine, boss, worker: workerConfig.enabled },
      { ...reverseTuning(config.sync?.reverse), ...options.reverse },
    );
    engineRef = engine;
    const notices = new Notices({
      db,
      log: log.child({ component: 'notices' }),
      clientFor: (workspace) => engine.client(workspace),
      ...options.notices,
    });
    engine.observer = notices;
    // Bells that failed are retried by worker processes (intake-only processes run no batches).
    const stopNoticeSweep = workerConfig.enabled ? notices.startSweep(options.notices?.sweepMs) : () => {};
    cleanup.push(async () => {
      stopNoticeSweep();
      await notices.idle();
    });
    const stopRecheck = startQuotaRecheck(engine, db);
    cleanup.push(async () => stopRecheck());
    const minutes = config.sync?.budgetRecheckMinutes;
    const stopBudgetRecheck = startBudgetRecheck(engine, queue, {
      ...(minutes !== undefined ? { everyMs: minutes * 60_000 } : {}),
      ...options.budgetRecheck,
    });
    cleanup.push(async () => stopBudgetRecheck());
    await reverse.start();
    cleanup.push(() => reverse.close());

    const app = createHttpApp(config, log);
    const routes = collectRoutes(app);
    let url = '';
    const auth = createRequestAuth({
      db,
      workspaces: directory,
      toleranceSeconds: config.intake.signatureToleranceSeconds,
      now,
    });
    const lookups = new LookupCache<Match>(options.lookupCache);
    // A workspace that changed (connected, rotated, deleted…) is looked at again everywhere at once.
    const changed = async (workspaceId: string | null) => {
      auth.forgetOrgs();
      if (workspaceId === null) return;
      directory.invalidate(workspaceId);
      engine.forget(workspaceId);
      lookups.forget(workspaceId);
      // Events held for want of a connection go now if there is one (else they are held again).
      await queue.releaseDeferred(workspaceId, CONNECTION_HOLDS).catch(() => {});
      await queue.nudge(workspaceId).catch(() => {});
      await reverse.reconcileSchedules().catch(() => {});
    };
    const connect = new ConnectService({
      db,
      vault,
      tokens,
      budget: engine.budget,
      log,
      publicUrl: () => config.security.publicUrl ?? url,
      changed,
    });
    const operator = new Operator({ db, vault, connect, log, changed });
    const ctx: RouteContext = {
      config,
      db,
      log,
      queue,
      workspaces: directory,
      auth,
      now,
      onIntake: (workspaceId, counts) => metrics.received(workspaceId, counts),
    };
    app.addHook('onResponse', async (request, reply) => {
      if (request.routeOptions.url === '/v1/events') metrics.intakeAnswered(reply.statusCode, reply.elapsedTime / 1000);
    });

    let worker: SyncWorker | null = null;
    if (workerConfig.enabled) {
      worker = new SyncWorker({
        db,
        boss,
        nudger,
        processor: options.processor ?? engine.process,
        log,
        options: workerConfig,
        exclusiveDatabase: db instanceof PgliteDb && db.dataDir !== undefined,
        onBatch: (workspaceId, batch, outcomes, seconds) => metrics.batch(workspaceId, batch, outcomes, seconds),
        ...(options.worker?.maxDrainMs !== undefined ? { maxDrainMs: options.worker.maxDrainMs } : {}),
      });
    }

    registerHealthRoutes(app, { db, ...(worker ? { workerRunning: () => worker.running } : {}) });
    registerMetricsRoute(app, ctx, metrics);
    registerHomePage(app, { preview: options.preview?.enabled ?? false });
    if (config.intake.enabled !== false) {
      registerIntakeRoute(app, ctx);
      registerPackageRoutes(app, ctx);
      registerPackageApi(app, ctx, engine);
      registerPlatformApi(app, ctx, { engine, reverse, lookups });
      registerOperatorRoutes(app, ctx, {
        operator,
        status: (w) => readStatus(db, queue, engine, w),
        checkBudget: (w) => runBudgetCheck(engine, queue, w),
      });
      registerBackfillRoutes(app, ctx, {
        operator,
        toPlatform: reverse.backfill,
        toSalesforce: new SalesforceBackfill({
          db,
          engine,
          queue,
          batchSize: workerConfig.batchSize,
          backlogThreshold: workerConfig.backlogThreshold,
          backlogBatchSize: workerConfig.backlogBatchSize,
        }),
      });
      registerOAuthCallback(app, operator);
    }
    const preview = options.preview ? [previewRoutes(options.preview, { tokensFor: (id) => tokens.for(id) })] : [];
    const plugins = [...preview, ...(options.routes ?? [])];
    for (const plugin of plugins) await app.register(async (scope) => plugin(scope, ctx));
    let openApi: Record<string, unknown> | undefined;
    app.get(
      '/openapi.json',
      {
        config: {
          openapi: {
            summary: 'This document',
            tags: ['operations'],
            security: 'none',
            responses: { '200': { description: 'OpenAPI 3.1 description of every route.' } },
          },
        },
      },
      async () => (openApi ??= buildOpenApi(routes, COMPANION_VERSION, intakeSchemaComponents())),
    );

    await app.ready();
    cleanup.push(() => app.close());
    url = (options.listen ?? true) ? await listen(app, config) : '';
    if (worker) {
      await worker.start();
      cleanup.push(() => worker.stop());
    }
    let closing: Promise<void> | undefined;
    return {
      app,
      url,
      config,
      db,
      boss,
      queue,
      worker,
      engine,
      reverse,
      notices,
      vault,
      tokens,
      operator,
      log,
      metrics,
      progress: (workspaceId) => readSyncProgress(db, engine.counters, workspaceId),
      close: () => (closing ??= closeAll()),
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
