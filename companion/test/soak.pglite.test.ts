// The short soak (test/soak/soak-run.ts; `npm run soak` is the long one, on PGlite and PostgreSQL):
// 1,000 valid events for seeded people, interleaved with invalid, duplicate and replayed requests,
// over HTTP, synced by concurrent batches of three workspaces with a match cache that expires
// within the run. Every event whose person exists is synced, none NO_MATCH, one Task per activity,
// every invalid request refused with a 4xx.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSoak } from './soak/soak-run.js';

test('soak: every valid event of an existing person is synced once, none NO_MATCH; invalid ones get a 4xx', async () => {
  const f = await runSoak({ backend: 'pglite', validEvents: 1_000, senders: 6, settleTimeoutMs: 60_000 });
  assert.equal(f.validNot202, 0, 'every valid, duplicate and replayed request answered 202');
  assert.equal(f.invalidNot4xx, 0, `invalid requests refused with a 4xx: ${JSON.stringify(f.refused)}`);
  assert.ok(f.sent.invalid > 0 && f.sent.duplicates > 0 && f.sent.replays > 0, 'the mix has every kind');
  assert.equal(f.accepted, f.sent.valid + f.sent.unknownPerson, 'each event stored once');
  assert.equal(f.duplicatesAnswered, f.sent.duplicates + f.sent.replays);
  assert.equal(f.noMatchExisting, 0, 'no NO_MATCH for a person who exists');
  assert.equal(f.notSynced, 0, `every event of an existing person synced: ${JSON.stringify(f.statuses)}`);
  assert.deepEqual(f.skipped, { NO_MATCH: f.sent.unknownPerson }, 'only people who do not exist are skipped');
  assert.equal(f.duplicateTasks, 0, 'no Task twice');
  assert.equal(f.tasks, f.expectedTasks, 'one Task per activity of an existing person');
});
