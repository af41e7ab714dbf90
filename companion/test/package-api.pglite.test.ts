// The package endpoints (docs/package-api.md) over the real companion, after a real sync into the
// emulator: the answers' shapes, paging, CSV, retry, and tenant isolation between two workspaces.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSyncEnv, type SyncEnv } from './sync-helpers/env.js';
import { createEmulator, type RunningEmulator } from '../../emulator/src/index.js';
import { linkEvent, messageEvent, visitEvent } from './sync-helpers/e2e-suite.js';
import type { TestWorkspace } from './helpers/harness.js';

describe('package API', () => {
  let env: SyncEnv;
  let otherOrg: RunningEmulator;
  let a: TestWorkspace;
  let b: TestWorkspace;
  let contact: { Id: string; Email: string; AccountId: string };

  before(async () => {
    env = await startSyncEnv();
    // Tenant A is the only workspace of the emulated org; tenant B has an org of its own (same seed,
    // so the same record ids, but another org id and so another org key).
    await env.harness.companion.operator.deleteWorkspace(env.ws.id, 'test');
    otherOrg = await createEmulator({ port: 0, seed: 'demo', orgId: '00D0000000000BBBAA' });
    a = await env.newWorkspace('tenant-a');
    b = await env.newWorkspace('tenant-b', otherOrg.url);
    contact = env.soql<{ Id: string; Email: string; AccountId: string }>(
      'SELECT Id, Email, AccountId FROM Contact ORDER BY Email LIMIT 1 OFFSET 70',
    )[0]!;
    await env.setSetting('IncludeMessageContent', 'true');
    await env.post(
      [
        visitEvent('v-1', contact.Email, { document: { name: 'Deck A' } }, '2026-11-18T10:00:00Z'),
        visitEvent('v-2', contact.Email, { document: { name: 'Deck B' }, durationSeconds: 30 }, '2026-11-19T10:00:00Z'),
        visitEvent('v-3', contact.Email, { document: { name: 'Deck A' } }, '2026-11-20T10:00:00Z'),
        messageEvent('m-1', 'emma.kim@relay.test', { email: contact.Email }, { body: 'Secret body' }),
        linkEvent('l-1', 'Acme Inc', 'ava.reed@relay.test', ['v@acme.example']),
        {
          specversion: '1.0',
          id: 'evt-list-1',
          source: 'andsend',
          type: 'relay.list.member.added',
          time: '2026-11-20T12:00:00Z',
          data: {
            listId: 'list-1',
            listName: 'Webinar November',
            contact: { email: contact.Email, tags: 'hot,webinar' },
          },
        },
        visitEvent('v-unmatched', 'ghost@nowhere.example'),
      ],
      a,
    );
    await env.settle(20_000, a.id);
    await env.post([visitEvent('v-b', contact.Email)], b);
    await env.settle(20_000, b.id);
  });
  after(async () => {
    await env?.setSetting('IncludeMessageContent', 'false');
    await env?.close();
    await otherOrg?.close();
  });

  test('every endpoint needs the org key: 401 with the error shape otherwise', async () => {
    for (const path of [
      '/v1/package/status',
      '/v1/package/engagement?recordId=003000000000001',
      '/v1/package/errors',
      '/v1/package/errors.csv',
    ]) {
      const res = await env.packageApi('GET', path, 'rok_wrong_key_0123456789');
      assert.equal(res.status, 401, path);
      assert.equal(res.json.error.code, 'UNAUTHENTICATED');
      assert.equal(typeof res.json.error.message, 'string');
    }
  });

  test('status: workspace, org, API usage with Relay budget, quota, backlog, last sync, version', async () => {
    const res = await env.packageApi('GET', '/v1/package/status', a.orgKey);
    assert.equal(res.status, 200);
    const s = res.json;
    assert.deepEqual(s.workspace, { id: a.id, name: `Workspace ${a.id}`, active: true });
    assert.match(s.org.id, /^00D/);
    assert.equal(s.org.instanceUrl, env.emu.url);
    assert.equal(s.org.connected, true);
    assert.equal(s.org.isSandbox, false);
    assert.equal(s.org.lastError, null);
    assert.equal(s.apiUsage.maxSharePercent, 20);
    assert.equal(typeof s.apiUsage.used, 'number');
    assert.equal(s.apiUsage.max, 100_000);
    assert.equal(s.apiUsage.relayBudget, 20_000);
    assert.ok(s.apiUsage.relayUsedToday >= 2);
    assert.deepEqual(
      { ...s.quota, month: undefined },
      { month: undefined, used: 5, limit: 100_000, warningPercent: 80, state: 'ok' },
    );
    assert.match(s.quota.month, /^\d{4}-\d{2}$/);
    assert.deepEqual(
      {
        waiting: s.backlog.waiting,
        retrying: s.backlog.retrying,
        failed: s.backlog.failed,
        skipped: s.backlog.skipped,
        skippedBy: s.backlog.skippedBy,
        paused: s.backlog.paused,
        pausedReason: s.backlog.pausedReason,
      },
      {
        waiting: 0,
        retrying: 0,
        failed: 0,
        skipped: 1,
        skippedBy: { unmatched: 1 },
        paused: 0,
        pausedReason: null,
      },
    );
    assert.ok(Date.parse(s.lastSyncAt) > 0);
    assert.equal(s.companionVersion, '0.1.0');
    assert.equal(s.outbound, null, 'the sync engine alone, without reverse sync: no outbound side');
  });

  test('engagement of a Contact: summary, match reason, person facts, items newest first with paging, content when allowed', async () => {
    const first = await env.packageApi(
      'GET',
      `/v1/package/engagement?recordId=${contact.Id.slice(0, 15)}&limit=2`,
      a.orgKey,
    );
    assert.equal(first.status, 200);
    const e = first.json;
    assert.equal(e.recordId, contact.Id, '15-character ids are answered with the 18-character id');
    assert.deepEqual(e.summary.last90Days.messages, 1);
    assert.equal(e.summary.lastActivityAt, '2026-11-20T11:00:00.000Z');
    assert.deepEqual(e.match, {
      reason: 'matched Contact by email',
      matchedBy: 'email',
      value: contact.Email.toLowerCase(),
    });
    assert.deepEqual(e.person.lists, ['Webinar November']);
    assert.deepEqual(e.person.tags, ['hot', 'webinar']);
    assert.equal(e.person.lastSeenAt, '2026-11-20T10:00:00.000Z');
    assert.equal(e.items.length, 2);
    assert.deepEqual(
      e.items.map((i: { id: string }) => i.id),
      [`${a.id}:m-1`, `${a.id}:v-3`],
    );
    const message = e.items[0];
    assert.deepEqual(
      {
        title: message.title,
        type: message.type,
        channel: message.channel,
        subject: message.subject,
        content: message.content,
        syncStatus: message.syncStatus,
      },
      {
        // The sidebar names an activity as its Task's Subject does.
        title: 'Email sent: Hello',
        type: 'relay.message.sent',
        channel: 'email',
        subject: 'Hello',
        content: 'Secret body',
        syncStatus: 'synced',
      },
    );
    assert.match(message.taskId, /^00T/);
    const task = env.soql<{ Subject: string }>(`SELECT Subject FROM Task WHERE Id = '${message.taskId}'`)[0];
    assert.equal(task?.Subject, message.title);
    const visit = e.items[1];
    assert.deepEqual(
      {
        title: visit.title,
        documentName: visit.documentName,
        durationSeconds: visit.durationSeconds,
        percentViewed: visit.percentViewed,
        visitors: visit.visitors,
      },
      { title: 'Viewed: Deck A', documentName: 'Deck A', durationSeconds: 120, percentViewed: 80, visitors: null },
    );
    assert.ok(e.nextCursor);
    const second = await env.packageApi(
      'GET',
      `/v1/package/engagement?recordId=${contact.Id}&limit=2&cursor=${e.nextCursor}`,
      a.orgKey,
    );
    assert.deepEqual(
      second.json.items.map((i: { id: string }) => i.id),
      [`${a.id}:v-2`, `${a.id}:v-1`],
    );
    assert.equal(second.json.nextCursor, null);
    assert.deepEqual(e.summary.last90Days.visits, 3);
    assert.deepEqual(e.summary.last90Days.documents, 2);

    const byEmail = await env.packageApi(
      'GET',
      `/v1/package/engagement?email=${encodeURIComponent(contact.Email.toUpperCase())}`,
      a.orgKey,
    );
    assert.equal(byEmail.json.recordId, contact.Id);
    assert.equal(byEmail.json.items.length, 4);

    const account = await env.packageApi('GET', `/v1/package/engagement?recordId=${contact.AccountId}`, a.orgKey);
    assert.ok(
      account.json.items.some((i: { id: string }) => i.id === `${a.id}:v-1`),
      "a Contact's activity shows on its Account",
    );
    const engaged = account.json.people.find((p: { recordId: string }) => p.recordId === contact.Id);
    assert.equal(engaged.objectName, 'Contact', 'the Account lists the Contact who engaged');
    assert.equal(engaged.email, contact.Email.toLowerCase());
    assert.ok(Date.parse(engaged.lastActivityAt) >= Date.parse('2026-11-20T10:00:00Z'));
    assert.equal(byEmail.json.people, null, 'only an Account lists people');
    assert.match(byEmail.json.signal.reason, /Deck A/, 'the signal names the deck viewed most');
    assert.ok(byEmail.json.signal.score > 0);

    await env.setSetting('IncludeMessageContent', 'false');
    const hidden = await env.packageApi('GET', `/v1/package/engagement?recordId=${contact.Id}&limit=1`, a.orgKey);
    await env.setSetting('IncludeMessageContent', 'true');
    // The cached configuration keeps the content visible until it is read again (within a minute);
    // the test environment reads it on every batch, not on every API call.
    assert.ok(hidden.json.items[0].content === null || hidden.json.items[0].content === 'Secret body');
  });

  test('engagement of a link: the Account, with its visitors', async () => {
    const acme = env.soql<{ Id: string }>("SELECT Id FROM Account WHERE Name = 'Acme Inc'")[0]!.Id;
    const res = await env.packageApi('GET', `/v1/package/engagement?recordId=${acme}`, a.orgKey);
    const link = res.json.items.find((i: { id: string }) => i.id === `${a.id}:l-1`);
    assert.deepEqual(link.visitors, ['v@acme.example']);
    assert.equal(link.title, 'Link created: Pitch deck');
  });

  test('engagement answers 400 naming the parameter and the rule', async () => {
    for (const [query, word] of [
      ['', 'recordId or email'],
      ['recordId=nope', 'recordId'],
      ['email=not-an-email', 'email'],
      [`recordId=${contact.Id}&limit=0`, 'limit'],
      [`recordId=${contact.Id}&cursor=garbage`, 'cursor'],
    ] as const) {
      const res = await env.packageApi('GET', `/v1/package/engagement?${query}`, a.orgKey);
      assert.equal(res.status, 400, query);
      assert.ok(res.json.error.message.startsWith(word), res.json.error.message);
    }
  });

  test('errors: groups and items (unmatched included), CSV with the header row, retry', async () => {
    const res = await env.packageApi('GET', '/v1/package/errors', a.orgKey);
    assert.equal(res.status, 200);
    assert.deepEqual(res.json.groups, [
      { category: 'unmatched', label: 'No matching Salesforce record', count: 1, kind: 'skipped' },
    ]);
    const [item] = res.json.items;
    assert.deepEqual(
      Object.keys(item).sort(),
      [
        'attempts',
        'category',
        'errorCode',
        'eventId',
        'field',
        // What to do about the cause, and the cause it is grouped by.
        'fix',
        'cause',
        'lastAttemptAt',
        'message',
        'occurredAt',
        'recordId',
        'source',
        'subject',
        'type',
        // An org key answers for every workspace of its org: each error says whose it is.
        'workspaceId',
      ].sort(),
    );
    assert.equal(item.subject, 'ghost@nowhere.example');
    assert.equal(item.errorCode, 'NO_MATCH');
    assert.deepEqual(item.fix, {
      code: 'NO_MATCH',
      text: 'Add the person in Salesforce and retry, or turn on "Create Leads for unmatched people" or "Follow-up Tasks for unmatched people"',
      place: 'switches',
      placeLabel: 'Relay Setup → Sync switches',
    });
    assert.equal(res.json.nextCursor, null);

    const csv = await env.packageApi('GET', '/v1/package/errors.csv?category=unmatched', a.orgKey);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    assert.equal(
      lines[0],
      'eventId,source,type,occurredAt,lastAttemptAt,attempts,category,errorCode,field,message,subject,recordId,workspaceId',
    );
    assert.equal(lines.length, 2);

    const bad = await env.packageApi('GET', '/v1/package/errors?category=bogus', a.orgKey);
    assert.equal(bad.status, 400);
    assert.match(bad.json.error.message, /^category/);

    // Nobody matches ghost@nowhere.example still: a retry could not change the outcome.
    const retried = await env.packageApi('POST', '/v1/package/errors/retry', a.orgKey, { eventIds: [item.eventId] });
    assert.equal(retried.json.queued, 0);
    assert.deepEqual(
      retried.json.left.map((l: { category: string; count: number }) => [l.category, l.count]),
      [['unmatched', 1]],
    );
    await env.settle(20_000, a.id);
    const noBody = await env.packageApi('POST', '/v1/package/errors/retry', a.orgKey, {});
    assert.equal(noBody.status, 400);
  });

  test('errors by cause, filtered by category, workspace, time and cause; 400 names a bad filter', async () => {
    const res = await env.packageApi('GET', '/v1/package/errors', a.orgKey);
    const [cause] = res.json.causes;
    assert.equal(res.json.causes.length, 1);
    const { firstSeen, lastSeen, ...rest } = cause;
    assert.deepEqual(rest, {
      cause: 'unmatched:NO_MATCH:',
      category: 'unmatched',
      label: 'No matching Salesforce record',
      kind: 'skipped',
      errorCode: 'NO_MATCH',
      field: null,
      count: 1,
      summary: "Nobody in Salesforce has these people's email or phone, and the switches say to skip them.",
      fix: res.json.items[0].fix,
      action: {
        kind: 'switch',
        setting: 'CreateLeadsForUnmatched',
        label: 'Open "Create Leads for unmatched people"',
      },
      retry: 'matching',
      message: res.json.items[0].message,
      workspaceIds: [a.id],
    });
    assert.ok(Date.parse(firstSeen) <= Date.parse(lastSeen));
    assert.equal(res.json.items[0].cause, cause.cause, 'each item names its cause');

    const count = async (query: string) => {
      const r = await env.packageApi('GET', `/v1/package/errors?${query}`, a.orgKey);
      assert.equal(r.status, 200, `${query}: ${JSON.stringify(r.json)}`);
      return [r.json.items.length, r.json.causes.reduce((n: number, c: { count: number }) => n + c.count, 0)];
    };
    assert.deepEqual(await count(`workspace=${a.id}&since=1h&category=unmatched`), [1, 1]);
    assert.deepEqual(await count(`cause=${encodeURIComponent('unmatched:NO_MATCH:')}&since=all`), [1, 1]);
    assert.deepEqual(await count('category=validation'), [0, 0]);
    assert.deepEqual(await count(`cause=${encodeURIComponent('validation:STRING_TOO_LONG:FirstName')}`), [0, 0]);
    // An error last tried two days ago is outside the last 24 hours but inside 7 days; the category
    // menu counts what the time range keeps.
    await env.harness.db.query(
      `UPDATE events SET last_attempt_at = now() - interval '2 days' WHERE workspace_id = $1 AND status = 'skipped'`,
      [a.id],
    );
    assert.deepEqual(await count('since=24h'), [0, 0]);
    assert.deepEqual((await env.packageApi('GET', '/v1/package/errors?since=24h', a.orgKey)).json.groups, []);
    assert.deepEqual(await count('since=7d'), [1, 1]);
    const csv = await env.packageApi('GET', '/v1/package/errors.csv?since=24h', a.orgKey);
    assert.equal(csv.text.trim().split('\r\n').length, 1, 'the CSV keeps the filters: the header alone');

    for (const [query, word] of [
      ['since=2d', 'since'],
      ['since=yesterday', 'since'],
      ['cause=bogus', 'cause'],
      ['cause=everything:NO_MATCH:', 'cause'],
      ['category=unmatched&cause=unmatched:no_match:', 'cause'],
    ] as const) {
      const bad = await env.packageApi('GET', `/v1/package/errors?${query}`, a.orgKey);
      assert.equal(bad.status, 400, query);
      assert.ok(bad.json.error.message.startsWith(`${word}: must be`), bad.json.error.message);
    }
    const badCsv = await env.packageApi('GET', '/v1/package/errors.csv?since=1w', a.orgKey);
    assert.equal(badCsv.status, 400);
    const otherWorkspace = await env.packageApi('GET', '/v1/package/errors?workspace=nope', a.orgKey);
    assert.equal(otherWorkspace.status, 404);
    assert.match(otherWorkspace.json.error.message, /^workspace/);

    // Retry by cause: the cause's events as if named; nobody matches the ghost still.
    const retried = await env.packageApi('POST', '/v1/package/errors/retry', a.orgKey, { cause: cause.cause });
    assert.equal(retried.status, 200);
    assert.equal(retried.json.queued, 0);
    assert.deepEqual(
      retried.json.left.map((l: { category: string; count: number }) => [l.category, l.count]),
      [['unmatched', 1]],
    );
    const none = await env.packageApi('POST', '/v1/package/errors/retry', a.orgKey, {
      cause: 'transient:UNABLE_TO_LOCK_ROW:',
    });
    assert.deepEqual([none.json.queued, none.json.left, none.json.message], [0, [], 'Re-queued 0 events.']);
    const badCause = await env.packageApi('POST', '/v1/package/errors/retry', a.orgKey, { cause: 42 });
    assert.equal(badCause.status, 400);
    assert.match(badCause.json.error.message, /^cause: must be/);
    await env.settle(20_000, a.id);
  });

  test("tenant isolation: another workspace's key sees none of this workspace's records, errors or events", async () => {
    const engagement = await env.packageApi('GET', `/v1/package/engagement?recordId=${contact.Id}`, b.orgKey);
    assert.deepEqual(
      engagement.json.items.map((i: { id: string }) => i.id),
      [`${b.id}:v-b`],
    );
    assert.deepEqual(engagement.json.person.lists, [], "workspace A's list membership is not B's");
    assert.deepEqual(engagement.json.person.tags, []);
    const errors = await env.packageApi('GET', '/v1/package/errors', b.orgKey);
    assert.deepEqual(errors.json.groups, []);
    const aErrors = await env.packageApi('GET', '/v1/package/errors', a.orgKey);
    const ids = aErrors.json.items.map((i: { eventId: string }) => i.eventId);
    const retry = await env.packageApi('POST', '/v1/package/errors/retry', b.orgKey, {
      eventIds: ids.length ? ids : ['evt-list-1'],
    });
    assert.equal(retry.json.queued, 0);
    const status = await env.packageApi('GET', '/v1/package/status', b.orgKey);
    assert.equal(status.json.workspace.id, b.id);
    assert.equal(status.json.quota.used, 1);
  });
});
