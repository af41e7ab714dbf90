// Migrations: applied once, in order, in a transaction; two processes starting together serialise
// on the advisory lock; an edited migration or a clashing id stops start-up with a clear message.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { postgresBackend } from './helpers/backends.js';
import { PgliteDb } from '../src/db/pglite.js';
import { migrate, type Migration } from '../src/db/migrate.js';
import { platformMigrations as allPlatformMigrations } from '../src/db/migrations/index.js';

// The runner's behaviour on a fixed list: the platform's first three migrations.
const platformMigrations = allPlatformMigrations.slice(0, 3);

const extra: Migration = {
  id: 100,
  name: 'sync_engine_table',
  statements: ['CREATE TABLE sync_things (id int PRIMARY KEY)'],
};

describe('migrations', () => {
  const pg = postgresBackend();
  after(() => pg.shutdown());

  it('apply once on PGlite, in order, and record themselves', async () => {
    // In memory: the test backend's PGlite folders come already migrated.
    const db = await PgliteDb.open(undefined);
    try {
      assert.deepEqual(await migrate(db, [extra, ...platformMigrations]), [1, 2, 3, 100]);
      assert.deepEqual(await migrate(db, [...platformMigrations, extra]), []);
      const { rows } = await db.query<{ id: number; name: string }>(
        'SELECT id, name FROM schema_migrations ORDER BY id',
      );
      assert.deepEqual(
        rows.map((r) => r.id),
        [1, 2, 3, 100],
      );
    } finally {
      await db.close();
    }
  });

  it('serialise two processes starting together on PostgreSQL', async () => {
    const database = await pg.createDatabase();
    const dbs = await Promise.all([database.open(), database.open(), database.open()]);
    try {
      const applied = await Promise.all(dbs.map((db) => migrate(db, [...platformMigrations, extra])));
      const all = applied.flat().sort((a, b) => a - b);
      assert.deepEqual(all, [1, 2, 3, 100], 'each migration applied by exactly one of them');
    } finally {
      await Promise.all(dbs.map((db) => db.close()));
      await database.destroy();
    }
  });

  it('roll back a failing run entirely and name the migration', async () => {
    const database = await pg.createDatabase();
    const db = await database.open();
    try {
      const broken: Migration = {
        id: 101,
        name: 'broken',
        statements: ['CREATE TABLE ok_table (id int)', 'CREATE TABLE nope ('],
      };
      await assert.rejects(migrate(db, [...platformMigrations, broken]), /migration 101 'broken', statement 2, failed/);
      const { rows } = await db.query(
        `SELECT to_regclass('public.workspaces') AS t, to_regclass('public.ok_table') AS o`,
      );
      assert.deepEqual(rows[0], { t: null, o: null });
    } finally {
      await db.close();
      await database.destroy();
    }
  });

  it('refuse an applied migration that changed, and two migrations with one id', async () => {
    const database = await pg.createDatabase();
    const db = await database.open();
    try {
      await migrate(db, [...platformMigrations, extra]);
      const edited = { ...extra, statements: ['CREATE TABLE sync_things (id bigint PRIMARY KEY)'] };
      await assert.rejects(
        migrate(db, [...platformMigrations, edited]),
        /migration 100 'sync_engine_table' changed after it was applied/,
      );
      await assert.rejects(migrate(db, [...platformMigrations, extra, { ...extra, name: 'other' }]), /both use id 100/);
    } finally {
      await db.close();
      await database.destroy();
    }
  });
});
