// Chooses the storage from the configuration: PostgreSQL when RELAY_DATABASE_URL is set, embedded
// PGlite in RELAY_DATA_DIR otherwise.
import type { Db } from './types.js';
import { PgliteDb } from './pglite.js';
import { PostgresDb } from './postgres.js';

export interface StorageConfig {
  databaseUrl?: string | undefined;
  dataDir: string;
}

export async function openDatabase(storage: StorageConfig): Promise<Db> {
  if (storage.databaseUrl) return PostgresDb.open(storage.databaseUrl);
  return PgliteDb.open(storage.dataDir);
}
