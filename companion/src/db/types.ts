// The one database interface every part of the companion talks to. Two implementations share it:
// embedded PGlite (default) and a PostgreSQL pool (RELAY_DATABASE_URL). Both speak the same SQL and
// return the same JavaScript types: int8/bigint and numeric as strings (node-postgres' default, kept
// so 64-bit values never lose precision), timestamptz as Date, json/jsonb parsed.

export type Row = Record<string, unknown>;

export interface QueryResult<R extends Row = Row> {
  rows: R[];
  /** Rows inserted, updated or deleted (or returned by a SELECT). */
  rowCount: number;
}

export interface Db {
  /** `pglite` or `postgres`: for log lines and the few places that must know (queue set-up). */
  readonly kind: 'pglite' | 'postgres';
  /** One statement, `$1…$n` placeholders. */
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /**
   * Runs `fn` in a transaction: COMMIT when it resolves, ROLLBACK when it throws. Nested calls on
   * the transaction's own `Db` become savepoints. Keep transactions short: on PGlite every other
   * statement of the process waits for them.
   */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /** Closes the pool or the embedded database. Idempotent. */
  close(): Promise<void>;
}
