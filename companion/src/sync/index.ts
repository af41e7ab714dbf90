// The sync engine as the companion plugs it in (`npm start` picks up `createSyncEngine`): the batch
// processor, its migrations, the package's data endpoints and the quota recheck.
import type { SyncEngine, SyncEngineFactory } from './types.js';
import { Engine, type EngineOptions } from './engine.js';
import { syncMigrations } from './migrations.js';
import { registerPackageApi } from '../api/package/index.js';
import { readSyncProgress, type SyncProgress } from './counters.js';
import { startQuotaRecheck } from './recheck.js';
import { withReverseSync } from '../reverse/index.js';

export { Engine, readSyncProgress, type SyncProgress };

export interface RelaySyncEngine extends SyncEngine {
  engine: Engine;
  /** Figures for the progress line: events received/synced/failed, API calls used. */
  progress(workspaceId?: string): Promise<SyncProgress>;
}

/** Tuning read from the environment (all optional; see companion/README.md). */
function envTuning(env: NodeJS.ProcessEnv): Partial<EngineOptions> {
  const int = (name: string): number | undefined => {
    const v = env[name];
    if (v === undefined || v.trim() === '') return undefined;
    const n = Number(v);
    return Number.isFinite(n) && n >= 0 ? n : undefined;
  };
  const bulkThreshold = int('RELAY_BULK_THRESHOLD');
  const limitPauseSeconds = int('RELAY_LIMIT_PAUSE_SECONDS');
  const timeoutSeconds = int('RELAY_SF_TIMEOUT_SECONDS');
  return {
    ...(bulkThreshold !== undefined ? { tuning: { bulkThreshold } } : {}),
    ...(limitPauseSeconds !== undefined ? { limitPauseMs: limitPauseSeconds * 1000 } : {}),
    ...(timeoutSeconds !== undefined ? { timeoutMs: timeoutSeconds * 1000 } : {}),
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
    ...envTuning(process.env),
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
