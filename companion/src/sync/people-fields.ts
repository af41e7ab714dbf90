// The values the people sync writes: every active mapping of the target object whose direction
// writes to Salesforce (PlatformToSalesforce, TwoWay; PreferSalesforceUnlessBlank only fills fields
// that are blank in Salesforce), through the mapping's ValueMap for picklists and checkboxes.
// A list sign-up is not the platform's record of a person, only someone joining a list, so for a
// person Salesforce already has it never overwrites: Salesforce wins on every mapped field, and the
// sign-up only fills fields that are blank there (SalesforceToPlatform mappings write nothing at all,
// as always). A prospect in the same batch keeps its mappings' directions.
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
 * updated (null when its values are unknown: fields that only fill blanks are then left alone),
 * undefined on create. `fillBlanksOnly`: every mapping behaves as PreferSalesforceUnlessBlank (list
 * sign-ups), and a blank value is not worth a write.
 */
export function fieldsFor(
  config: OrgConfiguration,
  object: string,
  values: Fields,
  current: PersonRow | null | undefined,
  fillBlanksOnly = false,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of writeMappings(config, object)) {
    if (!(m.platformField in values)) continue;
    const value = values[m.platformField]!;
    const onlyIfBlank = fillBlanksOnly || m.direction === 'PreferSalesforceUnlessBlank';
    if (onlyIfBlank && current !== undefined && (current === null || !blank(current[m.targetField]))) continue;
    if (fillBlanksOnly && blank(value)) continue;
    out[m.targetField] = mappedValue(m, value);
  }
  return out;
}

/**
 * The update of a person Salesforce already has: the prospects' values as their mappings' directions
 * say, over what the list sign-ups fill in blank fields. Empty when there is nothing to write.
 */
export function knownPersonUpdate(
  config: OrgConfiguration,
  p: BatchPerson,
  target: { type: 'Lead' | 'Contact'; current?: PersonRow },
): Record<string, unknown> {
  const current = target.current ?? null;
  return {
    ...fieldsFor(config, target.type, p.signUpFields, current, true),
    ...fieldsFor(config, target.type, p.prospectFields, current),
  };
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
