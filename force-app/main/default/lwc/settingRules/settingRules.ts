// What a value of a Relay sync setting may be. The rule of each setting is data on its
// SyncSetting__mdt record — Type__c, Choices__c, Minimum__c/Maximum__c for a number and Maximum__c
// as the longest text for a Text setting — so the
// Setup page (syncSwitches), the companion and the preview read it where Apex (RelaySettings.cls)
// reads it. This module is the TypeScript reading of such a record, word for word with
// RelaySettings: the same values accepted, the same canonical text stored, the same messages.
// `npm run check:parity` compares its constants with the Apex ones, and the cases of
// staticresources/RelayRuleCases.json run against both (jest here, an Apex test in the org).
//
// Only type imports (erased): the companion loads this file as it is, at run time.
import type { SettingType } from 'c/relayTypes';

// Keyed by every SettingType, so tsc refuses a type missing here or unknown to the contract's type
// (types/apex.d.ts). Key order is Type__c's picklist order.
const TYPE_KEYS: { readonly [T in SettingType]: true } = { Boolean: true, Number: true, Choice: true, Text: true };

/** Type__c's values: how Value__c and DefaultValue__c are read. */
export const SETTING_TYPES = Object.keys(TYPE_KEYS) as readonly SettingType[];

/** Longest Text value (Value__c is a Text(255) field). */
export const MAX_TEXT_LENGTH = 255;

/**
 * Largest whole number a Number setting may hold: the largest integer JavaScript holds exactly
 * (Number.MAX_SAFE_INTEGER), so the companion reads every value Apex saves. It is also the upper
 * bound of a Number setting without Maximum__c.
 */
export const MAX_WHOLE_NUMBER = 9007199254740991;

/** The parts of a SyncSetting__mdt record that decide which values it accepts. */
export interface SettingRule {
  developerName: string;
  /** MasterLabel, which messages name. */
  label: string;
  /** Type__c; anything else (or null) is read as Text, as Apex does. */
  type: string | null | undefined;
  /** Choices__c split at semicolons (choicesOf). */
  choices: readonly string[];
  /**
   * Minimum__c and Maximum__c, inclusive; null when the record leaves them blank. A Text setting
   * reads Maximum__c as its longest value (never above MAX_TEXT_LENGTH).
   */
  minimum: number | null | undefined;
  maximum: number | null | undefined;
}

export type SettingValue = boolean | number | string;

/** The outcome of checking a value offered for a setting: the text to store, or why not. */
export type Normalized = { ok: true; text: string } | { ok: false; message: string };

/** Choices__c as a list: split at semicolons, trimmed, blanks dropped (RelaySettings.choices). */
export function choicesOf(text: string | null | undefined): string[] {
  return (text ?? '')
    .split(';')
    .map((choice) => choice.trim())
    .filter((choice) => choice !== '');
}

function lowerBound(rule: SettingRule): number {
  return rule.minimum ?? 0;
}

function upperBound(rule: SettingRule): number {
  return rule.maximum ?? MAX_WHOLE_NUMBER;
}

/**
 * The inclusive range a Number setting's messages name: null when the record sets neither bound
 * (any whole number up to MAX_WHOLE_NUMBER), else with 0 and MAX_WHOLE_NUMBER for a blank one.
 */
export function settingBounds(rule: SettingRule): { minimum: number; maximum: number } | null {
  const named = (rule.minimum ?? null) !== null || (rule.maximum ?? null) !== null;
  return named ? { minimum: lowerBound(rule), maximum: upperBound(rule) } : null;
}

/** The longest value a Text setting accepts: Maximum__c when set and shorter than Value__c holds. */
export function textLimit(rule: SettingRule): number {
  const maximum = rule.maximum ?? null;
  return maximum !== null && maximum >= 1 && maximum < MAX_TEXT_LENGTH ? Math.floor(maximum) : MAX_TEXT_LENGTH;
}

function parseWholeNumber(rule: SettingRule, text: string): number | null {
  // Digits only, as Apex's String.isNumeric: no sign, no decimals, no exponent ("1e3", "1.0").
  if (!/^\d+$/.test(text)) {
    return null;
  }
  const value = Number(text);
  // Above MAX_WHOLE_NUMBER a number is not held exactly; Apex refuses it by the same bound.
  if (!Number.isSafeInteger(value)) {
    return null;
  }
  return value < lowerBound(rule) || value > upperBound(rule) ? null : value;
}

/**
 * A stored text read as a value of the setting's type (RelaySettings.parse).
 * @returns boolean, number or text; null when the text is blank or not valid for the setting
 * @example parseSettingValue(rule, ' 075 ') // 75 for a Number setting from 1 to 100
 */
export function parseSettingValue(rule: SettingRule, raw: string | null | undefined): SettingValue | null {
  if (raw === null || raw === undefined || raw.trim() === '') {
    return null;
  }
  const text = raw.trim();
  switch (rule.type) {
    case 'Boolean': {
      const lower = text.toLowerCase();
      return lower === 'true' ? true : lower === 'false' ? false : null;
    }
    case 'Number':
      return parseWholeNumber(rule, text);
    case 'Choice':
      return rule.choices.includes(text) ? text : null;
    default:
      return text.length <= textLimit(rule) ? text : null;
  }
}

/** What a valid value of the setting is, as messages say it: "expected a whole number from 1 to 1440". */
export function describeSettingRule(rule: SettingRule): string {
  switch (rule.type) {
    case 'Boolean':
      return 'expected true or false';
    case 'Number': {
      const bounds = settingBounds(rule);
      return bounds ? `expected a whole number from ${bounds.minimum} to ${bounds.maximum}` : 'expected a whole number';
    }
    case 'Choice':
      return `expected one of ${rule.choices.join(', ')}`;
    default:
      return `expected text of at most ${textLimit(rule)} characters`;
  }
}

/**
 * Checks a value offered for a setting (RelaySettings.normalize), read as text as Apex reads it
 * with String.valueOf. The Setup page sends text; a JSON number arrives here already parsed, so
 * `1.0` sent as a number reads as `1` (Apex would see `1.0`): text is the contract.
 * @returns the canonical text to store in Value__c, or the message naming the setting and the rule
 * @example normalizeSettingValue(rule, '1e3') // { ok: false, message: 'Visit re-sync minutes (VisitResyncMinutes): expected a whole number from 1 to 1440, not "1e3".' }
 */
export function normalizeSettingValue(rule: SettingRule, input: unknown): Normalized {
  const raw = input === null || input === undefined ? '' : String(input).trim();
  const name = `${rule.label} (${rule.developerName})`;
  if (raw === '') {
    return { ok: false, message: `${name}: a value is required.` };
  }
  const parsed = parseSettingValue(rule, raw);
  if (parsed === null) {
    return { ok: false, message: `${name}: ${describeSettingRule(rule)}, not "${raw}".` };
  }
  return { ok: true, text: String(parsed) };
}
