// PostgreSQL server (RELAY_DATABASE_URL) behind the `Db` interface, through a node-postgres pool.
// Several companion processes may share one database: every claim uses FOR UPDATE SKIP LOCKED and
// leases, and migrations take an advisory lock.
import pg from 'pg';
import type { Db, QueryResult, Row } from './types.js';

type Client = pg.PoolClient;

async function run<R extends Row>(
  target: pg.Pool | Client,
  sql: string,
  params?: readonly unknown[],
): Promise<QueryResult<R>> {
  const result = await target.query<R>(sql, params ? [...params] : undefined);
  return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
}

class PostgresTransactionDb implements Db {
  readonly kind = 'postgres' as const;
  constructor(
    private readonly client: Client,
    private readonly depth: number,
  ) {}
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    return run<R>(this.client, sql, params);
  }
  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const name = `relay_sp_${this.depth + 1}`;
    await this.client.query(`SAVEPOINT ${name}`);
    try {
      const value = await fn(new PostgresTransactionDb(this.client, this.depth + 1));
      await this.client.query(`RELEASE SAVEPOINT ${name}`);
      return value;
    } catch (error) {
      await this.client.query(`ROLLBACK TO SAVEPOINT ${name}`);
      throw error;
    }
  }
  async close(): Promise<void> {
    throw new Error('close() called on a transaction');
  }
}

export interface PostgresOptions {
  /** Pool size; the intake and the worker share it. */
  max?: number;
  applicationName?: string;
}

export class PostgresDb implements Db {
  readonly kind = 'postgres' as const;
  #closed = false;
  readonly pool: pg.Pool;

  constructor(
    /** Kept for pg-boss, which opens its own pool to the same database. */
    readonly connectionString: string,
    options: PostgresOptions = {},
  ) {
    this.pool = new pg.Pool({
      connectionString,
      max: options.max ?? 10,
      application_name: options.applicationName ?? 'relay-companion',
    });
    // An idle client losing its connection emits 'error' on the pool; without a listener Node
    // would crash the process. The next query gets a fresh connection.
    this.pool.on('error', () => {});
  }

  static async open(connectionString: string, options?: PostgresOptions): Promise<PostgresDb> {
    const db = new PostgresDb(connectionString, options);
    try {
      await db.query('SELECT 1');
    } catch (error) {
      await db.close();
      throw new Error(
        `cannot connect to RELAY_DATABASE_URL (${redactUrl(connectionString)}): ${(error as Error).message}`,
        { cause: error },
      );
    }
    return db;
  }

  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    return run<R>(this.pool, sql, params);
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const value = await fn(new PostgresTransactionDb(client, 0));
      await client.query('COMMIT');
      return value;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.pool.end();
  }
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
