// The sync engine as the companion plugs it in (`npm start` picks up `createSyncEngine`): the batch
// processor, its migrations, the package's data endpoints and the quota recheck.
import type { SyncEngine, SyncEngineFactory } from './types.js';
import { Engine, type EngineOptions } from './engine.js';
import { syncMigrations } from './migrations.js';
import { registerPackageApi } from '../api/package/index.js';
import { readSyncProgress, type SyncProgress } from './counters.js';
import { startQuotaRecheck } from './recheck.js';
import { withReverseSync } from '../reverse/index.js';
import type { SyncTuning } from '../config/env.js';

export { Engine, readSyncProgress, type SyncProgress };

export interface RelaySyncEngine extends SyncEngine {
  engine: Engine;
  /** Figures for the progress line: events received/synced/failed, API calls used. */
  progress(workspaceId?: string): Promise<SyncProgress>;
}

/** The engine options the start-up configuration sets (checked in config/env.ts). */
function configuredTuning(tuning: SyncTuning | undefined): Partial<EngineOptions> {
  return {
    ...(tuning?.bulkThreshold !== undefined ? { tuning: { bulkThreshold: tuning.bulkThreshold } } : {}),
    ...(tuning?.limitPauseSeconds !== undefined ? { limitPauseMs: tuning.limitPauseSeconds * 1000 } : {}),
    ...(tuning?.timeoutSeconds !== undefined ? { timeoutMs: tuning.timeoutSeconds * 1000 } : {}),
  };
}

export function buildSyncEngine(
  deps: Parameters<SyncEngineFactory>[0],
  overrides: Partial<EngineOptions> = {},
): RelaySyncEngine {
  const engine = new Engine({
    db: deps.db,
    log: deps.log.child({ component: 'sync' }),
    queue: deps.queue,
    ...configuredTuning(deps.config.sync),
    ...overrides,
  });
  let stopRecheck: (() => void) | undefined;
  return {
    engine,
    processor: engine.process,
    migrations: syncMigrations,
    routes: (app, ctx) => registerPackageApi(app, ctx, engine),
    async start() {
      stopRecheck = startQuotaRecheck(engine, deps.db);
    },
    async close() {
      stopRecheck?.();
    },
    progress: (workspaceId) => readSyncProgress(deps.db, engine.counters, workspaceId),
  };
}

/**
 * What `npm start` plugs in: the engine, plus reverse sync and the platform API (src/reverse,
 * src/api/platform), which reuse its client, configuration and matching.
 */
export const createSyncEngine: SyncEngineFactory = (deps) => withReverseSync(buildSyncEngine(deps), deps);
