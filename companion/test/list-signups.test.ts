// List sign-ups (`relay.list.member.added`) for people Salesforce already has: the record is never
// overwritten — mapped fields only fill what is blank in Salesforce, whatever their direction — and
// the person joins the linked Campaign. Real intake, worker and engine over HTTP to the emulator.
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
});
