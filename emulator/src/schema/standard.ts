// The standard objects: their object-level describe properties here, their fields built from the
// one table in standard-fields.ts (Object Reference, API 66.0) with the picklists of
// standard-picklists.ts.
import { STANDARD_FIELDS } from './standard-fields.js';
import { PICKLISTS } from './standard-picklists.js';
import { field, makeObject, type FieldDef, type FieldSpec, type FieldType, type ObjectDef } from './types.js';

const FLAG_PROPS: Record<string, keyof FieldDef> = {
  c: 'createable',
  u: 'updateable',
  n: 'nillable',
  d: 'defaultedOnCreate',
  l: 'idLookup',
  N: 'nameField',
  q: 'unique',
  x: 'externalId',
  r: 'restrictedPicklist',
  k: 'calculated',
  C: 'cascadeDelete',
  P: 'namePointing',
  s: 'caseSensitive',
};

/** One table line (`Name|type size @LIST =default >A,B:Rel ~Compound|flags|Label`) as a field. */
export function parseFieldLine(line: string): FieldDef {
  const [name, typeSpec, flags, label] = line.split('|') as [string, string, string, string];
  const [type, ...parts] = typeSpec.split(' ');
  const spec: Record<string, unknown> = { label };
  for (const letter of Object.keys(FLAG_PROPS)) spec[FLAG_PROPS[letter]!] = flags.includes(letter);
  const rest = parts.join(' ');
  const tokens = rest.match(/([@=>~])([^@=>~]*)/g) ?? [];
  const size = /^(\d+)(?:\.(\d+))?/.exec(rest);
  if (size) {
    if (type === 'double' || type === 'currency' || type === 'percent') {
      spec.precision = Number(size[1]);
      spec.scale = Number(size[2] ?? 0);
    } else if (type === 'int') {
      spec.digits = Number(size[1]);
    } else {
      spec.length = Number(size[1]);
    }
  }
  for (const token of tokens) {
    const value = token.slice(1).trim();
    switch (token[0]) {
      case '@':
        spec.picklist = PICKLISTS[value] ?? [];
        break;
      case '=':
        if (type === 'boolean') spec.defaultValue = value === 'true';
        else spec.picklistDefault = value;
        break;
      case '>': {
        const [targets, relationship] = value.split(':');
        spec.referenceTo = targets!.split(',');
        if (relationship) spec.relationshipName = relationship;
        break;
      }
      case '~':
        spec.compoundFieldName = value;
        break;
    }
  }
  // A compound address can be filtered with DISTANCE(); its parts are the stored values.
  if (type === 'address') spec.filterable = true;
  if (type === 'id') spec.groupable = true;
  return field(name, type as FieldType, spec as FieldSpec);
}

function fieldsOf(object: string): FieldDef[] {
  return STANDARD_FIELDS[object]!.map(parseFieldLine);
}

export function standardObjects(): ObjectDef[] {
  const user = makeObject({
    name: 'User',
    label: 'User',
    labelPlural: 'Users',
    keyPrefix: '005',
    deletable: false,
    undeletable: false,
    fields: fieldsOf('User'),
  });
  const organization = makeObject({
    name: 'Organization',
    label: 'Organization',
    labelPlural: 'Organizations',
    keyPrefix: '00D',
    createable: false,
    updateable: false,
    deletable: false,
    undeletable: false,
    triggerable: false,
    searchable: false,
    fields: fieldsOf('Organization'),
  });
  const account = makeObject({
    name: 'Account',
    label: 'Account',
    labelPlural: 'Accounts',
    keyPrefix: '001',
    mergeable: true,
    feedEnabled: true,
    fields: fieldsOf('Account'),
  });
  const contact = makeObject({
    name: 'Contact',
    label: 'Contact',
    labelPlural: 'Contacts',
    keyPrefix: '003',
    mergeable: true,
    feedEnabled: true,
    fields: fieldsOf('Contact'),
  });
  const lead = makeObject({
    name: 'Lead',
    label: 'Lead',
    labelPlural: 'Leads',
    keyPrefix: '00Q',
    mergeable: true,
    feedEnabled: true,
    fields: fieldsOf('Lead'),
  });
  const task = makeObject({
    name: 'Task',
    label: 'Task',
    labelPlural: 'Tasks',
    keyPrefix: '00T',
    feedEnabled: true,
    fields: fieldsOf('Task'),
  });
  const event = makeObject({
    name: 'Event',
    label: 'Event',
    labelPlural: 'Events',
    keyPrefix: '00U',
    feedEnabled: true,
    fields: fieldsOf('Event'),
  });
  const campaign = makeObject({
    name: 'Campaign',
    label: 'Campaign',
    labelPlural: 'Campaigns',
    keyPrefix: '701',
    fields: fieldsOf('Campaign'),
  });
  const campaignMember = makeObject({
    name: 'CampaignMember',
    label: 'Campaign Member',
    labelPlural: 'Campaign Members',
    keyPrefix: '00v',
    undeletable: false,
    fields: fieldsOf('CampaignMember'),
  });
  const campaignMemberStatus = makeObject({
    name: 'CampaignMemberStatus',
    label: 'Campaign Member Status',
    labelPlural: 'Campaign Member Statuses',
    keyPrefix: '01Y',
    undeletable: false,
    searchable: false,
    triggerable: false,
    fields: fieldsOf('CampaignMemberStatus'),
  });
  const setup = { undeletable: false, searchable: false, triggerable: false, feedEnabled: false } as const;
  const notificationType = makeObject({
    name: 'CustomNotificationType',
    label: 'Custom Notification Type',
    labelPlural: 'Custom Notification Types',
    keyPrefix: '0ML',
    ...setup,
    fields: fieldsOf('CustomNotificationType'),
  });
  const permissionSet = makeObject({
    name: 'PermissionSet',
    label: 'Permission Set',
    labelPlural: 'Permission Sets',
    keyPrefix: '0PS',
    ...setup,
    fields: fieldsOf('PermissionSet'),
  });
  const permissionSetAssignment = makeObject({
    name: 'PermissionSetAssignment',
    label: 'Permission Set Assignment',
    labelPlural: 'Permission Set Assignments',
    keyPrefix: '0Pa',
    updateable: false,
    ...setup,
    fields: fieldsOf('PermissionSetAssignment'),
  });
  return [
    user,
    organization,
    account,
    contact,
    lead,
    task,
    event,
    campaign,
    campaignMember,
    campaignMemberStatus,
    notificationType,
    permissionSet,
    permissionSetAssignment,
  ];
}
