// What reaches the platform from Salesforce follows the platform's rules: contacts created from
// Salesforce carry the auto-created tag when that switch is on (its text configurable), and every
// value passes Brevo's rules first — dates as YYYY-MM-DD, phones in E.164 with 6 to 16 digits, no
// formula fields, checkboxes and picklists through the mapping's value map. A refused value is left
// out (the rest of the record is delivered) and named, field, value and rule, in the package's error
// list and counted on Sync health. Real companion and emulator over HTTP, a real receiver; time
// moves with the emulator's clock.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startReverseEnv, waitFor, type ReverseEnv, type RestClient } from './reverse-helpers/env.js';
import { field } from '../../emulator/src/schema/types.js';

const MINUTE = 61_000;

describe("reverse sync: the platform's rules", () => {
  let env: ReverseEnv;
  let ava: RestClient;

  /** A field mapping the admin added (the Setup page deploys them through the Metadata API). */
  function addMapping(name: string, platformField: string, target: string, valueMap?: Record<string, string>) {
    const [object, targetField] = target.split('.') as [string, string];
    const [r] = env.emu.org.insert(
      'relay__FieldMapping__mdt',
      [
        {
          DeveloperName: name,
          MasterLabel: name,
          relay__PlatformField__c: platformField,
          relay__TargetObject__c: object,
          relay__TargetField__c: targetField,
          relay__Direction__c: 'SalesforceToPlatform',
          relay__ValueMap__c: valueMap ? JSON.stringify(valueMap) : null,
          relay__Active__c: true,
          relay__IsMatchField__c: false,
        },
      ],
      { metadataApi: true, system: true },
    );
    assert.ok(r?.success, JSON.stringify(r?.errors));
  }

  before(async () => {
    env = await startReverseEnv();
    ava = await env.asUser('ava.reed@relay.test');
    // An admin's formula field on Contact, which a mapping deployed around the Setup page names.
    env.emu.org.schema.addField('Contact', field('Score__c', 'double', { label: 'Score', calculated: true }));
    addMapping('Contact_Birthdate', 'birthday', 'Contact.Birthdate');
    addMapping('Contact_EmailBouncedDate', 'bouncedAt', 'Contact.EmailBouncedDate');
    addMapping('Contact_Department', 'lastSeenAt', 'Contact.Department');
    addMapping('Contact_Score', 'score', 'Contact.Score__c');
    addMapping('Contact_HasOptedOutOfEmail', 'emailOptOut', 'Contact.HasOptedOutOfEmail', { yes: 'true', no: 'false' });
    addMapping('Contact_LeadSource', 'source', 'Contact.LeadSource', { web: 'Web', partner: 'Partner Referral' });
    await env.advance(MINUTE);
    await env.setSetting('CreatePlatformContacts', 'true');
    await env.refreshConfig();
    assert.equal((await env.reverse.poll(env.ws.id)).status, 'polled', 'watching starts');
  });
  after(async () => {
    await env?.close();
  });

  /** One poll and delivery round; the events about `ids` it delivered, in the order given. */
  async function cycle(...ids: string[]) {
    const seen = env.receiver.received.length;
    await env.advance(MINUTE);
    const { poll } = await env.reverse.pollAndDeliver(env.ws.id);
    assert.equal(poll.status, 'polled', JSON.stringify(poll));
    const mine = () => env.receiver.received.slice(seen).filter((r) => ids.includes(r.json?.subject));
    await waitFor(async () => mine().length >= ids.length, 10_000, `events about ${ids.join(', ')}`);
    return ids.map((id) => mine().find((r) => r.json.subject === id)!.json);
  }

  const packageApi = async (method: 'GET' | 'POST', url: string, body?: unknown) => {
    const res = await env.harness.companion.app.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${env.ws.orgKey}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    return { status: res.statusCode, json: res.json() as any };
  };

  /** The refused values listed among the package's errors for one record. */
  async function refusedOf(recordId: string) {
    const { items } = (await packageApi('GET', '/v1/package/errors?category=delivery')).json;
    return (items as any[]).filter((i) => i.errorCode === 'PLATFORM_RULE' && i.recordId === recordId);
  }

  test('tag off (the default): a Contact created in Salesforce carries no auto-created tag', async () => {
    const id = await ava.create('Contact', { LastName: 'Untagged', Email: 'untagged@rules.example' });
    const [event] = await cycle(id);
    assert.equal(event.type, 'relay.salesforce.contact.created');
    assert.deepEqual(event.data.tags, []);
  });

  test('tag on: created Contacts and Leads carry "Auto-created: Salesforce"; their updates do not', async () => {
    await env.setSetting('TagAutoCreated', 'true');
    await env.refreshConfig();
    const contact = await ava.create('Contact', { LastName: 'Tagged', Email: 'tagged@rules.example' });
    const lead = await ava.create('Lead', { LastName: 'Tagged', Company: 'Rules Ltd', Email: 'lead@rules.example' });
    const [c, l] = await cycle(contact, lead);
    assert.equal(c.type, 'relay.salesforce.contact.created');
    assert.deepEqual(c.data.tags, ['Auto-created: Salesforce']);
    assert.equal(l.type, 'relay.salesforce.lead.created');
    assert.deepEqual(l.data.tags, ['Auto-created: Salesforce']);
    await ava.update('Contact', contact, { Title: 'Now known' });
    const [updated] = await cycle(contact);
    assert.equal(updated.type, 'relay.salesforce.contact.updated');
    assert.deepEqual(updated.data.tags, [], 'only a creation is tagged');
  });

  test("tag text is the admin's: AutoCreatedTagText replaces the default", async () => {
    await env.setSetting('AutoCreatedTagText', 'From the CRM');
    await env.refreshConfig();
    const id = await ava.create('Contact', { LastName: 'Custom', Email: 'custom@rules.example' });
    const [event] = await cycle(id);
    assert.deepEqual(event.data.tags, ['From the CRM']);
    await env.setSetting('TagAutoCreated', 'false');
    await env.refreshConfig();
  });

  test('dates go as YYYY-MM-DD: a date as it is, a datetime as its UTC date, a date-typed platform field too', async () => {
    const id = await ava.create('Contact', {
      LastName: 'Dates',
      Email: 'dates@rules.example',
      Birthdate: '1990-05-17',
      EmailBouncedDate: '2026-11-22T23:30:00.000+0000',
      Department: '2026-11-21T10:00:00Z',
    });
    const [event] = await cycle(id);
    assert.equal(event.data.fields.Birthdate, '1990-05-17');
    assert.equal(event.data.fields.EmailBouncedDate, '2026-11-22');
    assert.equal(event.data.fields.Department, '2026-11-21', 'lastSeenAt is a date on the platform');
    assert.deepEqual(await refusedOf(id), []);
  });

  test('phones: one with its country code is sent in E.164; a national one or too few digits is refused', async () => {
    const plus = await ava.create('Contact', {
      LastName: 'Plus',
      Email: 'plus@rules.example',
      Phone: '+44 20 7946 0958',
    });
    const zeros = await ava.create('Contact', {
      LastName: 'Zeros',
      Email: 'zeros@rules.example',
      Phone: '0049 30 1234567',
    });
    const national = await ava.create('Contact', {
      LastName: 'National',
      Email: 'national@rules.example',
      Phone: '(415) 555-0100',
    });
    const short = await ava.create('Contact', { LastName: 'Short', Email: 'short@rules.example', Phone: '+1 234' });
    const [p, z, n, s] = await cycle(plus, zeros, national, short);
    assert.equal(p.data.fields.Phone, '+442079460958');
    assert.equal(z.data.fields.Phone, '+49301234567');
    for (const refused of [n, s]) {
      assert.equal('Phone' in refused.data.fields, false, 'a refused phone is not sent');
      assert.equal(refused.data.fields.LastName !== undefined, true, 'the rest of the record is');
      assert.equal(refused.data.changedFields.includes('Phone'), false);
    }
    const [named] = await refusedOf(national);
    assert.equal(named.field, 'Phone');
    assert.match(named.message, /"\(415\) 555-0100"/);
    assert.match(named.message, /country code.*6 to 16 digits/);
    assert.equal((await refusedOf(short)).length, 1);
  });

  test('a formula field is never sent, and its value is named', async () => {
    const [created] = env.emu.org.insert(
      'Contact',
      [{ LastName: 'Formula', Email: 'formula@rules.example', Score__c: 42 }],
      { system: true, runAsUserId: ava.userId },
    );
    const id = created!.id!;
    const [event] = await cycle(id);
    assert.equal('Score__c' in event.data.fields, false);
    assert.equal(event.data.fields.LastName, 'Formula');
    const [named] = await refusedOf(id);
    assert.equal(named.field, 'Score__c');
    assert.match(named.message, /"42".*formula/);
  });

  test('checkboxes and picklists go through the value map; a value the map lacks is refused, the rest sent', async () => {
    const mapped = await ava.create('Contact', {
      LastName: 'Mapped',
      Email: 'mapped@rules.example',
      HasOptedOutOfEmail: true,
      LeadSource: 'Partner Referral',
    });
    const unmapped = await ava.create('Contact', {
      LastName: 'Unmapped',
      Email: 'unmapped@rules.example',
      LeadSource: 'Other',
    });
    const [m, u] = await cycle(mapped, unmapped);
    assert.equal(m.data.fields.HasOptedOutOfEmail, 'yes');
    assert.equal(m.data.fields.LeadSource, 'partner');
    assert.equal(u.data.fields.HasOptedOutOfEmail, 'no', 'false through the map');
    assert.equal('LeadSource' in u.data.fields, false);
    const [named] = await refusedOf(unmapped);
    assert.equal(named.field, 'LeadSource');
    assert.match(named.message, /"Other".*value map/);
  });

  test('a refused value is listed (field, value, rule) and counted on Sync health until a corrected value is sent', async () => {
    const id = await ava.create('Contact', {
      LastName: 'Later',
      Email: 'later@rules.example',
      Department: 'next Tuesday',
    });
    const [event] = await cycle(id);
    assert.equal('Department' in event.data.fields, false);
    assert.equal(event.data.fields.Email, 'later@rules.example', 'the rest of the record is delivered');
    const [named] = await refusedOf(id);
    assert.deepEqual(
      { ...named, occurredAt: undefined, lastAttemptAt: undefined },
      {
        workspaceId: env.ws.id,
        eventId: event.id,
        source: event.source,
        type: 'relay.salesforce.contact.created',
        occurredAt: undefined,
        lastAttemptAt: undefined,
        attempts: 0,
        category: 'delivery',
        errorCode: 'PLATFORM_RULE',
        field: 'Department',
        message: 'Contact.Department = "next Tuesday" was not sent: the platform takes dates as YYYY-MM-DD',
        subject: 'later@rules.example',
        recordId: id,
        cause: 'delivery:PLATFORM_RULE:Department',
        fix: {
          code: 'PLATFORM_RULE',
          text: 'Correct Department in Salesforce in the form the platform takes, or give the mapping a value map',
          place: 'salesforce',
          placeLabel: "Salesforce Setup (the field, or the integration user's access)",
        },
      },
    );
    const status = (await packageApi('GET', '/v1/package/status')).json.outbound;
    assert.ok(status.rejected >= 1, JSON.stringify(status));
    const retried = (await packageApi('POST', '/v1/package/errors/retry', { eventIds: [event.id] })).json;
    assert.equal(retried.queued, 0, 'a retry cannot send a refused value');
    assert.equal(retried.left[0]?.count, 1);
    // Corrected in Salesforce, the value is sent and its refusal is over.
    await ava.update('Contact', id, { Department: '2026-12-01' });
    const [corrected] = await cycle(id);
    assert.equal(corrected.type, 'relay.salesforce.contact.updated');
    assert.equal(corrected.data.fields.Department, '2026-12-01');
    assert.deepEqual(corrected.data.changedFields, ['Department']);
    assert.deepEqual(await refusedOf(id), []);
    assert.equal((await packageApi('GET', '/v1/package/status')).json.outbound.rejected, status.rejected - 1);
  });
});
