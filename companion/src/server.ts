// The companion as one object: storage (migrated), queue, HTTP app (intake, health, package ping,
// OpenAPI, plus the sync engine's routes) and, when a processor is available and the worker is
// enabled, the sync worker. `main.ts` builds one for `npm start`; tests build one per case
// (`listen: false` and `app.inject`, or a real port).
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config, WorkerConfig } from './config/env.js';
import { createLogger } from './config/logger.js';
import { COMPANION_VERSION } from './config/version.js';
import type { Db } from './db/types.js';
import { openDatabase } from './db/open.js';
import { PgliteDb } from './db/pglite.js';
import { migrate } from './db/migrate.js';
import { platformMigrations } from './db/migrations/index.js';
import { startBoss, type PgBoss } from './queue/boss.js';
import { Nudger } from './queue/nudger.js';
import { createQueueControl, type QueueControl } from './queue/control.js';
import { SyncWorker } from './worker/worker.js';
import { WorkspaceDirectory } from './workspaces/directory.js';
import { createRequestAuth } from './auth/request-auth.js';
import { installErrorHandling } from './http/errors.js';
import { buildOpenApi, collectRoutes } from './http/openapi.js';
import { registerHealthRoutes } from './http/health.js';
import { registerPackageRoutes } from './http/package-routes.js';
import type { RouteContext, RoutePlugin } from './http/routes.js';
import { registerIntakeRoute } from './intake/route.js';
import type { BatchProcessor, SyncEngine, SyncEngineFactory } from './sync/types.js';

export interface CompanionOptions {
  config: Config;
  /** An open database to use (and not close). Default: opened from the configuration. */
  db?: Db;
  /** The sync engine (processor, migrations, routes). */
  syncEngine?: SyncEngineFactory;
  /** A processor alone (tests), used when no sync engine is given. */
  processor?: BatchProcessor;
  /** More routes. */
  routes?: readonly RoutePlugin[];
  logger?: Logger;
  /** Listen on config.host:config.port (default true). */
  listen?: boolean;
  /** Clock for signature windows and answers, in ms (default Date.now). */
  now?: () => number;
  /** Overrides of config.worker, plus the drain time slice. */
  worker?: Partial<WorkerConfig> & { maxDrainMs?: number };
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
  engine: SyncEngine | null;
  log: Logger;
  /** Stops the worker (finishing or handing back its batches), the HTTP server, the queue, the database. */
  close(): Promise<void>;
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
    const boss = await startBoss(db, log);
    cleanup.push(() => boss.stop({ graceful: true, timeout: 5000, close: true }));
    const nudger = new Nudger(boss, db, log);
    cleanup.push(async () => nudger.close());
    const queue = createQueueControl(db, nudger);

    const engine = options.syncEngine ? await options.syncEngine({ config, db, log, queue, boss }) : null;
    await migrate(db, [...platformMigrations, ...(engine?.migrations ?? [])], log);
    if (engine?.start) await engine.start();
    if (engine?.close) cleanup.push(() => engine.close!());

    const app = Fastify({
      // pino's Logger is a FastifyBaseLogger; the cast keeps FastifyInstance's default generics.
      loggerInstance: log as FastifyBaseLogger,
      bodyLimit: config.intake.maxBodyBytes,
      // One debug line per request from our onResponse hook instead of Fastify's two info lines.
      logController: new LogController({ disableRequestLogging: true }),
      return503OnClosing: true,
    });
    const routes = collectRoutes(app);
    app.decorateRequest('workspace', null);
    app.decorateRequest('rawBody', null);
    installErrorHandling(app, { maxBodyBytes: config.intake.maxBodyBytes });
    app.addHook('onResponse', async (request, reply) => {
      const level = reply.statusCode >= 500 ? 'warn' : 'debug';
      request.log[level](
        { method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
        'request',
      );
    });

    const workspaces = new WorkspaceDirectory(db);
    const ctx: RouteContext = {
      config,
      db,
      log,
      queue,
      workspaces,
      auth: createRequestAuth({ db, workspaces, toleranceSeconds: config.intake.signatureToleranceSeconds, now }),
      now,
    };

    const processor = engine?.processor ?? options.processor;
    const workerConfig = { ...config.worker, ...options.worker };
    let worker: SyncWorker | null = null;
    if (workerConfig.enabled && processor) {
      worker = new SyncWorker({
        db,
        boss,
        nudger,
        processor,
        log,
        options: workerConfig,
        exclusiveDatabase: db instanceof PgliteDb && db.dataDir !== undefined,
        ...(options.worker?.maxDrainMs !== undefined ? { maxDrainMs: options.worker.maxDrainMs } : {}),
      });
    } else if (workerConfig.enabled) {
      log.warn('no sync engine installed: events are stored and wait as pending');
    }

    registerHealthRoutes(app, { db, ...(worker ? { workerRunning: () => worker.running } : {}) });
    registerIntakeRoute(app, ctx);
    registerPackageRoutes(app, ctx);
    if (engine?.routes) await app.register(async (scope) => engine.routes!(scope, ctx));
    for (const plugin of options.routes ?? []) await app.register(async (scope) => plugin(scope, ctx));
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
      async () => (openApi ??= buildOpenApi(routes, COMPANION_VERSION)),
    );

    await app.ready();
    cleanup.push(() => app.close());
    let url = '';
    if (options.listen ?? true) {
      await app.listen({ host: config.host, port: config.port });
      const address = app.server.address();
      if (address && typeof address === 'object') {
        const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`;
      }
    }
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
      log,
      close: () => (closing ??= closeAll()),
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
