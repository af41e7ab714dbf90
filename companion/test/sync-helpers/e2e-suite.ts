// End-to-end tests of the sync engine: signed events posted to the real intake, synced by the real
// worker and engine, over HTTP, into the Salesforce emulator — run on PGlite and on PostgreSQL.
// Every test uses its own workspace (its own external keys, match cache and quota); tests that
// change the org's settings put them back.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BackendName } from '../helpers/backends.js';
import { startSyncEnv, waitFor, type SyncEnv } from './env.js';

let n = 0;
const id = (prefix: string) => `${prefix}-${++n}`;

export function visitEvent(
  ws: string,
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
        visitEvent(ws.id, 'v-c0', contacts[0]!.Email),
        visitEvent(ws.id, 'v-c0b', contacts[0]!.Email.toUpperCase(), { document: { name: 'Pricing' } }),
        visitEvent(ws.id, 'v-c1', contacts[1]!.Email),
        visitEvent(ws.id, 'v-c2', contacts[2]!.Email, { accountName: 'Globex Inc' }),
        // Leads.
        visitEvent(ws.id, 'v-l0', leads[0]!.Email),
        messageEvent('m-l1', 'emma.kim@relay.test', { email: leads[1]!.Email }),
        // A converted Lead: the activity goes to its Contact and that Contact's Account.
        visitEvent(ws.id, 'v-conv', 'moved.on@convert.example'),
        // No person, but an Account with the visit's account name.
        visitEvent(ws.id, 'v-acct', 'stranger@nowhere.example', { accountName: 'Acme Inc' }),
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
        visitEvent(ws.id, 'v-none', 'nobody@nowhere.example'),
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
        visitEvent(ws.id, 'v-1', c!.Email),
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
      env.sync.engine.tuning.visitResyncUnitMs = 1500; // VisitResyncMinutes (1) × 1.5 s
      try {
        await env.setSetting('VisitResyncMinutes', '1');
        const [c] = env.soql<{ Email: string }>('SELECT Email FROM Contact ORDER BY Email LIMIT 1 OFFSET 11');
        const at = (s: number) => new Date(Date.parse('2026-11-20T10:00:00Z') + s * 1000).toISOString();
        const v = (seconds: number, active: boolean) =>
          visitEvent(
            ws.id,
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
        assert.deepEqual(
          rows.map((r) => r.status),
          ['synced', 'deferred', 'deferred'],
        );
        assert.match(rows[1]!.status_reason ?? '', /^VISIT_CADENCE/);
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
        await env.post([visitEvent(ws.id, 'v-short', c!.Email, { durationSeconds: 3, active: true }, at(0))], ws);
        await env.settle(20_000, ws.id);
        await env.post(
          [4, 6, 8].map((s) => visitEvent(ws.id, 'v-short', c!.Email, { durationSeconds: s, active: s < 8 }, at(s))),
          ws,
        );
        await env.settle(20_000, ws.id);
        await new Promise((r) => setTimeout(r, 2000));
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
      await env.post(
        [visitEvent(ws.id, 'v-via-link', 'c@acme.example', { linkId: 'l-9', accountName: 'Acme Inc' })],
        ws,
      );
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
            visitEvent(ws.id, 'v-new', 'grace.hopper@navy.example', {
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
        await env.post([visitEvent(ws.id, 'v-new2', 'ada@analytical.example')], ws);
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
        await env.post([visitEvent(ws.id, 'v-skip', 'ghost@nowhere.example')], ws);
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
  });
}
