// The production start runs compiled JavaScript: `npm run build` bundles the companion (here into
// this file's own folder, helpers/build.ts), and `node …/serve.js` (no TypeScript loader) serves intake, the operator API and
// /metrics, and shuts down on SIGTERM with exit 0. RELAY_INTAKE=off makes a worker-only process
// that answers probes and metrics but no intake.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { signatureHeader } from '../src/auth/signature.js';
import { backendByName } from './helpers/backends.js';
import type { TestDatabase } from './helpers/backends.js';
import { buildCompanion } from './helpers/build.js';

const TOKEN = 'serve-operator-token-0123456789';
/** This file's own production build (helpers/build.ts). */
let build = '';
/** Started and not exited yet: killed after the tests whatever happened. */
const running = new Set<ChildProcess>();

interface Served {
  child: ChildProcess;
  url: string;
  lines: string[];
}

/** Starts the compiled companion on a database of its own; resolves when it says it serves. */
async function start(database: TestDatabase, env: Record<string, string> = {}): Promise<Served> {
  const location = database.location as { dataDir: string };
  const child = spawn(process.execPath, [join(build, 'serve.js')], {
    env: {
      PATH: process.env.PATH,
      RELAY_DATA_DIR: location.dataDir,
      RELAY_PORT: '0',
      RELAY_OPERATOR_TOKEN: TOKEN,
      RELAY_LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const lines: string[] = [];
  let buffered = '';
  const url = await new Promise<string>((resolve, reject) => {
    // The log (JSON lines) goes to stderr; stdout stays for what a person asked for.
    child.stderr!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        if (line.includes('"msg":"relay companion serving"')) resolve((JSON.parse(line) as { url: string }).url);
      }
    });
    child.stdout!.on('data', (chunk: Buffer) => lines.push(chunk.toString('utf8')));
    child.once('exit', (code) => reject(new Error(`serve.js exited with ${code}: ${lines.join('\n')}`)));
  });
  return { child, url, lines };
}

async function stop(served: Served): Promise<number | null> {
  served.child.kill('SIGTERM');
  const [code] = (await once(served.child, 'exit')) as [number | null];
  return code;
}

describe('production start from compiled JavaScript', () => {
  const backend = backendByName('pglite');
  const databases: TestDatabase[] = [];
  const database = async () => {
    const db = await backend.createDatabase();
    databases.push(db);
    return db;
  };

  before(async () => {
    build = await buildCompanion();
  });
  after(async () => {
    for (const child of running) child.kill('SIGKILL');
    for (const db of databases) await db.destroy();
    if (build) rmSync(build, { recursive: true, force: true });
    await backend.shutdown();
  });

  test('serves intake, the operator API and metrics, and exits 0 on SIGTERM', async () => {
    const served = await start(await database());
    const admin = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    assert.equal((await fetch(`${served.url}/readyz`)).status, 200);
    const created = await fetch(`${served.url}/v1/admin/workspaces`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ name: 'Acme', id: 'acme' }),
    });
    assert.equal(created.status, 201);
    const { signingSecret } = (await created.json()) as { signingSecret: string };
    const body = JSON.stringify({
      specversion: '1.0',
      id: 'v-1',
      source: 'docsend',
      type: 'relay.visit',
      time: '2026-12-01T10:00:00Z',
      data: {
        visitId: 'v-1',
        visitor: { email: 'ava@acme.example' },
        document: { name: 'Deck' },
        durationSeconds: 5,
        percentViewed: 10,
        active: false,
      },
    });
    const posted = await fetch(`${served.url}/v1/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/cloudevents+json',
        'relay-workspace': 'acme',
        'relay-signature': signatureHeader(signingSecret, body),
      },
      body,
    });
    assert.equal(posted.status, 202);
    const metrics = await (await fetch(`${served.url}/metrics`, { headers: admin })).text();
    assert.match(metrics, /relay_events_received_total\{workspace="acme",result="accepted"\} 1/);
    assert.equal(await stop(served), 0);
    assert.ok(served.lines.some((l) => l.includes('"msg":"shut down"')));
  });

  test('RELAY_INTAKE=off: a worker-only process answers probes and metrics, not intake', async () => {
    const served = await start(await database(), { RELAY_INTAKE: 'off' });
    assert.equal((await fetch(`${served.url}/readyz`)).status, 200);
    assert.equal((await fetch(`${served.url}/v1/events`, { method: 'POST', body: '{}' })).status, 404);
    assert.equal((await fetch(`${served.url}/metrics`)).status, 401);
    assert.ok(served.lines.some((l) => l.includes('"intake":false') && l.includes('"worker":true')));
    assert.equal(await stop(served), 0);
  });
});
