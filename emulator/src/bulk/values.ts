// Converting between CSV text and field values. Bulk API reads each cell by the field's type
// (an empty cell leaves the field alone, `#N/A` sets it to null) and writes result values the way
// its Java back end prints them: doubles in Double.toString form, e.g. AnnualRevenue 912260031 is
// "9.12260031E8" in successfulResults (Bulk API 2.0 Developer Guide, "Step 3: Bulk Insert").
import type { SoqlField } from '../soql/source.js';
import { formatDateTime } from '../store/values.js';

export const NULL_MARKER = '#N/A';

export class CellError extends Error {}

const DATETIME_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}:?\d{2})?$/;

function parseDatetimeCell(text: string): number | undefined {
  const m = DATETIME_RE.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(Number(y), month, 0)).getUTCDate())
    return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  let ms = Date.UTC(
    Number(y),
    month - 1,
    day,
    Number(h),
    Number(mi),
    Number(s),
    frac ? Math.round(Number(`0.${frac}`) * 1000) : 0,
  );
  if (zone && zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return ms;
}

function xsdType(field: SoqlField): string {
  switch (field.type) {
    case 'boolean':
      return 'xsd:boolean';
    case 'int':
      return 'xsd:int';
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

/**
 * The value a cell stands for, or `undefined` for an empty cell (the field is left out). Throws
 * CellError with Salesforce's deserialisation wording for a value that does not fit the type.
 */
export function cellValue(text: string, field: SoqlField, column: number): unknown {
  if (text === '') return undefined;
  if (text === NULL_MARKER) return null;
  const fail = () =>
    new CellError(
      `Failed to deserialize field at col ${column}. Due to, '${text}' is not a valid value for the type ${xsdType(field)}`,
    );
  switch (field.type) {
    case 'boolean': {
      const t = text.toLowerCase();
      if (t === 'true' || t === '1') return true;
      if (t === 'false' || t === '0') return false;
      throw fail();
    }
    case 'int': {
      if (!/^[+-]?\d+(\.0*)?$/.test(text.trim())) throw fail();
      return Number.parseInt(text, 10);
    }
    case 'double':
    case 'currency':
    case 'percent': {
      const v = Number(text.trim());
      if (text.trim() === '' || !Number.isFinite(v)) throw fail();
      return v;
    }
    case 'date': {
      // The guide's own sample writes dates as `1940-06-07Z`.
      const m = /^(\d{4}-\d{2}-\d{2})(?:Z|T.*)?$/.exec(text.trim());
      if (!m) throw fail();
      const ms = parseDatetimeCell(m[1]!);
      if (ms === undefined) throw fail();
      return m[1];
    }
    case 'datetime': {
      const ms = parseDatetimeCell(text.trim());
      if (ms === undefined) throw fail();
      return formatDateTime(new Date(ms));
    }
    default:
      return text;
  }
}

/** Java's Double.toString, which Bulk API results use for double, currency and percent fields. */
export function javaDouble(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(v);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(v);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa, exponent] = v.toExponential().split('e') as [string, string];
  const m = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${m}E${Number(exponent)}`;
}

/** A stored value as Bulk API writes it into result and query CSV. */
export function cellText(value: unknown, type: string | undefined): string {
  if (value === undefined || value === null) return '';
  switch (type) {
    case 'double':
    case 'currency':
    case 'percent':
      return typeof value === 'number' ? javaDouble(value) : String(value);
    case 'datetime':
      // Bulk API prints datetimes in UTC with a Z (`2019-10-21T18:03:26.000Z`).
      return typeof value === 'string' ? value.replace(/\+0000$/, 'Z') : String(value);
    default:
      return typeof value === 'string' ? value : String(value);
  }
}
