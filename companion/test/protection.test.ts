// Protection of the intake: a body nested 10,000 deep is a 400 naming the rule (it used to end in a
// stack overflow and a 500), a workspace sending faster than its rate gets 429 with Retry-After
// while another workspace is unaffected, and no answer carries a stack trace.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { backendByName, type Backend } from './helpers/backends.js';
import { startHarness, type Harness } from './helpers/harness.js';
import { testConfig } from './helpers/config.js';
import { visit } from './helpers/events.js';
import { signatureHeader } from '../src/auth/signature.js';

describe('intake protection', () => {
  let backend: Backend;
  let h: Harness;
  before(async () => {
    backend = backendByName('pglite');
    const base = testConfig({}, { enabled: false });
    h = await startHarness(backend, {
      config: { ...base, security: { ...base.security, intakeRatePerSecond: 5, intakeBurst: 10 } },
    });
  });
  after(async () => {
    await h?.close();
    await backend?.shutdown();
  });

  test('a body nested 10,000 deep is refused with 400 naming the rule, and nothing is stored', async () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const valid = JSON.stringify(visit(1)).slice(0, -1);
    // An otherwise valid event carrying the deep value in data, or as an extension attribute.
    for (const raw of [
      valid.replace('"active":false', `"active":false,"extra":${deep}`) + '}',
      `${valid},"ext":${deep}}`,
    ]) {
      const res = await h.post(null, { raw });
      assert.equal(res.status, 400, JSON.stringify(res.json));
      assert.equal((res.json.error as { code: string }).code, 'TOO_DEEP');
      assert.match((res.json.error as { message: string }).message, /more than 32 levels deep/);
    }
    const { rows } = await h.db.query('SELECT 1 FROM events');
    assert.equal(rows.length, 0);
  });

  test('a workspace over its rate gets 429 with Retry-After; another workspace is not slowed', async () => {
    const other = await h.addWorkspace('calm');
    const bursty = await h.addWorkspace('bursty');
    const answers: number[] = [];
    let retryAfter: string | undefined;
    for (let i = 0; i < 14; i += 1) {
      const res = await h.post(visit(1000 + i), { workspace: bursty });
      answers.push(res.status);
      if (res.status === 429) retryAfter ??= String((res.json as { error: { message: string } }).error.message);
    }
    assert.ok(
      answers.slice(0, 10).every((s) => s === 202),
      `the burst passes: ${answers.join(',')}`,
    );
    assert.ok(answers.includes(429), `then 429: ${answers.join(',')}`);
    assert.match(retryAfter!, /retry after \d+ s/);
    const raw = await h.companion.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { 'content-type': 'application/cloudevents+json' },
      payload: '{}',
    });
    assert.equal(raw.statusCode, 401, 'unsigned requests are refused before the rate is counted');
    assert.equal((await h.post(visit(2000), { workspace: other })).status, 202, 'another workspace');
  });

  test('the 429 answer carries Retry-After in seconds', async () => {
    const noisy = await h.addWorkspace('noisy');
    let limited: { statusCode: number; headers: Record<string, unknown> } | undefined;
    for (let i = 0; i < 30 && !limited; i += 1) {
      const raw = JSON.stringify(visit(4000 + i));
      const res = await h.companion.app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: {
          'content-type': 'application/cloudevents+json',
          'relay-workspace': noisy.id,
          'relay-signature': signatureHeader(noisy.secret, raw),
        },
        payload: raw,
      });
      if (res.statusCode === 429) limited = res;
    }
    assert.ok(limited, 'the workspace was limited');
    assert.match(String(limited.headers['retry-after']), /^\d+$/);
    assert.ok(Number(limited.headers['retry-after']) >= 1);
  });
});
