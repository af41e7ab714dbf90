// pg-boss on whichever database the companion uses: the embedded PGlite instance through pg-boss's
// `fromPglite` adapter (same connection, its transaction lock serialises us), or its own small pool
// to the PostgreSQL server. pg-boss keeps its tables in its own schema (`pgboss`).
import { PgBoss, fromPglite, type ConstructorOptions } from 'pg-boss';
import type { Logger } from 'pino';
import type { Db } from '../db/types.js';
import { PgliteDb } from '../db/pglite.js';
import { PostgresDb } from '../db/postgres.js';
import { SWEEP_QUEUE, SYNC_DEAD_LETTER_QUEUE, SYNC_QUEUE } from './names.js';

export type { PgBoss };

export async function startBoss(db: Db, log: Logger): Promise<PgBoss> {
  let options: ConstructorOptions;
  if (db instanceof PgliteDb) {
    options = { db: fromPglite(db.pglite), backend: 'pglite' };
  } else if (db instanceof PostgresDb) {
    options = { connectionString: db.connectionString, max: 4, application_name: 'relay-companion-queue' };
  } else {
    throw new Error('pg-boss needs the PGlite or PostgreSQL Db created by openDatabase()');
  }
  const boss = new PgBoss({
    ...options,
    schema: 'pgboss',
    // Workers are woken by NOTIFY the moment a nudge is sent; polling stays as the floor.
    useListenNotify: true,
    // Jobs here are tiny wake-up signals: keep the table small.
    superviseIntervalSeconds: 30,
    monitorIntervalSeconds: 30,
  });
  boss.on('error', (error: unknown) => log.error({ err: error }, 'queue error'));
  boss.on('warning', (warning: unknown) => log.warn({ warning }, 'queue warning'));
  await boss.start();
  await boss.createQueue(SYNC_DEAD_LETTER_QUEUE, { retentionSeconds: 7 * 86400, deleteAfterSeconds: 7 * 86400 });
  await boss.createQueue(SYNC_QUEUE, {
    notify: true,
    // A job only fails when the database does (Salesforce failures are per-event outcomes):
    // retry it with backoff and jitter, then dead-letter it; the sweep re-nudges the workspace.
    retryLimit: 5,
    retryDelay: 1,
    retryBackoff: true,
    retryDelayMax: 60,
    expireInSeconds: 3600,
    deleteAfterSeconds: 3600,
    deadLetter: SYNC_DEAD_LETTER_QUEUE,
  });
  await boss.createQueue(SWEEP_QUEUE, { retryLimit: 0, expireInSeconds: 300, deleteAfterSeconds: 3600 });
  return boss;
}
