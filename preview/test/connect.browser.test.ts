// Connecting a customer's org as a platform does it, end to end in headless Chromium: the operator
// creates a workspace and starts a web connect through the operator API; the browser opens the
// link, signs in on the (emulated) Salesforce login page and allows; Salesforce sends it to the
// companion's /v1/oauth/callback, which finishes the connection and names the org. An event signed
// with the new workspace's secret then becomes a Task in that org — and in no other: a second
// workspace on a second org is running beside it. Nothing of ours is mocked.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchChromium } from './chromium.js';
import { createEmulator, type RunningEmulator } from '../../emulator/src/index.js';
import { startSyncEnv, waitFor, type SyncEnv } from '../../companion/test/sync-helpers/env.js';
import { TEST_OPERATOR_TOKEN } from '../../companion/test/helpers/config.js';
import { signatureHeader } from '../../companion/src/auth/signature.js';

let env: SyncEnv;
let otherOrg: RunningEmulator;
let browser: Browser;

async function operator(method: string, path: string, body?: unknown) {
  const res = await fetch(`${env.harness.companion.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TEST_OPERATOR_TOKEN}`, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: (await res.json()) as any };
}

before(async () => {
  env = await startSyncEnv({ listen: true });
  otherOrg = await createEmulator({ port: 0, seed: 'demo', orgId: '00D0000000000C3CAA' });
  await env.newWorkspace('elsewhere', otherOrg.url);
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await env?.close();
  await otherOrg?.close();
});

test('an admin signs in and allows in the browser; the workspace is connected and its events reach its org only', async () => {
  const made = await operator('POST', '/v1/admin/workspaces', { name: 'Umbrella', id: 'umbrella' });
  assert.equal(made.status, 201);
  const started = await operator('POST', '/v1/admin/workspaces/umbrella/connect', {
    flow: 'web',
    environment: 'production',
    loginUrl: env.emu.url,
    clientId: 'relay-dev',
  });
  assert.equal(started.status, 200, JSON.stringify(started.json));

  const page = await browser.newPage();
  await page.goto(started.json.authorizeUrl);
  assert.match(await page.title(), /Login \| Salesforce Emulator/);
  await page.fill('#username', 'admin@relay.test');
  await page.fill('#password', 'relay-dev-password');
  await Promise.all([page.waitForURL(/\/v1\/oauth\/callback\?/), page.click('button[value="allow"]')]);
  assert.equal(new URL(page.url()).origin, env.harness.companion.url, 'back on the companion');
  const orgId = env.soql<{ Id: string }>('SELECT Id FROM Organization')[0]!.Id;
  assert.equal(await page.textContent('h1'), 'Connected to Salesforce');
  assert.match((await page.textContent('main'))!, new RegExp(`Umbrella is connected to org ${orgId}`));
  // Back and reload: the link was single use.
  await page.reload();
  assert.equal(await page.textContent('h1'), 'Not connected');
  assert.match((await page.textContent('main'))!, /INVALID_STATE/);

  const shown = await operator('GET', '/v1/admin/workspaces/umbrella');
  assert.equal(shown.json.workspace.connection.status, 'connected');
  assert.equal(shown.json.workspace.connection.orgId, orgId);

  const email = env.soql<{ Email: string }>('SELECT Email FROM Contact ORDER BY Email LIMIT 1')[0]!.Email;
  const event = JSON.stringify({
    specversion: '1.0',
    id: 'umbrella-visit-1',
    source: 'docsend',
    type: 'relay.visit',
    time: new Date().toISOString(),
    data: {
      visitId: 'uv-1',
      visitor: { email },
      document: { name: 'Umbrella deck' },
      durationSeconds: 42,
      percentViewed: 50,
      active: false,
    },
  });
  const posted = await fetch(`${env.harness.companion.url}/v1/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/cloudevents+json',
      'relay-workspace': 'umbrella',
      'relay-signature': signatureHeader(made.json.signingSecret, event),
    },
    body: event,
  });
  assert.equal(posted.status, 202);
  await waitFor(async () => env.tasks('umbrella').length === 1, 20_000, 'the Task in the connected org');
  const [task] = env.tasks('umbrella');
  assert.equal(task!.Subject, 'Viewed: Umbrella deck');
  const elsewhere = otherOrg.org.soql;
  const { executeSoql } = await import('../../emulator/src/soql/index.js');
  const foreign = executeSoql(`SELECT Id FROM Task WHERE relay__ExternalKey__c LIKE 'umbrella:%'`, elsewhere, {
    includeDeleted: false,
  }).records;
  assert.equal(foreign.length, 0, 'no Task in any other org');
  await page.close();
});
