// End-to-end tests of the sync engine: signed events posted to the real intake, synced by the real
// worker and engine, over HTTP, into the Salesforce emulator — run on PGlite and on PostgreSQL.
// Every test uses its own workspace (its own external keys, match cache and quota); tests that
// change the org's settings put them back.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BackendName } from '../helpers/backends.js';
import { NO_SECRET_TASKS, startSyncEnv, waitFor, type SyncEnv } from './env.js';

let n = 0;
const id = (prefix: string) => `${prefix}-${++n}`;

export function visitEvent(
  visitId: string,
  email: string,
  data: Record<string, unknown> = {},
  time = '2026-11-20T10:00:00Z',
) {
  return {
    specversion: '1.0',
    id: id(`evt-${visitId}`),
    source: 'docsend',
    type: 'relay.visit',
    time,
    data: {
      visitId,
      visitor: { email },
      document: { name: 'Pitch deck', url: 'https://docsend.example/d/1' },
      durationSeconds: 120,
      percentViewed: 80,
      active: false,
      statsUrl: `https://docsend.example/stats/${visitId}`,
      ...data,
    },
  };
}

export function messageEvent(
  messageId: string,
  from: string,
  to: Record<string, unknown>,
  data: Record<string, unknown> = {},
) {
  return {
    specversion: '1.0',
    id: id(`evt-${messageId}`),
    source: 'andsend',
    type: 'relay.message.sent',
    time: '2026-11-20T11:00:00Z',
    data: {
      messageId,
      channel: 'email',
      from: { email: from },
      to,
      subject: 'Hello',
      body: 'Hi there, the body.',
      ...data,
    },
  };
}

export function linkEvent(
  linkId: string,
  accountName: string,
  creator: string,
  visitors: unknown[] = [],
  data: Record<string, unknown> = {},
) {
  return {
    specversion: '1.0',
    id: id(`evt-${linkId}`),
    source: 'docsend',
    type: 'relay.link.created',
    time: '2026-11-20T09:00:00Z',
    data: { linkId, document: { name: 'Pitch deck' }, accountName, createdBy: { email: creator }, visitors, ...data },
  };
}

export function spaceEvent(spaceId: string, accountName: string, creator: string) {
  return {
    specversion: '1.0',
    id: id(`evt-${spaceId}`),
    source: 'docsend',
    type: 'relay.space.created',
    time: '2026-11-20T09:30:00Z',
    data: { spaceId, name: 'Deal room', accountName, createdBy: { email: creator } },
  };
}

export function syncE2eSuite(backend: BackendName): void {
  describe(`sync engine end to end (${backend})`, () => {
    let env: SyncEnv;
    before(async () => {
      env = await startSyncEnv({ backend });
    });
    after(async () => {
      await env?.close();
    });

    const user = (email: string) => env.soql<{ Id: string }>(`SELECT Id FROM User WHERE Email = '${email}'`)[0]!.Id;
    const integrationUser = () => user('integration@relay.test');

    test('a mixed dataset lands as exactly the expected Tasks on the expected WhoId, WhatId and OwnerId', async () => {
      const ws = await env.newWorkspace('mixed');
      const contacts = env.soql<{ Id: string; Email: string; AccountId: string }>(
        'SELECT Id, Email, AccountId FROM Contact ORDER BY Email LIMIT 3',
      );
      const leads = env.soql<{ Id: string; Email: string }>(
        'SELECT Id, Email FROM Lead WHERE IsConverted = false ORDER BY Email LIMIT 2',
      );
      const target = env.soql<{ Id: string; AccountId: string }>(
        'SELECT Id, AccountId FROM Contact ORDER BY Email DESC LIMIT 1',
      )[0]!;
      const [convertedLead] = env.insert('Lead', [
        {
          LastName: 'Moved',
          Company: 'Old Co',
          Email: 'moved.on@convert.example',
          IsConverted: true,
          Status: 'Closed - Converted',
          ConvertedContactId: target.Id,
          ConvertedAccountId: target.AccountId,
          ConvertedDate: '2026-01-15',
        },
      ]);
      const acme = env.soql<{ Id: string }>("SELECT Id FROM Account WHERE Name = 'Acme Inc'")[0]!.Id;
      const globex = env.soql<{ Id: string }>("SELECT Id FROM Account WHERE Name = 'Globex Inc'")[0]!.Id;
      const initech = env.soql<{ Id: string }>("SELECT Id FROM Account WHERE Name = 'Initech Inc'")[0]!.Id;
      const events = [
        // Contacts, one of them visiting twice (two documents): two Tasks on the same Contact.
        visitEvent('v-c0', contacts[0]!.Email),
        visitEvent('v-c0b', contacts[0]!.Email.toUpperCase(), { document: { name: 'Pricing' } }),
        visitEvent('v-c1', contacts[1]!.Email),
        visitEvent('v-c2', contacts[2]!.Email, { accountName: 'Globex Inc' }),
        // Leads.
        visitEvent('v-l0', leads[0]!.Email),
        messageEvent('m-l1', 'emma.kim@relay.test', { email: leads[1]!.Email }),
        // A converted Lead: the activity goes to its Contact and that Contact's Account.
        visitEvent('v-conv', 'moved.on@convert.example'),
        // No person, but an Account with the visit's account name.
        visitEvent('v-acct', 'stranger@nowhere.example', { accountName: 'Acme Inc' }),
        // Link and space on their Accounts, owned by the creators' Users.
        linkEvent('l-1', 'Globex Inc', 'ava.reed@relay.test', ['x@globex.example']),
        spaceEvent('s-1', 'Initech Inc', 'liam.patel@relay.test'),
        // LinkedIn message from an unknown sender: integration user owns it.
        messageEvent(
          'm-li',
          'unknown.rep@vendor.example',
          { email: contacts[1]!.Email },
          { channel: 'linkedin', subject: undefined },
        ),
        // Unmatched, default switches: skipped with the reason.
        visitEvent('v-none', 'nobody@nowhere.example'),
      ];
      await env.post(events, ws);
      await env.settle(20_000, ws.id);

      const tasks = new Map(env.tasks(ws.id).map((t) => [t.relay__ExternalKey__c.slice(ws.id.length + 1), t]));
      assert.equal(tasks.size, 11, `11 Tasks, got ${[...tasks.keys()].join(', ')}`);
      const expect = (key: string, who: string | null, what: string | null, owner: string, subject: string) => {
        const t = tasks.get(key);
        assert.ok(t, `Task ${key}`);
        assert.equal(t.WhoId, who, `${key} WhoId`);
        assert.equal(t.WhatId, what, `${key} WhatId`);
        assert.equal(t.OwnerId, owner, `${key} OwnerId`);
        assert.equal(t.Subject, subject, `${key} Subject`);
        assert.equal(t.Status, 'Completed', `${key} Status`);
      };
      const integration = integrationUser();
      expect('v-c0', contacts[0]!.Id, contacts[0]!.AccountId, integration, 'Viewed: Pitch deck');
      expect('v-c0b', contacts[0]!.Id, contacts[0]!.AccountId, integration, 'Viewed: Pricing');
      expect('v-c1', contacts[1]!.Id, contacts[1]!.AccountId, integration, 'Viewed: Pitch deck');
      expect('v-c2', contacts[2]!.Id, contacts[2]!.AccountId, integration, 'Viewed: Pitch deck');
      expect('v-l0', leads[0]!.Id, null, integration, 'Viewed: Pitch deck');
      expect('m-l1', leads[1]!.Id, null, user('emma.kim@relay.test'), 'Email sent: Hello');
      expect('v-conv', target.Id, target.AccountId, integration, 'Viewed: Pitch deck');
      expect('v-acct', null, acme, integration, 'Viewed: Pitch deck');
      expect('l-1', null, globex, user('ava.reed@relay.test'), 'Link created: Pitch deck');
      expect('s-1', null, initech, user('liam.patel@relay.test'), 'Space created: Deal room');
      expect('m-li', contacts[1]!.Id, contacts[1]!.AccountId, integration, 'LinkedIn message sent');
      assert.equal(tasks.get('m-l1')!.TaskSubtype, 'Email');
      assert.equal(tasks.get('m-li')!.TaskSubtype, 'LinkedIn');
      assert.equal(tasks.get('v-c0')!.ActivityDate, '2026-11-20');
      assert.match(tasks.get('l-1')!.Description ?? '', /Visitors \(1\): x@globex\.example/);
      // Message bodies stay out by default (IncludeMessageContent off).
      assert.doesNotMatch(tasks.get('m-l1')!.Description ?? '', /the body/);

      const rows = await env.events(ws.id);
      const byVisit = (visitId: string) => rows.find((r) => r.event_id.startsWith(`evt-${visitId}-`))!;
      assert.equal(byVisit('v-c0').result?.matchReason, 'matched Contact by email');
      assert.equal(byVisit('v-l0').result?.matchReason, 'matched Lead by email');
      assert.equal(byVisit('v-conv').result?.matchReason, `matched Contact via converted Lead ${convertedLead}`);
      assert.equal(byVisit('v-acct').result?.matchReason, "matched Account by name 'Acme Inc'");
      const none = byVisit('v-none');
      assert.equal(none.status, 'skipped');
      assert.match(none.status_reason ?? '', /^unmatched: no Contact, Lead matches nobody@nowhere\.example/);
    });

    test('the same events posted twice, and re-sent under new ids, still give one Task each', async () => {
      const ws = await env.newWorkspace('idem');
      const [c] = env.soql<{ Email: string }>('SELECT Email FROM Contact ORDER BY Email LIMIT 1 OFFSET 10');
      const events = [
        visitEvent('v-1', c!.Email),
        messageEvent('m-1', 'emma.kim@relay.test', { email: c!.Email }),
        linkEvent('l-1', 'Acme Inc', 'ava.reed@relay.test'),
      ];
      await env.post(events, ws);
      await env.settle(20_000, ws.id);
      const duplicate = await env.post(events, ws);
      assert.equal(duplicate.duplicates, 3, 'intake recognises the same CloudEvents');
      // The platform re-sends the same activities under new CloudEvent ids.
      await env.post(
        events.map((e) => ({ ...e, id: `${e.id}-again` })),
        ws,
      );
      await env.settle(20_000, ws.id);
      const tasks = env.tasks(ws.id);
      assert.deepEqual(tasks.map((t) => t.relay__ExternalKey__c).sort(), [
        `${ws.id}:l-1`,
        `${ws.id}:m-1`,
        `${ws.id}:v-1`,
      ]);
      const rows = await env.events(ws.id);
      assert.equal(rows.length, 6);
      assert.ok(
        rows.every((r) => r.status === 'synced'),
        JSON.stringify(rows.map((r) => r.status)),
      );
      assert.equal(rows.filter((r) => r.result?.unchanged).length, 3, 're-sent events with nothing new cost no write');
    });

    test('an active visit is written at once, re-synced at most once per interval with its latest figures, and its end promptly — always the same Task', async () => {
      const ws = await env.newWorkspace('cadence');
      env.sync.engine.tuning.visitResyncUnitMs = 4000; // VisitResyncMinutes (1) × 4 s
      try {
        await env.setSetting('VisitResyncMinutes', '1');
        const [c] = env.soql<{ Email: string }>('SELECT Email FROM Contact ORDER BY Email LIMIT 1 OFFSET 11');
        const at = (s: number) => new Date(Date.parse('2026-11-20T10:00:00Z') + s * 1000).toISOString();
        const v = (seconds: number, active: boolean) =>
          visitEvent(
            'v-long',
            c!.Email,
            { durationSeconds: seconds, percentViewed: Math.min(100, seconds), active },
            at(seconds),
          );
        await env.post([v(5, true)], ws);
        await env.settle(20_000, ws.id);
        let [task] = env.tasks(ws.id);
        assert.match(task!.Description ?? '', /Duration: 5 s/, 'written at once');
        // Two updates inside the interval: deferred to the next slot, coalesced into one write.
        await env.post([v(20, true)], ws);
        await env.post([v(30, true)], ws);
        await env.settle(20_000, ws.id);
        let rows = await env.events(ws.id);
        assert.equal(rows[2]!.status, 'deferred', JSON.stringify(rows));
        assert.match(rows[2]!.status_reason ?? '', /^VISIT_CADENCE/);
        // The older update is deferred too, or (claimed in the same batch) already resolved to the Task.
        assert.ok(rows[1]!.status === 'deferred' || rows[1]!.result?.supersededBy, JSON.stringify(rows[1]));
        [task] = env.tasks(ws.id);
        assert.match(task!.Description ?? '', /Duration: 5 s/, 'not written inside the interval');
        await waitFor(
          async () => (await env.events(ws.id)).every((r) => r.status === 'synced'),
          10_000,
          'the next slot',
        );
        [task] = env.tasks(ws.id);
        assert.match(task!.Description ?? '', /Duration: 30 s/, 'the latest figures at the next slot');
        rows = await env.events(ws.id);
        assert.ok(rows[1]!.result?.supersededBy, 'the older update resolved to the same Task');
        assert.equal(rows[1]!.result?.taskId, task!.Id);
        // The end of the visit is written promptly, inside the interval.
        await env.post([v(45, false)], ws);
        await env.settle(20_000, ws.id);
        const tasks = env.tasks(ws.id);
        assert.equal(tasks.length, 1, 'always the same Task');
        assert.match(tasks[0]!.Description ?? '', /Duration: 45 s[\s\S]*visit ended/);
        const { rows: state } = await env.harness.db.query<{ writes: number }>(
          'SELECT writes FROM sync_activities WHERE workspace_id = $1',
          [ws.id],
        );
        assert.equal(state[0]!.writes, 3);

        // A visit shorter than the interval is written at most twice.
        await env.post([visitEvent('v-short', c!.Email, { durationSeconds: 3, active: true }, at(0))], ws);
        await env.settle(20_000, ws.id);
        await env.post(
          [4, 6, 8].map((s) => visitEvent('v-short', c!.Email, { durationSeconds: s, active: s < 8 }, at(s))),
          ws,
        );
        await env.settle(20_000, ws.id);
        await new Promise((r) => setTimeout(r, 4500));
        await env.settle(20_000, ws.id);
        const { rows: short } = await env.harness.db.query<{ writes: number }>(
          "SELECT writes FROM sync_activities WHERE workspace_id = $1 AND activity_id = 'v-short'",
          [ws.id],
        );
        assert.equal(short[0]!.writes, 2);
        assert.match(
          env.tasks(ws.id).find((t) => t.relay__ExternalKey__c.endsWith('v-short'))!.Description ?? '',
          /Duration: 8 s/,
        );
      } finally {
        env.sync.engine.tuning.visitResyncUnitMs = 60_000;
        await env.setSetting('VisitResyncMinutes', '10');
      }
    });

    test("a link's Task lists its visitors and is updated as new visitors open it (re-sent link events and visits through the link)", async () => {
      const ws = await env.newWorkspace('links');
      await env.post([linkEvent('l-9', 'Acme Inc', 'ava.reed@relay.test', ['a@acme.example'])], ws);
      await env.settle(20_000, ws.id);
      await env.post(
        [
          linkEvent('l-9', 'Acme Inc', 'ava.reed@relay.test', [
            'a@acme.example',
            { email: 'b@acme.example', name: 'Bea' },
          ]),
        ],
        ws,
      );
      await env.settle(20_000, ws.id);
      await env.post([visitEvent('v-via-link', 'c@acme.example', { linkId: 'l-9', accountName: 'Acme Inc' })], ws);
      await env.settle(20_000, ws.id);
      const link = env.tasks(ws.id).find((t) => t.relay__ExternalKey__c === `${ws.id}:l-9`)!;
      assert.match(link.Description ?? '', /Visitors \(3\): a@acme\.example, Bea <b@acme\.example>, c@acme\.example/);
      assert.equal(env.tasks(ws.id).length, 2);
    });

    test('unmatched people: a Lead, a follow-up Task for the owner, or a skip with the reason — as the switches say', async () => {
      const ws = await env.newWorkspace('unmatched');
      try {
        await env.setSetting('CreateLeadsForUnmatched', 'true');
        await env.setSetting('LeadSource', 'Relay Test');
        await env.post(
          [
            visitEvent('v-new', 'grace.hopper@navy.example', {
              visitor: { email: 'grace.hopper@navy.example', name: 'Grace Brewster Hopper' },
              accountName: 'US Navy',
            }),
          ],
          ws,
        );
        await env.settle(20_000, ws.id);
        const [lead] = env.soql<{
          Id: string;
          FirstName: string;
          LastName: string;
          Company: string;
          LeadSource: string;
        }>("SELECT Id, FirstName, LastName, Company, LeadSource FROM Lead WHERE Email = 'grace.hopper@navy.example'");
        assert.deepEqual(
          { ...lead, Id: undefined, attributes: undefined },
          {
            Id: undefined,
            attributes: undefined,
            FirstName: 'Grace Brewster',
            LastName: 'Hopper',
            Company: 'US Navy',
            LeadSource: 'Relay Test',
          },
        );
        assert.equal(env.tasks(ws.id)[0]!.WhoId, lead!.Id);
        // A second activity of the same person finds the Lead: no second Lead.
        await env.post([messageEvent('m-new', 'emma.kim@relay.test', { email: 'grace.hopper@navy.example' })], ws);
        await env.settle(20_000, ws.id);
        assert.equal(env.soql("SELECT Id FROM Lead WHERE Email = 'grace.hopper@navy.example'").length, 1);
        assert.equal(env.tasks(ws.id).length, 2);
        // Without a name or an account: LastName from the email's local part, Company from its domain.
        await env.post([visitEvent('v-new2', 'ada@analytical.example')], ws);
        await env.settle(20_000, ws.id);
        const [lead2] = env.soql<{ LastName: string; Company: string }>(
          "SELECT LastName, Company FROM Lead WHERE Email = 'ada@analytical.example'",
        );
        assert.deepEqual([lead2!.LastName, lead2!.Company], ['ada', 'analytical.example']);

        await env.setSetting('CreateLeadsForUnmatched', 'false');
        await env.setSetting('FollowUpTasksForUnmatched', 'true');
        await env.post([messageEvent('m-fu', 'liam.patel@relay.test', { email: 'someone.new@startup.example' })], ws);
        await env.settle(20_000, ws.id);
        const followUp = env.tasks(ws.id).find((t) => t.relay__ExternalKey__c === `${ws.id}:m-fu`)!;
        assert.equal(followUp.Status, 'Not Started');
        assert.equal(followUp.WhoId, null);
        assert.equal(followUp.OwnerId, user('liam.patel@relay.test'));
        assert.match(followUp.Subject, /^Follow up: someone\.new@startup\.example/);

        await env.setSetting('FollowUpTasksForUnmatched', 'false');
        await env.post([visitEvent('v-skip', 'ghost@nowhere.example')], ws);
        await env.settle(20_000, ws.id);
        const skipped = (await env.events(ws.id)).find((r) => r.event_id.startsWith('evt-v-skip'))!;
        assert.equal(skipped.status, 'skipped');
        assert.match(
          skipped.status_reason ?? '',
          /unmatched.*ghost@nowhere\.example.*CreateLeadsForUnmatched and FollowUpTasksForUnmatched are off/,
        );
        assert.equal(env.tasks(ws.id).length, 4);
      } finally {
        await env.setSetting('CreateLeadsForUnmatched', 'false');
        await env.setSetting('FollowUpTasksForUnmatched', 'false');
        await env.setSetting('LeadSource', 'Relay');
      }
    });

    test('1,000 activities of a realistic mix cost at most 5 API calls (emulator usage counter)', async (t) => {
      const ws = await env.newWorkspace('calls');
      const contacts = env.soql<{ Email: string }>('SELECT Email FROM Contact ORDER BY Email LIMIT 120');
      const leads = env.soql<{ Email: string }>(
        'SELECT Email FROM Lead WHERE IsConverted = false ORDER BY Email LIMIT 120',
      );
      const converted = env.soql<{ Email: string }>('SELECT Email FROM Lead WHERE IsConverted = true LIMIT 10');
      const accounts = env.soql<{ Name: string }>('SELECT Name FROM Account ORDER BY Name LIMIT 30');
      const people: { email: string; accountName?: string }[] = [
        ...contacts.map((c) => ({ email: c.Email })),
        ...leads.map((l) => ({ email: l.Email })),
        ...converted.map((l) => ({ email: l.Email })),
        ...accounts.map((a, i) => ({ email: `visitor${i}@unknown-${i}.example`, accountName: a.Name })),
        ...Array.from({ length: 20 }, (_, i) => ({ email: `nobody${i}@nowhere.example` })),
      ];
      // Repeat visitors: 1,000 activities over 300 people (visits, some messages).
      const events = Array.from({ length: 1000 }, (_, i) => {
        const p = people[(i * 7) % people.length]!;
        return i % 5 === 4
          ? messageEvent(`m-${i}`, 'ava.reed@relay.test', { email: p.email })
          : visitEvent(`v-${i}`, p.email, p.accountName ? { accountName: p.accountName } : {});
      });
      const refresh = env.sync.engine.configs.refreshAfterMs;
      env.sync.engine.configs.refreshAfterMs = 50_000; // production setting
      try {
        await env.resetUsage();
        await env.post(events, ws);
        await env.settle(60_000, ws.id);
        const usage = await env.usage();
        t.diagnostic(`API calls for 1,000 activities: ${usage.apiRequests} ${JSON.stringify(usage.byEndpoint)}`);
        const rows = await env.events(ws.id);
        const synced = rows.filter((r) => r.status === 'synced').length;
        const skipped = rows.filter((r) => r.status === 'skipped').length;
        assert.equal(
          synced + skipped,
          1000,
          JSON.stringify(rows.filter((r) => r.status !== 'synced' && r.status !== 'skipped').slice(0, 3)),
        );
        assert.equal(env.tasks(ws.id).length, synced);
        assert.ok(
          usage.apiRequests <= 5,
          `API calls for 1,000 activities: ${usage.apiRequests} ${JSON.stringify(usage.byEndpoint)}`,
        );
        // Re-sending all of them (new CloudEvent ids, nothing changed) costs at most the lookups.
        await env.resetUsage();
        await env.post(
          events.map((e) => ({ ...e, id: `${e.id}-resend` })),
          ws,
        );
        await env.settle(60_000, ws.id);
        assert.ok((await env.usage()).apiRequests <= 1, 'nothing new to write: no write call');
        assert.equal(env.tasks(ws.id).length, synced, 'and no duplicate Task');
      } finally {
        env.sync.engine.configs.refreshAfterMs = refresh;
      }
    });

    test('injected faults (503 three times, UNABLE_TO_LOCK_ROW, expired sessions) all end synced without spinning', async () => {
      const ws = await env.newWorkspace('faults');
      const contacts = env.soql<{ Email: string }>('SELECT Email FROM Contact ORDER BY Email LIMIT 5 OFFSET 20');
      await env.resetUsage();
      await env.fault({ method: 'POST', path: '/composite', status: 503, errorCode: 'SERVER_UNAVAILABLE', count: 3 });
      await env.post(
        contacts.slice(0, 2).map((c, i) => visitEvent(`v-503-${i}`, c.Email)),
        ws,
      );
      await env.settle(30_000, ws.id);
      let rows = await env.events(ws.id);
      assert.ok(
        rows.every((r) => r.status === 'synced'),
        JSON.stringify(rows),
      );
      // Three refused Composite calls shared by the two events (retried together, or apart after
      // their jittered backoffs), then one lookup and one write per batch: nothing is retried
      // behind the engine's back.
      const attempts = rows.map((r) => r.attempts);
      assert.ok(Math.max(...attempts) >= 2 && Math.max(...attempts) <= 4, JSON.stringify(attempts));
      const usage = await env.usage();
      assert.ok((usage.byEndpoint['POST /composite'] ?? 0) <= 3 + 2, JSON.stringify(usage.byEndpoint));
      assert.ok(usage.apiRequests <= 3 + 2 * 2, JSON.stringify(usage.byEndpoint));

      await env.fault({ method: 'PATCH', path: '/composite/sobjects/*', errorCode: 'UNABLE_TO_LOCK_ROW', count: 1 });
      await env.post([visitEvent('v-lock', contacts[2]!.Email)], ws);
      await env.settle(30_000, ws.id);
      rows = await env.events(ws.id);
      const lock = rows.find((r) => r.event_id.startsWith('evt-v-lock'))!;
      assert.equal(lock.status, 'synced');
      assert.equal(lock.attempts, 2, 'the locked record was retried once');

      const client = env.sync.engine.knownClient(ws.id)!;
      const tokenBefore = client.session!.accessToken;
      await env.control('POST', '/__emulator/faults', { expireSessions: true });
      await env.post([visitEvent('v-session', contacts[3]!.Email)], ws);
      await env.settle(30_000, ws.id);
      rows = await env.events(ws.id);
      const session = rows.find((r) => r.event_id.startsWith('evt-v-session'))!;
      assert.equal(session.status, 'synced');
      assert.equal(session.attempts, 1, 'a new login and the same call again, within the attempt');
      assert.notEqual(client.session!.accessToken, tokenBefore);
      assert.equal(env.tasks(ws.id).length, 4);
    });

    test('REQUEST_LIMIT_EXCEEDED and a spent DailyApiRequests pause the workspace and end synced once the limit allows, never spinning', async () => {
      const ws = await env.newWorkspace('limits');
      const contacts = env.soql<{ Email: string }>('SELECT Email FROM Contact ORDER BY Email LIMIT 3 OFFSET 30');
      await env.post([visitEvent('v-warm', contacts[0]!.Email)], ws);
      await env.settle(20_000, ws.id);
      const client = env.sync.engine.knownClient(ws.id)!;
      const refusedBefore = client.limitRefusals;

      // A burst of refusals (fault): paused, deferred, then synced.
      await env.fault({ errorCode: 'REQUEST_LIMIT_EXCEEDED', count: 2 });
      await env.post([visitEvent('v-limit', contacts[1]!.Email)], ws);
      await waitFor(
        async () => (await env.events(ws.id)).find((r) => r.event_id.startsWith('evt-v-limit'))?.status === 'deferred',
        10_000,
        'the deferral',
      );
      const deferred = (await env.events(ws.id)).find((r) => r.event_id.startsWith('evt-v-limit'))!;
      assert.match(deferred.status_reason ?? '', /^REQUEST_LIMIT_EXCEEDED/);
      await waitFor(
        async () => (await env.events(ws.id)).find((r) => r.event_id.startsWith('evt-v-limit'))?.status === 'synced',
        20_000,
        'sync after the pause',
      );
      assert.equal(client.limitRefusals - refusedBefore, 2, 'one refused call per pause, no spinning');

      // The org's daily limit spent: nothing goes through until it is raised.
      await env.setSetting('MaxApiSharePercent', '100');
      try {
        await env.control('POST', '/__emulator/limits', { DailyApiRequests: { Max: 100_000, Remaining: 0 } });
        const refused = client.limitRefusals;
        await env.post([visitEvent('v-spent', contacts[2]!.Email)], ws);
        await new Promise((r) => setTimeout(r, 3000));
        const during = client.limitRefusals - refused;
        // Pauses of 0.3 s, 0.6 s, then 1 s: at most ~5 refused calls in 3 s, never a spin.
        assert.ok(during >= 1 && during <= 6, `refused calls while the limit was spent: ${during}`);
        assert.notEqual((await env.events(ws.id)).find((r) => r.event_id.startsWith('evt-v-spent'))!.status, 'synced');
        // The status page says why (between two pauses the event waits, deferred, with the same reason).
        await waitFor(
          async () =>
            (await env.packageApi('GET', `/v1/package/status?workspace=${ws.id}`, ws.orgKey)).json.backlog
              .pausedReason === 'REQUEST_LIMIT_EXCEEDED',
          5_000,
          'status to show the pause',
        );
        await env.control('POST', '/__emulator/limits', { DailyApiRequests: { Max: 100_000, Remaining: 90_000 } });
        await waitFor(
          async () => (await env.events(ws.id)).find((r) => r.event_id.startsWith('evt-v-spent'))?.status === 'synced',
          20_000,
          'sync after the limit was raised',
        );
      } finally {
        await env.control('POST', '/__emulator/limits', { DailyApiRequests: { Max: 100_000, Remaining: 90_000 } });
        await env.setSetting('MaxApiSharePercent', '20');
      }
      assert.equal(env.tasks(ws.id).length, 3);
    });

    test('per-record failures inside a Collections call quarantine only those events, with category and field', async () => {
      const ws = await env.newWorkspace('records');
      const contacts = env.soql<{ Email: string }>('SELECT Email FROM Contact ORDER BY Email LIMIT 3 OFFSET 40');
      await env.control('POST', '/__emulator/rules', NO_SECRET_TASKS);
      try {
        await env.setSetting('CreateLeadsForUnmatched', 'true');
        const longEmail = `${'x'.repeat(70)}@long.example`; // Lead.Email holds 80 characters
        await env.post(
          [
            visitEvent('v-ok-1', contacts[0]!.Email),
            visitEvent('v-secret', contacts[1]!.Email, { document: { name: 'Secret plan' } }),
            visitEvent('v-ok-2', contacts[2]!.Email),
            visitEvent('v-long', longEmail),
          ],
          ws,
        );
        await env.settle(20_000, ws.id);
        const rows = await env.events(ws.id);
        const by = (v: string) => rows.find((r) => r.event_id.startsWith(`evt-${v}-`))!;
        assert.equal(by('v-ok-1').status, 'synced');
        assert.equal(by('v-ok-2').status, 'synced');
        assert.deepEqual(
          [by('v-secret').status, by('v-secret').error_category, by('v-secret').error_code, by('v-secret').error_field],
          ['failed', 'validation', 'FIELD_CUSTOM_VALIDATION_EXCEPTION', 'Subject'],
        );
        assert.deepEqual(
          [by('v-long').status, by('v-long').error_category, by('v-long').error_code, by('v-long').error_field],
          ['failed', 'validation', 'STRING_TOO_LONG', 'Email'],
        );
        assert.equal(env.tasks(ws.id).length, 2);
        const errors = await env.packageApi('GET', `/v1/package/errors?workspace=${ws.id}`, ws.orgKey);
        assert.deepEqual(errors.json.groups, [
          { category: 'validation', label: 'Rejected by Salesforce validation', count: 2, kind: 'failed' },
        ]);

        // The admin fixes the rule; Retry from the package syncs them (the too-long email stays refused).
        await env.control('DELETE', '/__emulator/rules');
        const retried = await env.packageApi('POST', '/v1/package/errors/retry', ws.orgKey, {
          all: true,
          category: 'validation',
          workspace: ws.id,
        });
        assert.equal(retried.json.queued, 2);
        await env.settle(20_000, ws.id);
        assert.equal((await env.events(ws.id)).find((r) => r.event_id.startsWith('evt-v-secret-'))!.status, 'synced');
        assert.equal(env.tasks(ws.id).length, 3);
      } finally {
        await env.control('DELETE', '/__emulator/rules');
        await env.setSetting('CreateLeadsForUnmatched', 'false');
      }
    });

    test('quota: warning at QuotaWarningPercent, a clean stop at 100 % with events kept, resumed when the admin raises it', async () => {
      const ws = await env.newWorkspace('quota');
      const contacts = env.soql<{ Email: string }>('SELECT Email FROM Contact ORDER BY Email LIMIT 8 OFFSET 50');
      try {
        await env.setSetting('MonthlyTaskQuota', '5');
        await env.setSetting('QuotaWarningPercent', '60');
        await env.post(
          contacts.slice(0, 4).map((c, i) => visitEvent(`v-q${i}`, c.Email)),
          ws,
        );
        await env.settle(20_000, ws.id);
        let status = await env.packageApi('GET', `/v1/package/status?workspace=${ws.id}`, ws.orgKey);
        assert.deepEqual(
          { ...status.json.quota, month: undefined },
          { month: undefined, used: 4, limit: 5, warningPercent: 60, state: 'warning' },
        );

        await env.post(
          contacts.slice(4, 7).map((c, i) => visitEvent(`v-q${i + 4}`, c.Email)),
          ws,
        );
        await env.settle(20_000, ws.id);
        let rows = await env.events(ws.id);
        assert.equal(rows.filter((r) => r.status === 'synced').length, 5);
        const held = rows.filter((r) => r.status === 'deferred');
        assert.equal(held.length, 2);
        assert.ok(held.every((r) => /^MONTHLY_QUOTA/.test(r.status_reason ?? '')));
        const { rows: due } = await env.harness.db.query<{ next: Date }>(
          "SELECT next_attempt_at AS next FROM events WHERE workspace_id = $1 AND status = 'deferred'",
          [ws.id],
        );
        const now = new Date();
        assert.equal(
          due[0]!.next.toISOString(),
          new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString(),
          'held until the first instant of next month',
        );
        status = await env.packageApi('GET', `/v1/package/status?workspace=${ws.id}`, ws.orgKey);
        assert.equal(status.json.quota.state, 'exhausted');
        assert.equal(status.json.backlog.pausedReason, 'MONTHLY_QUOTA');
        // An update of an existing Task needs no quota.
        await env.post([visitEvent('v-q0', contacts[0]!.Email, { durationSeconds: 999 }, '2026-11-20T10:30:00Z')], ws);
        await env.settle(20_000, ws.id);
        assert.match(
          env.tasks(ws.id).find((t) => t.relay__ExternalKey__c === `${ws.id}:v-q0`)!.Description ?? '',
          /Duration: 16 min 39 s/,
        );

        await env.setSetting('MonthlyTaskQuota', '100');
        status = await env.packageApi('GET', `/v1/package/status?workspace=${ws.id}`, ws.orgKey); // the Setup page, after the admin saved
        await env.settle(20_000, ws.id);
        await waitFor(
          async () => (await env.events(ws.id)).every((r) => r.status === 'synced'),
          20_000,
          'held events to sync',
        );
        assert.equal(env.tasks(ws.id).length, 7);
        status = await env.packageApi('GET', `/v1/package/status?workspace=${ws.id}`, ws.orgKey);
        assert.equal(status.json.quota.state, 'ok');
        assert.equal(status.json.quota.used, 7);
      } finally {
        await env.setSetting('MonthlyTaskQuota', '100000');
        await env.setSetting('QuotaWarningPercent', '80');
      }
    });

    test('switches: RelayActive off defers, Sync* off skips, IncludeMessageContent and a Task field mapping change what is written', async () => {
      const ws = await env.newWorkspace('switches');
      const [c] = env.soql<{ Email: string }>('SELECT Email FROM Contact ORDER BY Email LIMIT 1 OFFSET 60');
      const mappingIds: string[] = [];
      try {
        await env.setSetting('RelayActive', 'false');
        await env.post([visitEvent('v-draft', c!.Email)], ws);
        await env.settle(20_000, ws.id);
        let rows = await env.events(ws.id);
        assert.equal(rows[0]!.status, 'deferred');
        assert.match(rows[0]!.status_reason ?? '', /^RELAY_INACTIVE/);
        await env.setSetting('RelayActive', 'true');
        await env.harness.db.query(
          "UPDATE events SET next_attempt_at = now() WHERE workspace_id = $1 AND status = 'deferred'",
          [ws.id],
        );
        await env.harness.companion.queue.nudge(ws.id);
        await waitFor(async () => (await env.events(ws.id))[0]!.status === 'synced', 20_000, 'sync once active');

        await env.setSetting('SyncVisits', 'false');
        await env.setSetting('SyncMessages', 'true');
        await env.setSetting('IncludeMessageContent', 'true');
        for (const [name, platformField, targetField] of [
          ['Task_Duration', 'visit.durationSeconds', 'relay__DurationSeconds__c'],
          ['Task_Document', 'visit.documentName', 'relay__DocumentName__c'],
        ] as const) {
          mappingIds.push(
            ...env.emu.org
              .insert(
                'relay__FieldMapping__mdt',
                [
                  {
                    DeveloperName: name,
                    MasterLabel: name,
                    Label: name,
                    Language: 'en_US',
                    NamespacePrefix: 'relay',
                    QualifiedApiName: `relay__${name}`,
                    relay__PlatformField__c: platformField,
                    relay__TargetObject__c: 'Task',
                    relay__TargetField__c: targetField,
                    relay__Direction__c: 'PlatformToSalesforce',
                    relay__Active__c: true,
                    relay__IsMatchField__c: false,
                  },
                ],
                { metadataApi: true, system: true },
              )
              .map((r) => r.id!),
          );
        }
        await env.post(
          [visitEvent('v-off', c!.Email), messageEvent('m-content', 'emma.kim@relay.test', { email: c!.Email })],
          ws,
        );
        await env.settle(20_000, ws.id);
        rows = await env.events(ws.id);
        const off = rows.find((r) => r.event_id.startsWith('evt-v-off'))!;
        assert.equal(off.status, 'skipped');
        assert.equal(off.status_reason, "SyncVisits is off in Relay's settings");
        const message = env.tasks(ws.id).find((t) => t.relay__ExternalKey__c === `${ws.id}:m-content`)!;
        assert.match(message.Description ?? '', /Hi there, the body\./);

        await env.setSetting('SyncVisits', 'true');
        await env.post([visitEvent('v-mapped', c!.Email, { durationSeconds: 77 })], ws);
        await env.settle(20_000, ws.id);
        const mapped = env.tasks(ws.id).find((t) => t.relay__ExternalKey__c === `${ws.id}:v-mapped`)!;
        assert.equal(mapped.relay__DurationSeconds__c, 77);
        assert.equal(mapped.relay__DocumentName__c, 'Pitch deck');
        assert.doesNotMatch(mapped.Description ?? '', /Duration:|Document:/, 'mapped data points leave Description');
        assert.match(mapped.Description ?? '', /Viewed: 80 %/, 'unmapped ones stay');
      } finally {
        await env.setSetting('RelayActive', 'true');
        await env.setSetting('SyncVisits', 'true');
        await env.setSetting('IncludeMessageContent', 'false');
        if (mappingIds.length) env.emu.org.delete(mappingIds, { metadataApi: true, system: true });
      }
    });

    test('above the threshold, Bulk API 2.0 upserts the Tasks and every result row is read back to its event', async () => {
      const ws = await env.newWorkspace('bulk');
      const contacts = env.soql<{ Email: string }>('SELECT Email FROM Contact ORDER BY Email LIMIT 5 OFFSET 80');
      await env.control('POST', '/__emulator/rules', NO_SECRET_TASKS);
      env.sync.engine.tuning.bulkThreshold = 3;
      env.sync.engine.tuning.bulkPollMs = 50;
      try {
        await env.resetUsage();
        await env.post(
          contacts.map((c, i) =>
            visitEvent(`v-bulk-${i}`, c.Email, i === 2 ? { document: { name: 'Secret plan' } } : {}),
          ),
          ws,
        );
        await env.settle(30_000, ws.id);
        const rows = await env.events(ws.id);
        assert.deepEqual(
          rows.map((r) => r.status),
          ['synced', 'synced', 'failed', 'synced', 'synced'],
        );
        assert.deepEqual([rows[2]!.error_code, rows[2]!.error_field], ['FIELD_CUSTOM_VALIDATION_EXCEPTION', 'Subject']);
        assert.ok(
          rows
            .filter((r) => r.status === 'synced')
            .every((r) => /^00T/.test(r.result?.taskId) && r.result?.created === true),
        );
        assert.equal(env.tasks(ws.id).length, 4);
        const usage = await env.usage();
        assert.ok(
          Object.keys(usage.byEndpoint).some((k) => k.startsWith('POST /jobs/ingest')),
          JSON.stringify(usage.byEndpoint),
        );
      } finally {
        env.sync.engine.tuning.bulkThreshold = 10_000;
        env.sync.engine.tuning.bulkPollMs = 1000;
        await env.control('DELETE', '/__emulator/rules');
      }
    });

    test('duplicate rules: a new Lead is attached to the duplicate Salesforce found, or saved anyway with AllowSaveDuplicates', async () => {
      const ws = await env.newWorkspace('dupes');
      try {
        // The match cache still remembers "nobody" when another system creates the Lead.
        await env.post([visitEvent('v-d0', 'late.lead@dup.example')], ws);
        await env.settle(20_000, ws.id);
        const [existing] = env.insert('Lead', [
          { LastName: 'Late', Company: 'Dup Co', Email: 'late.lead@dup.example' },
        ]);
        await env.control('POST', '/__emulator/rules', { duplicateRules: [{ object: 'Lead', action: 'allow' }] });
        await env.setSetting('CreateLeadsForUnmatched', 'true');
        await env.post([visitEvent('v-d1', 'late.lead@dup.example')], ws);
        await env.settle(20_000, ws.id);
        const attached = (await env.events(ws.id)).find((r) => r.event_id.startsWith('evt-v-d1-'))!;
        assert.equal(attached.status, 'synced', JSON.stringify(attached));
        assert.equal(attached.result?.whoId, existing);
        assert.match(attached.result?.matchReason, /^attached to duplicate Lead/);
        assert.equal(env.soql("SELECT Id FROM Lead WHERE Email = 'late.lead@dup.example'").length, 1);

        // Another Lead appears behind the cache's back; the admin chose to save duplicates anyway.
        env.insert('Lead', [{ LastName: 'Late2', Company: 'Dup Co', Email: 'second.late@dup.example' }]);
        env.sync.engine.cache(ws.id).setPerson('second.late@dup.example', null);
        await env.setSetting('AllowSaveDuplicates', 'true');
        await env.post([visitEvent('v-d3', 'second.late@dup.example')], ws);
        await env.settle(20_000, ws.id);
        assert.equal(
          env.soql("SELECT Id FROM Lead WHERE Email = 'second.late@dup.example'").length,
          2,
          'saved despite the rule, as the admin chose',
        );
      } finally {
        await env.control('DELETE', '/__emulator/rules');
        await env.setSetting('CreateLeadsForUnmatched', 'false');
        await env.setSetting('AllowSaveDuplicates', 'false');
      }
    });

    test('duplicate rules for prospects: a new person is attached to the duplicate Salesforce found, or saved anyway with AllowSaveDuplicates', async () => {
      const ws = await env.newWorkspace('dupe-people');
      // Matched by phone, the lookup cannot see the Lead that shares the prospect's email: only
      // Salesforce's duplicate rule (on Email) does.
      const keys = env.soql<{ Id: string; DeveloperName: string }>(
        "SELECT Id, DeveloperName FROM relay__FieldMapping__mdt WHERE DeveloperName IN ('Contact_Email', 'Lead_Email', 'Contact_Phone', 'Lead_Phone')",
      );
      const matchBy = (field: 'Email' | 'Phone') =>
        env.emu.org.update(
          'relay__FieldMapping__mdt',
          keys.map((k) => ({ Id: k.Id, relay__IsMatchField__c: k.DeveloperName.endsWith(`_${field}`) })),
          { metadataApi: true, system: true },
        );
      let n = 0;
      const prospect = (phone: string, email: string) => ({
        specversion: '1.0',
        id: `evt-dupe-prospect-${++n}`,
        source: 'andsend',
        type: 'relay.prospect.upserted',
        time: '2026-11-20T10:00:00Z',
        data: { prospectId: `dupe-${n}`, fields: { phone, email, lastName: 'Twice', company: 'Dup Co' } },
      });
      const [existing] = env.insert('Lead', [
        { LastName: 'Once', Company: 'Dup Co', Email: 'twice@dup-people.example', Phone: '+15550100001' },
      ]);
      try {
        matchBy('Phone');
        await env.control('POST', '/__emulator/rules', { duplicateRules: [{ object: 'Lead', action: 'allow' }] });
        await env.post([prospect('+15550100002', 'twice@dup-people.example')], ws);
        await env.settle(20_000, ws.id);
        const [attached] = await env.events(ws.id);
        assert.equal(attached!.status, 'synced', JSON.stringify(attached));
        assert.equal(attached!.result?.recordId, existing);
        assert.equal(attached!.result?.created, false);
        assert.match(attached!.result?.matchReason, /^attached to duplicate Lead/);
        assert.equal(env.soql("SELECT Id FROM Lead WHERE Email = 'twice@dup-people.example'").length, 1);

        await env.setSetting('AllowSaveDuplicates', 'true');
        await env.post([prospect('+15550100003', 'twice@dup-people.example')], ws);
        await env.settle(20_000, ws.id);
        const saved = (await env.events(ws.id)).find((r) => r.event_id === `evt-dupe-prospect-${n}`)!;
        assert.equal(saved.status, 'synced', JSON.stringify(saved));
        assert.equal(saved.result?.created, true);
        assert.equal(
          env.soql("SELECT Id FROM Lead WHERE Email = 'twice@dup-people.example'").length,
          2,
          'saved despite the rule, as the admin chose',
        );
      } finally {
        matchBy('Email');
        await env.control('DELETE', '/__emulator/rules');
        await env.setSetting('AllowSaveDuplicates', 'false');
      }
    });

    test('prospects and list members: Lead or Contact + Account by RecordMode, known people updated not duplicated, campaign members', async () => {
      const ws = await env.newWorkspace('people');
      const contact = env.soql<{ Id: string; Email: string }>(
        'SELECT Id, Email FROM Contact ORDER BY Email LIMIT 1 OFFSET 90',
      )[0]!;
      const campaign = env.soql<{ Id: string }>("SELECT Id FROM Campaign WHERE Name = 'Relay Demo Campaign'")[0]!.Id;
      const prospect = (id: string, fields: Record<string, unknown>, ownerEmail?: string) => ({
        specversion: '1.0',
        id: `evt-${id}-${++n}`,
        source: 'andsend',
        type: 'relay.prospect.upserted',
        time: '2026-11-20T10:00:00Z',
        data: { prospectId: id, fields, ...(ownerEmail ? { ownerEmail } : {}) },
      });
      const member = (email: string, data: Record<string, unknown>) => ({
        specversion: '1.0',
        id: `evt-member-${++n}`,
        source: 'andsend',
        type: 'relay.list.member.added',
        time: '2026-11-20T10:00:00Z',
        data: {
          listId: 'list-7',
          listName: 'Webinar',
          contact: { email, firstName: 'Lee', lastName: 'Member' },
          ...data,
        },
      });
      try {
        await env.post(
          [
            prospect(
              'p-new',
              {
                email: 'pat.new@prospect.example',
                firstName: 'Pat',
                lastName: 'New',
                company: 'Prospect Co',
                title: 'CTO',
              },
              'mia.garcia@relay.test',
            ),
            prospect('p-known', { email: contact.Email.toUpperCase(), title: 'Chief Buyer', phone: '+1 212 555 7777' }),
            member('lee.member@list.example', { campaignName: 'Relay Demo Campaign' }),
            member(contact.Email, { campaignId: campaign }),
          ],
          ws,
        );
        await env.settle(20_000, ws.id);
        const rows = await env.events(ws.id);
        assert.ok(
          rows.every((r) => r.status === 'synced'),
          JSON.stringify(rows),
        );
        const [pat] = env.soql<{
          Id: string;
          FirstName: string;
          LastName: string;
          Company: string;
          Title: string;
          OwnerId: string;
          LeadSource: string;
        }>(
          "SELECT Id, FirstName, LastName, Company, Title, OwnerId, LeadSource FROM Lead WHERE Email = 'pat.new@prospect.example'",
        );
        assert.deepEqual(
          [pat!.FirstName, pat!.LastName, pat!.Company, pat!.Title, pat!.OwnerId, pat!.LeadSource],
          ['Pat', 'New', 'Prospect Co', 'CTO', user('mia.garcia@relay.test'), 'Relay'],
        );
        // Phone maps TwoWay (written); Title maps PreferSalesforceUnlessBlank (Salesforce has one: kept).
        const [known] = env.soql<{ Title: string; Phone: string }>(
          `SELECT Title, Phone FROM Contact WHERE Id = '${contact.Id}'`,
        );
        assert.equal(known!.Phone, '+1 212 555 7777');
        assert.notEqual(known!.Title, 'Chief Buyer');
        assert.equal(
          env.soql(
            `SELECT Id FROM Lead WHERE Email = '${contact.Email}' AND IsConverted = false AND CreatedDate = TODAY`,
          ).length,
          0,
          'the known Contact was not duplicated as a Lead',
        );
        const [lee] = env.soql<{ Id: string; Status: string }>(
          "SELECT Id, Status FROM Lead WHERE Email = 'lee.member@list.example'",
        );
        assert.equal(lee!.Status, 'New');
        const members = env.soql<{ LeadId: string; ContactId: string; Status: string }>(
          `SELECT LeadId, ContactId, Status FROM CampaignMember WHERE CampaignId = '${campaign}'`,
        );
        assert.ok(members.some((m) => m.LeadId === lee!.Id && m.Status === 'Sent'));
        assert.ok(members.some((m) => m.ContactId === contact.Id));
        // The same sign-up again: no second Lead, the membership already exists.
        await env.post([member('lee.member@list.example', { campaignName: 'Relay Demo Campaign' })], ws);
        await env.settle(20_000, ws.id);
        assert.equal(env.soql("SELECT Id FROM Lead WHERE Email = 'lee.member@list.example'").length, 1);
        assert.ok((await env.events(ws.id)).every((r) => r.status === 'synced'));

        await env.setSetting('RecordMode', 'ContactAccount');
        await env.post(
          [
            prospect('p-ca', {
              email: 'casey@newco.example',
              firstName: 'Casey',
              lastName: 'Cole',
              company: 'NewCo Holdings',
            }),
          ],
          ws,
        );
        await env.settle(20_000, ws.id);
        const [casey] = env.soql<{ Id: string; AccountId: string }>(
          "SELECT Id, AccountId FROM Contact WHERE Email = 'casey@newco.example'",
        );
        assert.ok(casey?.AccountId, 'a Contact with its Account');
        assert.equal(
          env.soql<{ Name: string }>(`SELECT Name FROM Account WHERE Id = '${casey!.AccountId}'`)[0]!.Name,
          'NewCo Holdings',
        );
        assert.equal(env.soql("SELECT Id FROM Lead WHERE Email = 'casey@newco.example'").length, 0);
      } finally {
        await env.setSetting('RecordMode', 'Lead');
      }
    });

    test('a prospect whose company names several Accounts joins the one activities would (most recently modified, then lowest Id)', async () => {
      const ws = await env.newWorkspace('twins');
      // Saved together, the two Accounts share their LastModifiedDate, so the lowest Id decides.
      const twins = env.insert('Account', [{ Name: 'Twin Holdings' }, { Name: 'Twin Holdings' }]);
      const dates = env.soql<{ Id: string; LastModifiedDate: string }>(
        "SELECT Id, LastModifiedDate FROM Account WHERE Name = 'Twin Holdings'",
      );
      assert.equal(new Set(dates.map((d) => d.LastModifiedDate)).size, 1, 'one save, one timestamp');
      const lowest = [...twins].sort()[0];
      try {
        await env.setSetting('RecordMode', 'ContactAccount');
        await env.post(
          [
            {
              specversion: '1.0',
              id: `evt-twin-${++n}`,
              source: 'andsend',
              type: 'relay.prospect.upserted',
              time: '2026-11-20T10:00:00Z',
              data: {
                prospectId: 'p-twin',
                fields: { email: 'tara@twin.example', firstName: 'Tara', lastName: 'Twin', company: 'Twin Holdings' },
              },
            },
          ],
          ws,
        );
        await env.settle(20_000, ws.id);
        const [tara] = env.soql<{ AccountId: string }>(
          "SELECT AccountId FROM Contact WHERE Email = 'tara@twin.example'",
        );
        assert.equal(tara?.AccountId, lowest, 'matching.ts chooseAccount: most recently modified, then lowest Id');
      } finally {
        await env.setSetting('RecordMode', 'Lead');
      }
    });

    test("Relay's share of the daily API limit is never exceeded: the workspace pauses with API_BUDGET and no call is made", async () => {
      const ws = await env.newWorkspace('budget');
      const contacts = env.soql<{ Email: string }>('SELECT Email FROM Contact ORDER BY Email LIMIT 3 OFFSET 100');
      await env.post([visitEvent('v-b0', contacts[0]!.Email)], ws);
      await env.settle(20_000, ws.id);
      const orgId = env.sync.engine.knownClient(ws.id)!.session!.orgId;
      const usage = await env.sync.engine.budget.usage(orgId, 1);
      try {
        // 1 % of the limit = what Relay already used + 1 call.
        await env.setSetting('MaxApiSharePercent', '1');
        await env.control('POST', '/__emulator/limits', {
          DailyApiRequests: { Max: (usage.relayUsed + 1) * 100, Remaining: (usage.relayUsed + 1) * 100 - 50 },
        });
        await env.post([visitEvent('v-b1', contacts[1]!.Email)], ws);
        await waitFor(
          async () => (await env.events(ws.id)).find((r) => r.event_id.startsWith('evt-v-b1'))?.status === 'deferred',
          20_000,
          'the budget deferral',
        );
        const deferred = (await env.events(ws.id)).find((r) => r.event_id.startsWith('evt-v-b1'))!;
        assert.match(deferred.status_reason ?? '', /^API_BUDGET/);
        const after = await env.sync.engine.budget.usage(orgId, 1);
        assert.ok(
          after.relayUsed <= after.relayBudget!,
          `${after.relayUsed} calls of a budget of ${after.relayBudget}`,
        );
        const status = await env.packageApi('GET', `/v1/package/status?workspace=${ws.id}`, ws.orgKey);
        assert.equal(status.json.backlog.pausedReason, 'API_BUDGET');
        assert.equal(status.json.apiUsage.maxSharePercent, 1);
      } finally {
        await env.control('POST', '/__emulator/limits', { DailyApiRequests: { Max: 100_000, Remaining: 90_000 } });
        await env.sync.engine.budget.observe(orgId, 10_000, 100_000);
        await env.setSetting('MaxApiSharePercent', '20');
        await env.harness.companion.queue.resumeWorkspace(ws.id);
      }
    });

    test('a write whose answer is lost (timeout after Salesforce saved it) is retried without a duplicate Task and counted once', async () => {
      const ws = await env.newWorkspace('lost');
      const [c] = env.soql<{ Email: string }>('SELECT Email FROM Contact ORDER BY Email LIMIT 1 OFFSET 110');
      await env.fault({ method: 'PATCH', path: '/composite/sobjects/*', latencyMs: 1500, count: 1 });
      env.sync.engine.clientTimeoutMs = 700; // the workspace's client is made at its first batch
      try {
        await env.post([visitEvent('v-lost', c!.Email)], ws);
        await env.settle(30_000, ws.id);
      } finally {
        env.sync.engine.clientTimeoutMs = undefined;
      }
      await new Promise((r) => setTimeout(r, 1000)); // the slow write lands in the org meanwhile
      await env.settle(30_000, ws.id);
      const [row] = await env.events(ws.id);
      assert.equal(row!.status, 'synced', JSON.stringify(row));
      assert.ok(row!.attempts >= 2, 'the timed-out attempt was retried');
      assert.equal(
        env.tasks(ws.id).length,
        1,
        'one Task: the external-id upsert found the one the lost answer created',
      );
      const status = await env.packageApi('GET', `/v1/package/status?workspace=${ws.id}`, ws.orgKey);
      assert.equal(status.json.quota.used, 1, 'counted once against the quota');
    });
  });
}
