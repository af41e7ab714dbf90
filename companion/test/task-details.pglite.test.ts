// What a Task's Description says: a visit started when its first event happened (when the
// platform sends no startedAt), and a space is labelled as a space.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSyncEnv, type SyncEnv } from './sync-helpers/env.js';
import { spaceEvent, visitEvent } from './sync-helpers/e2e-suite.js';

let env: SyncEnv;
before(async () => {
  env = await startSyncEnv({ backend: 'pglite' });
});
after(async () => {
  await env?.close();
});

const email = () => env.soql<{ Email: string }>('SELECT Email FROM Contact ORDER BY Email LIMIT 1')[0]!.Email;

test('without startedAt, a visit Task shows the first event’s time as Started, across batches', async () => {
  const ws = await env.newWorkspace('started');
  const first = '2026-11-20T10:00:00.000Z';
  await env.post(visitEvent('v-start', email(), { active: true }, first), ws);
  await env.settle(20_000, ws.id);
  await env.post(visitEvent('v-start', email(), { active: false, durationSeconds: 600 }, '2026-11-20T10:09:00Z'), ws);
  await env.settle(20_000, ws.id);
  const [task] = env.tasks(ws.id);
  assert.match(task?.Description ?? '', /Status: visit ended/, 'the final state was written');
  assert.match(task?.Description ?? '', new RegExp(`Started: ${first}`));
});

test('without startedAt, events of one visit in one batch start at the earliest', async () => {
  const ws = await env.newWorkspace('started-batch');
  await env.post(
    [
      visitEvent('v-one', email(), { active: false }, '2026-11-20T10:05:00Z'),
      visitEvent('v-one', email(), { active: true }, '2026-11-20T10:01:00Z'),
    ],
    ws,
  );
  await env.settle(20_000, ws.id);
  const [task] = env.tasks(ws.id);
  assert.match(task?.Description ?? '', /Started: 2026-11-20T10:01:00\.000Z/);
});

test('a space Task’s Description labels the space "Space:", not "Document:"', async () => {
  const ws = await env.newWorkspace('space-label');
  await env.post(spaceEvent('s-label', 'Initech Inc', 'liam.patel@relay.test'), ws);
  await env.settle(20_000, ws.id);
  const [task] = env.tasks(ws.id);
  assert.match(task?.Description ?? '', /^Space: Deal room$/m);
  assert.doesNotMatch(task?.Description ?? '', /Document:/);
});
