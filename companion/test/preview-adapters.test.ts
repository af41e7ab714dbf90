// The preview's Apex adapters (POST /preview/apex/<Class>.<method>) against a real companion and an
// emulated org: each answers what its Apex method answers (docs/package-api.md), computed from the
// org (SOQL, describe, Metadata API) and the companion's package API; saves land in the org as
// custom metadata and are reported on the deployment event stream. Adapters that need a package
// API route the companion does not serve yet are skipped, saying which route.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPreviewEnv, type PreviewEnv } from './helpers/preview-env.js';

let env: PreviewEnv;

before(async () => {
  env = await startPreviewEnv({ listen: true });
});

after(async () => {
  await env?.close();
});

/** Reads the preview's SSE stream until `match` accepts an event (or times out). */
async function nextDeployment(jobId: string, timeoutMs = 10_000): Promise<Record<string, unknown>> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(
      `${env.url}/preview/events?channel=${encodeURIComponent('/event/relay__MetadataDeployment__e')}&replayId=-2`,
      { signal: controller.signal },
    );
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/event-stream/);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error('the event stream ended');
      buffer += decoder.decode(value, { stream: true });
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end < 0) break;
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = frame.split('\n').find((line) => line.startsWith('data: '));
        if (!data) continue;
        const event = JSON.parse(data.slice(6)) as { channel: string; data: { payload: Record<string, unknown> } };
        if (event.data.payload.relay__JobId__c === jobId) {
          assert.equal(event.channel, '/event/relay__MetadataDeployment__e');
          return event.data.payload;
        }
      }
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

describe('FieldMappingController', () => {
  test('getMappingEditor: the org’s mapping records, record mode, objects, platform fields and directions', async () => {
    const { status, json } = await env.apex('FieldMappingController.getMappingEditor');
    assert.equal(status, 200);
    assert.equal(json.recordMode, 'Lead');
    const records = env.soql<{ DeveloperName: string }>('SELECT DeveloperName FROM relay__FieldMapping__mdt');
    assert.deepEqual(
      json.mappings.map((m: { developerName: string }) => m.developerName),
      records.map((r) => r.DeveloperName).sort((a, b) => a.localeCompare(b)),
    );
    const title = json.mappings.find((m: { developerName: string }) => m.developerName === 'Lead_Title');
    assert.deepEqual(title, {
      developerName: 'Lead_Title',
      platformField: 'title',
      targetObject: 'Lead',
      targetField: 'Title',
      direction: 'PreferSalesforceUnlessBlank',
      valueMap: null,
      active: true,
      isMatchField: false,
    });
    assert.deepEqual(
      json.objects.map((o: { name: string }) => o.name),
      ['Lead', 'Contact', 'Account', 'Task'],
    );
    assert.deepEqual(json.platformFields[0], { name: 'email', label: 'Email', type: 'Email', maxLength: 80 });
    assert.deepEqual(
      json.directions.map((d: { value: string }) => d.value),
      ['TwoWay', 'PlatformToSalesforce', 'SalesforceToPlatform', 'PreferSalesforceUnlessBlank'],
    );
  });

  test('getTargetFields: Schema describe of the object, Apex’s type names and required rule', async () => {
    const { status, json } = await env.apex('FieldMappingController.getTargetFields', { objectName: 'Lead' });
    assert.equal(status, 200);
    const byName = new Map(json.map((f: { name: string }) => [f.name, f]));
    const title = byName.get('Title') as Record<string, unknown>;
    assert.equal(title.type, 'STRING');
    assert.equal(title.length, 128);
    assert.equal(title.createable, true);
    assert.equal(title.required, false);
    assert.equal((byName.get('LastName') as Record<string, unknown>).required, true);
    assert.equal((byName.get('Company') as Record<string, unknown>).required, true);
    assert.equal((byName.get('Email') as Record<string, unknown>).type, 'EMAIL');
    const status_ = byName.get('Status') as { type: string; picklistValues: Array<{ value: string }> };
    assert.equal(status_.type, 'PICKLIST');
    assert.ok(status_.picklistValues.some((p) => p.value === 'Open - Not Contacted'));
    // Sorted by label as the controller sorts them.
    const labels = json.map((f: { label: string; name: string }) => `${f.label.toLowerCase()}|${f.name}`);
    assert.deepEqual(labels, [...labels].sort());
    assert.ok(!json.some((f: { type: string }) => f.type === 'ADDRESS'), 'compound address fields are not mappable');
  });

  test('getTargetFields refuses an object Relay does not map', async () => {
    const { status, json } = await env.apex('FieldMappingController.getTargetFields', { objectName: 'Opportunity' });
    assert.equal(status, 400);
    assert.equal(json.exceptionType, 'System.AuraHandledException');
    assert.equal(json.message, 'Relay maps fields of Lead, Contact, Account, Task only, not "Opportunity".');
  });

  test('saveMappings deploys the records to the org and reports Succeeded on the event stream', async () => {
    const editor = (await env.apex('FieldMappingController.getMappingEditor')).json;
    const mappings = editor.mappings.map((m: Record<string, unknown>) =>
      m.developerName === 'Lead_Title' ? { ...m, direction: 'TwoWay' } : m,
    );
    mappings.push({
      developerName: null,
      platformField: 'city',
      targetObject: 'Lead',
      targetField: 'City',
      direction: 'PlatformToSalesforce',
      valueMap: null,
      active: true,
      isMatchField: false,
    });
    const { status, json } = await env.apex('FieldMappingController.saveMappings', {
      mappingsJson: JSON.stringify(mappings),
      recordMode: 'Lead',
    });
    assert.equal(status, 200, JSON.stringify(json));
    assert.match(json.jobId, /^0Af[A-Za-z0-9]{15}$/);
    const event = await nextDeployment(json.jobId);
    assert.equal(event.relay__Status__c, 'Succeeded', String(event.relay__Message__c));
    assert.match(String(event.relay__Message__c), /^Field mappings saved \(\d+ records deployed\)\.$/);
    const [title] = env.soql<{ relay__Direction__c: string; NamespacePrefix: string }>(
      "SELECT relay__Direction__c, NamespacePrefix FROM relay__FieldMapping__mdt WHERE DeveloperName = 'Lead_Title'",
    );
    assert.equal(title?.relay__Direction__c, 'TwoWay');
    assert.equal(title?.NamespacePrefix, 'relay', 'the package’s record is updated, not copied');
    const [city] = env.soql<Record<string, unknown>>(
      "SELECT MasterLabel, relay__PlatformField__c, relay__Active__c FROM relay__FieldMapping__mdt WHERE DeveloperName = 'Lead_City'",
    );
    assert.deepEqual(
      { label: city?.MasterLabel, field: city?.relay__PlatformField__c, active: city?.relay__Active__c },
      { label: 'Lead City', field: 'city', active: true },
    );
  });

  test('saveMappings refuses a mapping Salesforce would reject, naming the mapping and the rule', async () => {
    const editor = (await env.apex('FieldMappingController.getMappingEditor')).json;
    const mappings = [
      ...editor.mappings,
      {
        developerName: null,
        platformField: 'title',
        targetObject: 'Lead',
        targetField: 'IsConverted',
        direction: 'PlatformToSalesforce',
        valueMap: null,
        active: true,
        isMatchField: false,
      },
    ];
    const { status, json } = await env.apex('FieldMappingController.saveMappings', {
      mappingsJson: JSON.stringify(mappings),
      recordMode: 'Lead',
    });
    assert.equal(status, 400);
    assert.match(json.message, /^The mappings were not saved because of \d+ problems?:/);
    assert.match(json.message, /• Lead_IsConverted \(title → Lead\.IsConverted\): .*not createable/);
    assert.equal(
      env.soql("SELECT Id FROM relay__FieldMapping__mdt WHERE DeveloperName = 'Lead_IsConverted'").length,
      0,
    );
  });

  test('saveMappings refuses JSON that is not a list of mappings', async () => {
    const { status, json } = await env.apex('FieldMappingController.saveMappings', {
      mappingsJson: '{}',
      recordMode: 'Lead',
    });
    assert.equal(status, 400);
    assert.equal(json.message, 'The mappings must be a JSON array of mappings.');
  });
});

describe('ListCampaignLinkController', () => {
  const campaignId = () =>
    env.soql<{ Id: string }>("SELECT Id FROM Campaign WHERE Name = 'Relay Demo Campaign'")[0]!.Id;

  test('searchCampaigns finds Campaigns by part of their name, taking % and _ literally', async () => {
    const found = await env.apex('ListCampaignLinkController.searchCampaigns', { searchTerm: 'demo camp' });
    assert.equal(found.status, 200, JSON.stringify(found.json));
    assert.deepEqual(found.json, [{ id: campaignId(), name: 'Relay Demo Campaign', isActive: true }]);
    const wildcard = await env.apex('ListCampaignLinkController.searchCampaigns', { searchTerm: '%' });
    assert.deepEqual(wildcard.json, []);
  });

  test('saveLinks deploys a new link as Link_1, which getLinks then lists with its Campaign name', async () => {
    const { status, json } = await env.apex('ListCampaignLinkController.saveLinks', {
      linksJson: JSON.stringify([{ listId: 'newsletter', campaignId: campaignId(), memberStatus: 'Responded' }]),
    });
    assert.equal(status, 200, JSON.stringify(json));
    const event = await nextDeployment(json.jobId);
    assert.equal(event.relay__Status__c, 'Succeeded', String(event.relay__Message__c));
    const listed = (await env.apex('ListCampaignLinkController.getLinks')).json;
    assert.deepEqual(listed, {
      defaultMemberStatus: 'Sent',
      links: [
        {
          developerName: 'Link_1',
          listId: 'newsletter',
          campaignId: campaignId(),
          campaignName: 'Relay Demo Campaign',
          memberStatus: 'Responded',
          active: true,
        },
      ],
    });
  });

  test('saveLinks names each link it refuses, the field and the rule', async () => {
    const { status, json } = await env.apex('ListCampaignLinkController.saveLinks', {
      linksJson: JSON.stringify([
        { listId: '', campaignId: campaignId() },
        { listId: 'a', campaignId: '001000000000001AAA' },
      ]),
    });
    assert.equal(status, 400);
    assert.match(json.message, /^The links were not saved:\n• /);
    assert.match(json.message, /A link: listId is required\./);
    assert.match(json.message, /The link of list "a": campaignId must be a Campaign id/);
  });
});

describe('SyncSettingsController', () => {
  test('getSettings: every switch with its typed value, default, description and choices, in sort order', async () => {
    const { status, json } = await env.apex('SyncSettingsController.getSettings');
    assert.equal(status, 200);
    const count = env.soql('SELECT Id FROM relay__SyncSetting__mdt').length;
    assert.equal(json.length, count);
    const byName = new Map(json.map((s: { developerName: string }) => [s.developerName, s]));
    assert.equal((byName.get('RelayActive') as Record<string, unknown>).value, true);
    assert.equal((byName.get('VisitResyncMinutes') as Record<string, unknown>).value, 10);
    const mode = byName.get('RecordMode') as Record<string, unknown>;
    assert.deepEqual(mode.choices, ['Lead', 'ContactAccount']);
    assert.equal(typeof mode.description, 'string');
    const orders = json.map((s: { sortOrder: number | null }) => s.sortOrder ?? 9999);
    assert.deepEqual(
      orders,
      [...orders].sort((a, b) => a - b),
    );
  });

  test('saveSettings writes Value__c through the Metadata API and reports the deployment', async () => {
    const { status, json } = await env.apex('SyncSettingsController.saveSettings', {
      valuesJson: JSON.stringify({ VisitResyncMinutes: 15 }),
    });
    assert.equal(status, 200, JSON.stringify(json));
    const event = await nextDeployment(json.jobId);
    assert.equal(event.relay__Status__c, 'Succeeded');
    assert.equal(event.relay__Message__c, 'Sync settings saved (1 record deployed).');
    const [row] = env.soql<{ relay__Value__c: string; relay__Type__c: string; relay__DefaultValue__c: string }>(
      "SELECT relay__Value__c, relay__Type__c, relay__DefaultValue__c FROM relay__SyncSetting__mdt WHERE DeveloperName = 'VisitResyncMinutes'",
    );
    // The package's developer-controlled fields stay as they were.
    assert.deepEqual([row?.relay__Value__c, row?.relay__Type__c, row?.relay__DefaultValue__c], ['15', 'Number', '10']);
    const after = (await env.apex('SyncSettingsController.getSettings')).json;
    assert.equal(after.find((s: { developerName: string }) => s.developerName === 'VisitResyncMinutes').value, 15);
  });

  test('saveSettings names each value it refuses and the rule', async () => {
    const { status, json } = await env.apex('SyncSettingsController.saveSettings', {
      valuesJson: JSON.stringify({ VisitResyncMinutes: 0, NoSuchSetting: true }),
    });
    assert.equal(status, 400);
    assert.match(json.message, /^The settings were not saved:\n• /);
    assert.match(json.message, /\(VisitResyncMinutes\): expected a whole number from 1 to 1440, not "0"\./);
    assert.match(json.message, /Relay has no setting named "NoSuchSetting"\./);
  });
});

describe('SetupController', () => {
  test('getConnection: the Organization record merged into the companion’s status', async () => {
    const { status, json } = await env.apex('SetupController.getConnection');
    assert.equal(status, 200);
    const [org] = env.soql<{ Id: string; Name: string; InstanceName: string }>(
      'SELECT Id, Name, InstanceName FROM Organization',
    );
    assert.equal(json.org.id, org?.Id);
    assert.equal(json.org.name, 'Relay Emulated Org');
    assert.equal(json.org.isSandbox, false);
    assert.equal(json.org.instanceName, org?.InstanceName);
    assert.equal(json.companion.namedCredential, 'relay__Companion');
    if (env.hasRoute('GET', '/v1/package/status')) {
      assert.equal(json.companion.reachable, true);
      assert.equal(json.workspace.id, 'acme');
    } else {
      // What SetupController answers when the companion refuses the call.
      assert.equal(json.companion.reachable, false);
      assert.match(json.companion.message, /^The companion refused the request \(HTTP 404/);
    }
  });

  test('testConnection: the companion’s ping, timed', async () => {
    const { status, json } = await env.apex('SetupController.testConnection');
    assert.equal(status, 200);
    assert.equal(json.ok, true);
    assert.equal(json.message, 'Connected to the companion (workspace acme).');
    assert.equal(typeof json.latencyMs, 'number');
  });
});

describe('RecordSidebarController', () => {
  test('getEngagement refuses records that are not Leads, Contacts or Accounts, and unknown records', async () => {
    const opportunity = await env.apex('RecordSidebarController.getEngagement', { recordId: '006000000000001AAA' });
    assert.equal(opportunity.status, 400);
    assert.equal(opportunity.json.message, 'The Relay sidebar works on Lead, Contact and Account pages only.');
    const missing = await env.apex('RecordSidebarController.getEngagement', { recordId: '003000000000999AAA' });
    assert.equal(missing.status, 400);
    assert.equal(missing.json.message, 'This record does not exist or you do not have access to it.');
  });

  test('getEngagement: the companion’s engagement of the record, with its name and content hidden', async (t) => {
    if (!env.hasRoute('GET', '/v1/package/engagement')) {
      t.skip('the companion does not serve GET /v1/package/engagement yet');
      return;
    }
    const [contact] = env.soql<{ Id: string; Name: string; Email: string; AccountId: string }>(
      'SELECT Id, Name, Email, AccountId FROM Contact WHERE Email != null AND AccountId != null ORDER BY Id LIMIT 1',
    );
    await env.post([
      {
        specversion: '1.0',
        id: 'preview-adapter-visit-1',
        source: 'docsend',
        type: 'relay.visit',
        time: new Date().toISOString(),
        data: {
          visitId: 'pa-visit-1',
          visitor: { email: contact!.Email },
          document: { name: 'Adapter deck' },
          durationSeconds: 95,
          percentViewed: 60,
          active: false,
        },
      },
      {
        specversion: '1.0',
        id: 'preview-adapter-msg-1',
        source: 'andsend',
        type: 'relay.message.sent',
        time: new Date().toISOString(),
        data: {
          messageId: 'pa-msg-1',
          channel: 'email',
          from: { email: 'rep@vendor.example' },
          to: { email: contact!.Email },
          subject: 'Adapter follow-up',
          body: 'Secret body',
        },
      },
    ]);
    await env.settle();
    const { status, json } = await env.apex('RecordSidebarController.getEngagement', {
      recordId: contact!.Id,
      cursor: null,
      pageSize: 20,
    });
    assert.equal(status, 200, JSON.stringify(json));
    assert.equal(json.recordName, contact!.Name);
    assert.equal(json.allowContent, false);
    const titles = json.items.map((i: { title: string }) => i.title);
    assert.ok(titles.includes('Viewed: Adapter deck'), titles.join(', '));
    assert.ok(json.items.every((i: { content: unknown }) => i.content === null));
    assert.ok(json.summary.last30Days.visits >= 1);
    assert.match(json.signal.reason, /Adapter deck/, 'the signal says what was viewed');

    const account = await env.apex('RecordSidebarController.getEngagement', {
      recordId: contact!.AccountId,
      cursor: null,
      pageSize: 20,
    });
    assert.equal(account.status, 200, JSON.stringify(account.json));
    const person = account.json.people.find((p: { recordId: string }) => p.recordId === contact!.Id);
    assert.equal(person?.name, contact!.Name, "the Account's people carry their Salesforce names");
  });
});

describe('SyncHealthController', () => {
  test('an unknown category is refused before any call', async () => {
    for (const method of ['getHealth', 'retryAll', 'exportCsv']) {
      const { status, json } = await env.apex(`SyncHealthController.${method}`, { category: 'nope', cursor: null });
      assert.equal(status, 400, method);
      assert.match(json.message, /^Unknown error category "nope"; use one of validation, duplicate/);
    }
    const retry = await env.apex('SyncHealthController.retry', { eventIds: [] });
    assert.equal(retry.status, 400);
    assert.equal(retry.json.message, 'Choose between 1 and 1000 events to retry.');
  });

  test('an unknown time range, workspace or cause is refused before any call', async () => {
    for (const method of ['getHealth', 'exportCsv']) {
      const since = await env.apex(`SyncHealthController.${method}`, { category: null, since: '2d' });
      assert.equal(since.status, 400, method);
      assert.equal(since.json.message, 'Unknown time range "2d"; use one of 1h, 24h, 7d, 30d, all.');
      const workspace = await env.apex(`SyncHealthController.${method}`, { category: null, workspace: 'a&b=c' });
      assert.equal(workspace.status, 400, method);
      assert.match(workspace.json.message, /^Unknown workspace "a&b=c"/);
    }
    for (const cause of [null, 'bogus', 'everything:NO_MATCH:']) {
      const refused = await env.apex('SyncHealthController.retryCause', { cause });
      assert.equal(refused.status, 400, String(cause));
      assert.equal(refused.json.message, 'Choose a cause listed on the page to retry.');
    }
  });

  test('getHealth, getConflicts, retryAll and exportCsv answer from the companion', async (t) => {
    if (!env.hasRoute('GET', '/v1/package/errors')) {
      t.skip('the companion does not serve GET /v1/package/errors yet');
      return;
    }
    const health = await env.apex('SyncHealthController.getHealth', { category: null, cursor: null });
    assert.equal(health.status, 200, JSON.stringify(health.json));
    assert.equal(health.json.status.workspace.id, 'acme');
    assert.ok(Array.isArray(health.json.errors.groups));
    assert.ok(Array.isArray(health.json.errors.causes));
    const filtered = await env.apex('SyncHealthController.getHealth', {
      category: 'unmatched',
      workspace: 'acme',
      since: '24h',
      cursor: null,
    });
    assert.equal(filtered.status, 200, JSON.stringify(filtered.json));
    const byCause = await env.apex('SyncHealthController.retryCause', { cause: 'transient:UNABLE_TO_LOCK_ROW:' });
    assert.equal(byCause.status, 200, JSON.stringify(byCause.json));
    assert.equal(byCause.json.queued, 0);
    const conflicts = await env.apex('SyncHealthController.getConflicts', {});
    assert.equal(conflicts.status, 200, JSON.stringify(conflicts.json));
    assert.deepEqual(conflicts.json, { conflicts: [] });
    const retried = await env.apex('SyncHealthController.retryAll', { category: 'validation' });
    assert.equal(retried.status, 200, JSON.stringify(retried.json));
    assert.equal(typeof retried.json.queued, 'number');
    const csv = await env.apex('SyncHealthController.exportCsv', { category: null, workspace: null, since: '7d' });
    assert.equal(csv.status, 200);
    assert.match(
      csv.json,
      /^eventId,source,type,occurredAt,lastAttemptAt,attempts,category,errorCode,field,message,subject,recordId/,
    );
  });
});

test('an unknown method is a 404', async () => {
  const { status } = await env.apex('NoSuchController.method');
  assert.equal(status, 404);
});

test('the index lists records with Relay Tasks first, with links to their record pages', async () => {
  const response = await env.harness.companion.app.inject({ method: 'GET', url: '/preview' });
  assert.equal(response.statusCode, 200);
  assert.match(String(response.headers['content-type']), /^text\/html/);
  const [withTasks] = env.soql<{ WhoId: string }>(
    'SELECT WhoId FROM Task WHERE relay__ExternalKey__c != null AND WhoId != null LIMIT 1',
  );
  assert.ok(withTasks, 'an earlier test synced Tasks');
  const first = /<a href="\/preview\/record\/([A-Za-z0-9]{18})">/.exec(response.body);
  assert.equal(first?.[1], withTasks.WhoId, 'the record with Relay Tasks comes first');
  assert.match(response.body, /href="\/preview\/record\/001/, 'Accounts are offered too');
});
