// POST /v1/events against a real database (PGlite or PostgreSQL): signatures, validation
// messages, answers 202/207/400/401/413/415, idempotency and a full batch of 1,000.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backendByName, type Backend, type BackendName } from '../helpers/backends.js';
import { startHarness, statusCounts, type Harness } from '../helpers/harness.js';
import { testConfig } from '../helpers/config.js';
import { linkCreated, listMember, message, prospect, spaceCreated, visit } from '../helpers/events.js';

const count = async (h: Harness, workspaceId = h.workspace.id): Promise<number> => {
  const { rows } = await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE workspace_id = $1', [
    workspaceId,
  ]);
  return rows[0]!.n;
};

export function intakeSuite(name: BackendName): void {
  describe(`intake on ${name}`, () => {
    let backend: Backend;
    let h: Harness;

    before(async () => {
      backend = backendByName(name);
      // An intake-only process (RELAY_WORKER=off): what is stored stays pending for the workers.
      h = await startHarness(backend, {
        config: testConfig(
          { intake: { maxBodyBytes: 2 * 1024 * 1024, maxBatchEvents: 1000, signatureToleranceSeconds: 300 } },
          { enabled: false },
        ),
      });
    });
    after(async () => {
      await h?.close();
      await backend?.shutdown();
    });

    it('stores one valid event and answers 202 with the counts', async () => {
      const res = await h.post(visit(1));
      assert.equal(res.status, 202);
      assert.deepEqual(res.json, { accepted: 1, duplicates: 0 });
      const { rows } = await h.db.query<Record<string, unknown>>(
        `SELECT workspace_id, source, event_id, type, time, data, status, attempts FROM events WHERE event_id = 'evt-visit-1'`,
      );
      assert.equal(rows.length, 1);
      const row = rows[0]!;
      assert.equal(row.workspace_id, 'acme');
      assert.equal(row.source, 'docsend');
      assert.equal(row.type, 'relay.visit');
      assert.equal(row.status, 'pending');
      assert.equal(row.attempts, 0);
      assert.equal((row.time as Date).toISOString(), '2026-11-20T10:00:00.000Z');
      assert.equal((row.data as { visitor: { email: string } }).visitor.email, 'person1@example.com');
    });

    describe('signature', () => {
      const now = () => Math.floor(Date.now() / 1000);
      // Options are built when the test runs: the set-up takes seconds and timestamps must be fresh.
      const rejected: Array<[string, () => Parameters<Harness['post']>[1], RegExp]> = [
        ['missing Relay-Signature', () => ({ signature: null }), /Relay-Signature header is missing/],
        ['missing Relay-Workspace', () => ({ workspaceHeader: null }), /Relay-Workspace header is missing/],
        ['malformed', () => ({ signature: 'sha256=abc' }), /must be t=<unix seconds>,v1=/],
        ['wrong signature', () => ({ signature: `t=${now()},v1=${'0'.repeat(64)}` }), /does not match/],
        ['older than 5 minutes', () => ({ timestamp: now() - 301 }), /s old; signatures are accepted for 300 s/],
        ['more than 5 minutes in the future', () => ({ timestamp: now() + 301 }), /in the future/],
        ['unknown workspace', () => ({ workspaceHeader: 'nobody' }), /does not match/],
      ];
      for (const [label, options, message] of rejected) {
        it(`refuses ${label} with 401 and stores nothing`, async () => {
          const before = await count(h);
          const res = await h.post(visit(100), options());
          assert.equal(res.status, 401);
          assert.equal((res.json.error as { code: string }).code, 'UNAUTHENTICATED');
          assert.match((res.json.error as { message: string }).message, message);
          assert.equal(await count(h), before);
        });
      }

      it('refuses a body changed after signing', async () => {
        const raw = JSON.stringify(visit(101));
        const { signatureHeader } = await import('../../src/auth/signature.js');
        const signature = signatureHeader(h.workspace.secret, raw);
        const res = await h.post(null, { raw: raw.replace('Pitch deck', 'Pitch decks'), signature });
        assert.equal(res.status, 401);
        assert.equal(
          await h.db.query(`SELECT 1 FROM events WHERE event_id = 'evt-visit-101'`).then((r) => r.rowCount),
          0,
        );
      });

      it('accepts a signature 4 minutes 59 seconds old, and one signed with an old and a new secret', async () => {
        assert.equal((await h.post(visit(102), { timestamp: now() - 299 })).status, 202);
        const raw = JSON.stringify(visit(103));
        const { computeSignature } = await import('../../src/auth/signature.js');
        const t = now();
        const both = `t=${t},v1=${computeSignature('old-secret-not-valid-anymore', t, raw)},v1=${computeSignature(h.workspace.secret, t, raw)}`;
        assert.equal((await h.post(null, { raw, signature: both })).status, 202);
      });
    });

    describe('validation', () => {
      const cases: Array<[string, unknown, string]> = [
        [
          'an invalid email',
          visit(200, {}, { visitor: { email: 'not-an-email' } }),
          'data.visitor.email: not an email',
        ],
        ['a negative duration', visit(201, {}, { durationSeconds: -1 }), 'data.durationSeconds: must be a number ≥ 0'],
        [
          'a duration as a string',
          visit(202, {}, { durationSeconds: '12' }),
          'data.durationSeconds: must be a number ≥ 0',
        ],
        [
          'a percentage over 100',
          visit(203, {}, { percentViewed: 101 }),
          'data.percentViewed: must be a number from 0 to 100',
        ],
        ['active not a boolean', visit(204, {}, { active: 'yes' }), 'data.active: must be true or false'],
        ['an unknown type', visit(205, { type: 'relay.foo' }), "type: unknown event type 'relay.foo'"],
        ['another specversion', visit(206, { specversion: '0.3' }), 'specversion: must be "1.0"'],
        [
          'a time that is not RFC 3339',
          visit(207, { time: '2026-11-20 10:00' }),
          'time: not an RFC 3339 date-time (e.g. 2026-11-20T10:00:00Z)',
        ],
        [
          'a time without offset',
          visit(208, { time: '2026-11-20T10:00:00' }),
          'time: not an RFC 3339 date-time (e.g. 2026-11-20T10:00:00Z)',
        ],
        ['a missing id', visit(209, { id: undefined }), 'id: is required'],
        ['a missing visitor', visit(210, {}, { visitor: undefined }), 'data.visitor: is required'],
        [
          'a missing visitor email',
          visit(211, {}, { visitor: { name: 'No Email' } }),
          'data.visitor.email: is required',
        ],
        [
          'a missing document name',
          visit(212, {}, { document: { url: 'https://x.example' } }),
          'data.document.name: is required',
        ],
        ['a relative URL', visit(213, {}, { statsUrl: '/stats/1' }), 'data.statsUrl: not an http or https URL'],
        [
          // Links reach reps as clickable hrefs in the sidebar and in Task fields: script URLs never.
          'a script URL',
          visit(224, {}, { statsUrl: 'javascript:alert(document.cookie)' }),
          'data.statsUrl: not an http or https URL',
        ],
        [
          'a data URL as a document link',
          visit(225, {}, { document: { name: 'Deck', url: 'data:text/html,<b>x</b>' } }),
          'data.document.url: not an http or https URL',
        ],
        [
          'an unknown channel',
          message(214, { channel: 'fax' }),
          'data.channel: must be one of email, linkedin, sms, whatsapp, chat, call',
        ],
        [
          'a recipient with neither email nor phone',
          message(215, { to: { name: 'X' } }),
          'data.to: must be an object with an email or a phone',
        ],
        [
          'a bad visitor in a link',
          { ...linkCreated(216), data: { ...linkCreated(216).data, visitors: ['a@example.com', 'nope'] } },
          'data.visitors[1]: must be an email or an object with an email',
        ],
        [
          'empty prospect fields',
          { ...prospect(217), data: { prospectId: 'p', fields: {} } },
          'data.fields: must be a non-empty object of field values',
        ],
        ['data not an object', visit(218, { data: 'x' }), 'data: must be an object'],
        [
          'a NUL character',
          visit(219, {}, { document: { name: 'Pitch\u0000deck' } }),
          'data.document.name: must not contain the NUL character (\\u0000)',
        ],
        [
          'an unpaired surrogate in a list of an extension attribute',
          visit(222, { relaytags: ['ok', 'bad\ud800'] }),
          'relaytags[1]: must not contain unpaired UTF-16 surrogates',
        ],
        [
          'an unpaired surrogate in a field name',
          visit(223, {}, { notes: { 'b\udc00': 1 } }),
          'data.notes.b\udc00 (the field name): must not contain unpaired UTF-16 surrogates',
        ],
        ['an empty id', visit(220, { id: '' }), 'id: must be a string of 1 to 255 characters'],
        ['year 0000', visit(221, { time: '0000-01-01T00:00:00Z' }), 'time: must be a date from year 0001 on'],
      ];
      for (const [label, event, expected] of cases) {
        it(`rejects ${label}: "${expected}"`, async () => {
          const before = await count(h);
          const res = await h.post(JSON.parse(JSON.stringify(event)));
          assert.equal(res.status, 400);
          const error = res.json.error as { code: string; message: string };
          assert.equal(error.code, 'INVALID_EVENT');
          assert.ok(error.message.split('; ').includes(expected), `got "${error.message}"`);
          assert.equal(await count(h), before);
        });
      }

      it('names every problem of an event', async () => {
        const res = await h.post(visit(230, {}, { visitor: { email: 'x' }, durationSeconds: -5 }));
        assert.equal(res.status, 400);
        const message = (res.json.error as { message: string }).message;
        assert.match(message, /data\.visitor\.email: not an email/);
        assert.match(message, /data\.durationSeconds: must be a number ≥ 0/);
      });

      it('accepts every type of docs/intake-api.md, a phone-only recipient and unknown extra fields', async () => {
        const events = [
          visit(240, { subject: 'deck', traceparent: '00-abc' }, { extra: { anything: true } }),
          linkCreated(241),
          spaceCreated(242),
          message(243, { to: { phone: '+33 6 12 34 56 78' }, channel: 'whatsapp' }),
          prospect(244),
          listMember(245),
        ];
        const res = await h.post(events);
        assert.equal(res.status, 202, JSON.stringify(res.json));
        assert.deepEqual(res.json, { accepted: 6, duplicates: 0 });
        const { rows } = await h.db.query<{ extensions: unknown }>(
          `SELECT extensions FROM events WHERE event_id = 'evt-visit-240'`,
        );
        assert.deepEqual(rows[0]!.extensions, { subject: 'deck', traceparent: '00-abc' });
      });
    });

    describe('answers', () => {
      it('207 with one result per event when some are invalid; the valid ones are stored', async () => {
        const res = await h.post([visit(300), visit(301, {}, { visitor: { email: 'bad' } }), visit(300), visit(302)]);
        assert.equal(res.status, 207);
        assert.deepEqual(res.json.results, [
          { index: 0, id: 'evt-visit-300', status: 'accepted' },
          { index: 1, id: 'evt-visit-301', status: 'rejected', error: 'data.visitor.email: not an email' },
          { index: 2, id: 'evt-visit-300', status: 'duplicate' },
          { index: 3, id: 'evt-visit-302', status: 'accepted' },
        ]);
        assert.equal(res.json.accepted, 2);
        assert.equal(res.json.duplicates, 1);
        assert.equal(res.json.rejected, 1);
        const { rows } = await h.db.query<{ event_id: string }>(
          `SELECT event_id FROM events WHERE event_id IN ('evt-visit-300', 'evt-visit-301', 'evt-visit-302') ORDER BY event_id`,
        );
        assert.deepEqual(
          rows.map((r) => r.event_id),
          ['evt-visit-300', 'evt-visit-302'],
        );
      });

      it('400 with the reasons when no event of a batch is valid; nothing stored', async () => {
        const before = await count(h);
        const res = await h.post([visit(310, { type: 'relay.nope' }), { hello: 'world' }]);
        assert.equal(res.status, 400);
        assert.equal((res.json.error as { code: string }).code, 'INVALID_EVENTS');
        const results = res.json.results as Array<{ status: string; error: string }>;
        assert.deepEqual(
          results.map((r) => r.status),
          ['rejected', 'rejected'],
        );
        assert.match(results[0]!.error, /type: unknown event type 'relay.nope'/);
        assert.match(results[1]!.error, /specversion: is required/);
        assert.equal(await count(h), before);
      });

      it('400 for a body that is not JSON, an empty batch, or an array sent as a single event', async () => {
        const notJson = await h.post(null, { raw: '{"specversion":' });
        assert.equal(notJson.status, 400);
        assert.equal((notJson.json.error as { code: string }).code, 'INVALID_JSON');
        const empty = await h.post([]);
        assert.equal(empty.status, 400);
        assert.match((empty.json.error as { message: string }).message, /the batch is empty/);
        const arrayAsOne = await h.post([visit(320)], { contentType: 'application/cloudevents+json' });
        assert.equal(arrayAsOne.status, 400);
        const objectAsBatch = await h.post(visit(321), { contentType: 'application/cloudevents-batch+json' });
        assert.equal(objectAsBatch.status, 400);
        assert.match((objectAsBatch.json.error as { message: string }).message, /must be a JSON array/);
      });

      for (const contentType of ['application/json', 'text/plain', 'application/x-www-form-urlencoded']) {
        it(`415 for Content-Type ${contentType}; nothing stored`, async () => {
          const before = await count(h);
          const res = await h.post(visit(330), { contentType });
          assert.equal(res.status, 415);
          assert.equal((res.json.error as { code: string }).code, 'UNSUPPORTED_MEDIA_TYPE');
          assert.equal(await count(h), before);
        });
      }

      it('accepts a charset parameter on the media type', async () => {
        const res = await h.post(visit(331), { contentType: 'application/cloudevents+json; charset=utf-8' });
        assert.equal(res.status, 202);
      });

      it('413 with a clear message for a body over the limit, and for more than 1,000 events', async () => {
        const big = visit(340, {}, { document: { name: 'x'.repeat(200) }, padding: 'y'.repeat(2 * 1024 * 1024) });
        const res = await h.post(big);
        assert.equal(res.status, 413);
        assert.equal((res.json.error as { code: string }).code, 'PAYLOAD_TOO_LARGE');
        assert.match((res.json.error as { message: string }).message, /larger than the 2 MiB limit/);
        const tooMany = Array.from({ length: 1001 }, (_, i) => visit(10_000 + i));
        const batch = await h.post(tooMany);
        assert.equal(batch.status, 413);
        assert.equal((batch.json.error as { code: string }).code, 'BATCH_TOO_LARGE');
        assert.match((batch.json.error as { message: string }).message, /at most 1,000 events \(got 1,001\)/);
        assert.equal(
          await h.db.query(`SELECT 1 FROM events WHERE event_id = 'evt-visit-10000'`).then((r) => r.rowCount),
          0,
        );
      });
    });

    describe('idempotency', () => {
      it('counts an event posted again as a duplicate and stores it once', async () => {
        const first = await h.post(visit(400));
        assert.deepEqual(first.json, { accepted: 1, duplicates: 0 });
        const again = await h.post(visit(400, {}, { durationSeconds: 999 }));
        assert.equal(again.status, 202);
        assert.deepEqual(again.json, { accepted: 0, duplicates: 1 });
        const mixed = await h.post([visit(400), visit(401), visit(401)]);
        assert.deepEqual(mixed.json, { accepted: 1, duplicates: 2 });
        const { rows } = await h.db.query<{ n: number; d: number }>(
          `SELECT count(*)::int AS n, max((data->>'durationSeconds')::int) AS d FROM events WHERE event_id IN ('evt-visit-400', 'evt-visit-401')`,
        );
        assert.equal(rows[0]!.n, 2);
        assert.equal(rows[0]!.d, 120, 'the first copy is kept');
      });

      it('keys on source and id: the same id from another source is another event', async () => {
        const res = await h.post([visit(410), visit(410, { source: 'other-platform' })]);
        assert.deepEqual(res.json, { accepted: 2, duplicates: 0 });
      });

      it('keys per workspace: another workspace may use the same source and id', async () => {
        const other = await h.addWorkspace('globex');
        const res = await h.post(visit(420), { workspace: other });
        const mine = await h.post(visit(420));
        assert.deepEqual(res.json, { accepted: 1, duplicates: 0 });
        assert.deepEqual(mine.json, { accepted: 1, duplicates: 0 });
        assert.equal(await count(h, 'globex'), 1);
      });

      it('stores duplicates once when the same batch is posted concurrently', async () => {
        const batch = Array.from({ length: 100 }, (_, i) => visit(5000 + i));
        const answers = await Promise.all([h.post(batch), h.post(batch), h.post(batch)]);
        const accepted = answers.reduce((sum, a) => sum + (a.json.accepted as number), 0);
        const duplicates = answers.reduce((sum, a) => sum + (a.json.duplicates as number), 0);
        assert.equal(accepted, 100);
        assert.equal(duplicates, 200);
        const { rows } = await h.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM events WHERE event_id LIKE 'evt-visit-5___'`,
        );
        assert.equal(rows[0]!.n, 100);
      });
    });

    it('stores a batch of 1,000 events in one request', async () => {
      const before = await count(h);
      const batch = Array.from({ length: 1000 }, (_, i) => (i % 2 ? visit(20_000 + i) : message(20_000 + i)));
      const res = await h.post(batch);
      assert.equal(res.status, 202);
      assert.deepEqual(res.json, { accepted: 1000, duplicates: 0 });
      assert.equal(await count(h), before + 1000);
      const counts = await statusCounts(h.db, h.workspace.id);
      assert.equal(counts.pending, before + 1000);
    });
  });
}
