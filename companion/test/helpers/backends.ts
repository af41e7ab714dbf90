// The two storage backends every intake/queue/worker suite runs on: embedded PGlite (a temporary
// data folder per database) and a real PostgreSQL 15 server started for the test file by
// scripts/postgres-test-server.mjs, with a fresh database per test. Set RELAY_TEST_DATABASE_URL to
// use an existing server instead (each test still gets its own database on it).
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Db } from '../../src/db/types.js';
import { PgliteDb } from '../../src/db/pglite.js';
import { PostgresDb } from '../../src/db/postgres.js';
import { migrate } from '../../src/db/migrate.js';
import { migrations } from '../../src/db/migrations/index.js';
import { startBoss } from '../../src/queue/boss.js';
import { createLogger } from '../../src/config/logger.js';
import { startPostgres, type TestPostgres } from '../../../scripts/postgres-test-server.mjs';

export type BackendName = 'pglite' | 'postgres';

export interface TestDatabase {
  /** Where a child process can open the same database: a data folder or a URL. */
  location: { dataDir: string } | { databaseUrl: string };
  open(): Promise<Db>;
  /** Drops the database / deletes the folder (after every Db on it is closed). */
  destroy(): Promise<void>;
}

export interface Backend {
  name: BackendName;
  createDatabase(): Promise<TestDatabase>;
  /** Stops the server started for this file, if any. */
  shutdown(): Promise<void>;
}

// A fresh PGlite data folder costs an initdb and pg-boss's schema install (about 7 s, more under
// load). One template is made for the whole test run — shared by every test process through a
// folder named after what it contains (the migrations and the PGlite and pg-boss versions) — and
// copied per database. Processes that start together may each build one; the first to move it into
// place wins and the others use it.
let template: Promise<string> | undefined;
function templateKey(): string {
  // Read from the lock file: the packages' own package.json are not exported.
  const lock = JSON.parse(readFileSync(new URL('../../../package-lock.json', import.meta.url), 'utf8')) as {
    packages: Record<string, { version?: string }>;
  };
  const version = (name: string) => lock.packages[`node_modules/${name}`]?.version ?? 'unknown';
  return createHash('sha256')
    .update(JSON.stringify([migrations, version('@electric-sql/pglite'), version('pg-boss')]))
    .digest('hex')
    .slice(0, 16);
}
function pgliteTemplate(): Promise<string> {
  return (template ??= (async () => {
    const dir = join(tmpdir(), `relay-pglite-template-${templateKey()}`);
    if (existsSync(join(dir, 'pgdata'))) return dir;
    const building = mkdtempSync(join(tmpdir(), 'relay-pglite-building-'));
    const db = await PgliteDb.open(building);
    await migrate(db, migrations);
    const boss = await startBoss(db, createLogger('silent'));
    await boss.stop({ graceful: false, close: false });
    await db.close();
    try {
      renameSync(building, dir);
    } catch {
      rmSync(building, { recursive: true, force: true }); // another process was first
    }
    return dir;
  })());
}

export function pgliteBackend(): Backend {
  return {
    name: 'pglite',
    async createDatabase() {
      const source = await pgliteTemplate();
      const dir = mkdtempSync(join(tmpdir(), 'relay-pglite-'));
      cpSync(join(source, 'pgdata'), join(dir, 'pgdata'), { recursive: true });
      return {
        location: { dataDir: dir },
        open: () => PgliteDb.open(dir),
        // Not awaited: deleting a data folder's thousand files takes seconds under load.
        destroy: async () => void rm(dir, { recursive: true, force: true }).catch(() => {}),
      };
    },
    async shutdown() {},
  };
}

export function postgresBackend(): Backend {
  let server: Promise<TestPostgres | { url: string; urlFor(name: string): string; stop(): Promise<void> }> | undefined;
  const getServer = () =>
    (server ??= (async () => {
      const external = process.env.RELAY_TEST_DATABASE_URL;
      if (external) {
        return {
          url: external,
          urlFor: (name: string) => {
            const u = new URL(external);
            u.pathname = `/${name}`;
            return u.toString();
          },
          stop: async () => {},
        };
      }
      return startPostgres();
    })());
  return {
    name: 'postgres',
    async createDatabase() {
      const srv = await getServer();
      const name = `relay_test_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: srv.url });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      const url = srv.urlFor(name);
      return {
        location: { databaseUrl: url },
        open: () => PostgresDb.open(url),
        async destroy() {
          const client = new pg.Client({ connectionString: srv.url });
          await client.connect();
          try {
            await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          } finally {
            await client.end();
          }
        },
      };
    },
    async shutdown() {
      if (server) await (await server).stop();
    },
  };
}

export function backendByName(name: BackendName): Backend {
  return name === 'pglite' ? pgliteBackend() : postgresBackend();
}
