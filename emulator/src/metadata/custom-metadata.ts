// CustomMetadata records through the Metadata API CRUD calls (create, read, update, upsert,
// delete), stored as rows of the `…__mdt` object so SOQL sees them at once.
//
// Names follow the Metadata API: `fullName` is `<type without __mdt>.<record>`, and a component
// of a managed package is named with the namespace prefix, so in a subscriber org the package's
// own record is `relay__SyncSetting.relay__RelayActive` while `relay__SyncSetting.RelayActive`
// names a record that belongs to the org (NamespacePrefix null) — a different record, as in a
// real org. Updates replace the whole component: values left out become null — except the
// developer-controlled fields of a package record, which the subscriber org can neither change nor
// clear (CustomField fieldManageability), so they keep the package's values.
import type { SaveError, SaveResult, WriteOptions } from '../org.js';
import type { SoqlDataSource, SoqlField, SoqlObject, SoqlRecord } from '../soql/source.js';
import { javaDouble } from '../bulk/values.js';
import { attrOf, escapeXml, textOf, type XmlNode } from './soap.js';

/** The part of the Org the Metadata API writes through (the Org class satisfies it). */
export interface MetadataOrg {
  describe(type: string): { fieldMap: ReadonlyMap<string, { developerControlled: boolean }> } | undefined;
  insert(type: string, records: Record<string, unknown>[], opts?: WriteOptions): SaveResult[];
  update(type: string, records: Record<string, unknown>[], opts?: WriteOptions): SaveResult[];
  delete(ids: string[], opts?: WriteOptions): SaveResult[];
  readonly soql: SoqlDataSource;
}

export interface MetadataError {
  fields: string[];
  message: string;
  statusCode: string;
}

export interface ComponentResult {
  fullName: string;
  success: boolean;
  errors: MetadataError[];
  created?: boolean;
}

interface ResolvedName {
  fullName: string;
  object: SoqlObject;
  /** Type part as Salesforce spells it, e.g. `relay__SyncSetting`. */
  typeName: string;
  namespace: string | null;
  developerName: string;
}

const STANDARD_FIELDS = new Set([
  'id',
  'developername',
  'masterlabel',
  'label',
  'language',
  'namespaceprefix',
  'qualifiedapiname',
  'systemmodstamp',
  'isprotected',
]);
const DEVELOPER_NAME = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*$/;

function crossRef(what: string, name: string, field = 'fullName'): MetadataError {
  return {
    fields: [field],
    message: `In field: ${field} - no ${what} named ${name} found`,
    statusCode: 'INVALID_CROSS_REFERENCE_KEY',
  };
}

function toMetadataError(e: SaveError): MetadataError {
  return { fields: e.fields, message: e.message, statusCode: e.statusCode };
}

export class CustomMetadataStore {
  /** `protected` is a Metadata API attribute the sObject rows do not carry. */
  private readonly protectedFlags = new Map<string, boolean>();

  constructor(
    private readonly org: MetadataOrg,
    private readonly opts: () => WriteOptions,
  ) {}

  private get source(): SoqlDataSource {
    return this.org.soql;
  }

  resolve(fullName: string): ResolvedName | MetadataError {
    const dot = fullName.indexOf('.');
    if (dot <= 0 || dot === fullName.length - 1) return crossRef('CustomMetadata', fullName);
    const typePart = fullName.slice(0, dot);
    const recordPart = fullName.slice(dot + 1);
    const object = this.source.describe(`${typePart}__mdt`);
    if (!object) return crossRef('CustomMetadataType', `${typePart}__mdt`);
    // Only the type's own package namespace can prefix a record name; any other `x__` is part of
    // the name (and then fails the double-underscore rule).
    const typeNamespace = /^([A-Za-z][A-Za-z0-9]*)__.+__mdt$/.exec(object.name)?.[1]?.toLowerCase();
    const nsMatch = /^([A-Za-z][A-Za-z0-9]*)__(.+)$/.exec(recordPart);
    const packaged = !!nsMatch && nsMatch[1]!.toLowerCase() === typeNamespace;
    const namespace = packaged ? nsMatch![1]! : null;
    const developerName = packaged ? nsMatch![2]! : recordPart;
    if (!DEVELOPER_NAME.test(developerName) || developerName.endsWith('_') || developerName.length > 40) {
      return {
        fields: ['fullName'],
        message:
          'The Custom Metadata Record Name can only contain underscores and alphanumeric characters. It must be unique, begin with a letter, not include spaces, not end with an underscore, and not contain two consecutive underscores.',
        statusCode: 'FIELD_INTEGRITY_EXCEPTION',
      };
    }
    return { fullName, object, typeName: object.name.replace(/__mdt$/, ''), namespace, developerName };
  }

  private find(name: ResolvedName): SoqlRecord | undefined {
    const dev = name.developerName.toLowerCase();
    for (const rec of this.source.scan(name.object.name, false)) {
      const ns = (rec.NamespacePrefix as string | null | undefined) ?? null;
      if (
        String(rec.DeveloperName ?? '').toLowerCase() === dev &&
        (ns?.toLowerCase() ?? null) === (name.namespace?.toLowerCase() ?? null)
      ) {
        return rec;
      }
    }
    return undefined;
  }

  private canonicalName(name: ResolvedName, rec?: SoqlRecord): string {
    const dev = (rec?.DeveloperName as string | undefined) ?? name.developerName;
    const ns = (rec?.NamespacePrefix as string | null | undefined) ?? name.namespace;
    return `${name.typeName}.${ns ? `${ns}__` : ''}${dev}`;
  }

  private customFields(object: SoqlObject): SoqlField[] {
    return [...object.fields.values()].filter(
      (f) => !STANDARD_FIELDS.has(f.name.toLowerCase()) && f.name.endsWith('__c'),
    );
  }

  /** Values of a `<metadata>` element converted to field values; every custom field is set. */
  private values(
    name: ResolvedName,
    metadata: XmlNode,
  ): { values: Record<string, unknown> } | { error: MetadataError } {
    const out: Record<string, unknown> = {};
    for (const f of this.customFields(name.object)) out[f.name] = null;
    const entries = (metadata.values as unknown[] | undefined) ?? [];
    for (const entry of entries) {
      const fieldName = textOf((entry as XmlNode).field)?.trim();
      if (!fieldName) continue;
      const field = name.object.fields.get(fieldName.toLowerCase());
      if (!field || STANDARD_FIELDS.has(field.name.toLowerCase())) {
        return {
          error: {
            fields: ['field'],
            message: `In field: field - no CustomField named ${name.object.name}.${fieldName} found`,
            statusCode: 'INVALID_CROSS_REFERENCE_KEY',
          },
        };
      }
      const valueNode = (entry as XmlNode).value;
      const converted = convert(valueNode, field);
      if (converted instanceof Error) {
        return { error: { fields: [field.name], message: converted.message, statusCode: 'FIELD_INTEGRITY_EXCEPTION' } };
      }
      out[field.name] = converted;
    }
    return { values: out };
  }

  /** create (`mode` 'create'), update ('update') or upsert ('upsert') of one `<metadata>` element. */
  save(metadata: XmlNode, mode: 'create' | 'update' | 'upsert'): ComponentResult {
    const fullName = (textOf(metadata.fullName) ?? '').trim();
    const name = this.resolve(fullName);
    if (!('object' in name))
      return { fullName, success: false, errors: [name], ...(mode === 'upsert' ? { created: false } : {}) };
    const existing = this.find(name);
    const fail = (errors: MetadataError[]): ComponentResult => ({
      fullName,
      success: false,
      errors,
      ...(mode === 'upsert' ? { created: false } : {}),
    });
    if (mode === 'create' && existing) {
      return fail([
        {
          fields: ['fullName'],
          message: `There is already a CustomMetadata named ${fullName}.`,
          statusCode: 'DUPLICATE_DEVELOPER_NAME',
        },
      ]);
    }
    // Records in the package's namespace come from the package: the org can edit them, not add them.
    if ((mode === 'update' || name.namespace) && !existing) return fail([crossRef('CustomMetadata', fullName)]);
    const label = textOf(metadata.label);
    if (!existing && (label === undefined || label.trim() === '')) {
      return fail([
        { fields: ['label'], message: 'Required field is missing: label', statusCode: 'REQUIRED_FIELD_MISSING' },
      ]);
    }
    if (label !== undefined && label.trim().length > 40) {
      return fail([
        {
          fields: ['label'],
          message: `Label: data value too large: ${label.trim()} (max length=40)`,
          statusCode: 'STRING_TOO_LONG',
        },
      ]);
    }
    const parsed = this.values(name, metadata);
    if ('error' in parsed) return fail([parsed.error]);
    if (existing && name.namespace) {
      const kept = this.keepDeveloperControlled(name, metadata, existing, parsed.values);
      if (kept) return fail([kept]);
    }
    // The Metadata API trims string values before storing them (upsertMetadata(), "String Values").
    const finalLabel = label?.trim() || (existing?.MasterLabel as string | undefined) || name.developerName;
    const record: Record<string, unknown> = {
      DeveloperName: name.developerName,
      MasterLabel: finalLabel,
      Label: finalLabel,
      Language: 'en_US',
      NamespacePrefix: name.namespace,
      QualifiedApiName: name.namespace ? `${name.namespace}__${name.developerName}` : name.developerName,
      ...parsed.values,
    };
    const opts = { ...this.opts(), metadataApi: true };
    const results = existing
      ? this.org.update(name.object.name, [{ Id: existing.Id, ...record }], opts)
      : this.org.insert(name.object.name, [record], opts);
    const r = results[0];
    if (!r || !r.success) return fail((r?.errors ?? []).map(toMetadataError));
    const prot = textOf(metadata.protected);
    if (prot !== undefined) this.protectedFlags.set(this.canonicalName(name).toLowerCase(), prot.trim() === 'true');
    const out: ComponentResult = { fullName, success: true, errors: [] };
    if (mode === 'upsert') out.created = !existing;
    return out;
  }

  /**
   * On a package record, developer-controlled values stay as the package set them: left out, they
   * are kept (not nulled); sent with a different value, the save fails naming the field.
   */
  private keepDeveloperControlled(
    name: ResolvedName,
    metadata: XmlNode,
    existing: SoqlRecord,
    values: Record<string, unknown>,
  ): MetadataError | undefined {
    const def = this.org.describe(name.object.name);
    const sent = new Set(
      ((metadata.values as unknown[] | undefined) ?? []).map((entry) =>
        (textOf((entry as XmlNode).field) ?? '').trim().toLowerCase(),
      ),
    );
    for (const field of this.customFields(name.object)) {
      if (!def?.fieldMap.get(field.name.toLowerCase())?.developerControlled) continue;
      const current = existing[field.name] ?? null;
      if (!sent.has(field.name.toLowerCase())) {
        values[field.name] = current;
      } else if ((values[field.name] ?? null) !== current) {
        return {
          fields: [field.name],
          message: `${field.name} is developer-controlled: only the package's developer can change it on ${this.canonicalName(name, existing)}`,
          statusCode: 'FIELD_INTEGRITY_EXCEPTION',
        };
      }
    }
    return undefined;
  }

  remove(fullName: string): ComponentResult {
    const name = this.resolve(fullName);
    if (!('object' in name)) return { fullName, success: false, errors: [name] };
    const existing = this.find(name);
    if (!existing) return { fullName, success: false, errors: [crossRef('CustomMetadata', fullName)] };
    const r = this.org.delete([existing.Id as string], { ...this.opts(), metadataApi: true })[0];
    if (!r || !r.success) return { fullName, success: false, errors: (r?.errors ?? []).map(toMetadataError) };
    this.protectedFlags.delete(this.canonicalName(name).toLowerCase());
    return { fullName, success: true, errors: [] };
  }

  /** `<records xsi:type="CustomMetadata">…</records>`, or a nil record when none exists. */
  readXml(fullName: string): string {
    const name = this.resolve(fullName);
    const rec = 'object' in name ? this.find(name) : undefined;
    if (!rec || !('object' in name)) return '<records xsi:nil="true"/>';
    const canonical = this.canonicalName(name, rec);
    const parts = [
      `<fullName>${escapeXml(canonical)}</fullName>`,
      `<label>${escapeXml(String(rec.MasterLabel ?? ''))}</label>`,
    ];
    parts.push(`<protected>${this.protectedFlags.get(canonical.toLowerCase()) ?? false}</protected>`);
    const fields = this.customFields(name.object).sort((a, b) =>
      a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1,
    );
    for (const f of fields)
      parts.push(`<values><field>${escapeXml(f.name)}</field>${valueXml(rec[f.name], f)}</values>`);
    return `<records xsi:type="CustomMetadata">${parts.join('')}</records>`;
  }
}

function xsdType(field: SoqlField): string {
  switch (field.type) {
    case 'boolean':
      return 'xsd:boolean';
    case 'int':
    case 'double':
    case 'currency':
    case 'percent':
      return 'xsd:double';
    case 'date':
      return 'xsd:date';
    case 'datetime':
      return 'xsd:dateTime';
    default:
      return 'xsd:string';
  }
}

function valueXml(value: unknown, field: SoqlField): string {
  if (value === undefined || value === null) return '<value xsi:nil="true"/>';
  let text: string;
  if (typeof value === 'number') text = javaDouble(value);
  else if (field.type === 'datetime' && typeof value === 'string') text = value.replace(/\+0000$/, 'Z');
  else text = String(value);
  return `<value xsi:type="${xsdType(field)}">${escapeXml(text)}</value>`;
}

/**
 * A `<value>` converted for its field. The CRUD calls accept untyped values (jsforce sends none)
 * and read them by the field's type; an explicit `xsi:type` is honoured.
 */
function convert(node: unknown, field: SoqlField): unknown {
  if (node === undefined) return null;
  if (attrOf(node, 'nil') === 'true') return null;
  const text = textOf(node) ?? '';
  const declared = attrOf(node, 'type')?.replace(/^.*:/, '');
  switch (field.type) {
    case 'boolean': {
      const t = text.trim().toLowerCase();
      if (t === 'true' || t === '1') return true;
      if (t === 'false' || t === '0') return false;
      if (t === '') return null;
      return new Error(`'${text}' is not valid for type xsd:boolean, should be '0', '1', 'true' or 'false'`);
    }
    case 'int':
    case 'double':
    case 'currency':
    case 'percent': {
      if (text.trim() === '') return null;
      const v = Number(text.trim());
      if (!Number.isFinite(v))
        return new Error(`'${text}' is not a valid value for the type xsd:${declared ?? 'double'}`);
      return field.type === 'int' ? Math.trunc(v) : v;
    }
    default:
      return text.trim() === '' ? null : text.trim();
  }
}
