// List sign-ups (`relay.list.member.added`) for people Salesforce already has: the record is never
// overwritten — mapped fields only fill what is blank in Salesforce, whatever their direction — and
// the person joins the linked Campaign: the event's own, else the admin's link of the list
// (relay__ListCampaignLink__mdt) with its member status. The SyncProspects and SyncListSignups
// switches skip people events before any write. Real intake, worker and engine over HTTP to the
// emulator.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSyncEnv, type SyncEnv } from './sync-helpers/env.js';

interface Person {
  Id: string;
  Email: string;
  FirstName: string | null;
  LastName: string;
  Title: string | null;
  Phone: string | null;
}

let n = 0;
function signUp(contact: Record<string, unknown>, data: Record<string, unknown> = {}) {
  return {
    specversion: '1.0',
    id: `evt-signup-${++n}`,
    source: 'mailer',
    type: 'relay.list.member.added',
    time: '2026-11-20T10:00:00Z',
    data: { listId: 'newsletter', listName: 'Newsletter', campaignName: 'Relay Demo Campaign', contact, ...data },
  };
}

function prospect(fields: Record<string, unknown>) {
  return {
    specversion: '1.0',
    id: `evt-prospect-${++n}`,
    source: 'mailer',
    type: 'relay.prospect.upserted',
    time: '2026-11-20T10:00:00Z',
    data: { prospectId: `p-${n}`, fields },
  };
}

/** Person writes (Collections PATCH) the emulator counted since the last reset. */
function updateCalls(byEndpoint: Record<string, number>): number {
  return Object.entries(byEndpoint)
    .filter(([key]) => /^PATCH .*composite\/sobjects/.test(key))
    .reduce((sum, [, calls]) => sum + calls, 0);
}

describe('list sign-ups of people Salesforce already has', () => {
  let env: SyncEnv;
  let campaign: string;
  before(async () => {
    env = await startSyncEnv();
    campaign = env.soql<{ Id: string }>("SELECT Id FROM Campaign WHERE Name = 'Relay Demo Campaign'")[0]!.Id;
  });
  after(async () => {
    await env?.close();
  });

  const person = (object: 'Contact' | 'Lead', id: string) =>
    env.soql<Person>(`SELECT Id, Email, FirstName, LastName, Title, Phone FROM ${object} WHERE Id = '${id}'`)[0]!;

  test('an existing Contact keeps its values and joins the Campaign, with no update call', async () => {
    const [id] = env.insert('Contact', [
      {
        FirstName: 'Ada',
        LastName: 'Byron',
        Email: 'ada.byron@known.example',
        Title: 'Countess',
        Phone: '+1 212 555 0101',
      },
    ]);
    await env.resetUsage();
    await env.post([
      signUp({
        email: 'Ada.Byron@known.example',
        firstName: 'Augusta',
        lastName: 'King',
        title: 'Analyst',
        phone: '+44 20 7946 0000',
      }),
    ]);
    await env.settle();
    const [row] = await env.events();
    assert.equal(row!.status, 'synced', JSON.stringify(row));
    assert.equal(row!.result?.recordId, id);
    assert.equal(row!.result?.created, false);
    const after = person('Contact', id!);
    assert.deepEqual(
      [after.FirstName, after.LastName, after.Title, after.Phone],
      ['Ada', 'Byron', 'Countess', '+1 212 555 0101'],
      'TwoWay and PreferSalesforceUnlessBlank fields alike: Salesforce wins',
    );
    const members = env.soql<{ ContactId: string; Status: string }>(
      `SELECT ContactId, Status FROM CampaignMember WHERE CampaignId = '${campaign}' AND ContactId = '${id}'`,
    );
    assert.equal(members.length, 1);
    const usage = await env.usage();
    assert.equal(updateCalls(usage.byEndpoint), 0, JSON.stringify(usage.byEndpoint));
  });

  test('an existing Lead: only fields blank in Salesforce are filled', async () => {
    const [id] = env.insert('Lead', [
      { LastName: 'Hopper', Company: 'Navy', Email: 'grace@known-lead.example', Title: null },
    ]);
    await env.post([
      signUp({ email: 'grace@known-lead.example', firstName: 'Grace', lastName: 'Other', title: 'Admiral' }),
    ]);
    await env.settle();
    const after = person('Lead', id!);
    assert.deepEqual([after.FirstName, after.LastName, after.Title], ['Grace', 'Hopper', 'Admiral']);
    assert.equal(
      env.soql(`SELECT Id FROM CampaignMember WHERE CampaignId = '${campaign}' AND LeadId = '${id}'`).length,
      1,
    );
  });

  test('a prospect in the same batch still updates as its mappings say; the sign-up adds nothing over it', async () => {
    const [id] = env.insert('Contact', [{ FirstName: 'Alan', LastName: 'Turing', Email: 'alan@known.example' }]);
    await env.post([
      {
        specversion: '1.0',
        id: `evt-prospect-${++n}`,
        source: 'mailer',
        type: 'relay.prospect.upserted',
        time: '2026-11-20T10:00:00Z',
        data: { prospectId: 'p-alan', fields: { email: 'alan@known.example', title: 'Codebreaker' } },
      },
      signUp({ email: 'alan@known.example', firstName: 'Alain', lastName: 'Other' }),
    ]);
    await env.settle();
    const after = person('Contact', id!);
    assert.deepEqual([after.FirstName, after.LastName, after.Title], ['Alan', 'Turing', 'Codebreaker']);
    assert.ok((await env.events()).every((r) => r.status === 'synced'));
  });

  test('a new person is still created from the sign-up (a Lead with Status New) and joins the Campaign', async () => {
    await env.post([signUp({ email: 'new.member@signup.example', firstName: 'Nia', lastName: 'New' })]);
    await env.settle();
    const [lead] = env.soql<{ Id: string; FirstName: string; Status: string }>(
      "SELECT Id, FirstName, Status FROM Lead WHERE Email = 'new.member@signup.example'",
    );
    assert.deepEqual([lead!.FirstName, lead!.Status], ['Nia', 'New']);
    assert.equal(
      env.soql(`SELECT Id FROM CampaignMember WHERE CampaignId = '${campaign}' AND LeadId = '${lead!.Id}'`).length,
      1,
    );
  });

  test('SyncProspects and SyncListSignups off: prospects and sign-ups end skipped by rule, with no write; on: synced', async () => {
    const people = [
      prospect({ email: 'off.prospect@switch.example', firstName: 'Otto', lastName: 'Off', company: 'Switch Co' }),
      signUp({ email: 'off.signup@switch.example', firstName: 'Sia', lastName: 'Off' }),
    ];
    try {
      await env.setSetting('SyncProspects', 'false');
      await env.setSetting('SyncListSignups', 'false');
      await env.resetUsage();
      const before = new Set((await env.events()).map((r) => r.event_id));
      await env.post(people);
      await env.settle();
      const rows = (await env.events()).filter((r) => !before.has(r.event_id));
      assert.deepEqual(
        rows.map((r) => [r.type, r.status, r.status_reason]),
        [
          ['relay.prospect.upserted', 'skipped', "SyncProspects is off in Relay's settings"],
          ['relay.list.member.added', 'skipped', "SyncListSignups is off in Relay's settings"],
        ],
      );
      const usage = await env.usage();
      // Only the configuration read: no person, Account or CampaignMember write was spent.
      assert.deepEqual(Object.keys(usage.byEndpoint), ['POST /composite'], JSON.stringify(usage.byEndpoint));
      assert.equal(usage.apiRequests, 1, JSON.stringify(usage.byEndpoint));
      assert.equal(env.soql("SELECT Id FROM Lead WHERE Email LIKE '%@switch.example'").length, 0);
      const status = await env.packageApi('GET', '/v1/package/status');
      assert.equal(status.json.backlog.skippedBy['SyncProspects off'], 1, status.text);
      assert.equal(status.json.backlog.skippedBy['SyncListSignups off'], 1, status.text);
    } finally {
      await env.setSetting('SyncProspects', 'true');
      await env.setSetting('SyncListSignups', 'true');
    }
    await env.post(people.map((e) => ({ ...e, id: `${e.id}-again` })));
    await env.settle();
    const again = (await env.events()).filter((r) => r.event_id.endsWith('-again'));
    assert.deepEqual(
      again.map((r) => r.status),
      ['synced', 'synced'],
      JSON.stringify(again),
    );
    assert.equal(env.soql("SELECT Id FROM Lead WHERE Email LIKE '%@switch.example'").length, 2);
  });

  describe("the admin's list → Campaign link", () => {
    let webinar: string;
    let linkIds: string[] = [];
    before(() => {
      webinar = env.insert('Campaign', [{ Name: 'Webinar December', IsActive: true }])[0]!;
      linkIds = env.emu.org
        .insert(
          'relay__ListCampaignLink__mdt',
          [
            {
              DeveloperName: 'Link_1',
              MasterLabel: 'Link 1',
              Label: 'Link 1',
              Language: 'en_US',
              QualifiedApiName: 'Link_1',
              relay__PlatformListId__c: 'webinar-list',
              relay__CampaignId__c: webinar,
              relay__MemberStatus__c: 'Responded',
              relay__Active__c: true,
            },
          ],
          { metadataApi: true, system: true },
        )
        .map((r) => r.id!);
    });
    after(() => {
      env.emu.org.delete(linkIds, { metadataApi: true, system: true });
    });

    const membersOf = (campaignId: string, leadEmail: string) =>
      env.soql<{ Status: string }>(
        `SELECT Status FROM CampaignMember WHERE CampaignId = '${campaignId}' AND LeadId IN (SELECT Id FROM Lead WHERE Email = '${leadEmail}')`,
      );

    test("a sign-up to a linked list joins the link's Campaign with the link's member status", async () => {
      await env.post([
        signUp(
          { email: 'linked@webinar.example', firstName: 'Lin', lastName: 'Ked' },
          { listId: 'webinar-list', listName: 'Webinar', campaignName: undefined },
        ),
      ]);
      await env.settle();
      assert.deepEqual(
        membersOf(webinar, 'linked@webinar.example').map((m) => m.Status),
        ['Responded'],
      );
    });

    test("the event's own campaign wins over the list's link", async () => {
      await env.post([
        signUp(
          { email: 'own@webinar.example', firstName: 'Owen', lastName: 'Own' },
          { listId: 'webinar-list', listName: 'Webinar' },
        ),
      ]);
      await env.settle();
      assert.deepEqual(
        membersOf(campaign, 'own@webinar.example').map((m) => m.Status),
        ['Sent'],
        'the campaign the event names (Relay Demo Campaign), with Status Sent',
      );
      assert.equal(membersOf(webinar, 'own@webinar.example').length, 0, "not the link's Campaign");
    });
  });
});
