// Crash safety with real processes: a worker process is killed with SIGKILL in the middle of a
// batch; a new worker process finishes the work. Nothing is lost (every event ends synced, none
// stays leased) and nothing is processed twice concurrently (the killed batch is taken over only
// after its holder died, and its outcome is recorded once). The killed batch's side effects are
// repeated once by the new worker: that is the at-least-once redo that Salesforce external-id
// upserts make harmless, and the test checks it is limited to exactly that batch.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { backendByName, type Backend, type BackendName, type TestDatabase } from '../helpers/backends.js';
import { testConfig } from '../helpers/config.js';
import { visit } from '../helpers/events.js';
import { createCompanion } from '../../src/app.js';
import { createWorkspace } from '../../src/workspaces/store.js';
import { signatureHeader } from '../../src/auth/signature.js';
import type { Db } from '../../src/db/types.js';

const fixture = fileURLToPath(new URL('../fixtures/crash-worker.ts', import.meta.url));
const EVENTS = 100;

interface Worker {
  child: ChildProcess;
  line(prefix: string, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startWorker(database: TestDatabase, mode: 'hang' | 'finish', leaseMs: number): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
    env: {
      ...process.env,
      RELAY_TEST_LOCATION: JSON.stringify(database.location),
      RELAY_TEST_MODE: mode,
      RELAY_TEST_LEASE_MS: String(leaseMs),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  createInterface({ input: child.stdout! }).on('line', (l) => {
    lines.push(l);
    for (const w of waiters.splice(0)) w();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      resolve({ code, signal });
      for (const w of waiters.splice(0)) w();
    }),
  );
  return {
    child,
    exited,
    line(prefix, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = lines.find((l) => l.startsWith(prefix));
          if (found) return resolve(found);
          if (child.exitCode !== null || child.signalCode !== null)
            return reject(new Error(`worker exited before printing ${prefix}`));
          if (Date.now() > deadline) return reject(new Error(`worker did not print ${prefix} within ${timeoutMs} ms`));
          waiters.push(check);
          setTimeout(check, 200);
        };
        check();
      });
    },
  };
}

/** Creates the workspace and posts the events through the real intake (no worker in this process). */
async function seed(db: Db): Promise<void> {
  const companion = await createCompanion({ config: testConfig({}, { enabled: false }), db, listen: false });
  try {
    const secret = 'crash-test-secret-0123456789';
    await createWorkspace(db, companion.vault, { id: 'acme', name: 'Acme', signingSecret: secret });
    await db.query('CREATE TABLE test_effects (seq bigint NOT NULL, pid integer NOT NULL, at timestamptz NOT NULL)');
    const raw = JSON.stringify(Array.from({ length: EVENTS }, (_, i) => visit(i)));
    const res = await companion.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: {
        'content-type': 'application/cloudevents-batch+json',
        'relay-workspace': 'acme',
        'relay-signature': signatureHeader(secret, raw),
      },
      payload: raw,
    });
    assert.equal(res.statusCode, 202);
  } finally {
    await companion.close();
  }
}

async function verify(
  db: Db,
  killedSeqs: string[],
  killedPid: number,
  finisherPid: number,
  killedAt: Date,
): Promise<void> {
  const { rows: events } = await db.query<{
    seq: string;
    status: string;
    attempts: number;
    result: { pid: number } | null;
    lease_token: string | null;
  }>('SELECT seq, status, attempts, result, lease_token FROM events ORDER BY seq');
  assert.equal(events.length, EVENTS, 'nothing lost');
  assert.deepEqual([...new Set(events.map((e) => e.status))], ['synced'], 'every event synced');
  assert.ok(
    events.every((e) => e.lease_token === null),
    'no lease left behind',
  );
  const { rows: effects } = await db.query<{ seq: string; pid: number; at: Date }>(
    'SELECT seq, pid, at FROM test_effects ORDER BY at',
  );
  const bySeq = new Map<string, Array<{ pid: number; at: Date }>>();
  for (const e of effects) bySeq.set(e.seq, [...(bySeq.get(e.seq) ?? []), e]);
  const killed = new Set(killedSeqs);
  assert.equal(killed.size, 20, 'the killed batch was a full batch');
  for (const e of events) {
    const writes = bySeq.get(e.seq) ?? [];
    if (killed.has(e.seq)) {
      assert.equal(writes.length, 2, `seq ${e.seq}: written by the killed worker and redone once`);
      assert.equal(writes[0]!.pid, killedPid);
      assert.equal(writes[1]!.pid, finisherPid);
      assert.ok(writes[1]!.at >= killedAt, `seq ${e.seq}: taken over only after the holder died`);
      assert.equal(e.result?.pid, finisherPid, 'outcome recorded by the finisher');
      assert.equal(e.attempts, 2, 'the lost attempt is counted');
    } else {
      assert.equal(writes.length, 1, `seq ${e.seq}: processed exactly once`);
      assert.equal(e.attempts, 1);
    }
  }
}

export function crashSuite(name: BackendName): void {
  describe(`crash safety on ${name}`, () => {
    let backend: Backend;
    before(() => {
      backend = backendByName(name);
    });
    after(async () => backend.shutdown());

    it('a worker killed with SIGKILL mid-batch loses nothing; a new worker process finishes, nothing done twice concurrently', async () => {
      const database = await backend.createDatabase();
      const leaseMs = 2000;
      try {
        let db = await database.open();
        await seed(db);
        if (name === 'pglite') await db.close(); // PGlite: one process at a time owns the folder.

        const victim = startWorker(database, 'hang', leaseMs);
        const hanging = await victim.line('HANGING');
        const killedSeqs = hanging.slice('HANGING '.length).split(',');
        const killedAt = new Date();
        victim.child.kill('SIGKILL');
        const death = await victim.exited;
        assert.equal(death.signal, 'SIGKILL');
        if ('dataDir' in database.location) {
          assert.ok(
            existsSync(join(database.location.dataDir, 'relay.lock')),
            'the killed process left its lock behind',
          );
        }

        const finisher = startWorker(database, 'finish', leaseMs);
        await finisher.line('DONE', 90_000);
        const end = await finisher.exited;
        assert.equal(end.code, 0);

        if (name === 'pglite') db = await database.open();
        try {
          await verify(db, killedSeqs, victim.child.pid!, finisher.child.pid!, killedAt);
        } finally {
          await db.close();
        }
      } finally {
        await database.destroy();
      }
    });
  });
}
