// Every table of the companion, as one ordered list applied at start-up (db/migrate.ts): the
// platform's (ids 1–99: workspaces, events, sync state, tenancy and sealed secrets), the sync
// engine's (100–199), reverse sync's (200–299), notices (300–399), the platform API's (400–499),
// the conflict log's (600–699) and backfills' (700–799). Every process applies the same list, so
// every table exists once the companion has started; no code needs to ask whether one does.
import type { Migration } from '../migrate.js';
import { migration001 } from './001-workspaces.js';
import { migration002 } from './002-events.js';
import { migration003 } from './003-workspace-sync-state.js';
import { migration004 } from './004-tenancy.js';
import { syncMigrations } from './100-sync.js';
import { reverseMigrations } from './200-reverse.js';
import { migration220 } from './220-reverse-rejections.js';
import { noticeMigrations } from './300-notices.js';
import { platformApiMigrations } from './400-platform-api.js';
import { conflictMigrations } from './600-conflicts.js';
import { backfillMigrations } from './700-backfill.js';

/** The platform's own part of the list (ids 1–99); the migration runner's tests build on it. */
export const platformMigrations: readonly Migration[] = [migration001, migration002, migration003, migration004];

export const migrations: readonly Migration[] = [
  ...platformMigrations,
  ...syncMigrations,
  ...reverseMigrations,
  migration220,
  ...noticeMigrations,
  ...platformApiMigrations,
  ...conflictMigrations,
  ...backfillMigrations,
];
