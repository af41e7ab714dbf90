// Embedded PostgreSQL (PGlite, WASM, in-process) behind the `Db` interface. PGlite has a single
// connection; its own transaction lock serialises our transactions with every other statement,
// including pg-boss's, so a transaction here never sees a foreign statement interleaved.
// PGlite writes through to the data folder without fsync: it survives a killed process, not a
// power cut (production deployments use PostgreSQL).
import { PGlite, types, type Transaction } from '@electric-sql/pglite';
import type { Db, QueryResult, Row } from './types.js';
import { lockDataDir, type DataDirLock } from './lock-file.js';
import { initPgliteDataDir, isInitialised } from './pglite-init.js';

// Same JavaScript types as node-postgres: 64-bit integers and numerics stay strings.
const parsers = {
  [types.INT8]: (value: string) => value,
  [types.NUMERIC]: (value: string) => value,
};

type Queryable = Pick<PGlite, 'query'> | Pick<Transaction, 'query'>;

// PGlite keeps PostgreSQL's shared buffers resident from the start, so they are the companion's
// largest fixed cost: 128 MB (PostgreSQL's default) measured 348 MB RSS at open, 32 MB 250 MB. The
// working set is the head of the events queue and the sync tables; pages beyond it are read back
// from the data folder (the OS page cache). Over 100,000 events (bench/) throughput stayed within
// the machine's noise: 2,570-2,600 events/s synced with 128 MB, 2,200-2,690 with 32 MB.
const SHARED_BUFFERS = '32MB';
const START_PARAMS = [...PGlite.defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`];

// Array parameters (the `unnest($n::text[])` of every multi-row statement) in one native pass.
// PGlite's own serializer escapes each element with String.replace, which allocates a few objects
// per quote: rows of JSON text (quotes everywhere) made 120 MB of array text cost 900 MB of
// allocations over the 100,000-event benchmark, a quarter of all the companion allocated. For
// strings without control characters or surrogates (JSON text always qualifies), JSON's quoting is
// exactly an array literal's (backslash and double quote escaped with a backslash, in double
// quotes; `null` is a NULL), so a whole column is JSON.stringify with braces for brackets; anything
// else takes the element-by-element path.
const NOT_JSON_SAFE = /[\u0000-\u001f\ud800-\udfff]/;
const ESCAPED = /[\\"]/g;
function arrayLiteral(value: unknown, element: (v: unknown) => string): string {
  if (!Array.isArray(value)) return typeof value === 'string' ? value : String(value);
  if (value.every((v) => v === null || v === undefined || (typeof v === 'string' && !NOT_JSON_SAFE.test(v)))) {
    return `{${JSON.stringify(value).slice(1, -1)}}`;
  }
  const parts = value.map((v: unknown) =>
    v === null || v === undefined
      ? 'NULL'
      : Array.isArray(v)
        ? arrayLiteral(v, element)
        : `"${element(v).replace(ESCAPED, '\\$&')}"`,
  );
  return `{${parts.join(',')}}`;
}
const asText = (v: unknown) => (typeof v === 'string' ? v : String(v));
const asJson = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
const TEXT_ARRAY = 1009;
const JSONB_ARRAY = 3807;
const JSON_ARRAY = 199;
const queryOptions = {
  serializers: {
    [TEXT_ARRAY]: (v: unknown) => arrayLiteral(v, asText),
    [JSONB_ARRAY]: (v: unknown) => arrayLiteral(v, asJson),
    [JSON_ARRAY]: (v: unknown) => arrayLiteral(v, asJson),
  },
};

async function run<R extends Row>(
  target: Queryable,
  sql: string,
  params?: readonly unknown[],
): Promise<QueryResult<R>> {
  const result = await target.query<R>(sql, params ? [...params] : undefined, queryOptions);
  return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
}

class PgliteTransactionDb implements Db {
  readonly kind = 'pglite' as const;
  #depth: number;
  constructor(
    private readonly tx: Transaction,
    depth: number,
  ) {
    this.#depth = depth;
  }
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    return run<R>(this.tx, sql, params);
  }
  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const name = `relay_sp_${this.#depth + 1}`;
    await this.tx.query(`SAVEPOINT ${name}`);
    try {
      const value = await fn(new PgliteTransactionDb(this.tx, this.#depth + 1));
      await this.tx.query(`RELEASE SAVEPOINT ${name}`);
      return value;
    } catch (error) {
      await this.tx.query(`ROLLBACK TO SAVEPOINT ${name}`);
      throw error;
    }
  }
  async close(): Promise<void> {
    throw new Error('close() called on a transaction');
  }
}

export class PgliteDb implements Db {
  readonly kind = 'pglite' as const;
  #closed = false;
  private constructor(
    /** The embedded instance, for pg-boss's `fromPglite` adapter. */
    readonly pglite: PGlite,
    /** The data folder, or undefined for an in-memory database. */
    readonly dataDir: string | undefined,
    private readonly lock: DataDirLock | undefined,
  ) {}

  /**
   * Opens (creating when needed) the database in `dataDir`, or an in-memory one when `dataDir` is
   * undefined. Takes the folder's lock first: see lock-file.ts.
   */
  static async open(dataDir: string | undefined): Promise<PgliteDb> {
    const lock = dataDir ? lockDataDir(dataDir) : undefined;
    try {
      const pgdata = dataDir ? `${dataDir.replace(/\/+$/, '')}/pgdata` : undefined;
      // A new folder is created by a helper process: see pglite-init.ts.
      if (pgdata && !isInitialised(pgdata)) await initPgliteDataDir(pgdata);
      const pglite = await PGlite.create({
        ...(pgdata ? { dataDir: pgdata } : {}),
        parsers,
        startParams: START_PARAMS,
      });
      return new PgliteDb(pglite, dataDir, lock);
    } catch (error) {
      lock?.release();
      throw error;
    }
  }

  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    return run<R>(this.pglite, sql, params);
  }

  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return this.pglite.transaction((tx) => fn(new PgliteTransactionDb(tx, 0)));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.pglite.close();
    } finally {
      this.lock?.release();
    }
  }
}
