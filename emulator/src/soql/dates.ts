// Date and datetime values in SOQL: literal parsing and validation, and the ranges that relative
// date literals (TODAY, LAST_N_DAYS:n, THIS_MONTH, …) stand for. The emulated org runs in UTC with
// an en_US locale (weeks start on Sunday) and a fiscal year that starts in January, so fiscal
// literals equal their calendar counterparts.

const DAY_MS = 86_400_000;

const FIXED = new Set([
  'YESTERDAY',
  'TODAY',
  'TOMORROW',
  'LAST_WEEK',
  'THIS_WEEK',
  'NEXT_WEEK',
  'LAST_MONTH',
  'THIS_MONTH',
  'NEXT_MONTH',
  'LAST_90_DAYS',
  'NEXT_90_DAYS',
  'THIS_QUARTER',
  'LAST_QUARTER',
  'NEXT_QUARTER',
  'THIS_YEAR',
  'LAST_YEAR',
  'NEXT_YEAR',
  'THIS_FISCAL_QUARTER',
  'LAST_FISCAL_QUARTER',
  'NEXT_FISCAL_QUARTER',
  'THIS_FISCAL_YEAR',
  'LAST_FISCAL_YEAR',
  'NEXT_FISCAL_YEAR',
]);

const WITH_N = new Set([
  'LAST_N_DAYS',
  'NEXT_N_DAYS',
  'N_DAYS_AGO',
  'LAST_N_WEEKS',
  'NEXT_N_WEEKS',
  'N_WEEKS_AGO',
  'LAST_N_MONTHS',
  'NEXT_N_MONTHS',
  'N_MONTHS_AGO',
  'LAST_N_QUARTERS',
  'NEXT_N_QUARTERS',
  'N_QUARTERS_AGO',
  'LAST_N_YEARS',
  'NEXT_N_YEARS',
  'N_YEARS_AGO',
  'LAST_N_FISCAL_QUARTERS',
  'NEXT_N_FISCAL_QUARTERS',
  'N_FISCAL_QUARTERS_AGO',
  'LAST_N_FISCAL_YEARS',
  'NEXT_N_FISCAL_YEARS',
  'N_FISCAL_YEARS_AGO',
]);

export function isDateLiteralName(upper: string): boolean {
  return FIXED.has(upper) || WITH_N.has(upper);
}

export function dateLiteralTakesN(upper: string): boolean {
  return WITH_N.has(upper);
}

/** Inclusive range of days (days since 1970-01-01, UTC). */
export interface DayRange {
  start: number;
  end: number;
}

function dayOf(y: number, m0: number, d: number): number {
  return Math.floor(Date.UTC(y, m0, d) / DAY_MS);
}

function monthRange(y: number, m0: number, count = 1): DayRange {
  return { start: dayOf(y, m0, 1), end: dayOf(y, m0 + count, 1) - 1 };
}

/** The range a relative date literal covers, relative to `now`. */
export function dateLiteralRange(name: string, n: number | null, now: Date): DayRange {
  const today = Math.floor(now.getTime() / DAY_MS);
  const y = now.getUTCFullYear();
  const m0 = now.getUTCMonth();
  const q0 = Math.floor(m0 / 3) * 3;
  // 1970-01-01 was a Thursday: day 0 → weekday 4 (Sunday = 0).
  const weekStart = today - ((today + 4) % 7);
  const k = n ?? 0;
  switch (name.replace('_FISCAL', '')) {
    case 'YESTERDAY':
      return { start: today - 1, end: today - 1 };
    case 'TODAY':
      return { start: today, end: today };
    case 'TOMORROW':
      return { start: today + 1, end: today + 1 };
    case 'LAST_WEEK':
      return { start: weekStart - 7, end: weekStart - 1 };
    case 'THIS_WEEK':
      return { start: weekStart, end: weekStart + 6 };
    case 'NEXT_WEEK':
      return { start: weekStart + 7, end: weekStart + 13 };
    case 'LAST_MONTH':
      return monthRange(y, m0 - 1);
    case 'THIS_MONTH':
      return monthRange(y, m0);
    case 'NEXT_MONTH':
      return monthRange(y, m0 + 1);
    // LAST_90_DAYS and LAST_N_DAYS:n include today (LAST_N_DAYS:1 is yesterday and today).
    case 'LAST_90_DAYS':
      return { start: today - 90, end: today };
    case 'NEXT_90_DAYS':
      return { start: today + 1, end: today + 90 };
    case 'LAST_N_DAYS':
      return { start: today - k, end: today };
    case 'NEXT_N_DAYS':
      return { start: today + 1, end: today + k };
    case 'N_DAYS_AGO':
      return { start: today - k, end: today - k };
    case 'LAST_N_WEEKS':
      return { start: weekStart - 7 * k, end: weekStart - 1 };
    case 'NEXT_N_WEEKS':
      return { start: weekStart + 7, end: weekStart + 7 * (k + 1) - 1 };
    case 'N_WEEKS_AGO':
      return { start: weekStart - 7 * k, end: weekStart - 7 * k + 6 };
    case 'LAST_N_MONTHS':
      return { start: dayOf(y, m0 - k, 1), end: dayOf(y, m0, 1) - 1 };
    case 'NEXT_N_MONTHS':
      return { start: dayOf(y, m0 + 1, 1), end: dayOf(y, m0 + 1 + k, 1) - 1 };
    case 'N_MONTHS_AGO':
      return monthRange(y, m0 - k);
    case 'THIS_QUARTER':
      return monthRange(y, q0, 3);
    case 'LAST_QUARTER':
      return monthRange(y, q0 - 3, 3);
    case 'NEXT_QUARTER':
      return monthRange(y, q0 + 3, 3);
    case 'LAST_N_QUARTERS':
      return { start: dayOf(y, q0 - 3 * k, 1), end: dayOf(y, q0, 1) - 1 };
    case 'NEXT_N_QUARTERS':
      return { start: dayOf(y, q0 + 3, 1), end: dayOf(y, q0 + 3 + 3 * k, 1) - 1 };
    case 'N_QUARTERS_AGO':
      return monthRange(y, q0 - 3 * k, 3);
    case 'THIS_YEAR':
      return monthRange(y, 0, 12);
    case 'LAST_YEAR':
      return monthRange(y - 1, 0, 12);
    case 'NEXT_YEAR':
      return monthRange(y + 1, 0, 12);
    case 'LAST_N_YEARS':
      return { start: dayOf(y - k, 0, 1), end: dayOf(y, 0, 1) - 1 };
    case 'NEXT_N_YEARS':
      return { start: dayOf(y + 1, 0, 1), end: dayOf(y + 1 + k, 0, 1) - 1 };
    case 'N_YEARS_AGO':
      return monthRange(y - k, 0, 12);
    default:
      throw new Error(`unknown date literal ${name}`);
  }
}

function validYmd(y: number, mo: number, d: number): boolean {
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d <= days;
}

/** Day number of a `YYYY-MM-DD` text, or undefined when it is not a real date. */
export function parseDate(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (!validYmd(y, mo, d)) return undefined;
  return dayOf(y, mo - 1, d);
}

const DATETIME_RE =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

/**
 * Milliseconds of a datetime, in the SOQL literal form (`2005-10-08T01:02:03Z`,
 * `…+01:00`) or the stored wire form (`2026-11-22T07:35:59.000+0000`); undefined when invalid.
 */
export function parseDatetime(text: string): number | undefined {
  const m = DATETIME_RE.exec(text);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const h = Number(m[4]);
  const mi = Number(m[5]);
  const s = Number(m[6]);
  if (!validYmd(y, mo, d) || h > 23 || mi > 59 || s > 59) return undefined;
  const ms = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
  let offsetMin = 0;
  if (m[9]) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return undefined;
    offsetMin = (oh * 60 + om) * (m[9] === '-' ? -1 : 1);
  }
  return Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMin * 60_000;
}

export const MS_PER_DAY = DAY_MS;
