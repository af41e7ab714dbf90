// The coverage rule of a batch's matching (src/sync/batch-matches.ts): "no match" is decided only
// for a value that a complete lookup answer covered (for a person, both the Contact and the Lead
// query); the batch reads its own decisions, taken once; the match cache never loses an entry to a
// read. Pure parts, the cache clock given explicitly.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chunkedInLists, MAX_LITERAL_CHARS } from '../src/salesforce/soql.js';
import type { SubResponse } from '../src/salesforce/composite.js';
import { BatchMatches, coverageOf, decideLookups } from '../src/sync/batch-matches.js';
import { planLookups } from '../src/sync/lookups.js';
import { emptyNeeds, emptyRows, lookupQueries, MatchCache, type PersonMatch } from '../src/sync/matching.js';
import { readActivity, type Activity } from '../src/sync/activities.js';
import { resolveTargets } from '../src/sync/activity-targets.js';
import type { BatchContext } from '../src/sync/batch.js';
import type { Candidate } from '../src/sync/activity-candidates.js';
import { OutcomeSet } from '../src/sync/outcome-set.js';
import { DEFAULT_SETTINGS } from '../src/sync/settings.js';
import { newState } from '../src/sync/state.js';
import { ruleOf } from '../src/errors.js';

const contact = (email: string): PersonMatch => ({
  kind: 'Contact',
  whoId: '003000000000001AAA',
  accountId: null,
  ownerId: null,
  reason: 'matched Contact by email',
  matchedBy: 'email',
  value: email,
});

const ok = (records: unknown[] = []): SubResponse => ({
  httpStatusCode: 200,
  body: { totalSize: records.length, done: true, records },
  httpHeaders: {},
  referenceId: '',
});

let seq = 0;
function visit(email: string): Activity {
  const a = readActivity({
    seq: String(++seq),
    workspaceId: 'ws',
    source: 's',
    id: `e${seq}`,
    type: 'relay.visit',
    time: '2026-11-20T10:00:00.000Z',
    data: { visitId: `v${seq}`, visitor: { email }, document: { name: 'Deck' } },
    receivedAt: '2026-11-20T10:00:00.000Z',
    attempts: 0,
  });
  if ('invalid' in a) throw new Error(a.invalid);
  return a;
}

describe('chunked IN lists report what they cover', () => {
  test('every value is in exactly one chunk, and a chunk’s SOQL holds exactly its values', () => {
    const emails = Array.from({ length: 1200 }, (_, i) => `person.${i}@example.com`);
    const chunks = chunkedInLists([...emails, emails[0]!], (list) => `SELECT Id FROM Contact WHERE Email IN (${list})`);
    assert.ok(chunks.length > 1, 'several chunks');
    assert.deepEqual(chunks.flatMap((c) => c.values).sort(), [...emails].sort());
    for (const c of chunks) {
      const inList = /IN \((.*)\)$/.exec(c.soql)![1]!;
      assert.deepEqual(
        inList.split(',').map((l) => l.slice(1, -1)),
        c.values,
      );
    }
  });

  test('a value longer than a literal may be is in no chunk: nothing covers it', () => {
    const long = `${'x'.repeat(MAX_LITERAL_CHARS)}@example.com`;
    const chunks = chunkedInLists(['a@example.com', long], (list) => `SELECT Id FROM Lead WHERE Email IN (${list})`);
    assert.deepEqual(
      chunks.flatMap((c) => c.values),
      ['a@example.com'],
    );
  });
});

describe('the coverage rule', () => {
  const needs = () => {
    const n = emptyNeeds();
    for (const e of ['found@x.example', 'none@x.example', 'lost@x.example']) n.emails.add(e);
    return n;
  };

  test('only complete answers cover their values: missing, failed and paged answers do not', () => {
    const lookups = lookupQueries(needs());
    const answers = new Map<string, SubResponse>();
    for (const q of lookups) answers.set(q.sub.referenceId, ok());
    const lead = lookups.find((q) => q.kind === 'leadEmail')!;
    answers.delete(lead.sub.referenceId);
    assert.equal(coverageOf(lookups, answers).get('leadEmail'), undefined, 'no answer covers nothing');
    answers.set(lead.sub.referenceId, { httpStatusCode: 500, body: [], httpHeaders: {}, referenceId: '' });
    assert.equal(coverageOf(lookups, answers).get('leadEmail'), undefined, 'an error covers nothing');
    answers.set(lead.sub.referenceId, {
      httpStatusCode: 200,
      body: { done: false, nextRecordsUrl: '/next', records: [] },
      httpHeaders: {},
      referenceId: '',
    });
    assert.equal(coverageOf(lookups, answers).get('leadEmail'), undefined, 'a partial page covers nothing');
    assert.equal(coverageOf(lookups, answers).get('contactEmail')?.size, 3);
  });

  test('NO_MATCH is decided only for an email both person queries covered; the rest stays undecided and uncached', () => {
    const n = needs();
    const lookups = lookupQueries(n);
    const covered = coverageOf(lookups, new Map(lookups.map((q) => [q.sub.referenceId, ok()] as const)));
    covered.get('leadEmail')!.delete('lost@x.example'); // as if its Lead chunk went unanswered
    const rows = emptyRows();
    rows.contacts.push({ Id: '003000000000009AAA', Email: 'Found@X.example' } as never);
    const matches = new BatchMatches();
    const cache = new MatchCache();
    decideLookups(matches, cache, n, rows, covered, 1_000);
    assert.equal(matches.person('found@x.example')?.whoId, '003000000000009AAA');
    assert.equal(matches.person('none@x.example'), null, 'covered and absent: no match');
    assert.equal(matches.person('lost@x.example'), undefined, 'not covered: undecided');
    assert.equal(cache.person('lost@x.example', 1_000), undefined, 'nothing cached for it');
    assert.equal(cache.person('none@x.example', 1_000), null);
  });
});

describe('a batch reads its own decisions', () => {
  test('a cached match is taken once: expiry, eviction or a clear later do not change it', () => {
    const cache = new MatchCache(1_000);
    cache.setPerson('ava@x.example', contact('ava@x.example'), 0);
    const plan = planLookups(cache, [visit('ava@x.example'), visit('new@x.example')], [], 999);
    assert.deepEqual([...plan.needs.emails], ['new@x.example']);
    cache.clear();
    assert.equal(plan.matches.person('ava@x.example')?.kind, 'Contact');
    assert.equal(plan.matches.person('new@x.example'), undefined);
  });

  test('an undecided person is retried as LOOKUP_INCOMPLETE, a decided "none" is skipped as NO_MATCH', async () => {
    const out = new OutcomeSet();
    const matches = new BatchMatches();
    matches.people.set('none@x.example', null);
    const bc = {
      workspaceId: 'ws',
      config: { settings: { ...DEFAULT_SETTINGS } },
      cache: new MatchCache(),
      matches,
      out,
    } as unknown as BatchContext;
    const candidate = (a: Activity): Candidate => ({
      activity: a,
      followers: [],
      state: newState(a.externalKey, a.activityId, a.type, a.occurredAt),
    });
    const undecided = visit('lost@x.example');
    const none = visit('none@x.example');
    await resolveTargets(bc, [candidate(undecided), candidate(none)]);
    const retry = out.get(undecided.event.seq);
    assert.equal(retry?.status, 'retry');
    assert.equal(retry?.status === 'retry' && retry.errorCode, 'LOOKUP_INCOMPLETE');
    assert.equal(ruleOf({ code: 'LOOKUP_INCOMPLETE' }).action, 'retry');
    const skipped = out.get(none.event.seq);
    assert.equal(skipped?.status, 'skipped');
    assert.equal(skipped?.status === 'skipped' && skipped.result?.errorCode, 'NO_MATCH');
  });
});

describe('the match cache', () => {
  test('reading an expired entry does not delete it, nor what another batch writes right after', () => {
    const cache = new MatchCache(1_000);
    cache.setPerson('ava@x.example', contact('ava@x.example'), 0);
    assert.equal(cache.person('ava@x.example', 5_000), undefined, 'expired for a late reader');
    assert.equal(cache.people.size, 1, 'the read deleted nothing');
    cache.setPerson('ava@x.example', contact('ava@x.example'), 4_500); // another batch's fresh answer
    assert.equal(cache.person('ava@x.example', 5_000)?.kind, 'Contact');
    assert.equal(cache.person('ava@x.example', 4_600)?.kind, 'Contact', 'a reader with an older clock too');
  });

  test('a full cache drops expired entries first, then the oldest writes, never the newest', () => {
    const cache = new MatchCache(1_000, 1_000, 10);
    for (let i = 0; i < 5; i++) cache.setPerson(`old${i}@x.example`, null, 0);
    for (let i = 0; i < 5; i++) cache.setPerson(`new${i}@x.example`, null, 2_000);
    cache.setPerson('last@x.example', null, 2_500);
    assert.equal(cache.people.size, 6, 'the five expired entries went');
    for (let i = 0; i < 5; i++) assert.equal(cache.person(`new${i}@x.example`, 2_600), null);
    for (let i = 0; i < 4; i++) cache.setPerson(`more${i}@x.example`, null, 2_600);
    cache.setPerson('newest@x.example', null, 2_700);
    assert.equal(cache.person('newest@x.example', 2_700), null);
    assert.equal(cache.person('new0@x.example', 2_700), undefined, 'the oldest write made room');
    assert.ok(cache.people.size <= 10);
  });
});
