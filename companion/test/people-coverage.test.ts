// The coverage rule in the people sync (src/sync/people-writes.ts): a new person's Account and owner
// come from the batch's own decisions; one no complete lookup decided retries the person's events
// (LOOKUP_INCOMPLETE) before any write — no Account created for a company that may have one, no
// record given to the integration user for an owner that may exist. Pure parts: the client is never
// reached (a write would throw on it).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SubResponse } from '../src/salesforce/composite.js';
import { BatchMatches, coverageOf } from '../src/sync/batch-matches.js';
import type { BatchContext } from '../src/sync/batch.js';
import { emptyNeeds, lookupQueries, MatchCache } from '../src/sync/matching.js';
import { OutcomeSet } from '../src/sync/outcome-set.js';
import type { BatchPerson } from '../src/sync/people-events.js';
import { createAccounts, writePeople } from '../src/sync/people-writes.js';
import { defaultConfiguration } from '../src/sync/settings.js';

function context(matches: BatchMatches): BatchContext {
  const config = defaultConfiguration();
  config.settings.RecordMode = 'ContactAccount';
  return {
    workspaceId: 'ws',
    client: {},
    config,
    cache: new MatchCache(),
    matches,
    out: new OutcomeSet(),
    pause: null,
  } as unknown as BatchContext;
}

let seq = 0;
function person(email: string, company: string, ownerEmail?: string): BatchPerson {
  const fields = { email, lastName: 'Cole', company };
  const event = { seq: String(++seq) } as never;
  return {
    key: email,
    events: [{ event, fields, isListMember: false, ...(ownerEmail ? { ownerEmail } : {}) }],
    fields,
    prospectFields: fields,
    signUpFields: {},
    accountName: company,
  };
}

/** The person's outcome: its code, and whether it is a retry. */
function retried(bc: BatchContext, p: BatchPerson): [string | undefined, boolean] {
  const o = bc.out.get(p.events[0]!.event.seq);
  return [o && 'errorCode' in o ? o.errorCode : undefined, o?.status === 'retry'];
}

const people = (...ps: BatchPerson[]) => new Map(ps.map((p) => [p.key, p]));

describe('a new person waits for what the lookups did not decide', () => {
  test('an undecided company: retried, no Account created', async () => {
    const bc = context(new BatchMatches());
    const p = person('casey@newco.example', 'NewCo');
    await createAccounts(bc, people(p));
    assert.deepEqual(retried(bc, p), ['LOOKUP_INCOMPLETE', true]);
    assert.match(JSON.stringify(bc.out.get(p.events[0]!.event.seq)), /Account 'NewCo'/);
  });

  test('an undecided owner: retried, not created for the integration user', async () => {
    const matches = new BatchMatches();
    matches.setAccount('NewCo', { id: '0015g0000000001AAA', name: 'NewCo', ownerId: null, reason: 'matched' });
    const bc = context(matches);
    const p = person('casey@newco.example', 'NewCo', 'rep@relay.test');
    await createAccounts(bc, people(p));
    await writePeople(bc, people(p), { platformField: 'email', kind: 'email' });
    assert.deepEqual(retried(bc, p), ['LOOKUP_INCOMPLETE', true]);
    assert.match(JSON.stringify(bc.out.get(p.events[0]!.event.seq)), /owner rep@relay\.test/);
  });
});

describe('complete answers', () => {
  test('a 200 that is no query result covers nothing', () => {
    const needs = emptyNeeds();
    needs.userEmails.add('rep@relay.test');
    const lookups = lookupQueries(needs);
    const error: SubResponse = {
      httpStatusCode: 200,
      body: [{ message: 'An unexpected error occurred', errorCode: 'UNKNOWN_EXCEPTION' }],
      httpHeaders: {},
      referenceId: lookups[0]!.sub.referenceId,
    };
    const covered = coverageOf(lookups, new Map([[error.referenceId, error]]));
    assert.equal(covered.get('user'), undefined);
  });
});
