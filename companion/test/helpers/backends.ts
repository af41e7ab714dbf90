// The two storage backends every intake/queue/worker suite runs on: embedded PGlite (a temporary
// data folder per database) and a real PostgreSQL 15 server started for the test file by
// scripts/postgres-test-server.mjs, with a fresh database per test. Set RELAY_TEST_DATABASE_URL to
// use an existing server instead (each test still gets its own database on it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Db } from '../../src/db/types.js';
import { PgliteDb } from '../../src/db/pglite.js';
import { PostgresDb } from '../../src/db/postgres.js';
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

export function pgliteBackend(): Backend {
  return {
    name: 'pglite',
    async createDatabase() {
      const dir = mkdtempSync(join(tmpdir(), 'relay-pglite-'));
      return {
        location: { dataDir: dir },
        open: () => PgliteDb.open(dir),
        destroy: async () => rmSync(dir, { recursive: true, force: true }),
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
