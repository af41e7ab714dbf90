// The rules a record must meet before Relay spends a write on it, read from the org's describe of
// its object (describe-cache.ts) — the rules Salesforce itself applies on save, checked first so a
// bad value costs no call and, for the values Salesforce's JSON reader refuses (a date or a number
// it cannot read, an unknown field), does not fail the other 199 records of a Collections request:
//   field      the field exists on the object            INVALID_FIELD
//   access     createable on create, updateable on update INVALID_FIELD_FOR_INSERT_UPDATE
//   required   not nillable, createable, no default       REQUIRED_FIELD_MISSING
//   length     text no longer than the field holds        STRING_TOO_LONG
//   picklist   a restricted picklist's active values      INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST
//   date       YYYY-MM-DD (date), ISO 8601 (date/time)    INVALID_DATE
//   number     a number, within the field's digits        INVALID_NUMBER, NUMBER_OUTSIDE_VALID_RANGE
//   checkbox   true or false                              INVALID_BOOLEAN
//   phone      7 to 15 digits, phone characters only      INVALID_PHONE (Relay's own: Salesforce
//              stores any text in a phone field, which then matches nothing and dials nothing)
// Each refusal names the field and the rule in an admin's words, with what to do about it.
import type { DescribedField, DescribedObject } from './describe-cache.js';

/** Every code a refusal carries (the package's table of fixes, LWC module syncFixes, has each). */
export const REFUSAL_CODES = [
  'INVALID_FIELD',
  'INVALID_FIELD_FOR_INSERT_UPDATE',
  'REQUIRED_FIELD_MISSING',
  'STRING_TOO_LONG',
  'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
  'INVALID_DATE',
  'INVALID_NUMBER',
  'NUMBER_OUTSIDE_VALID_RANGE',
  'INVALID_BOOLEAN',
  'INVALID_PHONE',
] as const;

export interface Refusal {
  field: string;
  code: string;
  /** `<Field>: <what is wrong> (<rule>); <what to do>`. */
  message: string;
}

export type WriteMode = 'create' | 'update';

const TEXT_TYPES = new Set(['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'multipicklist', 'combobox']);
const NUMBER_TYPES = new Set(['int', 'double', 'currency', 'percent']);
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;
/** Digits, spaces, + - ( ) . / and an extension (x, ext). */
const PHONE_CHARS = /^\+?[\d\s().\/-]+((x|ext\.?)\s*\d+)?$/i;

const blank = (v: unknown): boolean => v === null || v === undefined || v === '';
const shown = (v: unknown): string => `'${String(v).length > 60 ? `${String(v).slice(0, 57)}…` : String(v)}'`;

function refuse(f: DescribedField, code: string, problem: string, fix: string): Refusal {
  return { field: f.name, code, message: `${f.name}: ${problem}; ${fix}` };
}

/** A real calendar day (2026-02-30 is not one). */
function realDay(y: string, m: string, d: string): boolean {
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d);
}

function checkDate(f: DescribedField, v: unknown): Refusal | undefined {
  // Salesforce reads either form into either type (a date/time's day, a date's midnight).
  const text = typeof v === 'string' ? v.trim() : '';
  const m = DATE_RE.exec(text) ?? DATETIME_RE.exec(text);
  if (m && realDay(m[1]!, m[2]!, m[3]!)) return undefined;
  const form = f.type === 'date' ? 'YYYY-MM-DD' : 'ISO 8601, e.g. 2026-11-22T10:00:00Z';
  return refuse(
    f,
    'INVALID_DATE',
    `${shown(v)} is not a date Salesforce reads (${form})`,
    `send ${f.name} as ${form} or map another field`,
  );
}

function checkNumber(f: DescribedField, v: unknown): Refusal | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n))
    return refuse(
      f,
      'INVALID_NUMBER',
      `${shown(v)} is not a number`,
      `send a number for ${f.name} or map another field`,
    );
  const allowed = f.type === 'int' ? f.digits : f.precision - f.scale;
  const digits = Math.abs(Math.trunc(n)).toString().length;
  if (allowed > 0 && digits > allowed)
    return refuse(
      f,
      'NUMBER_OUTSIDE_VALID_RANGE',
      `${String(v)} has ${digits} digits before the decimal point, the field holds ${allowed} (number range)`,
      `send a smaller number for ${f.name} or map another field`,
    );
  return undefined;
}

function checkText(f: DescribedField, v: unknown): Refusal | undefined {
  const text = String(v);
  if (f.length > 0 && text.length > f.length)
    return refuse(
      f,
      'STRING_TOO_LONG',
      `${text.length} characters, the field holds ${f.length}`,
      `shorten ${f.name} or map another field`,
    );
  if (f.restrictedPicklist && (f.type === 'picklist' || f.type === 'multipicklist')) {
    const allowed = new Set(f.picklistValues.map((p) => p.toLowerCase()));
    const parts = f.type === 'multipicklist' ? text.split(';') : [text];
    const bad = parts.find((p) => !allowed.has(p.toLowerCase()));
    if (bad !== undefined)
      return refuse(
        f,
        'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
        `${shown(bad)} is not one of the values this org allows (restricted picklist)`,
        `map a value for ${f.name}`,
      );
  }
  if (f.type === 'phone') {
    const digits = text.replace(/\D/g, '').length;
    if (!PHONE_CHARS.test(text.trim()) || digits < 7 || digits > 15)
      return refuse(
        f,
        'INVALID_PHONE',
        `${shown(text)} is not a phone number (7 to 15 digits)`,
        `send a phone number for ${f.name} or map another field`,
      );
  }
  return undefined;
}

/** The value's format and size against its field; undefined when it may be written. */
function checkValue(f: DescribedField, v: unknown): Refusal | undefined {
  if (blank(v)) return undefined;
  if (TEXT_TYPES.has(f.type)) return checkText(f, v);
  if (NUMBER_TYPES.has(f.type)) return checkNumber(f, v);
  if (f.type === 'date' || f.type === 'datetime') return checkDate(f, v);
  if (f.type === 'boolean' && typeof v !== 'boolean' && !/^(true|false)$/i.test(String(v).trim()))
    return refuse(
      f,
      'INVALID_BOOLEAN',
      `${shown(v)} is not true or false (checkbox)`,
      `map ${f.name}'s values to true and false`,
    );
  return undefined;
}

function checkAccess(object: DescribedObject, name: string, mode: WriteMode): Refusal | undefined {
  const f = object.fields.get(name.toLowerCase());
  if (!f)
    return {
      field: name,
      code: 'INVALID_FIELD',
      message: `${name}: this org's ${object.name} has no such field (field); fix the mapping that writes ${name}`,
    };
  if (mode === 'create' ? f.createable : f.updateable) return undefined;
  const verb = mode === 'create' ? 'set on a new' : 'changed on an existing';
  return refuse(
    f,
    'INVALID_FIELD_FOR_INSERT_UPDATE',
    `cannot be ${verb} ${object.name} by Relay's integration user (${mode === 'create' ? 'not createable' : 'not updateable'})`,
    `give that user edit access to ${f.name} or stop mapping it`,
  );
}

/** Fields a new record must carry: not nillable, createable, without a default (a checkbox has one). */
function requiredOnCreate(object: DescribedObject): DescribedField[] {
  return [...object.fields.values()].filter(
    (f) => f.createable && !f.nillable && !f.defaultedOnCreate && f.type !== 'boolean',
  );
}

function missing(f: DescribedField, mode: WriteMode, object: string): Refusal {
  const where = mode === 'create' ? `a new ${object} needs it` : 'it cannot be emptied';
  return refuse(
    f,
    'REQUIRED_FIELD_MISSING',
    `no value, and ${where} (required)`,
    `map a field to ${f.name} that has a value`,
  );
}

/** The first rule `record` breaks on `object`, or undefined when Salesforce would take it. */
export function checkRecord(
  object: DescribedObject,
  record: Record<string, unknown>,
  mode: WriteMode,
): Refusal | undefined {
  const names = Object.keys(record).filter((k) => k !== 'attributes' && k !== 'Id');
  for (const name of names) {
    const refusal = checkAccess(object, name, mode);
    if (refusal) return refusal;
  }
  const given = new Map(names.map((k) => [k.toLowerCase(), record[k]]));
  if (mode === 'create')
    for (const f of requiredOnCreate(object))
      if (blank(given.get(f.name.toLowerCase()))) return missing(f, mode, object.name);
  for (const name of names) {
    const f = object.fields.get(name.toLowerCase())!;
    if (mode === 'update' && !f.nillable && f.type !== 'boolean' && blank(record[name]))
      return missing(f, mode, object.name);
    const refusal = checkValue(f, record[name]);
    if (refusal) return refusal;
  }
  return undefined;
}
