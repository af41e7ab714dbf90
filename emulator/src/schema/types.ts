// The object model: one FieldDef per field with the properties Salesforce's describe reports, and
// the write rules derived from them (required = createable, not nillable and not defaulted).
import type { SoqlFieldType } from '../soql/source.js';

export type FieldType = SoqlFieldType;

export interface PicklistValue {
  value: string;
  label: string;
  active: boolean;
  defaultValue: boolean;
  validFor: null;
}

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  soapType: string;
  length: number;
  byteLength: number;
  precision: number;
  scale: number;
  digits: number;
  calculated: boolean;
  createable: boolean;
  updateable: boolean;
  nillable: boolean;
  externalId: boolean;
  unique: boolean;
  caseSensitive: boolean;
  idLookup: boolean;
  nameField: boolean;
  namePointing: boolean;
  defaultedOnCreate: boolean;
  /** Value set on create when none is given (picklist default, checkbox default). */
  defaultValue: unknown;
  picklistValues: PicklistValue[];
  restrictedPicklist: boolean;
  referenceTo: string[];
  relationshipName: string | null;
  polymorphicForeignKey: boolean;
  filterable: boolean;
  sortable: boolean;
  groupable: boolean;
  aggregatable: boolean;
  custom: boolean;
  htmlFormatted: boolean;
  autoNumber: boolean;
  cascadeDelete: boolean;
  inlineHelpText: string | null;
  /** The compound field a component belongs to (`BillingStreet` → `BillingAddress`, `FirstName` → `Name`). */
  compoundFieldName: string | null;
  /** Required on create: REQUIRED_FIELD_MISSING when absent or null (and on update when nulled). */
  required: boolean;
  /**
   * Custom metadata fields only: `fieldManageability` DeveloperControlled. On a record installed by
   * the package, only the package's developer can change the value; the subscriber org cannot.
   * Not part of describe.
   */
  developerControlled: boolean;
}

export interface ObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  custom: boolean;
  customMetadata: boolean;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  queryable: boolean;
  searchable: boolean;
  triggerable: boolean;
  undeletable: boolean;
  mergeable: boolean;
  feedEnabled: boolean;
  layoutable: boolean;
  fields: FieldDef[];
  /** Fields keyed by lower-cased name. */
  fieldMap: Map<string, FieldDef>;
  /** When the describe last changed (If-Modified-Since). */
  lastModified: Date;
}

const SOAP_TYPES: Record<FieldType, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  textarea: 'xsd:string',
  email: 'xsd:string',
  phone: 'xsd:string',
  url: 'xsd:string',
  picklist: 'xsd:string',
  multipicklist: 'xsd:string',
  combobox: 'xsd:string',
  boolean: 'xsd:boolean',
  int: 'xsd:int',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
  time: 'xsd:time',
  base64: 'xsd:base64Binary',
  address: 'urn:address',
  location: 'urn:location',
  anyType: 'xsd:anyType',
};

/** Types whose values are text (an empty string clears them; lengths apply). */
export const TEXT_TYPES: ReadonlySet<FieldType> = new Set<FieldType>([
  'string',
  'textarea',
  'email',
  'phone',
  'url',
  'picklist',
  'multipicklist',
  'combobox',
  'id',
  'reference',
]);

export type FieldSpec = Partial<Omit<FieldDef, 'picklistValues'>> & {
  picklist?: (string | [value: string, label: string])[];
  picklistDefault?: string;
};

/** A field with Salesforce's defaults for its type; `spec` overrides any property. */
export function field(name: string, type: FieldType, spec: FieldSpec = {}): FieldDef {
  const { picklist, picklistDefault, ...props } = spec;
  const isText = TEXT_TYPES.has(type);
  const length =
    props.length ??
    (type === 'id' || type === 'reference'
      ? 18
      : type === 'picklist' || type === 'multipicklist' || type === 'combobox'
        ? 255
        : type === 'email'
          ? 80
          : type === 'url'
            ? 255
            : type === 'phone'
              ? 40
              : isText
                ? 255
                : 0);
  const longText = type === 'textarea' && length > 255;
  const picklistValues: PicklistValue[] = (picklist ?? []).map((entry) => {
    const [value, label] = Array.isArray(entry) ? entry : [entry, entry];
    return { value, label, active: true, defaultValue: value === picklistDefault, validFor: null };
  });
  const system = type === 'id';
  const base: FieldDef = {
    name,
    label: props.label ?? name,
    type,
    soapType: SOAP_TYPES[type],
    length: isText ? length : 0,
    byteLength: isText ? length * 3 : 0,
    precision: 0,
    scale: 0,
    digits: type === 'int' ? 9 : 0,
    calculated: false,
    createable: !system,
    updateable: !system,
    nillable: !system && type !== 'boolean',
    externalId: false,
    unique: false,
    caseSensitive: false,
    idLookup: system,
    nameField: false,
    namePointing: false,
    defaultedOnCreate: system || type === 'boolean' || picklistDefault !== undefined,
    defaultValue: type === 'boolean' ? false : (picklistDefault ?? null),
    picklistValues,
    restrictedPicklist: false,
    referenceTo: [],
    relationshipName: null,
    polymorphicForeignKey: false,
    filterable: !longText && type !== 'address' && type !== 'location',
    sortable: !longText && type !== 'multipicklist' && type !== 'address' && type !== 'location',
    groupable:
      !longText &&
      !['double', 'currency', 'percent', 'datetime', 'multipicklist', 'address', 'location', 'time'].includes(type) &&
      !(type === 'textarea'),
    aggregatable: !longText && type !== 'address' && type !== 'location',
    custom: name.endsWith('__c'),
    htmlFormatted: false,
    autoNumber: false,
    cascadeDelete: false,
    inlineHelpText: null,
    compoundFieldName: null,
    required: false,
    developerControlled: false,
  };
  const def: FieldDef = { ...base, ...props, picklistValues };
  if (props.length !== undefined && isText) def.byteLength = props.length * 3;
  if (def.calculated) {
    def.createable = props.createable ?? false;
    def.updateable = props.updateable ?? false;
  }
  def.polymorphicForeignKey = def.referenceTo.length > 1;
  def.required = props.required ?? (def.createable && !def.nillable && !def.defaultedOnCreate);
  return def;
}

export function makeObject(
  props: Omit<
    ObjectDef,
    | 'fieldMap'
    | 'lastModified'
    | 'custom'
    | 'customMetadata'
    | 'createable'
    | 'updateable'
    | 'deletable'
    | 'queryable'
    | 'searchable'
    | 'triggerable'
    | 'undeletable'
    | 'mergeable'
    | 'feedEnabled'
    | 'layoutable'
  > &
    Partial<ObjectDef>,
): ObjectDef {
  const def: ObjectDef = {
    custom: false,
    customMetadata: false,
    createable: true,
    updateable: true,
    deletable: true,
    queryable: true,
    searchable: true,
    triggerable: true,
    undeletable: true,
    mergeable: false,
    feedEnabled: false,
    layoutable: true,
    lastModified: new Date('2026-01-01T00:00:00Z'),
    ...props,
    fieldMap: new Map(),
  };
  for (const f of def.fields) def.fieldMap.set(f.name.toLowerCase(), f);
  return def;
}
