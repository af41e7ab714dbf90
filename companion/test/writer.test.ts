// Group commit: concurrent requests share one INSERT, keep their own answers, and one request the
// database refuses does not fail the others grouped with it.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pgliteBackend } from './helpers/backends.js';
import { EventWriter } from '../src/intake/writer.js';
import { EventValidator, type ValidEvent } from '../src/intake/validate.js';
import { createWorkspace } from '../src/workspaces/store.js';
import { Vault } from '../src/secrets/vault.js';
import { TEST_KEYS } from './helpers/config.js';
import type { Db } from '../src/db/types.js';
import { visit } from './helpers/events.js';

const vault = new Vault(TEST_KEYS);

const validator = new EventValidator();
const valid = (n: number, overrides: Record<string, unknown> = {}): ValidEvent => {
  const check = validator.validate(visit(n, overrides));
  assert.ok(check.ok);
  return check.event;
};

describe('intake group commit', () => {
  const backend = pgliteBackend();
  after(() => backend.shutdown());

  it('groups concurrent requests into fewer statements with the same answers as one by one', async () => {
    const database = await backend.createDatabase();
    const real = await database.open();
    let statements = 0;
    const counting: Db = {
      kind: real.kind,
      query: (sql, params) => {
        if (sql.includes('INSERT INTO events')) statements += 1;
        return real.query(sql, params);
      },
      transaction: (fn) => real.transaction(fn),
      close: () => real.close(),
    };
    try {
      await createWorkspace(real, vault, { id: 'a', name: 'A', signingSecret: 'secret-a-0123456789' });
      await createWorkspace(real, vault, { id: 'b', name: 'B', signingSecret: 'secret-b-0123456789' });
      const writer = new EventWriter(counting, { maxConcurrent: 1, maxRows: 5000 });
      const answers = await Promise.all([
        writer.store('a', [valid(1)]),
        writer.store('a', [valid(2), valid(3)]),
        writer.store('a', [valid(2)]),
        writer.store('b', [valid(2)]),
        ...Array.from({ length: 30 }, (_, i) => writer.store('a', [valid(100 + i)])),
      ]);
      assert.ok(statements < 10, `${statements} statements for 34 requests`);
      assert.equal(answers[0]!.size, 1);
      assert.equal(answers[1]!.size, 2);
      assert.equal(answers[2]!.size, 0, 'the same event in a later request of the group is a duplicate');
      assert.equal(answers[3]!.size, 1, 'another workspace may hold the same source and id');
      const { rows } = await real.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
      assert.equal(rows[0]!.n, 34);
    } finally {
      await real.close();
      await database.destroy();
    }
  });

  it('a request the database refuses fails alone', async () => {
    const database = await backend.createDatabase();
    const real = await database.open();
    const refusing: Db = {
      kind: real.kind,
      query: (sql, params) => {
        const ids = (params?.[2] ?? []) as string[];
        if (sql.includes('INSERT INTO events') && ids.includes('evt-visit-666'))
          return Promise.reject(new Error('refused'));
        return real.query(sql, params);
      },
      transaction: (fn) => real.transaction(fn),
      close: () => real.close(),
    };
    try {
      await createWorkspace(real, vault, { id: 'a', name: 'A', signingSecret: 'secret-a-0123456789' });
      const writer = new EventWriter(refusing, { maxConcurrent: 1, maxRows: 5000 });
      const results = await Promise.allSettled([
        writer.store('a', [valid(1)]),
        writer.store('a', [valid(2)]),
        writer.store('a', [valid(666)]),
        writer.store('a', [valid(3)]),
      ]);
      assert.deepEqual(
        results.map((r) => r.status),
        ['fulfilled', 'fulfilled', 'rejected', 'fulfilled'],
      );
      const { rows } = await real.query<{ id: string }>('SELECT event_id AS id FROM events ORDER BY event_id');
      assert.deepEqual(
        rows.map((r) => r.id),
        ['evt-visit-1', 'evt-visit-2', 'evt-visit-3'],
      );
    } finally {
      await real.close();
      await database.destroy();
    }
  });
});
