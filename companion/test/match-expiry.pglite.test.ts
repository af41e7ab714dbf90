// Defect: a batch skipped a seeded Contact's events as NO_MATCH. The match cache was read twice in
// one batch — when deciding what to look up, and again when choosing the Task's target — and an
// entry that expired in between (during the batch's lookup call) read as "no match" the second time.
// The clock is driven explicitly: it jumps past the cache's TTL while the emulator answers the
// batch's Composite call, exactly between the two reads. No sleeps.
import { after, before, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { settledByPolls, startSyncEnv, type SyncEnv } from './sync-helpers/env.js';
import { visitEvent } from './sync-helpers/e2e-suite.js';

let env: SyncEnv;
before(async () => {
  env = await startSyncEnv({ backend: 'pglite' });
});
after(async () => {
  mock.restoreAll();
  await env?.close();
});

/** env.settle's deadline reads Date.now, which jumps here: wait by polls instead. */
const settled = (workspaceId: string) => settledByPolls(env, workspaceId);

test('a cached match that expires during the batch lookup call still syncs (no NO_MATCH)', async () => {
  const ws = await env.newWorkspace('expiry');
  const [contact] = env.soql<{ Id: string; Email: string }>('SELECT Id, Email FROM Contact ORDER BY Email LIMIT 1');
  assert.ok(contact);

  // Warm the workspace's match cache with the Contact (a first visit, synced).
  await env.post(visitEvent('warm', contact.Email), ws);
  await env.settle(20_000, ws.id);
  assert.ok(env.sync.engine.cache(ws.id).person(contact.Email.toLowerCase()), 'the match is cached');

  // The clock moves past the person TTL while the next batch's Composite call is answered.
  const realNow = Date.now.bind(Date);
  let offset = 0;
  mock.method(Date, 'now', () => realNow() + offset);
  let jumped = false;
  const server = env.emu.app.server;
  const onRequest = (req: IncomingMessage) => {
    if (jumped || !req.url?.includes('/composite')) return;
    jumped = true;
    offset = env.sync.engine.cache(ws.id).personTtlMs + 1_000;
  };
  server.on('request', onRequest);
  try {
    await env.post(visitEvent('after-expiry', contact.Email), ws);
    await settled(ws.id);
  } finally {
    server.off('request', onRequest);
    mock.restoreAll();
  }
  assert.ok(jumped, 'the batch made its Composite call');

  const rows = await env.events(ws.id);
  const row = rows.find((r) => r.event_id.startsWith('evt-after-expiry-'));
  assert.ok(row);
  assert.equal(row.status, 'synced', `${row.status}: ${row.status_reason ?? ''} ${row.error_code ?? ''}`);
  const task = env.tasks(ws.id).find((t) => t.relay__ExternalKey__c === `${ws.id}:after-expiry`);
  assert.equal(task?.WhoId, contact.Id);
});
