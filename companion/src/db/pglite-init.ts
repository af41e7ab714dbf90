// Creates a new PGlite data folder (initdb) in a short-lived child process, the way PostgreSQL's
// own initdb is a program of its own. PGlite 0.5 runs initdb in a second WASM instance inside the
// calling process, and that process then stays about 450 MB larger for the rest of its life
// (measured with PGlite 0.5.14 on Node 20, after a forced GC: RSS 808 MB after creating a new
// folder, 346 MB after opening an existing one; the companion idled at 900 MB after a first start,
// and peaked at 1,017 MB over the 100,000-event benchmark, bench/RESULTS.md). The child takes that
// peak once and exits; the companion opens the finished folder.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Whether `pgdata` already holds a database cluster (initdb writes PG_VERSION first). */
export function isInitialised(pgdata: string): boolean {
  return existsSync(join(pgdata, 'PG_VERSION'));
}

// Plain ESM run with `node -e`: no TypeScript loader needed, whatever runs the companion.
const SCRIPT = `
const [pgliteUrl, dataDir] = process.argv.slice(1);
const { PGlite } = await import(pgliteUrl);
const db = await PGlite.create({ dataDir });
await db.close();
`;

export async function initPgliteDataDir(pgdata: string, timeoutMs = 180_000): Promise<void> {
  const pgliteUrl = import.meta.resolve('@electric-sql/pglite');
  await new Promise<void>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', SCRIPT, pgliteUrl, pgdata],
      // NODE_OPTIONS of the parent (a loader, an inspector) have no business in the child.
      { timeout: timeoutMs, env: { ...process.env, NODE_OPTIONS: '' }, maxBuffer: 1 << 20 },
      (error, _stdout, stderr) => {
        if (error)
          reject(new Error(`could not create the PGlite data folder ${pgdata}: ${stderr.trim() || error.message}`));
        else resolve();
      },
    );
  });
}
