// Converts JSON values to what a field stores, the way Salesforce's REST deserializer does:
// empty strings clear text fields, numbers and booleans may arrive as strings, datetimes are
// normalised to Salesforce's wire format (`2026-11-22T07:35:59.000+0000`).
import { TEXT_TYPES, type FieldDef } from '../schema/types.js';

export class ValueError extends Error {
  constructor(
    readonly statusCode: string,
    message: string,
    readonly fields: string[],
  ) {
    super(message);
  }
}

/** Salesforce's datetime wire format. */
export function formatDateTime(date: Date): string {
  return date.toISOString().replace('Z', '+0000');
}

function jsonTypeName(value: unknown): string {
  if (typeof value === 'string') return 'VALUE_STRING';
  if (typeof value === 'number') return Number.isInteger(value) ? 'VALUE_NUMBER_INT' : 'VALUE_NUMBER_FLOAT';
  if (typeof value === 'boolean') return value ? 'VALUE_TRUE' : 'VALUE_FALSE';
  if (Array.isArray(value)) return 'START_ARRAY';
  return 'START_OBJECT';
}

function parserError(javaType: string, value: unknown, field: FieldDef): ValueError {
  const shown = typeof value === 'object' ? '' : ` value ${String(value)}`;
  return new ValueError(
    'JSON_PARSER_ERROR',
    `Cannot deserialize instance of ${javaType} from ${jsonTypeName(value)}${shown} or request may be missing a required field`,
    [field.name],
  );
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

export function parseDateTime(value: string): Date | undefined {
  const m = DATETIME_RE.exec(value.trim());
  if (!m) {
    const d = DATE_RE.exec(value.trim());
    return d ? new Date(`${value.trim()}T00:00:00Z`) : undefined;
  }
  const [, y, mo, d, h, mi, s = '00', frac = '0', tz = 'Z'] = m;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  const zone = tz === 'Z' ? 'Z' : tz.length === 5 ? `${tz.slice(0, 3)}:${tz.slice(3)}` : tz;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}.${String(ms).padStart(3, '0')}${zone}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The stored value of `value` written to `field`; throws ValueError when it cannot be one. */
export function coerce(field: FieldDef, value: unknown): unknown {
  if (value === null || value === undefined) return field.type === 'boolean' ? false : null;
  if (TEXT_TYPES.has(field.type)) {
    if (typeof value === 'object') throw parserError('String', value, field);
    const s = String(value);
    return s === '' ? null : s;
  }
  switch (field.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string' && /^(true|false)$/i.test(value.trim()))
        return value.trim().toLowerCase() === 'true';
      if (value === '') return false;
      throw parserError('boolean', value, field);
    case 'int': {
      const n =
        typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (!Number.isFinite(n)) throw parserError('int', value, field);
      return Math.trunc(n);
    }
    case 'double':
    case 'currency':
    case 'percent': {
      if (value === '') return null;
      const n =
        typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (!Number.isFinite(n)) throw parserError('double', value, field);
      return n;
    }
    case 'date': {
      if (value === '') return null;
      if (typeof value !== 'string') throw parserError('Date', value, field);
      const d = parseDateTime(value);
      if (!d) throw parserError('Date', value, field);
      return DATE_RE.test(value.trim()) ? value.trim() : d.toISOString().slice(0, 10);
    }
    case 'datetime': {
      if (value === '') return null;
      if (typeof value !== 'string') throw parserError('Datetime', value, field);
      const d = parseDateTime(value);
      if (!d) throw parserError('Datetime', value, field);
      return formatDateTime(d);
    }
    default:
      return value;
  }
}

// Salesforce accepts RFC-style addresses with a dotted domain; it rejects spaces, several @,
// and domains without a dot.
const EMAIL_RE =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

export function isValidEmail(value: string): boolean {
  if (!EMAIL_RE.test(value)) return false;
  const [local] = value.split('@');
  return !!local && local.length <= 64 && !local.startsWith('.') && !local.endsWith('.') && !local.includes('..');
}
