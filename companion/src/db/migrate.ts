// Numbered schema migrations, one SQL dialect for PGlite and PostgreSQL. Every migration that is
// not yet recorded in `schema_migrations` runs, in id order, inside one transaction that first
// takes an advisory lock: two processes starting together against one database serialise here,
// and the second finds the work done. A migration that fails rolls the whole run back.
//
// Id ranges, so independent parts never collide: 1–99 platform (db/migrations), 100–199 sync engine
// (SyncEngine.migrations), 200+ later parts. Never edit an applied migration: add a new one. The
// runner refuses to start when an applied migration's text changed.
import { createHash } from 'node:crypto';
import type { Db } from './types.js';

export interface Migration {
  /** Unique positive integer; order of application. */
  id: number;
  /** Short snake_case description, e.g. `events`. */
  name: string;
  /** Statements, run one by one (PGlite's extended protocol takes one statement per call). */
  statements: readonly string[];
}

export interface MigrationLog {
  info(obj: object, msg: string): void;
}

// Arbitrary constant shared by every Relay process: the advisory lock that serialises migration runs.
const MIGRATION_LOCK_KEY = 0x52454c41; // "RELA"

export function checksum(migration: Migration): string {
  return createHash('sha256').update(migration.statements.join('\n;\n')).digest('hex');
}

function checkList(migrations: readonly Migration[]): Migration[] {
  const seen = new Map<number, string>();
  for (const m of migrations) {
    if (!Number.isInteger(m.id) || m.id <= 0) {
      throw new Error(`migration '${m.name}': id must be a positive integer (got ${m.id})`);
    }
    const other = seen.get(m.id);
    if (other !== undefined) {
      throw new Error(`migrations '${other}' and '${m.name}' both use id ${m.id}; give one a free number`);
    }
    seen.set(m.id, m.name);
  }
  return [...migrations].sort((a, b) => a.id - b.id);
}

/** Applies pending migrations; returns the ids applied by this call. */
export async function migrate(db: Db, migrations: readonly Migration[], log?: MigrationLog): Promise<number[]> {
  const ordered = checkList(migrations);
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      id integer PRIMARY KEY,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await tx.query<{ id: number; name: string; checksum: string }>(
      'SELECT id, name, checksum FROM schema_migrations',
    );
    const applied = new Map(rows.map((r) => [r.id, r]));
    const done: number[] = [];
    for (const m of ordered) {
      const sum = checksum(m);
      const previous = applied.get(m.id);
      if (previous) {
        if (previous.checksum !== sum) {
          throw new Error(
            `migration ${m.id} '${m.name}' changed after it was applied (as '${previous.name}'); ` +
              `restore it and add a new migration instead`,
          );
        }
        continue;
      }
      for (const [index, statement] of m.statements.entries()) {
        try {
          await tx.query(statement);
        } catch (error) {
          throw new Error(
            `migration ${m.id} '${m.name}', statement ${index + 1}, failed: ${(error as Error).message}`,
            { cause: error },
          );
        }
      }
      await tx.query('INSERT INTO schema_migrations (id, name, checksum) VALUES ($1, $2, $3)', [m.id, m.name, sum]);
      done.push(m.id);
      log?.info({ migration: m.id, name: m.name }, 'applied migration');
    }
    return done;
  });
}
