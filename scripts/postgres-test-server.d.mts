// Types of postgres-test-server.mjs for TypeScript callers (the companion's tests).
export interface TestPostgres {
  /** postgres://relay@127.0.0.1:<port>/relay */
  url: string;
  port: number;
  dir: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
}
export function findPostgresBin(): string;
export function startPostgres(options?: { user?: string; database?: string; port?: number }): Promise<TestPostgres>;
