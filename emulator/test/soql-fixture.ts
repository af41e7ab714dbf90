// A plain in-memory SoqlDataSource for the SOQL engine's unit tests: a handful of objects with the
// describe types the engine cares about, records in arrays, and an optional index on Id / Email /
// Name that counts how often it is used, so tests can see the engine chose it.
import type {
  SoqlChildRelationship,
  SoqlDataSource,
  SoqlField,
  SoqlFieldType,
  SoqlObject,
  SoqlRecord,
} from '../src/soql/source.js';

type FieldSpec = [name: string, type: SoqlFieldType, extra?: Partial<SoqlField>];

function object(name: string, specs: FieldSpec[]): SoqlObject {
  const fields = new Map<string, SoqlField>();
  for (const [fname, type, extra] of specs) fields.set(fname.toLowerCase(), { name: fname, type, ...extra });
  return { name, fields };
}

const common: FieldSpec[] = [
  ['Id', 'id'],
  ['IsDeleted', 'boolean'],
  ['CreatedDate', 'datetime'],
  ['SystemModstamp', 'datetime'],
  ['OwnerId', 'reference', { referenceTo: ['User'], relationshipName: 'Owner' }],
];

export const OBJECTS: SoqlObject[] = [
  object('Account', [
    ...common,
    ['Name', 'string'],
    ['Industry', 'picklist'],
    ['NumberOfEmployees', 'int'],
    ['AnnualRevenue', 'currency'],
  ]),
  object('Contact', [
    ...common,
    ['FirstName', 'string'],
    ['LastName', 'string'],
    ['Name', 'string'],
    ['Email', 'email'],
    ['AccountId', 'reference', { referenceTo: ['Account'], relationshipName: 'Account' }],
    ['Birthdate', 'date'],
  ]),
  object('Lead', [
    ...common.filter(([n]) => n !== 'OwnerId'),
    ['OwnerId', 'reference', { referenceTo: ['Group', 'User'], relationshipName: 'Owner' }],
    ['FirstName', 'string'],
    ['LastName', 'string'],
    ['Name', 'string'],
    ['Company', 'string'],
    ['Email', 'email'],
    ['Status', 'picklist'],
    ['IsConverted', 'boolean'],
    ['Description', 'textarea', { filterable: false, sortable: false, groupable: false }],
    ['relay__Interests__c', 'multipicklist'],
    ['relay__Score__c', 'double'],
  ]),
  object('User', [
    ['Id', 'id'],
    ['Username', 'string'],
    ['Email', 'email'],
    ['FirstName', 'string'],
    ['LastName', 'string'],
    ['Name', 'string'],
    ['IsActive', 'boolean'],
  ]),
  object('Group', [
    ['Id', 'id'],
    ['Name', 'string'],
    ['Type', 'picklist'],
  ]),
  object('Task', [
    ...common,
    ['Subject', 'string'],
    ['Status', 'picklist'],
    ['WhoId', 'reference', { referenceTo: ['Contact', 'Lead'], relationshipName: 'Who' }],
    ['WhatId', 'reference', { referenceTo: ['Account', 'Campaign'], relationshipName: 'What' }],
    ['ActivityDate', 'date'],
    ['relay__ExternalKey__c', 'string', { caseSensitive: true, unique: true }],
  ]),
  object('CampaignMember', [
    ['Id', 'id'],
    ['IsDeleted', 'boolean'],
    ['CampaignId', 'reference', { referenceTo: ['Campaign'], relationshipName: 'Campaign' }],
    ['LeadId', 'reference', { referenceTo: ['Lead'], relationshipName: 'Lead' }],
    ['ContactId', 'reference', { referenceTo: ['Contact'], relationshipName: 'Contact' }],
    ['Status', 'picklist'],
  ]),
  object('Campaign', [
    ['Id', 'id'],
    ['IsDeleted', 'boolean'],
    ['Name', 'string'],
  ]),
  object('relay__SyncSetting__mdt', [
    ['Id', 'id'],
    ['DeveloperName', 'string'],
    ['MasterLabel', 'string'],
    ['relay__Value__c', 'string'],
    ['relay__SortOrder__c', 'double'],
  ]),
];

const PREFIXES: Record<string, string> = {
  '001': 'Account',
  '003': 'Contact',
  '00Q': 'Lead',
  '005': 'User',
  '00G': 'Group',
  '00T': 'Task',
  '00v': 'CampaignMember',
  '701': 'Campaign',
  m00: 'relay__SyncSetting__mdt',
};

const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
/** An 18-character id with a correct case-safe suffix. */
export function makeId(prefix: string, n: number): string {
  const id15 = prefix + '5g' + String(n).padStart(10, '0');
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += SUFFIX[bits];
  }
  return id15 + suffix;
}

export class MemorySource implements SoqlDataSource {
  readonly records = new Map<string, SoqlRecord[]>();
  private readonly byIdMap = new Map<string, SoqlRecord>();
  private readonly indexes = new Map<string, Map<string, SoqlRecord[]>>();
  indexedCalls = 0;
  scans = 0;

  constructor(private readonly indexedFields: string[] = ['Id', 'Email', 'Name']) {}

  add(type: string, rec: Record<string, unknown>): SoqlRecord {
    const full: SoqlRecord = { IsDeleted: false, ...rec };
    const list = this.records.get(type) ?? [];
    list.push(full);
    this.records.set(type, list);
    this.byIdMap.set(full.Id as string, full);
    for (const field of this.indexedFields) {
      const v = full[field];
      if (typeof v !== 'string') continue;
      const key = `${type}.${field}`;
      const idx = this.indexes.get(key) ?? new Map<string, SoqlRecord[]>();
      const k = v.toLowerCase();
      idx.set(k, [...(idx.get(k) ?? []), full]);
      this.indexes.set(key, idx);
    }
    return full;
  }

  describe(objectName: string): SoqlObject | undefined {
    return OBJECTS.find((o) => o.name.toLowerCase() === objectName.toLowerCase());
  }

  *scan(objectName: string, includeDeleted: boolean): Iterable<SoqlRecord> {
    this.scans += 1;
    const name = this.describe(objectName)!.name;
    for (const r of this.records.get(name) ?? []) if (includeDeleted || r.IsDeleted !== true) yield r;
  }

  indexed(
    objectName: string,
    fieldName: string,
    values: readonly unknown[],
    includeDeleted: boolean,
  ): Iterable<SoqlRecord> | undefined {
    const name = this.describe(objectName)!.name;
    const idx = this.indexes.get(`${name}.${fieldName}`);
    if (!idx) return undefined;
    this.indexedCalls += 1;
    const out: SoqlRecord[] = [];
    for (const v of values) {
      for (const r of idx.get(String(v).toLowerCase()) ?? []) if (includeDeleted || r.IsDeleted !== true) out.push(r);
    }
    return out;
  }

  byId(id: string): SoqlRecord | undefined {
    return (
      this.byIdMap.get(id) ?? [...this.byIdMap.values()].find((r) => (r.Id as string).slice(0, 15) === id.slice(0, 15))
    );
  }

  objectOfId(id: string): string | undefined {
    return PREFIXES[id.slice(0, 3)];
  }

  childRelationships(objectName: string): readonly SoqlChildRelationship[] {
    return CHILD_RELATIONSHIPS.filter((r) => r.parent.toLowerCase() === objectName.toLowerCase());
  }
}

const CHILD_RELATIONSHIPS: (SoqlChildRelationship & { parent: string })[] = [
  { parent: 'Account', relationshipName: 'Contacts', childObject: 'Contact', field: 'AccountId' },
  { parent: 'Account', relationshipName: 'Tasks', childObject: 'Task', field: 'WhatId' },
  { parent: 'Contact', relationshipName: 'Tasks', childObject: 'Task', field: 'WhoId' },
  { parent: 'Lead', relationshipName: 'Tasks', childObject: 'Task', field: 'WhoId' },
  { parent: 'Campaign', relationshipName: 'CampaignMembers', childObject: 'CampaignMember', field: 'CampaignId' },
];

/** A small org: two accounts, contacts, leads (one converted, one deleted), users, a queue, tasks. */
export function sampleOrg(): MemorySource {
  const s = new MemorySource();
  s.add('User', {
    Id: makeId('005', 1),
    Username: 'admin@relay.test',
    Email: 'admin@relay.test',
    FirstName: 'Ada',
    LastName: 'Admin',
    Name: 'Ada Admin',
    IsActive: true,
  });
  s.add('User', {
    Id: makeId('005', 2),
    Username: 'sam@relay.test',
    Email: 'sam@relay.test',
    FirstName: 'Sam',
    LastName: 'Seller',
    Name: 'Sam Seller',
    IsActive: true,
  });
  s.add('Group', { Id: makeId('00G', 1), Name: 'Lead Queue', Type: 'Queue' });
  s.add('Account', {
    Id: makeId('001', 1),
    Name: 'Acme',
    Industry: 'Energy',
    NumberOfEmployees: 120,
    AnnualRevenue: 5000000,
    OwnerId: makeId('005', 1),
    CreatedDate: '2026-11-01T10:00:00.000+0000',
  });
  s.add('Account', {
    Id: makeId('001', 2),
    Name: 'Globex',
    Industry: null,
    NumberOfEmployees: 15,
    AnnualRevenue: null,
    OwnerId: makeId('005', 2),
    CreatedDate: '2026-10-15T10:00:00.000+0000',
  });
  s.add('Contact', {
    Id: makeId('003', 1),
    FirstName: 'Carla',
    LastName: 'Diaz',
    Name: 'Carla Diaz',
    Email: 'carla@acme.test',
    AccountId: makeId('001', 1),
    OwnerId: makeId('005', 1),
    Birthdate: '1990-04-02',
    CreatedDate: '2026-11-20T08:00:00.000+0000',
  });
  s.add('Contact', {
    Id: makeId('003', 2),
    FirstName: null,
    LastName: "O'Brien",
    Name: "O'Brien",
    Email: 'obrien@globex.test',
    AccountId: makeId('001', 2),
    OwnerId: makeId('005', 2),
    Birthdate: null,
    CreatedDate: '2026-11-21T08:00:00.000+0000',
  });
  s.add('Contact', {
    Id: makeId('003', 3),
    FirstName: 'Nora',
    LastName: 'Nobody',
    Name: 'Nora Nobody',
    Email: null,
    AccountId: null,
    OwnerId: makeId('005', 1),
    CreatedDate: '2025-01-05T08:00:00.000+0000',
  });
  s.add('Lead', {
    Id: makeId('00Q', 1),
    FirstName: 'Lena',
    LastName: 'Lopez',
    Name: 'Lena Lopez',
    Company: 'Initech',
    Email: 'Lena@Initech.test',
    Status: 'Open - Not Contacted',
    IsConverted: false,
    OwnerId: makeId('005', 1),
    relay__Interests__c: 'Email;Webinars',
    relay__Score__c: 42.5,
    CreatedDate: '2026-11-22T07:00:00.000+0000',
  });
  s.add('Lead', {
    Id: makeId('00Q', 2),
    FirstName: 'Max',
    LastName: 'Miller',
    Name: 'Max Miller',
    Company: 'Hooli',
    Email: 'max@hooli.test',
    Status: 'Working - Contacted',
    IsConverted: false,
    OwnerId: makeId('00G', 1),
    relay__Interests__c: 'Webinars',
    relay__Score__c: 10,
    CreatedDate: '2026-11-21T23:59:59.000+0000',
  });
  s.add('Lead', {
    Id: makeId('00Q', 3),
    FirstName: 'Ola',
    LastName: 'Olsen',
    Name: 'Ola Olsen',
    Company: '100% Widgets_Co',
    Email: null,
    Status: 'Closed - Converted',
    IsConverted: true,
    OwnerId: makeId('005', 2),
    relay__Interests__c: null,
    relay__Score__c: null,
    CreatedDate: '2026-10-31T12:00:00.000+0000',
  });
  s.add('Lead', {
    Id: makeId('00Q', 4),
    FirstName: 'Del',
    LastName: 'Eted',
    Name: 'Del Eted',
    Company: 'Gone',
    Email: 'gone@gone.test',
    Status: 'Open - Not Contacted',
    IsConverted: false,
    IsDeleted: true,
    OwnerId: makeId('005', 1),
    CreatedDate: '2026-11-01T00:00:00.000+0000',
  });
  s.add('Campaign', { Id: makeId('701', 1), Name: 'Webinar' });
  s.add('CampaignMember', {
    Id: makeId('00v', 1),
    CampaignId: makeId('701', 1),
    LeadId: makeId('00Q', 2),
    ContactId: null,
    Status: 'Sent',
  });
  s.add('CampaignMember', {
    Id: makeId('00v', 2),
    CampaignId: makeId('701', 1),
    LeadId: null,
    ContactId: makeId('003', 1),
    Status: 'Responded',
  });
  s.add('Task', {
    Id: makeId('00T', 1),
    Subject: 'Call',
    Status: 'Completed',
    WhoId: makeId('003', 1),
    WhatId: makeId('001', 1),
    ActivityDate: '2026-11-20',
    OwnerId: makeId('005', 1),
    relay__ExternalKey__c: 'evt-1',
    CreatedDate: '2026-11-20T09:00:00.000+0000',
  });
  s.add('Task', {
    Id: makeId('00T', 2),
    Subject: 'Email',
    Status: 'Not Started',
    WhoId: makeId('00Q', 1),
    WhatId: null,
    ActivityDate: null,
    OwnerId: makeId('005', 2),
    relay__ExternalKey__c: 'evt-2',
    CreatedDate: '2026-11-22T06:00:00.000+0000',
  });
  s.add('relay__SyncSetting__mdt', {
    Id: makeId('m00', 1),
    DeveloperName: 'RelayActive',
    MasterLabel: 'Relay active',
    relay__Value__c: 'true',
    relay__SortOrder__c: 10,
  });
  return s;
}

/** The clock the tests pin: Sunday 2026-11-22 07:41:58 UTC. */
export const NOW = new Date('2026-11-22T07:41:58.000Z');
