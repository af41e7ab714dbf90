#!/usr/bin/env node
// A throwaway PostgreSQL server for tests: initdb into a fresh temporary folder, start it on a free
// port of 127.0.0.1 (and a Unix socket in the same folder), return its URL, and on stop shut it
// down and delete the folder. PostgreSQL refuses to run as root, so when this process is root the
// server runs as the `postgres` system user (runuser). Durability settings are off (fsync,
// synchronous_commit, full_page_writes): the data is thrown away and tests run faster.
//
//   import { startPostgres } from '../../scripts/postgres-test-server.mjs';
//   const pg = await startPostgres();   // { url, port, dir, stop() }
//
//   node scripts/postgres-test-server.mjs   # prints the URL, runs until Ctrl-C
//
// The binaries come from /usr/lib/postgresql/<version>/bin (newest version first), or from
// RELAY_PG_BIN. `scripts/setup-system.sh` installs PostgreSQL when it is missing.
import { execFile as execFileCb } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pathToFileURL } from 'node:url';

const execFile = promisify(execFileCb);

export function findPostgresBin() {
  if (process.env.RELAY_PG_BIN) return process.env.RELAY_PG_BIN;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length > 0) return join(root, versions[0], 'bin');
  }
  throw new Error(
    'PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin: run scripts/setup-system.sh ' +
      '(installs the postgresql package) or set RELAY_PG_BIN to the folder holding initdb and pg_ctl',
  );
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function lookupUser(name) {
  const uid = Number((await execFile('id', ['-u', name])).stdout.trim());
  const gid = Number((await execFile('id', ['-g', name])).stdout.trim());
  return { uid, gid };
}

/** Runs a PostgreSQL binary, as `postgres` when we are root. */
async function runPg(bin, args, asUser) {
  const file = asUser ? 'runuser' : bin;
  const argv = asUser ? ['-u', asUser, '--', bin, ...args] : args;
  try {
    return await execFile(file, argv, { maxBuffer: 16 * 1024 * 1024, env: { ...process.env, LC_ALL: 'C', LANG: 'C' } });
  } catch (error) {
    const detail = [error.stdout, error.stderr].filter(Boolean).join('\n').trim();
    throw new Error(`${bin.split('/').pop()} ${args.join(' ')} failed: ${detail || error.message}`);
  }
}

/**
 * Starts a server. Options: `user` (superuser name, default `relay`), `database` (created, default
 * `relay`), `port` (default a free one).
 */
export async function startPostgres(options = {}) {
  const bin = findPostgresBin();
  const user = options.user ?? 'relay';
  const database = options.database ?? 'relay';
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'relay-pg-'));
  const data = join(dir, 'data');
  let started = false;
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    const runAs = asRoot ? 'postgres' : undefined;
    if (asRoot) {
      const { uid, gid } = await lookupUser('postgres');
      chownSync(dir, uid, gid);
    }
    await runPg(
      join(bin, 'initdb'),
      ['-D', data, '-U', user, '-A', 'trust', '-E', 'UTF8', '--no-sync', '--locale=C'],
      runAs,
    );
    writeFileSync(
      join(data, 'postgresql.auto.conf'),
      [
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${dir}'`,
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        'max_connections = 200',
        'shared_buffers = 128MB',
        "log_min_messages = 'warning'",
        '',
      ].join('\n'),
    );
    if (asRoot) {
      const { uid, gid } = await lookupUser('postgres');
      chownSync(join(data, 'postgresql.auto.conf'), uid, gid);
    }
    let port = options.port ?? (await freePort());
    for (let attempt = 0; ; attempt += 1) {
      try {
        await runPg(
          join(bin, 'pg_ctl'),
          ['-D', data, '-o', `-p ${port}`, '-l', join(dir, 'server.log'), '-w', '-t', '30', 'start'],
          runAs,
        );
        break;
      } catch (error) {
        // The free port may have been taken between probing and starting; try another.
        if (attempt >= 2 || options.port) throw error;
        port = await freePort();
      }
    }
    started = true;
    await runPg(join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', user, database], runAs);
    const url = `postgres://${user}@127.0.0.1:${port}/${database}`;
    let stopped = false;
    return {
      url,
      port,
      dir,
      /** A URL to another database on the same server (`createDatabase` makes one). */
      urlFor: (name) => `postgres://${user}@127.0.0.1:${port}/${name}`,
      async stop() {
        if (stopped) return;
        stopped = true;
        try {
          await runPg(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], runAs);
        } finally {
          cleanup();
        }
      },
    };
  } catch (error) {
    if (started) {
      await runPg(
        join(bin, 'pg_ctl'),
        ['-D', data, '-m', 'immediate', '-w', 'stop'],
        asRoot ? 'postgres' : undefined,
      ).catch(() => {});
    }
    cleanup();
    throw error;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const pg = await startPostgres();
  console.log(pg.url);
  const stop = async () => {
    await pg.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  setInterval(() => {}, 1 << 30);
}
