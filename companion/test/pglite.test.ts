// PgliteDb's own parts: array parameters survive the round trip whatever their text holds (the
// one-pass serializer of pglite.ts), and a new data folder is created by the helper process and
// opened again as it is.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgliteDb } from '../src/db/pglite.js';
import { isInitialised } from '../src/db/pglite-init.js';

const TRICKY = [
  'plain',
  'with "quotes", {braces} and a \\ backslash',
  '{"json":"text","n":1,"nested":{"q":"a \\"quoted\\" word"}}',
  'line\nbreak and\ttab',
  'emoji 😀 and accents é',
  'NULL',
  '',
  null,
  ' leading and trailing spaces ',
];

describe('PgliteDb', () => {
  it('passes text[] and jsonb[] parameters through unchanged', async () => {
    const db = await PgliteDb.open(undefined);
    try {
      // Both paths: a column JSON can quote in one pass, and one with a newline and an emoji.
      const jsonSafe = TRICKY.filter((v) => v === null || !/[\u0000-\u001f\ud800-\udfff]/.test(v));
      assert.ok(jsonSafe.length > 3 && jsonSafe.length < TRICKY.length);
      for (const column of [jsonSafe, TRICKY]) {
        const text = await db.query<{ v: string | null }>(
          'SELECT v FROM unnest($1::text[]) WITH ORDINALITY AS t(v, i) ORDER BY i',
          [column],
        );
        assert.deepEqual(
          text.rows.map((r) => r.v),
          column,
        );
      }
      const json = [{ a: 'x "y" \\ z' }, null, [1, 'two'], 'a string', { line: 'one\ntwo' }];
      const jsonb = await db.query<{ v: unknown }>(
        'SELECT v FROM unnest($1::jsonb[]) WITH ORDINALITY AS t(v, i) ORDER BY i',
        [json.map((v) => (v === null ? null : JSON.stringify(v)))],
      );
      assert.deepEqual(
        jsonb.rows.map((r) => r.v),
        json,
      );
      const empty = await db.query<{ n: number }>('SELECT cardinality($1::text[]) AS n', [[]]);
      assert.equal(empty.rows[0]!.n, 0);
    } finally {
      await db.close();
    }
  });

  it('creates a new data folder and opens it again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relay-pglite-new-'));
    try {
      let db = await PgliteDb.open(dir);
      assert.ok(isInitialised(join(dir, 'pgdata')));
      await db.query('CREATE TABLE kept (v text)');
      await db.query("INSERT INTO kept VALUES ('still here')");
      await db.close();
      db = await PgliteDb.open(dir);
      assert.deepEqual((await db.query('SELECT v FROM kept')).rows, [{ v: 'still here' }]);
      assert.deepEqual((await db.query('SHOW shared_buffers')).rows, [{ shared_buffers: '32MB' }]);
      await db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
