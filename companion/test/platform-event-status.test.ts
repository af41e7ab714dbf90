// GET /v1/events/<source>/<id> (docs/platform-api.md): events posted to the real intake, synced by the
// real worker and engine into the emulated org over HTTP, on PGlite, then asked about through the
// signed platform API: a synced one with the records written for it and how the person was found, a
// skipped one with its rule, a failed one with its error, an unknown one, one with "/" and ":" in
// its source and id, and another workspace's event, which is never visible.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { signatureHeader } from '../src/auth/signature.js';
import { NO_SECRET_TASKS, startSyncEnv, type SyncEnv } from './sync-helpers/env.js';
import { visitEvent } from './sync-helpers/e2e-suite.js';
import type { TestWorkspace } from './helpers/harness.js';

const SOURCE = 'https://platform.example/spaces/7:eu';

function signUp(id: string, email: string) {
  return {
    specversion: '1.0',
    id,
    source: 'mailer',
    type: 'relay.list.member.added',
    time: '2026-11-20T10:00:00Z',
    data: {
      listId: 'webinar',
      listName: 'Webinar',
      campaignName: 'Relay Demo Campaign',
      contact: { email, firstName: 'Nia', lastName: 'Okafor', company: 'Okafor Labs' },
    },
  };
}

describe('platform API: one event’s status', () => {
  let env: SyncEnv;
  let other: TestWorkspace;
  let contact: { Id: string; Email: string; AccountId: string | null };
  const visit = { ...visitEvent('status-ok', ''), source: SOURCE, id: 'visit/1:a' };
  const secret = visitEvent('status-secret', '', { document: { name: 'Secret plan' } });
  const ghost = visitEvent('status-ghost', 'ghost@nowhere.example');
  const signup = signUp('signup-1', 'nia.okafor@new-people.example');

  const status = (source: string, id: string, ws: TestWorkspace = env.ws) => {
    const url = `/v1/events/${encodeURIComponent(source)}/${encodeURIComponent(id)}`;
    return env.harness.companion.app
      .inject({
        method: 'GET',
        url,
        headers: { 'relay-workspace': ws.id, 'relay-signature': signatureHeader(ws.secret, '') },
      })
      .then((res) => ({ status: res.statusCode, json: res.json() }));
  };

  before(async () => {
    env = await startSyncEnv();
    other = await env.newWorkspace('status-other');
    contact = env.soql<{ Id: string; Email: string; AccountId: string | null }>(
      'SELECT Id, Email, AccountId FROM Contact WHERE AccountId != null ORDER BY Email LIMIT 1 OFFSET 40',
    )[0]!;
    visit.data.visitor.email = contact.Email;
    secret.data.visitor.email = contact.Email;
    await env.setSetting('CreateLeadsForUnmatched', 'false');
    await env.control('POST', '/__emulator/rules', NO_SECRET_TASKS);
    try {
      await env.post([visit, secret, ghost, signup]);
      await env.settle();
    } finally {
      await env.control('DELETE', '/__emulator/rules');
    }
  });
  after(async () => env?.close());

  test('a synced visit: the Task, the Contact and its Account written for it, and how the Contact was found', async () => {
    const res = await status(SOURCE, 'visit/1:a');
    assert.equal(res.status, 200, JSON.stringify(res.json));
    const [task] = env.tasks().filter((t) => t.relay__ExternalKey__c === `${env.ws.id}:status-ok`);
    assert.ok(task);
    assert.equal(res.json.source, SOURCE);
    assert.equal(res.json.id, 'visit/1:a');
    assert.equal(res.json.type, 'relay.visit');
    assert.equal(res.json.status, 'synced');
    assert.equal(res.json.outcome, 'created');
    assert.deepEqual(res.json.salesforce, {
      taskId: task.Id,
      contactId: contact.Id,
      leadId: null,
      accountId: contact.AccountId,
      campaignMemberId: null,
    });
    assert.match(res.json.matchReason, /Contact by email/i);
    assert.equal(res.json.error, null);
    assert.equal(res.json.attempts, 1);
    assert.ok(Date.parse(res.json.receivedAt) <= Date.parse(res.json.completedAt));
    assert.equal(res.json.nextAttemptAt, null);
  });

  test('a list sign-up: the Lead created for it and its new CampaignMember', async () => {
    const res = await status('mailer', 'signup-1');
    assert.equal(res.json.status, 'synced', JSON.stringify(res.json));
    const [lead] = env.soql<{ Id: string }>("SELECT Id FROM Lead WHERE Email = 'nia.okafor@new-people.example'");
    const [member] = env.soql<{ Id: string }>(`SELECT Id FROM CampaignMember WHERE LeadId = '${lead!.Id}'`);
    assert.equal(res.json.outcome, 'created');
    assert.equal(res.json.salesforce.leadId, lead!.Id);
    assert.equal(res.json.salesforce.campaignMemberId, member!.Id);
  });

  test('a skipped event names its rule in the package status’s words; a failed one its error and field', async () => {
    const skipped = await status('docsend', ghost.id);
    assert.equal(skipped.json.status, 'skipped');
    assert.equal(skipped.json.outcome, 'unmatched');
    assert.match(skipped.json.reason, /^unmatched: no Contact, Lead/);
    assert.deepEqual(Object.values(skipped.json.salesforce), [null, null, null, null, null]);

    const failed = await status('docsend', secret.id);
    assert.equal(failed.json.status, 'failed');
    assert.equal(failed.json.outcome, 'validation');
    assert.deepEqual(failed.json.error, {
      code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      message: 'Secret documents must not be logged',
      field: 'Subject',
      category: 'validation',
    });
    assert.equal(failed.json.salesforce.taskId, null);

    // The package status counts the same events under the same words.
    const pkg = (await env.packageApi('GET', `/v1/package/status?workspace=${env.ws.id}`)).json;
    assert.equal(pkg.backlog.failed, 1);
    assert.deepEqual(pkg.backlog.skippedBy, { unmatched: 1 });
  });

  test('an event held by a paused workspace is paused, with the pause’s code and when it is due', async () => {
    const until = new Date(Date.now() + 3_600_000);
    await env.sync.queue.pauseWorkspace(other.id, until, 'REQUEST_LIMIT_EXCEEDED');
    const held = visitEvent('status-held', contact.Email);
    await env.post([held], other);
    const res = await status('docsend', held.id, other);
    assert.equal(res.json.status, 'paused', JSON.stringify(res.json));
    assert.equal(res.json.outcome, 'REQUEST_LIMIT_EXCEEDED');
    assert.equal(res.json.completedAt, null);
    assert.ok(res.json.nextAttemptAt);
    const pkg = (await env.packageApi('GET', `/v1/package/status?workspace=${other.id}`, other.orgKey)).json;
    assert.equal(pkg.backlog.paused, 1, 'the package status counts it as paused too');
    assert.equal(pkg.backlog.pausedReason, 'REQUEST_LIMIT_EXCEEDED');
  });

  test('an unknown event is 404 naming it; another workspace’s event is unknown to this one', async () => {
    const unknown = await status('docsend', 'never-sent');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.error.code, 'NOT_FOUND');
    assert.match(unknown.json.error.message, /never-sent/);
    const foreign = await status(SOURCE, 'visit/1:a', other);
    assert.equal(foreign.status, 404);
    assert.equal(foreign.json.error.code, 'NOT_FOUND');
    assert.ok(!JSON.stringify(foreign.json).includes(contact.Id));
  });

  test('a source holding "/" must be encoded: sent raw, the path names no event route', async () => {
    const raw = await env.harness.companion.app.inject({
      method: 'GET',
      url: `/v1/events/${SOURCE}/visit-1`,
      headers: { 'relay-workspace': env.ws.id, 'relay-signature': signatureHeader(env.ws.secret, '') },
    });
    assert.equal(raw.statusCode, 404);
    assert.equal(raw.json().error.code, 'NOT_FOUND');
  });

  test('unsigned or wrongly signed requests are 401', async () => {
    const url = `/v1/events/${encodeURIComponent(SOURCE)}/${encodeURIComponent('visit/1:a')}`;
    for (const headers of [
      {},
      { 'relay-workspace': env.ws.id, 'relay-signature': signatureHeader(other.secret, '') },
    ]) {
      const res = await env.harness.companion.app.inject({ method: 'GET', url, headers });
      assert.equal(res.statusCode, 401);
    }
  });
});
