// Which Salesforce fields of Contacts and Leads the platform may see and which it may write, from the
// admin's relay__FieldMapping__mdt rows (the one place an admin chooses them). The platform API and
// the outbound events speak Salesforce field API names (`Title`), as PATCH's body does, so what a
// lookup answers can be written back unchanged.
//
//  readable — active mappings whose direction lets Salesforce values reach the platform: TwoWay,
//             SalesforceToPlatform, PreferSalesforceUnlessBlank;
//  writable — active mappings whose direction lets the platform write Salesforce: TwoWay,
//             PlatformToSalesforce, PreferSalesforceUnlessBlank; never Email or Phone, nor the field
//             of a match-key mapping: they identify the person, and a platform that rewrote them
//             would silently re-point every later match.
import { mappingCatalog, type FieldMapping, type MappingDirection, type OrgConfiguration } from '../sync/settings.js';

export type PersonObject = 'Contact' | 'Lead';
export const PERSON_OBJECTS: readonly PersonObject[] = ['Contact', 'Lead'];

// The package's table (mappingCatalog.TO_PLATFORM_DIRECTIONS, MappingValidationService in Apex).
const READ_DIRECTIONS = new Set<MappingDirection>(mappingCatalog.TO_PLATFORM_DIRECTIONS);
const WRITE_DIRECTIONS = new Set<MappingDirection>(['TwoWay', 'PlatformToSalesforce', 'PreferSalesforceUnlessBlank']);

/** Identity fields no platform write may touch, whatever the mapping says. */
export const NEVER_WRITABLE = new Set(['email', 'phone']);

/** Salesforce's system fields: a mapping naming one is never read or written through here. */
const SYSTEM_FIELDS = new Set([
  'id',
  'isdeleted',
  'createddate',
  'createdbyid',
  'lastmodifieddate',
  'lastmodifiedbyid',
  'systemmodstamp',
]);

function unique(mappings: FieldMapping[]): string[] {
  const seen = new Map<string, string>();
  for (const m of mappings) {
    const key = m.targetField.toLowerCase();
    if (!SYSTEM_FIELDS.has(key) && !seen.has(key)) seen.set(key, m.targetField);
  }
  return [...seen.values()];
}

/** Active mappings that let Salesforce values of `object` reach the platform, in mapping order. */
export function readableMappings(config: OrgConfiguration, object: PersonObject): FieldMapping[] {
  return config.mappings.filter((m) => m.active && m.targetObject === object && READ_DIRECTIONS.has(m.direction));
}

/** Fields whose Salesforce values the platform receives (lookup answers and events), in mapping order. */
export function readableFields(config: OrgConfiguration, object: PersonObject): string[] {
  return unique(readableMappings(config, object));
}

export interface WriteCheck {
  /** Requested name (any case) → the field's API name as the mapping spells it. */
  allowed: Map<string, string>;
  /** Requested names refused, each with the reason. */
  refused: { field: string; reason: string }[];
}

/** Splits the fields a PATCH asks to write into allowed ones and refused ones (with reasons). */
export function checkWritable(config: OrgConfiguration, object: PersonObject, requested: string[]): WriteCheck {
  const active = config.mappings.filter((m) => m.active && m.targetObject === object);
  const matchKeys = new Set(active.filter((m) => m.isMatchKey).map((m) => m.targetField.toLowerCase()));
  const writable = new Map<string, string>();
  for (const m of active)
    if (WRITE_DIRECTIONS.has(m.direction)) writable.set(m.targetField.toLowerCase(), m.targetField);
  const allowed = new Map<string, string>();
  const refused: WriteCheck['refused'] = [];
  for (const name of requested) {
    const key = name.toLowerCase();
    if (NEVER_WRITABLE.has(key) || SYSTEM_FIELDS.has(key)) {
      refused.push({ field: name, reason: 'never writable through the platform API (it identifies the record)' });
    } else if (matchKeys.has(key)) {
      refused.push({ field: name, reason: 'the match key people are matched by is never writable' });
    } else if (!writable.has(key)) {
      refused.push({
        field: name,
        reason: `not on the allow-list (no active ${object} field mapping lets the platform write it)`,
      });
    } else {
      allowed.set(name, writable.get(key)!);
    }
  }
  return { allowed, refused };
}

/** The value of `field` in a Salesforce record (API names are case-insensitive; JSON keys are not). */
export function valueOf(record: Record<string, unknown>, field: string): unknown {
  if (field in record) return record[field] ?? null;
  const key = Object.keys(record).find((k) => k.toLowerCase() === field.toLowerCase());
  return key === undefined ? null : (record[key] ?? null);
}

/** `{field: value}` of the given fields, null for absent ones. */
export function pick(record: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) out[f] = valueOf(record, f);
  return out;
}
