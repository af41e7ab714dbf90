// The preview's routes around the adapters: off unless enabled (a 404, never a door into the org),
// record ids checked before anything is read, SLDS files served without a way out of their folder,
// the event stream's channel checked. The pages themselves are exercised by the browser test.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { previewEnabled } from '../src/preview/index.js';
import { backendByName, type Backend } from './helpers/backends.js';
import { startHarness, type Harness } from './helpers/harness.js';

test('previewEnabled: RELAY_PREVIEW decides, else only with the embedded emulator', () => {
  assert.equal(previewEnabled({}, true), true);
  assert.equal(previewEnabled({}, false), false);
  assert.equal(previewEnabled({ RELAY_PREVIEW: 'on' }, false), true);
  assert.equal(previewEnabled({ RELAY_PREVIEW: 'off' }, true), false);
});

function options(enabled: boolean) {
  return {
    enabled,
    defaultWorkspaceId: 'acme',
    orgKeys: { acme: 'rok_test_acme_0123456789abcdef' },
    buildOnStart: false,
  };
}

describe('preview switched off', () => {
  let backend: Backend;
  let harness: Harness;
  before(async () => {
    backend = backendByName('pglite');
    harness = await startHarness(backend, { preview: options(false) });
  });
  after(async () => {
    await harness.close();
    await backend.shutdown();
  });

  test('every /preview route is a 404', async () => {
    const app = harness.companion.app;
    for (const [method, url] of [
      ['GET', '/preview/setup'],
      ['GET', '/preview/record/0035g0000000001AAA'],
      ['POST', '/preview/apex/SetupController.getConnection'],
      ['GET', '/preview/events?channel=/event/relay__MetadataDeployment__e'],
      ['GET', '/preview/slds/assets/styles/salesforce-lightning-design-system.min.css'],
    ] as const) {
      const response = await app.inject({ method, url, ...(method === 'POST' ? { payload: {} } : {}) });
      assert.equal(response.statusCode, 404, `${method} ${url}`);
    }
  });
});

describe('preview switched on', () => {
  let backend: Backend;
  let harness: Harness;
  before(async () => {
    backend = backendByName('pglite');
    harness = await startHarness(backend, { preview: options(true) });
  });
  after(async () => {
    await harness.close();
    await backend.shutdown();
  });

  test('a record page needs the id of a Lead, Contact or Account', async () => {
    for (const id of ['006000000000001AAA', 'not-an-id']) {
      const response = await harness.companion.app.inject({ method: 'GET', url: `/preview/record/${id}` });
      assert.equal(response.statusCode, 404);
      assert.match(response.body, /is not the id of a Lead, Contact or Account/);
    }
  });

  test('SLDS is served from its package, and nothing outside it', async () => {
    const app = harness.companion.app;
    const css = await app.inject({
      method: 'GET',
      url: '/preview/slds/assets/styles/salesforce-lightning-design-system.min.css',
    });
    assert.equal(css.statusCode, 200);
    assert.match(String(css.headers['content-type']), /^text\/css/);
    const sprite = await app.inject({
      method: 'GET',
      url: '/preview/slds/assets/icons/utility-sprite/svg/symbols.svg',
    });
    assert.equal(sprite.statusCode, 200);
    assert.match(String(sprite.headers['content-type']), /^image\/svg\+xml/);
    const escape = await app.inject({ method: 'GET', url: '/preview/slds/assets/..%2F..%2Fpackage.json' });
    assert.equal(escape.statusCode, 404);
  });

  test('bundle files exist only under a built hash', async () => {
    const response = await harness.companion.app.inject({
      method: 'GET',
      url: '/preview/assets/0000000000000000/record.js',
    });
    assert.equal(response.statusCode, 404);
  });

  test('the event stream needs an /event/ channel', async () => {
    const response = await harness.companion.app.inject({ method: 'GET', url: '/preview/events?channel=/topic/x' });
    assert.equal(response.statusCode, 400);
  });

  test('an unknown workspace has no preview', async () => {
    const response = await harness.companion.app.inject({
      method: 'POST',
      url: '/preview/apex/SetupController.getConnection?workspace=other',
      payload: {},
    });
    assert.equal(response.statusCode, 404);
    assert.match(response.json().message, /no org key for workspace "other"/);
  });
});
