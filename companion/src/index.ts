// Public API of @relay/companion: the composition root, configuration, storage, the worker ↔
// engine contract and the helpers platforms and tests need (signing).
export { createCompanion, type Companion, type CompanionOptions } from './app.js';
export {
  parseConfig,
  ConfigError,
  type Config,
  type WorkerConfig,
  type IntakeConfig,
  type DemoConfig,
} from './config/env.js';
export { createLogger, REDACTED_PATHS } from './config/logger.js';
export type { Db, QueryResult, Row } from './db/types.js';
export { openDatabase } from './db/open.js';
export { PgliteDb } from './db/pglite.js';
export { PostgresDb } from './db/postgres.js';
export { migrate, type Migration } from './db/migrate.js';
export { migrations } from './db/migrations/index.js';
export type { StoredEvent, EventOutcome, SyncContext, BatchProcessor } from './queue/batch.js';
export type { QueueControl, Backlog, RetryTarget } from './queue/control.js';
export type { RouteContext, RoutePlugin, RouteAuth } from './http/routes.js';
export { signedScope, packageScope, requireWorkspace } from './http/routes.js';
export { HttpError, errorBody } from './http/errors.js';
export type { RouteDoc } from './http/openapi.js';
export { signatureHeader, computeSignature, verifySignature } from './auth/signature.js';
export type { Workspace, SalesforceConnection, NewWorkspace, WorkspacePatch } from './workspaces/types.js';
export { getWorkspace, listWorkspaces, workspacesOfOrg } from './workspaces/store.js';
export { Vault, parseKeyRing, newKeyRingEntry } from './secrets/vault.js';
export type { Operator } from './operator/service.js';
export { randomOrgKey, randomSigningSecret, hashOrgKey } from './workspaces/keys.js';
