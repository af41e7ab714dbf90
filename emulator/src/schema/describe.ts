// Describe documents as the REST API returns them: describeGlobal entries, sObject basic info and
// the full describe with every field property Salesforce reports (values for properties the
// emulator does not model are those of a plain org: false, null or empty).
import type { FieldDef, ObjectDef } from './types.js';
import type { Schema } from './registry.js';

/** Child relationship names Salesforce gives the standard lookups. */
const CHILD_RELATIONSHIP_NAMES: Record<string, string> = {
  'Contact.AccountId': 'Contacts',
  'Account.ParentId': 'ChildAccounts',
  'Task.WhoId': 'Tasks',
  'Task.WhatId': 'Tasks',
  'Event.WhoId': 'Events',
  'Event.WhatId': 'Events',
  'CampaignMember.CampaignId': 'CampaignMembers',
  'CampaignMember.LeadId': 'CampaignMembers',
  'CampaignMember.ContactId': 'CampaignMembers',
  'Campaign.ParentId': 'ChildCampaigns',
};

/** The child relationship name of a reference field as describe reports it (null when it has none). */
export function childRelationshipName(child: ObjectDef, field: FieldDef): string | null {
  return CHILD_RELATIONSHIP_NAMES[`${child.name}.${field.name}`] ?? null;
}

function objectUrls(version: string, name: string): Record<string, string> {
  const base = `/services/data/v${version}/sobjects/${name}`;
  return {
    compactLayouts: `${base}/describe/compactLayouts`,
    rowTemplate: `${base}/{ID}`,
    approvalLayouts: `${base}/describe/approvalLayouts`,
    defaultValues: `${base}/defaultValues?recordTypeId&fields`,
    listviews: `${base}/listviews`,
    describe: `${base}/describe`,
    quickActions: `${base}/quickActions`,
    layouts: `${base}/describe/layouts`,
    sobject: base,
  };
}

export function globalEntry(def: ObjectDef, version: string): Record<string, unknown> {
  return {
    activateable: false,
    associateEntityType: null,
    associateParentEntity: null,
    createable: def.createable,
    custom: def.custom,
    customSetting: false,
    deepCloneable: false,
    deletable: def.deletable,
    deprecatedAndHidden: false,
    feedEnabled: def.feedEnabled,
    hasSubtypes: false,
    isInterface: false,
    isSubtype: false,
    keyPrefix: def.keyPrefix,
    label: def.label,
    labelPlural: def.labelPlural,
    layoutable: def.layoutable,
    mergeable: def.mergeable,
    mruEnabled: !def.customMetadata,
    name: def.name,
    queryable: def.queryable,
    replicateable: !def.customMetadata,
    retrieveable: true,
    searchable: def.searchable,
    triggerable: def.triggerable,
    undeletable: def.undeletable,
    updateable: def.updateable,
    urls: objectUrls(version, def.name),
  };
}

export function describeField(f: FieldDef): Record<string, unknown> {
  return {
    aggregatable: f.aggregatable,
    aiPredictionField: false,
    autoNumber: f.autoNumber,
    byteLength: f.byteLength,
    calculated: f.calculated,
    calculatedFormula: null,
    cascadeDelete: f.cascadeDelete,
    caseSensitive: f.caseSensitive,
    compoundFieldName: f.compoundFieldName,
    controllerName: null,
    createable: f.createable,
    custom: f.custom,
    defaultValue: f.type === 'boolean' ? (f.defaultValue ?? false) : null,
    defaultValueFormula: null,
    defaultedOnCreate: f.defaultedOnCreate,
    dependentPicklist: false,
    deprecatedAndHidden: false,
    digits: f.digits,
    displayLocationInDecimal: false,
    encrypted: false,
    externalId: f.externalId,
    extraTypeInfo: f.type === 'textarea' ? (f.htmlFormatted ? 'richtextarea' : 'plaintextarea') : null,
    filterable: f.filterable,
    filteredLookupInfo: null,
    formulaTreatNullNumberAsZero: false,
    groupable: f.groupable,
    highScaleNumber: false,
    htmlFormatted: f.htmlFormatted,
    idLookup: f.idLookup,
    inlineHelpText: f.inlineHelpText,
    label: f.label,
    length: f.length,
    mask: null,
    maskType: null,
    name: f.name,
    nameField: f.nameField,
    namePointing: f.namePointing,
    nillable: f.nillable,
    permissionable: f.nillable && !f.calculated && f.createable && f.type !== 'id',
    picklistValues: f.picklistValues.map((p) => ({ ...p })),
    polymorphicForeignKey: f.polymorphicForeignKey,
    precision: f.precision,
    queryByDistance: false,
    referenceTargetField: null,
    referenceTo: [...f.referenceTo],
    relationshipName: f.relationshipName,
    relationshipOrder: null,
    restrictedDelete: false,
    restrictedPicklist: f.restrictedPicklist,
    scale: f.scale,
    searchPrefilterable: false,
    soapType: f.soapType,
    sortable: f.sortable,
    type: f.type,
    unique: f.unique,
    updateable: f.updateable,
    writeRequiresMasterRead: false,
  };
}

export function describeObject(schema: Schema, def: ObjectDef, version: string): Record<string, unknown> {
  const childRelationships: Record<string, unknown>[] = [];
  for (const child of schema.objects) {
    for (const f of child.fields) {
      if (f.type !== 'reference' || !f.referenceTo.includes(def.name)) continue;
      childRelationships.push({
        cascadeDelete: f.cascadeDelete,
        childSObject: child.name,
        deprecatedAndHidden: false,
        field: f.name,
        junctionIdListNames: [],
        junctionReferenceTo: [],
        relationshipName: childRelationshipName(child, f),
        restrictedDelete: false,
      });
    }
  }
  const entry = globalEntry(def, version);
  const doc: Record<string, unknown> = {
    actionOverrides: [],
    ...entry,
    childRelationships,
    compactLayoutable: def.layoutable,
    defaultImplementation: null,
    extendedBy: null,
    extendsInterfaces: null,
    fields: def.fields.map(describeField),
    implementedBy: null,
    implementsInterfaces: null,
    listviewable: null,
    lookupLayoutable: null,
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    recordTypeInfos: def.customMetadata
      ? []
      : [
          {
            active: true,
            available: true,
            defaultRecordTypeMapping: true,
            developerName: 'Master',
            master: true,
            name: 'Master',
            recordTypeId: '012000000000000AAA',
            urls: { layout: `/services/data/v${version}/sobjects/${def.name}/describe/layouts/012000000000000AAA` },
          },
        ],
    searchLayoutable: def.searchable,
    sobjectDescribeOption: 'FULL',
    supportedScopes: [
      { label: `All ${def.labelPlural.toLowerCase()}`, name: 'everything' },
      ...(def.fieldMap.has('ownerid') ? [{ label: `My ${def.labelPlural.toLowerCase()}`, name: 'mine' }] : []),
    ],
  };
  // Salesforce lists describe properties alphabetically.
  return Object.fromEntries(Object.entries(doc).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
