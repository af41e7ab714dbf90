// The platform's migrations (ids 1–99), in order. The sync engine brings its own (100–199) through
// `SyncEngine.migrations`; see companion/README.md.
import type { Migration } from '../migrate.js';
import { migration001 } from './001-workspaces.js';
import { migration002 } from './002-events.js';
import { migration003 } from './003-workspace-sync-state.js';

export const platformMigrations: readonly Migration[] = [migration001, migration002, migration003];
