// How SOQL compares stored values: field-type families, case-insensitive text, ids in either the
// 15- or 18-character form, and the type checks Salesforce applies to filter values.
import type { Literal } from './ast.js';
import { SoqlError, invalidField, positioned } from './errors.js';
import { parseDate, parseDatetime } from './dates.js';
import type { SoqlField, SoqlFieldType } from './source.js';
import { checksum } from '../ids.js';

// 'textcs': text of a unique, case-sensitive field ("Comparisons on strings are case-sensitive for
// unique case-sensitive fields", SOQL reference, "Comparison Operators").
export type Family = 'text' | 'textcs' | 'id' | 'boolean' | 'number' | 'date' | 'datetime' | 'time' | 'other';

export function familyOf(type: SoqlFieldType): Family {
  switch (type) {
    case 'string':
    case 'textarea':
    case 'email':
    case 'phone':
    case 'url':
    case 'picklist':
    case 'multipicklist':
    case 'combobox':
      return 'text';
    case 'id':
    case 'reference':
      return 'id';
    case 'boolean':
      return 'boolean';
    case 'int':
    case 'double':
    case 'currency':
    case 'percent':
      return 'number';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    case 'time':
      return 'time';
    default:
      return 'other';
  }
}

/** The comparison family of a field, telling unique case-sensitive text apart. */
export function fieldFamily(field: SoqlField): Family {
  const f = familyOf(field.type);
  return f === 'text' && field.caseSensitive === true && field.unique === true ? 'textcs' : f;
}

/** The 18-character form of an id, undefined when the text is not id-shaped. */
export function id18(text: string): string | undefined {
  if (!/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(text)) return undefined;
  const head = text.slice(0, 15);
  return head + checksum(head);
}

/** Name of the filter value type Salesforce names in its message, per family. */
function typeWord(type: SoqlFieldType): string {
  switch (familyOf(type)) {
    case 'text':
      return 'string';
    case 'id':
      return 'id';
    case 'boolean':
      return 'boolean';
    case 'number':
      return type === 'int' ? 'integer' : 'double';
    case 'date':
      return 'date';
    case 'datetime':
      return 'dateTime';
    case 'time':
      return 'time';
    default:
      return 'string';
  }
}

function quoted(type: SoqlFieldType): boolean {
  const f = familyOf(type);
  return f === 'text' || f === 'id' || f === 'other';
}

function wrongType(text: string, lit: Literal, fieldName: string, type: SoqlFieldType): SoqlError {
  return invalidField(
    text,
    lit.pos,
    `value of filter criterion for field '${fieldName}' must be of type ${typeWord(type)} and should ${quoted(type) ? '' : 'not '}be enclosed in quotes`,
  );
}

/** A filter value converted for comparison against one field. */
export type Operand =
  | { kind: 'null' }
  | { kind: 'text'; lower: string; raw: string }
  | { kind: 'id'; id: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'number'; value: number }
  | { kind: 'day'; day: number }
  | { kind: 'ms'; ms: number }
  | { kind: 'dayRange'; start: number; end: number };

/**
 * Checks a literal against the field it filters and converts it. `dateRange` turns a relative date
 * literal into its range.
 */
export function operandFor(
  text: string,
  lit: Literal,
  fieldName: string,
  type: SoqlFieldType,
  dateRange: (name: string, n: number | null) => { start: number; end: number },
  caseSensitive = false,
): Operand {
  if (lit.kind === 'null') return { kind: 'null' };
  const family = familyOf(type);
  switch (family) {
    case 'text':
    case 'textcs':
    case 'other': {
      if (lit.kind !== 'string') throw wrongType(text, lit, fieldName, type);
      const raw = unescapeLike(lit.value);
      return { kind: 'text', lower: caseSensitive ? raw : raw.toLowerCase(), raw };
    }
    case 'id': {
      if (lit.kind !== 'string') throw wrongType(text, lit, fieldName, type);
      const id = id18(lit.value);
      if (!id) {
        // Since Summer '24 the code is MALFORMED_QUERY (formerly INVALID_QUERY_FILTER_OPERATOR).
        throw new SoqlError('MALFORMED_QUERY', positioned(text, lit.pos, `invalid ID field: ${lit.value}`));
      }
      return { kind: 'id', id };
    }
    case 'boolean':
      if (lit.kind !== 'boolean') throw wrongType(text, lit, fieldName, type);
      return { kind: 'boolean', value: lit.value };
    case 'number':
      if (lit.kind !== 'number') throw wrongType(text, lit, fieldName, type);
      return { kind: 'number', value: lit.value };
    case 'date': {
      if (lit.kind === 'dateLiteral') return { kind: 'dayRange', ...dateRange(lit.name, lit.n) };
      if (lit.kind !== 'date') throw wrongType(text, lit, fieldName, type);
      const day = parseDate(lit.text);
      if (day === undefined)
        throw new SoqlError('MALFORMED_QUERY', positioned(text, lit.pos, `Invalid date: ${lit.text}`));
      return { kind: 'day', day };
    }
    case 'datetime': {
      if (lit.kind === 'dateLiteral') return { kind: 'dayRange', ...dateRange(lit.name, lit.n) };
      if (lit.kind !== 'datetime') throw wrongType(text, lit, fieldName, type);
      const ms = parseDatetime(lit.text);
      if (ms === undefined)
        throw new SoqlError('MALFORMED_QUERY', positioned(text, lit.pos, `Invalid datetime: ${lit.text}`));
      return { kind: 'ms', ms };
    }
    case 'time':
      if (lit.kind !== 'string') throw wrongType(text, lit, fieldName, type);
      return { kind: 'text', lower: lit.value.toLowerCase(), raw: lit.value };
  }
}

/** `\%` and `\_` only mean something in LIKE; elsewhere they are the plain characters. */
export function unescapeLike(value: string): string {
  return value.replace(/\\([%_])/g, '$1');
}

/** A stored value in the comparable form of its family; null for empty. */
export function comparable(value: unknown, family: Family): string | number | boolean | null {
  if (value === undefined || value === null || value === '') return null;
  switch (family) {
    case 'text':
    case 'other':
    case 'time':
      return String(value).toLowerCase();
    case 'textcs':
      return String(value);
    case 'id':
      return typeof value === 'string' ? (id18(value) ?? value) : String(value);
    case 'boolean':
      return value === true || value === 'true';
    case 'number':
      return typeof value === 'number' ? value : Number(value);
    case 'date':
      return typeof value === 'string' ? (parseDate(value.slice(0, 10)) ?? null) : null;
    case 'datetime':
      return typeof value === 'string' ? (parseDatetime(value) ?? null) : null;
  }
}
