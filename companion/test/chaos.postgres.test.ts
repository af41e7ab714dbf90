// A short chaos run (companion/test/chaos/chaos-run.ts): the production build on PostgreSQL as
// intake-only and worker-only processes, one killed with SIGKILL and replaced in each cycle while
// events keep arriving, a fifth of the org's API calls failing and its daily limit spent once.
// `npm run chaos` is the long run (100 cycles).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { runChaos } from './chaos/chaos-run.js';
import { buildCompanion } from './helpers/build.js';

describe('chaos on PostgreSQL', () => {
  let build = '';
  before(async () => {
    build = await buildCompanion();
  });
  after(() => {
    if (build) rmSync(build, { recursive: true, force: true });
  });

  it('processes killed with SIGKILL mid-sync under API faults and a spent daily limit: every accepted event is one Task, none lost, none twice', async () => {
    const figures = await runChaos({ cycles: 4, eventsPerCycle: 30, build });
    assert.equal(figures.killed.intake + figures.killed.worker, 4, 'a process killed in every cycle');
    assert.ok(figures.killed.intake > 0 && figures.killed.worker > 0, 'intake and worker processes both killed');
    assert.ok(figures.killedBusy.worker > 0, 'a worker killed while it held a leased batch');
    assert.ok(figures.dailyLimitExhausted, 'the daily limit was spent once');
    assert.ok(Object.keys(figures.faults).length > 1, `faults injected: ${JSON.stringify(figures.faults)}`);
    assert.ok(figures.accepted >= 4 * 30);
    assert.equal(figures.lost, 0, 'no accepted event without its Task');
    assert.equal(figures.duplicated, 0, 'no external key twice');
    assert.equal(figures.unexpected, 0, 'no Task for an event that was not accepted');
    assert.equal(figures.tasks, figures.accepted, 'exactly one Task per accepted event');
    assert.deepEqual(
      Object.keys(figures.statuses),
      ['synced'],
      `every event synced: ${JSON.stringify(figures.statuses)}`,
    );
  });
});
