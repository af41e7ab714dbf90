// The object model: ids, describe properties, and the package metadata loaded from force-app/.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checksum, to18 } from '../src/index.js';
import { startOrg, type TestOrg } from './helpers.js';

const PACKAGE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'force-app', 'main', 'default');

let org: TestOrg;
before(async () => {
  org = await startOrg({ seed: 'empty' });
});
after(() => org.close());

describe('ids', () => {
  it('computes the case-safe suffix', () => {
    // The REST API Developer Guide's sample id 001D000000IqhSLIAZ.
    assert.equal(checksum('001D000000IqhSL'), 'IAZ');
    assert.equal(to18('001D000000IqhSL'), '001D000000IqhSLIAZ');
    assert.equal(to18('001D000000IqhSLIAZ'), '001D000000IqhSLIAZ');
    assert.equal(to18('001D000000IqhSLXXX'), undefined);
    assert.equal(to18('not-an-id'), undefined);
  });
});

describe('describe', () => {
  it('reports Task.WhoId, Task.Status and the package external key as Salesforce does', async () => {
    const d = await org.conn.sobject('Task').describe();
    const who = d.fields.find((f) => f.name === 'WhoId')!;
    assert.deepEqual(who.referenceTo, ['Contact', 'Lead']);
    assert.equal(who.namePointing, true);
    assert.equal(who.relationshipName, 'Who');
    const status = d.fields.find((f) => f.name === 'Status')!;
    assert.equal(status.defaultedOnCreate, true);
    assert.equal(status.nillable, false);
    assert.deepEqual(status.picklistValues!.find((p) => p.defaultValue)?.value, 'Not Started');
    const subtype = d.fields.find((f) => f.name === 'TaskSubtype')!;
    assert.equal(subtype.createable, true);
    assert.equal(subtype.updateable, false);
    const key = d.fields.find((f) => f.name === 'relay__ExternalKey__c')!;
    assert.deepEqual(
      {
        externalId: key.externalId,
        unique: key.unique,
        caseSensitive: key.caseSensitive,
        length: key.length,
        type: key.type,
        custom: key.custom,
        idLookup: key.idLookup,
      },
      {
        externalId: true,
        unique: true,
        caseSensitive: true,
        length: 255,
        type: 'string',
        custom: true,
        idLookup: true,
      },
    );
    assert.equal(d.keyPrefix, '00T');
    const description = d.fields.find((f) => f.name === 'Description')!;
    assert.equal(description.length, 32000);
    assert.equal(description.filterable, false);
  });

  it('reports Lead lengths and the restricted Status picklist default', async () => {
    const d = await org.conn.sobject('Lead').describe();
    const len = Object.fromEntries(d.fields.map((f) => [f.name, f.length]));
    assert.deepEqual([len.FirstName, len.LastName, len.Company, len.Email, len.Phone], [40, 80, 255, 80, 40]);
    const status = d.fields.find((f) => f.name === 'Status')!;
    assert.equal(status.picklistValues!.find((p) => p.defaultValue)?.value, 'Open - Not Contacted');
    for (const f of ['IsConverted', 'ConvertedContactId', 'ConvertedAccountId', 'ConvertedDate']) {
      assert.equal(d.fields.find((x) => x.name === f)!.createable, false, f);
    }
  });

  it('describes compound fields: addresses and person names', async () => {
    // Object Reference, "Address Compound Fields": BillingAddress of type address, read-only,
    // its components name it in compoundFieldName.
    const d = await org.conn.sobject('Account').describe();
    const billing = d.fields.find((f) => f.name === 'BillingAddress')!;
    assert.deepEqual([billing.type, billing.createable, billing.updateable], ['address', false, false]);
    assert.equal(d.fields.find((f) => f.name === 'BillingCity')!.compoundFieldName, 'BillingAddress');
    const lead = await org.conn.sobject('Lead').describe();
    assert.equal(lead.fields.find((f) => f.name === 'FirstName')!.compoundFieldName, 'Name');
    const created = (await org.conn
      .sobject('Account')
      .create({ Name: 'Addr', BillingCity: 'Paris', BillingCountry: 'France' })) as { id: string };
    const row = (await org.conn.sobject('Account').retrieve(created.id)) as Record<string, unknown>;
    assert.deepEqual(row.BillingAddress, {
      city: 'Paris',
      country: 'France',
      geocodeAccuracy: null,
      latitude: null,
      longitude: null,
      postalCode: null,
      state: null,
      street: null,
    });
    assert.equal(row.ShippingAddress, null);
  });

  it('answers 304 to If-Modified-Since on describe and describeGlobal', async () => {
    // REST API Developer Guide, "sObject Describe" / "Describe Global": If-Modified-Since header.
    const later = new Date(Date.now() + 60_000).toUTCString();
    assert.equal((await org.api('/sobjects/Lead/describe', { headers: { 'If-Modified-Since': later } })).status, 304);
    assert.equal((await org.api('/sobjects', { headers: { 'If-Modified-Since': later } })).status, 304);
    assert.equal(
      (await org.api('/sobjects', { headers: { 'If-Modified-Since': 'Thu, 01 Jan 2015 00:00:00 GMT' } })).status,
      200,
    );
  });

  it('lists every object in describeGlobal with the real key prefixes', async () => {
    const g = await org.conn.describeGlobal();
    const prefixes = Object.fromEntries(g.sobjects.map((s) => [s.name, s.keyPrefix]));
    assert.deepEqual(
      {
        Account: prefixes.Account,
        Contact: prefixes.Contact,
        Lead: prefixes.Lead,
        Task: prefixes.Task,
        Event: prefixes.Event,
        Campaign: prefixes.Campaign,
        CampaignMember: prefixes.CampaignMember,
        CampaignMemberStatus: prefixes.CampaignMemberStatus,
        User: prefixes.User,
        Organization: prefixes.Organization,
      },
      {
        Account: '001',
        Contact: '003',
        Lead: '00Q',
        Task: '00T',
        Event: '00U',
        Campaign: '701',
        CampaignMember: '00v',
        CampaignMemberStatus: '01Y',
        User: '005',
        Organization: '00D',
      },
    );
  });
});

describe('package metadata', () => {
  it('adds every Activity field of force-app to Task and Event with the relay__ prefix', async () => {
    const files = readdirSync(join(PACKAGE, 'objects', 'Activity', 'fields')).map(
      (f) => `relay__${f.replace('.field-meta.xml', '')}`,
    );
    for (const type of ['Task', 'Event']) {
      const d = await org.conn.sobject(type).describe();
      const names = new Set(d.fields.map((f) => f.name));
      for (const f of files) assert.ok(names.has(f), `${type}.${f}`);
    }
  });

  it('serves the package custom metadata records with SOQL', async () => {
    const records = readdirSync(join(PACKAGE, 'customMetadata')).filter((f) => f.startsWith('SyncSetting.'));
    const res = await org.conn.query<{
      DeveloperName: string;
      NamespacePrefix: string;
      QualifiedApiName: string;
      relay__Value__c: string | null;
    }>(
      'SELECT DeveloperName, MasterLabel, NamespacePrefix, QualifiedApiName, relay__Value__c, relay__Type__c FROM relay__SyncSetting__mdt',
    );
    assert.equal(res.totalSize, records.length);
    const leadSource = res.records.find((r) => r.DeveloperName === 'LeadSource')!;
    assert.equal(leadSource.NamespacePrefix, 'relay');
    assert.equal(leadSource.QualifiedApiName, 'relay__LeadSource');
    const xml = readFileSync(join(PACKAGE, 'customMetadata', 'SyncSetting.LeadSource.md-meta.xml'), 'utf8');
    const value = /<field>Value__c<\/field>\s*<value[^>]*>([^<]*)<\/value>/.exec(xml)?.[1];
    assert.equal(leadSource.relay__Value__c, value);
  });

  it('knows every custom metadata type of the package, the list campaign links included, with its fields', async () => {
    const types = readdirSync(join(PACKAGE, 'objects')).filter((d) => d.endsWith('__mdt'));
    assert.ok(types.includes('ListCampaignLink__mdt'), types.join(', '));
    for (const type of types) {
      const fields = readdirSync(join(PACKAGE, 'objects', type, 'fields')).map((f) => `relay__${f.split('.')[0]}`);
      const described = await org.conn.describe(`relay__${type}`);
      const names = described.fields.map((f) => f.name);
      assert.deepEqual(
        fields.filter((f) => !names.includes(f)),
        [],
        type,
      );
    }
    const links = await org.conn.query(
      'SELECT DeveloperName, relay__PlatformListId__c, relay__CampaignId__c, relay__MemberStatus__c, relay__Active__c FROM relay__ListCampaignLink__mdt',
    );
    assert.equal(links.totalSize, 0, 'the package ships no links');
  });

  it('refuses sObject writes to custom metadata', async () => {
    const res = await org.api('/sobjects/relay__SyncSetting__mdt', { method: 'POST', body: { DeveloperName: 'X' } });
    assert.equal(res.status, 400);
  });
});

describe('standard fields of the Object Reference', () => {
  const props = (f: any) => ({
    type: f.type,
    length: f.length,
    createable: f.createable,
    updateable: f.updateable,
    nillable: f.nillable,
    defaultedOnCreate: f.defaultedOnCreate,
  });

  it('describes the Account fields a field mapping or a Bulk column may name', async () => {
    // Object Reference (API 66.0), Account: AccountNumber string(40), Sic string(20), Site
    // string(80), TickerSymbol string(20), Ownership picklist, JigsawCompanyId read-only.
    const d = (await org.api('/sobjects/Account/describe')).body;
    const f = (name: string) => d.fields.find((x: any) => x.name === name);
    const editable = { createable: true, updateable: true, nillable: true, defaultedOnCreate: false };
    assert.deepEqual(props(f('AccountNumber')), { type: 'string', length: 40, ...editable });
    assert.deepEqual(props(f('Sic')), { type: 'string', length: 20, ...editable });
    assert.deepEqual(props(f('Site')), { type: 'string', length: 80, ...editable });
    assert.deepEqual(props(f('TickerSymbol')), { type: 'string', length: 20, ...editable });
    assert.deepEqual(
      f('Ownership').picklistValues.map((p: any) => p.value),
      ['Public', 'Private', 'Subsidiary', 'Other'],
    );
    assert.equal(f('JigsawCompanyId').createable, false);
    assert.deepEqual([f('BillingLatitude').precision, f('BillingLatitude').scale], [18, 15]);
    assert.equal(f('BillingLatitude').compoundFieldName, 'BillingAddress');
  });

  it('describes defaults and read-only fields of Lead, Contact, Task, Campaign and User', async () => {
    const field = async (object: string, name: string) =>
      (await org.api(`/sobjects/${object}/describe`)).body.fields.find((x: any) => x.name === name);
    // Object Reference: User.IsActive defaults to true; Contact.Birthdate is a date; Lead
    // ConvertedOpportunityId is read-only; Campaign.ExpectedResponse is a percent; Task has
    // the recurrence fields; Event IsPrivate is a checkbox.
    assert.equal((await field('User', 'IsActive')).defaultValue, true);
    assert.equal((await field('Contact', 'Birthdate')).type, 'date');
    assert.deepEqual(props(await field('Lead', 'ConvertedOpportunityId')), {
      type: 'reference',
      length: 18,
      createable: false,
      updateable: false,
      nillable: true,
      defaultedOnCreate: false,
    });
    assert.equal((await field('Campaign', 'ExpectedResponse')).type, 'percent');
    assert.equal((await field('Task', 'RecurrenceType')).restrictedPicklist, true);
    assert.equal((await field('Event', 'IsPrivate')).type, 'boolean');
    const saved = await org.api('/sobjects/Contact', {
      method: 'POST',
      body: { LastName: 'Standard', Birthdate: '1990-05-01', AssistantName: 'Sam', HomePhone: '555-0101' },
    });
    assert.equal(saved.status, 201);
    const back = await org.api(`/sobjects/Contact/${saved.body.id}?fields=Birthdate,AssistantName,HomePhone`);
    assert.equal(back.body.Birthdate, '1990-05-01');
    assert.equal(back.body.AssistantName, 'Sam');
  });
});
