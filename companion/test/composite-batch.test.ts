// How a lookup's queries go out: one Composite call when they fit (5 queries), else Composite Batch
// calls of 25 — and what the backfill planner counts is that same packing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { packBatches, planQueryCalls } from '../src/salesforce/composite-batch.js';
import type { Subrequest } from '../src/salesforce/composite.js';

const query = (i: number): Subrequest => ({
  method: 'GET',
  url: `/services/data/v66.0/query?q=SELECT+Id+FROM+Contact+WHERE+Email+IN+('p${i}@example.com')`,
  referenceId: `q${i}`,
});

describe('planQueryCalls', () => {
  it('keeps up to five queries in one Composite call', () => {
    const plan = planQueryCalls(Array.from({ length: 5 }, (_, i) => query(i)));
    assert.equal(plan.kind, 'composite');
    assert.equal(plan.groups.length, 1);
  });

  it('sends more than five queries 25 to a Composite Batch call, in order', () => {
    const subs = Array.from({ length: 60 }, (_, i) => query(i));
    const plan = planQueryCalls(subs);
    assert.equal(plan.kind, 'batch');
    assert.deepEqual(
      plan.groups.map((g) => g.length),
      [25, 25, 10],
    );
    assert.deepEqual(
      plan.groups.flat().map((s) => s.referenceId),
      subs.map((s) => s.referenceId),
    );
  });

  it('keeps Composite packing when anything but a GET is among them', () => {
    const write: Subrequest = { method: 'POST', url: '/services/data/v66.0/sobjects/Lead', referenceId: 'w', body: {} };
    const plan = planQueryCalls([...Array.from({ length: 8 }, (_, i) => query(i)), write]);
    assert.equal(plan.kind, 'composite');
    assert.equal(plan.groups.length, 2);
  });

  it('packBatches never exceeds 25 subrequests', () => {
    assert.ok(packBatches(Array.from({ length: 101 }, (_, i) => query(i))).every((g) => g.length <= 25));
  });
});
