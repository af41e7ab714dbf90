// The platform lookup's cache on its own (src/api/platform/lookup-cache.ts): per-workspace keys, the
// minute on an injected clock, bounded size with the least recently used going first, and loads that
// a PATCH overtook never kept. Loads are promises the test resolves itself, so no timing is involved.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LookupCache } from '../src/api/platform/lookup-cache.js';

interface Row {
  id: string;
  title: string;
}

const CONTACT = '0035g0000000001AAA';

function counting(rows: Row[]) {
  const loader = { calls: 0, load: async () => (loader.calls++, rows) };
  return loader;
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('lookup cache', () => {
  test('kept per workspace and question for the minute of its clock', async () => {
    let now = 0;
    const cache = new LookupCache<Row>({ now: () => now });
    const a = counting([{ id: CONTACT, title: 'A' }]);
    const b = counting([]);
    assert.deepEqual(await cache.get('acme', 'email:x@y.example', a.load), [{ id: CONTACT, title: 'A' }]);
    assert.deepEqual(await cache.get('globex', 'email:x@y.example', b.load), [], 'never acme’s answer');
    await cache.get('acme', 'email:x@y.example', a.load);
    now = 59_999;
    await cache.get('acme', 'email:x@y.example', a.load);
    assert.equal(a.calls, 1);
    now = 60_000;
    await cache.get('acme', 'email:x@y.example', a.load);
    assert.equal(a.calls, 2, 'a minute later: asked again');
    assert.equal(b.calls, 1);
  });

  test('bounded: the least recently used answer goes first, across workspaces', async () => {
    const cache = new LookupCache<Row>({ maxEntries: 3 });
    const loads = new Map<string, number>();
    const ask = (ws: string, q: string) =>
      cache.get(ws, q, async () => {
        loads.set(`${ws}/${q}`, (loads.get(`${ws}/${q}`) ?? 0) + 1);
        return [];
      });
    for (let i = 0; i < 1000; i += 1) await ask(`ws-${i}`, 'email:a@b.example');
    assert.equal(cache.size, 3, 'memory stays flat however many workspaces ask');
    await ask('ws-997', 'email:a@b.example'); // used: now the most recent
    await ask('ws-new', 'email:a@b.example'); // evicts ws-998, the least recently used
    await ask('ws-997', 'email:a@b.example');
    await ask('ws-998', 'email:a@b.example');
    assert.equal(loads.get('ws-997/email:a@b.example'), 1);
    assert.equal(loads.get('ws-998/email:a@b.example'), 2);
    assert.equal(cache.size, 3);
  });

  test('forgetRecord drops the answers holding the record (15 or 18 characters), in that workspace only', async () => {
    const cache = new LookupCache<Row>();
    const holding = counting([{ id: CONTACT, title: 'A' }]);
    const other = counting([{ id: '00Q5g0000000002AAA', title: 'L' }]);
    const elsewhere = counting([{ id: CONTACT, title: 'A' }]);
    const all = () =>
      Promise.all([
        cache.get('acme', 'email:a@x.example', holding.load),
        cache.get('acme', 'email:l@x.example', other.load),
        cache.get('globex', 'email:a@x.example', elsewhere.load),
      ]);
    await all();
    cache.forgetRecord('acme', CONTACT.slice(0, 15));
    await all();
    assert.deepEqual([holding.calls, other.calls, elsewhere.calls], [2, 1, 1]);
    cache.forget('acme');
    await all();
    assert.deepEqual([holding.calls, other.calls, elsewhere.calls], [3, 2, 1]);
  });

  test('identical questions in flight share one load; a load a PATCH overtook is answered but not kept', async () => {
    const cache = new LookupCache<Row>();
    const before = deferred<Row[]>();
    let loads = 0;
    const load = () => (loads++, before.promise);
    const first = cache.get('acme', 'email:a@x.example', load);
    const second = cache.get('acme', 'email:a@x.example', load);
    cache.forgetRecord('acme', CONTACT); // Relay's PATCH lands while the lookup is in flight
    const afterPatch = counting([{ id: CONTACT, title: 'patched' }]);
    const third = cache.get('acme', 'email:a@x.example', afterPatch.load);
    before.resolve([{ id: CONTACT, title: 'before' }]);
    assert.deepEqual(
      (await Promise.all([first, second, third])).map((rows) => rows[0]!.title),
      ['before', 'before', 'patched'],
    );
    assert.equal(loads, 1, 'the two first askers shared a load');
    assert.equal((await cache.get('acme', 'email:a@x.example', afterPatch.load))[0]!.title, 'patched');
    assert.equal(afterPatch.calls, 1, 'the overtaken answer was never kept; the later one is');
  });
});
