// Reads the managed package's source metadata (force-app/main/default) so the emulator always
// matches the package: Activity custom fields become Task and Event fields, `*__mdt` objects become
// custom metadata types, and `customMetadata/*.md-meta.xml` become the installed package's records.
// Every name gets the package namespace (`relay__`), as in a subscriber org.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { field, makeObject, type FieldDef, type FieldSpec, type ObjectDef } from './types.js';

export const NAMESPACE = 'relay';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => name === 'value' || name === 'values',
});

type Xml = Record<string, unknown>;

function readXml(path: string, root: string): Xml {
  const doc = parser.parse(readFileSync(path, 'utf8')) as Xml;
  const node = doc[root];
  if (!node || typeof node !== 'object') throw new Error(`${path}: expected a <${root}> document`);
  return node as Xml;
}

function text(node: Xml, key: string): string | undefined {
  const v = node[key];
  if (v === undefined || v === null || typeof v === 'object') return undefined;
  return String(v);
}

function bool(node: Xml, key: string, fallback = false): boolean {
  const v = text(node, key);
  return v === undefined ? fallback : v === 'true';
}

function num(node: Xml, key: string, fallback: number): number {
  const v = text(node, key);
  return v === undefined ? fallback : Number(v);
}

/** A CustomField document as a describe field named `relay__<fullName>`. */
export function customFieldFromXml(xml: Xml, opts: { readOnly?: boolean } = {}): FieldDef {
  const fullName = text(xml, 'fullName');
  if (!fullName) throw new Error('CustomField without fullName');
  const name = `${NAMESPACE}__${fullName}`;
  const type = text(xml, 'type') ?? 'Text';
  const required = bool(xml, 'required');
  const spec: FieldSpec = {
    label: text(xml, 'label') ?? fullName,
    custom: true,
    nillable: !required,
    externalId: bool(xml, 'externalId'),
    unique: bool(xml, 'unique'),
    caseSensitive: bool(xml, 'caseSensitive'),
    inlineHelpText: text(xml, 'inlineHelpText') ?? null,
    developerControlled: text(xml, 'fieldManageability') === 'DeveloperControlled',
  };
  if (spec.externalId) spec.idLookup = true;
  if (opts.readOnly) {
    spec.createable = false;
    spec.updateable = false;
  }
  switch (type) {
    case 'Text':
      return field(name, 'string', { ...spec, length: num(xml, 'length', 255) });
    case 'TextArea':
      return field(name, 'textarea', { ...spec, length: 255 });
    case 'LongTextArea':
    case 'Html':
      return field(name, 'textarea', { ...spec, length: num(xml, 'length', 32768), htmlFormatted: type === 'Html' });
    case 'Email':
      return field(name, 'email', { ...spec, length: 80 });
    case 'Phone':
      return field(name, 'phone', { ...spec, length: 40 });
    case 'Url':
      return field(name, 'url', { ...spec, length: 255 });
    case 'Date':
      return field(name, 'date', spec);
    case 'DateTime':
      return field(name, 'datetime', spec);
    case 'Number':
    case 'Percent':
    case 'Currency': {
      const precision = num(xml, 'precision', 18);
      const scale = num(xml, 'scale', 0);
      const t = type === 'Number' ? 'double' : type === 'Percent' ? 'percent' : 'currency';
      return field(name, t, { ...spec, precision, scale });
    }
    case 'Checkbox': {
      const dflt = (text(xml, 'defaultValue') ?? 'false') === 'true';
      return field(name, 'boolean', { ...spec, nillable: false, defaultedOnCreate: true, defaultValue: dflt });
    }
    case 'Picklist':
    case 'MultiselectPicklist': {
      const valueSet = (xml.valueSet ?? {}) as Xml;
      const definition = (valueSet.valueSetDefinition ?? {}) as Xml;
      const values = ((definition.value ?? []) as Xml[]).map(
        (v) => [text(v, 'fullName') ?? '', text(v, 'label') ?? text(v, 'fullName') ?? ''] as [string, string],
      );
      const dflt = ((definition.value ?? []) as Xml[]).find((v) => bool(v, 'default'));
      return field(name, type === 'Picklist' ? 'picklist' : 'multipicklist', {
        ...spec,
        length: type === 'Picklist' ? 255 : 4099,
        picklist: values,
        picklistDefault: dflt ? text(dflt, 'fullName') : undefined,
        restrictedPicklist: bool(valueSet, 'restricted'),
      });
    }
    default:
      throw new Error(`custom field ${fullName}: type ${type} is not supported by the emulator`);
  }
}

function xmlFiles(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => join(dir, f));
}

export interface PackageRecord {
  /** `relay__FieldMapping__mdt` */
  type: string;
  developerName: string;
  label: string;
  protected: boolean;
  values: Record<string, unknown>;
}

export interface PackageMetadata {
  /** Fields added to both Task and Event (from objects/Activity/fields). */
  activityFields: FieldDef[];
  customMetadataTypes: ObjectDef[];
  records: PackageRecord[];
  /** `notificationtypes/*.notiftype-meta.xml`: the package's custom notification types. */
  notificationTypes: PackageNotificationType[];
  /** `permissionsets/*.permissionset-meta.xml`: names and labels. */
  permissionSets: { name: string; label: string }[];
}

export interface PackageNotificationType {
  developerName: string;
  customNotifTypeName: string;
  masterLabel: string;
  description: string | null;
  desktop: boolean;
  mobile: boolean;
}

function baseName(file: string, suffix: string): string {
  return file.slice(file.lastIndexOf('/') + 1, -suffix.length);
}

function notificationTypes(packageDir: string): PackageNotificationType[] {
  const suffix = '.notiftype-meta.xml';
  return xmlFiles(join(packageDir, 'notificationtypes'), suffix).map((file) => {
    const xml = readXml(file, 'CustomNotificationType');
    const developerName = baseName(file, suffix);
    return {
      developerName,
      customNotifTypeName: text(xml, 'customNotifTypeName') ?? developerName,
      masterLabel: text(xml, 'masterLabel') ?? developerName,
      description: text(xml, 'description') ?? null,
      desktop: bool(xml, 'desktop'),
      mobile: bool(xml, 'mobile'),
    };
  });
}

function permissionSets(packageDir: string): { name: string; label: string }[] {
  const suffix = '.permissionset-meta.xml';
  return xmlFiles(join(packageDir, 'permissionsets'), suffix).map((file) => {
    const name = baseName(file, suffix);
    return { name, label: text(readXml(file, 'PermissionSet'), 'label') ?? name };
  });
}

/** The standard fields every custom metadata type has. */
function customMetadataStandardFields(): FieldDef[] {
  const ro = { createable: false, updateable: false } as const;
  return [
    field('Id', 'id', { label: 'Custom Metadata Record ID', nillable: false, defaultedOnCreate: true }),
    field('DeveloperName', 'string', { label: 'Custom Metadata Record Name', length: 40, nillable: false, ...ro }),
    field('MasterLabel', 'string', { label: 'Label', length: 40, nillable: false, nameField: true, ...ro }),
    field('Language', 'picklist', {
      label: 'Master Language',
      length: 40,
      ...ro,
      nillable: false,
      picklist: [['en_US', 'English']],
    }),
    field('NamespacePrefix', 'string', { label: 'Namespace Prefix', length: 15, ...ro }),
    field('Label', 'string', { label: 'Label', length: 40, ...ro }),
    field('QualifiedApiName', 'string', { label: 'Qualified API Name', length: 70, ...ro, nillable: false }),
    field('SystemModstamp', 'datetime', { label: 'System Modstamp', ...ro, nillable: false, defaultedOnCreate: true }),
  ];
}

/** Converts one `<value xsi:type="xsd:…">` of a custom metadata record. */
function recordValue(node: unknown): unknown {
  if (node === undefined || node === null) return null;
  if (typeof node !== 'object') return String(node);
  const v = node as Xml;
  if (v['@_xsi:nil'] === 'true') return null;
  const raw = v['#text'] === undefined ? '' : String(v['#text']);
  const xsiType = String(v['@_xsi:type'] ?? 'xsd:string');
  if (xsiType.endsWith('boolean')) return raw === 'true';
  if (xsiType.endsWith('double') || xsiType.endsWith('int') || xsiType.endsWith('long') || xsiType.endsWith('decimal'))
    return Number(raw);
  return raw;
}

export function loadPackage(packageDir: string): PackageMetadata {
  const objectsDir = join(packageDir, 'objects');
  const activityFields = xmlFiles(join(objectsDir, 'Activity', 'fields'), '.field-meta.xml').map((file) =>
    customFieldFromXml(readXml(file, 'CustomField')),
  );

  const customMetadataTypes: ObjectDef[] = [];
  const mdtDirs = existsSync(objectsDir)
    ? readdirSync(objectsDir)
        .filter((d) => d.endsWith('__mdt'))
        .sort()
    : [];
  mdtDirs.forEach((dir, index) => {
    const objectFile = join(objectsDir, dir, `${dir}.object-meta.xml`);
    const objectXml = existsSync(objectFile) ? readXml(objectFile, 'CustomObject') : {};
    // Custom metadata key prefixes are m00, m01, … in a subscriber org; ours follow sorted order.
    const keyPrefix = `m0${'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'[index] ?? 'Z'}`;
    const fields = [
      ...customMetadataStandardFields(),
      ...xmlFiles(join(objectsDir, dir, 'fields'), '.field-meta.xml').map((file) =>
        customFieldFromXml(readXml(file, 'CustomField'), { readOnly: true }),
      ),
    ];
    customMetadataTypes.push(
      makeObject({
        name: `${NAMESPACE}__${dir}`,
        label: text(objectXml, 'label') ?? dir,
        labelPlural: text(objectXml, 'pluralLabel') ?? dir,
        keyPrefix,
        custom: true,
        customMetadata: true,
        createable: false,
        updateable: false,
        deletable: false,
        undeletable: false,
        triggerable: false,
        searchable: false,
        layoutable: false,
        fields,
      }),
    );
  });

  const records: PackageRecord[] = xmlFiles(join(packageDir, 'customMetadata'), '.md-meta.xml').map((file) => {
    const base = file.slice(file.lastIndexOf('/') + 1, -'.md-meta.xml'.length);
    const dot = base.indexOf('.');
    const typeName = base.slice(0, dot);
    const developerName = base.slice(dot + 1);
    const xml = readXml(file, 'CustomMetadata');
    const values: Record<string, unknown> = {};
    for (const entry of (xml.values ?? []) as Xml[]) {
      const fieldName = text(entry, 'field');
      if (!fieldName) continue;
      values[`${NAMESPACE}__${fieldName}`] = recordValue((entry.value as unknown[] | undefined)?.[0]);
    }
    return {
      type: `${NAMESPACE}__${typeName}__mdt`,
      developerName,
      label: text(xml, 'label') ?? developerName,
      protected: bool(xml, 'protected'),
      values,
    };
  });

  return {
    activityFields,
    customMetadataTypes,
    records,
    notificationTypes: notificationTypes(packageDir),
    permissionSets: permissionSets(packageDir),
  };
}
