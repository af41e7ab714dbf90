// The values the people sync writes: every active mapping of the target object whose direction
// writes to Salesforce (PlatformToSalesforce, TwoWay; PreferSalesforceUnlessBlank only fills fields
// that are blank in Salesforce), through the mapping's ValueMap for picklists and checkboxes.
// Created Leads get the required LastName and Company (from the mappings, else the email's local
// part and domain), LeadSource from the settings, Status "New" for list members; the owner is the
// User whose email is `ownerEmail`.
import type { BatchPerson, Fields, MatchKey, PersonRow } from './people-events.js';
import { writeMappings, type FieldMapping, type OrgConfiguration } from './settings.js';
import { truncate } from './tasks.js';

function mappedValue(m: FieldMapping, value: string | number | boolean | null): unknown {
  if (m.valueMap && value !== null && String(value) in m.valueMap) return m.valueMap[String(value)];
  return value;
}

export const blank = (v: unknown) => v === null || v === undefined || v === '';

/**
 * The fields to write on `object` from the platform's values. `current` is the record being
 * updated (null when its values are unknown: PreferSalesforceUnlessBlank fields are then left
 * alone), undefined on create.
 */
export function fieldsFor(
  config: OrgConfiguration,
  object: string,
  values: Fields,
  current: PersonRow | null | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of writeMappings(config, object)) {
    if (!(m.platformField in values)) continue;
    if (
      m.direction === 'PreferSalesforceUnlessBlank' &&
      current !== undefined &&
      (current === null || !blank(current[m.targetField]))
    )
      continue;
    out[m.targetField] = mappedValue(m, values[m.platformField]!);
  }
  return out;
}

/** The mapped fields of `object`, read with the lookup (PreferSalesforceUnlessBlank needs them). */
export function fieldsToQuery(config: OrgConfiguration, object: string): string[] {
  return [...new Set(writeMappings(config, object).map((m) => m.targetField))];
}

/** Company: the mapped Account Name / Lead Company, else `company`, else the email's domain. */
export function companyOf(config: OrgConfiguration, fields: Fields, key: string, kind: MatchKey['kind']): string {
  for (const [object, field] of [
    ['Account', 'Name'],
    ['Lead', 'Company'],
  ] as const) {
    const m = writeMappings(config, object).find((x) => x.targetField === field && x.platformField in fields);
    const v = m ? fields[m.platformField] : undefined;
    if (typeof v === 'string' && v.trim()) return v.trim();
  }
  const company = fields.company;
  if (typeof company === 'string' && company.trim()) return company.trim();
  return kind === 'email' ? (key.split('@')[1] ?? key) : key;
}

/** A new person's record: the mapped values, then what Salesforce requires and Relay adds. */
export function newPersonRecord(
  config: OrgConfiguration,
  object: 'Lead' | 'Contact',
  p: BatchPerson,
  key: MatchKey,
  ownerId: string | null,
): Record<string, unknown> {
  const record: Record<string, unknown> = {
    attributes: { type: object },
    ...fieldsFor(config, object, p.fields, undefined),
  };
  const local = key.kind === 'email' ? p.key.split('@')[0]! : p.key;
  if (blank(record.LastName)) record.LastName = truncate(String(p.fields.lastName ?? local), 80);
  if (key.kind === 'email' && blank(record.Email)) record.Email = p.key;
  if (key.kind === 'phone' && blank(record.Phone)) record.Phone = p.key;
  if (blank(record.LeadSource)) record.LeadSource = config.settings.LeadSource;
  if (ownerId) record.OwnerId = ownerId;
  if (object === 'Lead') {
    if (blank(record.Company)) record.Company = truncate(p.accountName!, 255);
    if (p.events.some((e) => e.isListMember) && blank(record.Status)) record.Status = 'New';
  } else if (p.accountId) record.AccountId = p.accountId;
  return record;
}
