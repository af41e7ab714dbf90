// The platform's value rules, applied to every field of an outbound event before it is queued. They
// are Brevo's, the strictest of the platforms Relay is built for, so a value that passes here is
// taken by every one of them:
//   - dates as YYYY-MM-DD (a Salesforce datetime becomes its UTC date);
//   - phone numbers in E.164 with their country code, 6 to 16 digits (`+1 (415) 555-0100` is sent
//     as `+14155550100`; a national number cannot be told apart between countries, so it is refused);
//   - no formula or roll-up fields: their values are calculated by Salesforce and the platform does
//     not take them (the Setup page refuses such mappings; one deployed around it is never sent);
//   - checkboxes and picklists through the mapping's value map (ValueMap__c maps platform values to
//     Salesforce values on the way in; here it is read backwards), when the mapping has one.
// A value that breaks a rule is left out of the event (the rest of the record is sent) and named —
// field, value, rule — so the admin sees it on Sync health (rejections.ts). Pure: no I/O.
import { mappingCatalog, type FieldMapping, type OrgConfiguration } from '../sync/settings.js';
import { readableMappings, type PersonObject } from './fields.js';
import type { FieldFacts, PersonFieldFacts } from './platform-describe.js';

/** Digits a phone number may have once normalised (country code included). */
export const PHONE_DIGITS = { min: 6, max: 16 } as const;

/** Why a value was refused, as the error list says it after "was not sent: ". */
export const RULES = {
  date: 'the platform takes dates as YYYY-MM-DD',
  phone: `the platform takes phone numbers with their country code (+ or 00), ${PHONE_DIGITS.min} to ${PHONE_DIGITS.max} digits, in E.164`,
  formula: 'a formula or roll-up field, calculated by Salesforce: the platform takes no calculated values',
  valueMap: "not in the mapping's value map, which names every value the platform takes",
} as const;

export interface Rejection {
  field: string;
  value: unknown;
  /** The rule it breaks (RULES). */
  rule: string;
}

export interface RuledFields {
  /** The values to send, converted (dates, phones, mapped values); rejected ones left out. */
  fields: Record<string, unknown>;
  rejected: Rejection[];
}

type Outcome = { ok: true; value: unknown } | { ok: false; rule: string };

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const PHONE_TEXT = /^[+\d\s().\-/]+$/;
const DATE_TYPES = new Set(['date', 'datetime']);
const MAPPED_TYPES = new Set(['boolean', 'picklist', 'multipicklist']);

function platformType(m: FieldMapping | undefined): string | null {
  return mappingCatalog.PLATFORM_FIELDS.find((p) => p.name === m?.platformField)?.type ?? null;
}

export function toPlatformDate(value: unknown): Outcome {
  const text = String(value).trim();
  const plain = DATE_ONLY.exec(text);
  if (plain) {
    const d = new Date(`${text}T00:00:00Z`);
    // `2024-02-30` parses in some engines; a real date reads back the same.
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text
      ? { ok: true, value: text }
      : { ok: false, rule: RULES.date };
  }
  // A Salesforce datetime (`2026-11-22T10:00:00.000+0000`) or any ISO 8601 time with its offset.
  const iso = text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  if (!/^\d{4}-\d{2}-\d{2}T/.test(iso)) return { ok: false, rule: RULES.date };
  const t = Date.parse(iso);
  return Number.isNaN(t)
    ? { ok: false, rule: RULES.date }
    : { ok: true, value: new Date(t).toISOString().slice(0, 10) };
}

export function toPlatformPhone(value: unknown): Outcome {
  const text = String(value).trim();
  if (!PHONE_TEXT.test(text)) return { ok: false, rule: RULES.phone };
  let digits = text.replace(/\D/g, '');
  if (text.startsWith('+')) {
    // written with its country code
  } else if (digits.startsWith('00')) {
    digits = digits.slice(2);
  } else {
    return { ok: false, rule: RULES.phone };
  }
  if (digits.length < PHONE_DIGITS.min || digits.length > PHONE_DIGITS.max || digits.startsWith('0'))
    return { ok: false, rule: RULES.phone };
  return { ok: true, value: `+${digits}` };
}

/** The platform value a Salesforce value came from (the first one the value map names for it). */
function unmap(valueMap: Record<string, unknown>, value: unknown): string | undefined {
  const wanted = String(value);
  return Object.entries(valueMap).find(([, sf]) => String(sf) === wanted)?.[0];
}

function throughValueMap(m: FieldMapping, facts: FieldFacts | undefined, value: unknown): Outcome {
  const valueMap = m.valueMap!;
  if (facts?.type === 'multipicklist') {
    const parts = String(value)
      .split(';')
      .map((p) => unmap(valueMap, p));
    return parts.every((p) => p !== undefined)
      ? { ok: true, value: parts.join(';') }
      : { ok: false, rule: RULES.valueMap };
  }
  const platform = unmap(valueMap, value);
  if (platform !== undefined) return { ok: true, value: platform };
  // Checkboxes and picklists have only the values the map names; other types pass unmapped, as
  // they do on the way in.
  return facts && MAPPED_TYPES.has(facts.type) ? { ok: false, rule: RULES.valueMap } : { ok: true, value };
}

/** One field's value as the platform takes it, or the rule it breaks. */
export function ruleValue(m: FieldMapping | undefined, facts: FieldFacts | undefined, value: unknown): Outcome {
  if (facts?.calculated) return { ok: false, rule: RULES.formula };
  if (value === null || value === undefined || value === '') return { ok: true, value: null };
  if (m?.valueMap && Object.keys(m.valueMap).length > 0) return throughValueMap(m, facts, value);
  const type = platformType(m);
  if ((facts && DATE_TYPES.has(facts.type)) || type === mappingCatalog.PLATFORM_TYPES.DATETIME)
    return toPlatformDate(value);
  if (facts?.type === 'phone' || type === mappingCatalog.PLATFORM_TYPES.PHONE) return toPlatformPhone(value);
  return { ok: true, value };
}

/**
 * The event's fields through the rules. A formula field is left out even when blank (it is never
 * sent); only a value that is there is named as rejected.
 */
export function applyPlatformRules(
  config: OrgConfiguration,
  object: PersonObject,
  fields: Readonly<Record<string, unknown>>,
  facts: PersonFieldFacts | undefined,
): RuledFields {
  const mappings = readableMappings(config, object);
  const out: Record<string, unknown> = {};
  const rejected: Rejection[] = [];
  for (const [field, value] of Object.entries(fields)) {
    const key = field.toLowerCase();
    const m = mappings.find((x) => x.targetField.toLowerCase() === key);
    const outcome = ruleValue(m, facts?.[object].get(key), value);
    if (outcome.ok) out[field] = outcome.value;
    else if (value !== null && value !== undefined && value !== '') rejected.push({ field, value, rule: outcome.rule });
  }
  return { fields: out, rejected };
}
