// Object rules (Task, CampaignMember), converted Leads, and the admin behaviours switched on
// through the control plane: duplicate rules and validation rules.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startOrg, type TestOrg } from './helpers.js';

let org: TestOrg;
before(async () => {
  org = await startOrg();
});
after(() => org.close());

async function firstId(soql: string): Promise<string> {
  const r = await org.conn.query<{ Id: string }>(soql);
  return r.records[0]!.Id;
}

describe('Task rules', () => {
  it('accepts Lead and Contact WhoIds and derives AccountId from the Contact', async () => {
    const contact = await org.conn.query<{ Id: string; AccountId: string }>(
      'SELECT Id, AccountId FROM Contact WHERE AccountId != null LIMIT 1',
    );
    const c = contact.records[0]!;
    const res = (await org.conn.sobject('Task').create({ Subject: 'c', WhoId: c.Id })) as { id: string };
    const task = (await org.conn.sobject('Task').retrieve(res.id)) as Record<string, unknown>;
    assert.equal(task.AccountId, c.AccountId);
  });

  it('refuses an Account as WhoId and a Lead WhoId with a WhatId (FIELD_INTEGRITY_EXCEPTION)', async () => {
    const accountId = await firstId('SELECT Id FROM Account LIMIT 1');
    const leadId = await firstId('SELECT Id FROM Lead WHERE IsConverted = false LIMIT 1');
    const who = await org.api('/sobjects/Task', { method: 'POST', body: { Subject: 's', WhoId: accountId } });
    assert.deepEqual(who.body, [
      {
        errorCode: 'FIELD_INTEGRITY_EXCEPTION',
        message: `Name ID: id value of incorrect type: ${accountId}`,
        fields: ['WhoId'],
      },
    ]);
    const both = await org.api('/sobjects/Task', {
      method: 'POST',
      body: { Subject: 's', WhoId: leadId, WhatId: accountId },
    });
    assert.equal(both.body[0].errorCode, 'FIELD_INTEGRITY_EXCEPTION');
    assert.deepEqual(both.body[0].fields, ['WhatId']);
  });

  it('makes TaskSubtype createable but not updateable, and rejects bad and dangling ids', async () => {
    const res = (await org.conn.sobject('Task').create({ Subject: 'e', TaskSubtype: 'Email' })) as { id: string };
    const upd = await org.api(`/sobjects/Task/${res.id}`, { method: 'PATCH', body: { TaskSubtype: 'Call' } });
    assert.equal(upd.status, 400);
    assert.equal(upd.body[0].errorCode, 'INVALID_FIELD_FOR_INSERT_UPDATE');
    assert.deepEqual(upd.body[0].fields, ['TaskSubtype']);
    const malformed = await org.api('/sobjects/Task', { method: 'POST', body: { Subject: 's', WhoId: 'nope' } });
    assert.equal(malformed.body[0].errorCode, 'MALFORMED_ID');
    const dangling = await org.api('/sobjects/Task', {
      method: 'POST',
      body: { Subject: 's', WhoId: '003000000000000AAA' },
    });
    assert.equal(dangling.body[0].errorCode, 'INVALID_CROSS_REFERENCE_KEY');
  });

  it('refuses clearing a required picklist on update', async () => {
    const res = (await org.conn.sobject('Task').create({ Subject: 'clear' })) as { id: string };
    const upd = await org.api(`/sobjects/Task/${res.id}`, { method: 'PATCH', body: { Status: null } });
    assert.deepEqual(upd.body, [
      { errorCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Status]', fields: ['Status'] },
    ]);
  });

  it('checks Description at 32,000 characters', async () => {
    const res = await org.api('/sobjects/Task', {
      method: 'POST',
      body: { Subject: 's', Description: 'd'.repeat(32001) },
    });
    assert.equal(res.body[0].errorCode, 'STRING_TOO_LONG');
    assert.match(res.body[0].message, /\(max length=32000\)$/);
  });
});

describe('Event rules', () => {
  it('needs a start and a duration or an end, and derives the other', async () => {
    const missing = await org.api('/sobjects/Event', { method: 'POST', body: { Subject: 'Meet' } });
    assert.equal(missing.body[0].errorCode, 'REQUIRED_FIELD_MISSING');
    const ok = await org.api('/sobjects/Event', {
      method: 'POST',
      body: { Subject: 'Meet', StartDateTime: '2026-12-01T10:00:00Z', EndDateTime: '2026-12-01T11:00:00Z' },
    });
    assert.equal(ok.status, 201);
    const ev = (await org.conn.sobject('Event').retrieve(String(ok.body.id))) as Record<string, unknown>;
    assert.equal(ev.DurationInMinutes, 60);
    assert.equal(ev.ActivityDateTime, '2026-12-01T10:00:00.000+0000');
  });
});

describe('CampaignMember rules', () => {
  it('uses the campaign statuses, refuses a second member and unknown statuses', async () => {
    const campaignId = await firstId("SELECT Id FROM Campaign WHERE Name = 'Relay Demo Campaign'");
    const statuses = await org.conn.query<{ Label: string; IsDefault: boolean; HasResponded: boolean }>(
      `SELECT Label, IsDefault, HasResponded FROM CampaignMemberStatus WHERE CampaignId = '${campaignId}' ORDER BY SortOrder`,
    );
    assert.deepEqual(
      statuses.records.map((s) => [s.Label, s.IsDefault, s.HasResponded]),
      [
        ['Sent', true, false],
        ['Responded', false, true],
      ],
    );
    const lead = (await org.conn.sobject('Lead').create({ LastName: 'Member', Company: 'M' })) as { id: string };
    const first = (await org.conn.sobject('CampaignMember').create({ CampaignId: campaignId, LeadId: lead.id })) as {
      id: string;
    };
    const member = (await org.conn.sobject('CampaignMember').retrieve(first.id)) as Record<string, unknown>;
    assert.equal(member.Status, 'Sent');
    const dup = await org.api('/sobjects/CampaignMember', {
      method: 'POST',
      body: { CampaignId: campaignId, LeadId: lead.id },
    });
    assert.deepEqual(dup.body, [{ errorCode: 'DUPLICATE_VALUE', message: 'Already a campaign member.', fields: [] }]);
    const none = await org.api('/sobjects/CampaignMember', { method: 'POST', body: { CampaignId: campaignId } });
    assert.equal(none.body[0].errorCode, 'REQUIRED_FIELD_MISSING');
    const lead2 = (await org.conn.sobject('Lead').create({ LastName: 'Member2', Company: 'M' })) as { id: string };
    const badStatus = await org.api('/sobjects/CampaignMember', {
      method: 'POST',
      body: { CampaignId: campaignId, LeadId: lead2.id, Status: 'Opened' },
    });
    assert.equal(badStatus.status, 400);
    const responded = await org.api(`/sobjects/CampaignMember/${first.id}`, {
      method: 'PATCH',
      body: { Status: 'Responded' },
    });
    assert.equal(responded.status, 204);
    const after = (await org.conn.sobject('CampaignMember').retrieve(first.id)) as Record<string, unknown>;
    assert.equal(after.HasResponded, true);
    const campaign = (await org.conn.sobject('Campaign').retrieve(campaignId)) as Record<string, unknown>;
    // The demo campaign has 5 Lead and 5 Contact members, one Contact responded; we added a Lead that responded.
    assert.deepEqual([campaign.NumberOfLeads, campaign.NumberOfContacts, campaign.NumberOfResponses], [6, 5, 2]);
  });
});

describe('admin rules', () => {
  it('reports duplicates with the duplicateResult body and honours allowSave', async () => {
    await org.control('/rules', { duplicateRules: [{ object: 'Lead', action: 'allow' }] }, 'PUT');
    const existing = await org.conn.query<{ Id: string; Email: string }>(
      'SELECT Id, Email FROM Lead WHERE IsConverted = false AND Email != null LIMIT 1',
    );
    const { Id, Email } = existing.records[0]!;
    const res = await org.api('/sobjects/Lead', {
      method: 'POST',
      body: { LastName: 'Dup', Company: 'D', Email: Email.toUpperCase() },
    });
    assert.equal(res.status, 400);
    const err = res.body[0];
    // Shape of a recorded standard-rule response (duplicateResult, errorCode, message; no fields).
    assert.deepEqual(Object.keys(err).sort(), ['duplicateResult', 'errorCode', 'message']);
    assert.equal(err.errorCode, 'DUPLICATES_DETECTED');
    assert.equal(err.message, "You're creating a duplicate record. We recommend you use an existing record instead.");
    assert.equal(err.duplicateResult.duplicateRule, 'Standard_Lead_Duplicate_Rule');
    assert.deepEqual(Object.keys(err.duplicateResult.matchResults[0]).sort(), [
      'entityType',
      'errors',
      'matchEngine',
      'matchRecords',
      'rule',
      'size',
      'success',
    ]);
    assert.equal(err.duplicateResult.allowSave, true);
    assert.equal(err.duplicateResult.duplicateRuleEntityType, 'Lead');
    assert.deepEqual(
      err.duplicateResult.matchResults[0].matchRecords.map((m: { record: { Id: string } }) => m.record.Id),
      [Id],
    );
    const saved = await org.api('/sobjects/Lead', {
      method: 'POST',
      body: { LastName: 'Dup', Company: 'D', Email },
      headers: { 'Sforce-Duplicate-Rule-Header': 'allowSave=true' },
    });
    assert.equal(saved.status, 201);
    // In Collections the error is per record.
    const coll = await org.api('/composite/sobjects', {
      method: 'POST',
      body: { records: [{ attributes: { type: 'Lead' }, LastName: 'D', Company: 'D', Email }] },
    });
    assert.equal(coll.body[0].errors[0].statusCode, 'DUPLICATES_DETECTED');
    await org.control('/rules', {}, 'DELETE');
  });

  it('applies validation rules with their message and field', async () => {
    await org.control(
      '/rules',
      {
        validationRules: [
          {
            name: 'Title_Required',
            object: 'Contact',
            when: { field: 'Title', op: 'blank' },
            message: 'Title is required for Relay contacts',
            errorField: 'Title',
          },
        ],
      },
      'PUT',
    );
    const res = await org.api('/sobjects/Contact', { method: 'POST', body: { LastName: 'NoTitle' } });
    assert.deepEqual(res.body, [
      {
        errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
        message: 'Title is required for Relay contacts',
        fields: ['Title'],
      },
    ]);
    await org.control('/rules', {}, 'DELETE');
    assert.equal((await org.api('/sobjects/Contact', { method: 'POST', body: { LastName: 'NoTitle' } })).status, 201);
  });

  it('freezes converted Leads (CANNOT_UPDATE_CONVERTED_LEAD)', async () => {
    // Error code list of the SOAP API; message as Marketo's sync-error guide quotes it.
    const converted = await firstId('SELECT Id FROM Lead WHERE IsConverted = true LIMIT 1');
    const upd = await org.api(`/sobjects/Lead/${converted}`, { method: 'PATCH', body: { Title: 'x' } });
    assert.deepEqual(upd.body, [
      { errorCode: 'CANNOT_UPDATE_CONVERTED_LEAD', message: 'cannot reference converted lead', fields: [] },
    ]);
    const task = await org.api('/sobjects/Task', { method: 'POST', body: { Subject: 's', WhoId: converted } });
    assert.equal(task.body[0].errorCode, 'CANNOT_UPDATE_CONVERTED_LEAD');
  });

  it('seeds converted Leads through the control plane', async () => {
    const contactId = await firstId('SELECT Id FROM Contact LIMIT 1');
    const res = (await org.control('/records/Lead', {
      records: [
        {
          LastName: 'Conv',
          Company: 'C',
          IsConverted: true,
          ConvertedContactId: contactId,
          ConvertedDate: '2026-02-01',
          Status: 'Closed - Converted',
        },
      ],
    })) as {
      results: { id: string; success: boolean }[];
    };
    assert.equal(res.results[0]!.success, true);
    const lead = (await org.conn.sobject('Lead').retrieve(res.results[0]!.id)) as Record<string, unknown>;
    assert.equal(lead.IsConverted, true);
    assert.equal(lead.ConvertedContactId, contactId);
  });

  it('switches rules on with a reset, and createEmulator({ rules }) keeps them across resets', async () => {
    await org.control('/reset', { seed: 'demo', rules: { duplicateRules: [{ object: 'Contact', action: 'block' }] } });
    const email = (await org.conn.query<{ Email: string }>('SELECT Email FROM Contact LIMIT 1')).records[0]!.Email;
    const blocked = await org.api('/sobjects/Contact', {
      method: 'POST',
      body: { LastName: 'Again', Email: email },
      headers: { 'Sforce-Duplicate-Rule-Header': 'allowSave=true' },
    });
    assert.equal(blocked.body[0].errorCode, 'DUPLICATES_DETECTED');
    assert.equal(blocked.body[0].duplicateResult.allowSave, false);
    await org.control('/reset', { seed: 'demo' });
    assert.deepEqual(await org.control('/rules'), { duplicateRules: [], validationRules: [] });

    const other = await startOrg({
      seed: 'empty',
      rules: { duplicateRules: [{ object: 'Lead' }], validationRules: [] },
    });
    try {
      await other.control('/reset', { seed: 'empty' });
      assert.equal(((await other.control('/rules')) as { duplicateRules: unknown[] }).duplicateRules.length, 1);
    } finally {
      await other.close();
    }
  });
});
