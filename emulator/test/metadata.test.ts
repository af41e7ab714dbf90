// Metadata API CustomMetadata CRUD over SOAP (`/services/Soap/m/62.0`), driven by jsforce 3.10.16
// (`conn.metadata.upsert/read/create/update/delete`) and by raw envelopes for the wire. Expected
// shapes: Metadata API Developer Guide (upsertMetadata(), readMetadata(), UpsertResult, SaveResult,
// CustomMetadata); response envelope and result order as recorded in public Apex tests of the
// Metadata API ("<upsertMetadataResponse><result><created>…<errors>…<fullName>…<success>");
// faults as in jsforce's own SOAP tests (sf:INVALID_SESSION_ID, HTTP 500).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from './bulk-harness.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

/** The envelope jsforce's SOAP class builds (soap.ts `_createEnvelope`), for raw calls. */
function envelope(token: string, body: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<soapenv:Header xmlns="http://soap.sforce.com/2006/04/metadata"><SessionHeader><sessionId>${token}</sessionId></SessionHeader></soapenv:Header>` +
    `<soapenv:Body xmlns="http://soap.sforce.com/2006/04/metadata">${body}</soapenv:Body></soapenv:Envelope>`
  );
}

async function soap(body: string, token = h.token): Promise<{ status: number; type: string; text: string }> {
  const res = await fetch(`${h.url}/services/Soap/m/62.0`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/xml', SOAPAction: '""' },
    body: envelope(token, body),
  });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

const OPEN =
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>';
const CLOSE = '</soapenv:Body></soapenv:Envelope>';

test('jsforce metadata.upsert creates, then updates, a CustomMetadata record visible to SOQL at once', async () => {
  const first = await h.conn.metadata.upsert('CustomMetadata', {
    fullName: 'relay__SyncSetting.TestSetting',
    label: 'Test setting',
    values: [
      { field: 'relay__Value__c', value: '42' },
      { field: 'relay__Type__c', value: 'Number' },
      { field: 'relay__SortOrder__c', value: 99 },
    ],
  } as never);
  assert.deepEqual(first, { created: true, fullName: 'relay__SyncSetting.TestSetting', success: true, errors: [] });
  const q1 = await h.conn.query<Record<string, unknown>>(
    "SELECT DeveloperName, MasterLabel, NamespacePrefix, QualifiedApiName, relay__Value__c, relay__SortOrder__c FROM relay__SyncSetting__mdt WHERE DeveloperName = 'TestSetting'",
  );
  assert.deepEqual(
    q1.records.map(({ attributes: _a, ...r }) => r),
    [
      {
        DeveloperName: 'TestSetting',
        MasterLabel: 'Test setting',
        NamespacePrefix: null,
        QualifiedApiName: 'TestSetting',
        relay__Value__c: '42',
        relay__SortOrder__c: 99,
      },
    ],
  );
  const second = await h.conn.metadata.upsert('CustomMetadata', [
    {
      fullName: 'relay__SyncSetting.TestSetting',
      label: 'Test setting',
      values: [
        { field: 'relay__Value__c', value: '43' },
        { field: 'relay__Type__c', value: 'Number' },
      ],
    },
  ] as never);
  assert.deepEqual(second, [{ created: false, fullName: 'relay__SyncSetting.TestSetting', success: true, errors: [] }]);
  // The component is replaced as a whole: SortOrder, left out this time, is now null.
  const q2 = await h.conn.query<Record<string, unknown>>(
    "SELECT relay__Value__c, relay__SortOrder__c FROM relay__SyncSetting__mdt WHERE DeveloperName = 'TestSetting'",
  );
  assert.deepEqual([q2.records[0]!.relay__Value__c, q2.records[0]!.relay__SortOrder__c], ['43', null]);
});

test("the package's own records carry the namespace in their full name", async () => {
  // Metadata API Developer Guide, "Metadata": a component in a package is named with its
  // namespace prefix. So `relay__SyncSetting.relay__RelayActive` is the packaged record, while
  // `relay__SyncSetting.RelayActive` would be a separate record owned by the org.
  const res = await h.conn.metadata.upsert('CustomMetadata', {
    fullName: 'relay__SyncSetting.relay__RelayActive',
    label: 'Relay active',
    values: [
      { field: 'relay__Value__c', value: 'false' },
      { field: 'relay__Type__c', value: 'Boolean' },
      { field: 'relay__DefaultValue__c', value: 'true' },
    ],
  } as never);
  assert.deepEqual(res, {
    created: false,
    fullName: 'relay__SyncSetting.relay__RelayActive',
    success: true,
    errors: [],
  });
  const q = await h.conn.query<Record<string, unknown>>(
    "SELECT NamespacePrefix, relay__Value__c FROM relay__SyncSetting__mdt WHERE DeveloperName = 'RelayActive'",
  );
  assert.deepEqual(
    q.records.map((r) => [r.NamespacePrefix, r.relay__Value__c]),
    [['relay', 'false']],
  );
});

test('jsforce metadata.read returns label, protected and typed values', async () => {
  await h.conn.metadata.upsert('CustomMetadata', {
    fullName: 'relay__FieldMapping.Test_Mapping',
    label: 'Test mapping',
    values: [
      { field: 'relay__Active__c', value: true },
      { field: 'relay__TargetObject__c', value: 'Lead' },
      { field: 'relay__TargetField__c', value: 'Title' },
      { field: 'relay__PlatformField__c', value: 'job_title' },
      { field: 'relay__Direction__c', value: 'Inbound' },
    ],
  } as never);
  const rec = (await h.conn.metadata.read('CustomMetadata', 'relay__FieldMapping.Test_Mapping')) as unknown as Record<
    string,
    unknown
  >;
  assert.equal(rec.fullName, 'relay__FieldMapping.Test_Mapping');
  assert.equal(rec.label, 'Test mapping');
  assert.equal(rec.protected, false);
  // xml2js (jsforce) turns <value xsi:type="xsd:boolean">true</value> into {_, $}; a nil value into {$}.
  assert.deepEqual(
    (rec.values as { field: string }[]).map((v) => v.field),
    [
      'relay__Active__c',
      'relay__Direction__c',
      'relay__IsMatchField__c',
      'relay__PlatformField__c',
      'relay__TargetField__c',
      'relay__TargetObject__c',
      'relay__ValueMap__c',
    ],
  );
  const active = (rec.values as { field: string; value: unknown }[])[0]!;
  assert.deepEqual(active.value, { _: 'true', $: { 'xsi:type': 'xsd:boolean' } });
  const many = (await h.conn.metadata.read('CustomMetadata', [
    'relay__FieldMapping.Test_Mapping',
    'relay__SyncSetting.relay__RelayActive',
  ])) as unknown as { fullName: string }[];
  assert.deepEqual(
    many.map((m) => m.fullName),
    ['relay__FieldMapping.Test_Mapping', 'relay__SyncSetting.relay__RelayActive'],
  );
});

test('raw upsertMetadata: the response envelope, results and per-record errors', async () => {
  const res = await soap(
    '<upsertMetadata>' +
      '<metadata xsi:type="CustomMetadata"><fullName>relay__SyncSetting.RawOne</fullName><label>Raw one</label><values><field>relay__Value__c</field><value xsi:type="xsd:string">x</value></values><values><field>relay__Type__c</field><value>Text</value></values></metadata>' +
      '<metadata xsi:type="CustomMetadata"><fullName>relay__SyncSetting.RawTwo</fullName><label>Raw two</label><values><field>relay__Nope__c</field><value>1</value></values></metadata>' +
      '</upsertMetadata>',
  );
  assert.equal(res.status, 200);
  assert.match(res.type, /^text\/xml/);
  assert.equal(
    res.text,
    `${OPEN}<upsertMetadataResponse>` +
      '<result><created>true</created><fullName>relay__SyncSetting.RawOne</fullName><success>true</success></result>' +
      '<result><created>false</created><errors><fields>field</fields><message>In field: field - no CustomField named relay__SyncSetting__mdt.relay__Nope__c found</message><statusCode>INVALID_CROSS_REFERENCE_KEY</statusCode></errors><fullName>relay__SyncSetting.RawTwo</fullName><success>false</success></result>' +
      `</upsertMetadataResponse>${CLOSE}`,
  );
});

test('create, update and delete follow their own rules', async () => {
  const created = await h.conn.metadata.create('CustomMetadata', {
    fullName: 'relay__SyncSetting.Lifecycle',
    label: 'Lifecycle',
    values: [{ field: 'relay__Type__c', value: 'Text' }],
  } as never);
  assert.deepEqual(created, { fullName: 'relay__SyncSetting.Lifecycle', success: true, errors: [] });
  const dup = (await h.conn.metadata.create('CustomMetadata', {
    fullName: 'relay__SyncSetting.Lifecycle',
    label: 'Lifecycle',
    values: [],
  } as never)) as unknown as { success: boolean; errors: { statusCode: string }[] };
  assert.equal(dup.success, false);
  assert.equal(dup.errors[0]!.statusCode, 'DUPLICATE_DEVELOPER_NAME');
  const missing = (await h.conn.metadata.update('CustomMetadata', {
    fullName: 'relay__SyncSetting.NoSuchRecord',
    label: 'x',
    values: [],
  } as never)) as unknown as { success: boolean; errors: { statusCode: string; message: string }[] };
  assert.equal(missing.success, false);
  assert.equal(missing.errors[0]!.statusCode, 'INVALID_CROSS_REFERENCE_KEY');
  const updated = await h.conn.metadata.update('CustomMetadata', {
    fullName: 'relay__SyncSetting.Lifecycle',
    label: 'Lifecycle 2',
    values: [{ field: 'relay__Type__c', value: 'Text' }],
  } as never);
  assert.deepEqual(updated, { fullName: 'relay__SyncSetting.Lifecycle', success: true, errors: [] });
  const deleted = await h.conn.metadata.delete('CustomMetadata', 'relay__SyncSetting.Lifecycle');
  assert.deepEqual(deleted, { fullName: 'relay__SyncSetting.Lifecycle', success: true, errors: [] });
  const q = await h.conn.query("SELECT Id FROM relay__SyncSetting__mdt WHERE DeveloperName = 'Lifecycle'");
  assert.equal(q.totalSize, 0);
  // A record that does not exist reads as a nil record.
  const read = await soap(
    '<readMetadata><type>CustomMetadata</type><fullNames>relay__SyncSetting.Lifecycle</fullNames></readMetadata>',
  );
  assert.equal(
    read.text,
    `${OPEN}<readMetadataResponse><result><records xsi:nil="true"/></result></readMetadataResponse>${CLOSE}`,
  );
});

test('a new record needs a label, a valid name, and cannot be added to the package namespace', async () => {
  const noLabel = (await h.conn.metadata.upsert('CustomMetadata', {
    fullName: 'relay__SyncSetting.NoLabel',
    values: [],
  } as never)) as unknown as { success: boolean; errors: { statusCode: string; fields: string }[] };
  assert.equal(noLabel.success, false);
  assert.equal(noLabel.errors[0]!.statusCode, 'REQUIRED_FIELD_MISSING');
  const badName = (await h.conn.metadata.upsert('CustomMetadata', {
    fullName: 'relay__SyncSetting.Bad__Name',
    label: 'x',
    values: [],
  } as never)) as unknown as { success: boolean };
  assert.equal(badName.success, false);
  const foreign = (await h.conn.metadata.upsert('CustomMetadata', {
    fullName: 'relay__SyncSetting.relay__NotInPackage',
    label: 'x',
    values: [],
  } as never)) as unknown as { success: boolean; errors: { statusCode: string }[] };
  assert.deepEqual([foreign.success, foreign.errors[0]!.statusCode], [false, 'INVALID_CROSS_REFERENCE_KEY']);
  const badType = (await h.conn.metadata.upsert('CustomMetadata', {
    fullName: 'relay__NoSuchType.X',
    label: 'x',
    values: [],
  } as never)) as unknown as { success: boolean; errors: { statusCode: string; message: string }[] };
  assert.deepEqual(
    [badType.success, badType.errors[0]!.statusCode, badType.errors[0]!.message],
    [
      false,
      'INVALID_CROSS_REFERENCE_KEY',
      'In field: fullName - no CustomMetadataType named relay__NoSuchType__mdt found',
    ],
  );
});

test('an invalid session is a SOAP fault with HTTP 500', async () => {
  // jsforce's SOAP tests record this fault; jsforce refreshes the session on a 500 carrying
  // <faultcode>sf:INVALID_SESSION_ID</faultcode>.
  const res = await soap(
    '<readMetadata><type>CustomMetadata</type><fullNames>relay__SyncSetting.relay__RelayActive</fullNames></readMetadata>',
    'not-a-session',
  );
  assert.equal(res.status, 500);
  assert.equal(
    res.text,
    '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="http://soap.sforce.com/2006/04/metadata"><soapenv:Body><soapenv:Fault><faultcode>sf:INVALID_SESSION_ID</faultcode><faultstring>INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>',
  );
});

test('types other than CustomMetadata are refused with a fault', async () => {
  const res = await soap('<readMetadata><type>ApexClass</type><fullNames>Foo</fullNames></readMetadata>');
  assert.equal(res.status, 500);
  assert.match(res.text, /<faultcode>sf:INVALID_TYPE<\/faultcode>/);
  await assert.rejects(
    () => h.conn.metadata.upsert('CustomObject', { fullName: 'Foo__c', label: 'Foo' } as never),
    (e: Error & { errorCode?: string }) => e.errorCode === 'sf:INVALID_TYPE',
  );
});

test('each Metadata API call counts as an API request', async () => {
  await h.control('/usage/reset', {});
  await h.conn.metadata.read('CustomMetadata', 'relay__SyncSetting.relay__RelayActive');
  const usage = await h.control('/usage');
  assert.equal(usage.byEndpoint['POST /services/Soap/m'], 1);
  assert.equal(usage.apiRequests, 1);
});

// Metadata API Developer Guide, CustomField `fieldManageability`: a DeveloperControlled field of a
// managed record can be changed only by the package's developer. A subscriber org that updates the
// package's own record (as the package's Apex MetadataDeployService does, sending only the
// subscriber-controlled Value) keeps the developer's values; it cannot overwrite them.
test('updating a package record keeps its developer-controlled values and refuses to change them', async () => {
  const select =
    "SELECT relay__Value__c, relay__Type__c, relay__DefaultValue__c, relay__Description__c, relay__SortOrder__c FROM relay__SyncSetting__mdt WHERE DeveloperName = 'VisitResyncMinutes' AND NamespacePrefix = 'relay'";
  const before = (await h.conn.query<Record<string, unknown>>(select)).records[0]!;
  assert.equal(before.relay__Type__c, 'Number');

  const updated = await h.conn.metadata.upsert('CustomMetadata', {
    fullName: 'relay__SyncSetting.relay__VisitResyncMinutes',
    label: 'Visit re-sync interval (minutes)',
    values: [{ field: 'relay__Value__c', value: '15' }],
  } as never);
  assert.deepEqual(updated, {
    created: false,
    fullName: 'relay__SyncSetting.relay__VisitResyncMinutes',
    success: true,
    errors: [],
  });
  const after = (await h.conn.query<Record<string, unknown>>(select)).records[0]!;
  assert.deepEqual(
    { ...after, attributes: undefined },
    { ...before, attributes: undefined, relay__Value__c: '15' },
    'only the subscriber-controlled Value changes',
  );

  const refused = (await h.conn.metadata.upsert('CustomMetadata', {
    fullName: 'relay__SyncSetting.relay__VisitResyncMinutes',
    label: 'Visit re-sync interval (minutes)',
    values: [
      { field: 'relay__Value__c', value: '20' },
      { field: 'relay__Type__c', value: 'Text' },
    ],
  } as never)) as unknown as { success: boolean; errors: { fields: string[]; statusCode: string }[] };
  assert.equal(refused.success, false);
  assert.equal(refused.errors[0]?.statusCode, 'FIELD_INTEGRITY_EXCEPTION');
  assert.deepEqual(refused.errors[0]?.fields, ['relay__Type__c']);
  assert.equal((await h.conn.query<Record<string, unknown>>(select)).records[0]!.relay__Value__c, '15');
});
