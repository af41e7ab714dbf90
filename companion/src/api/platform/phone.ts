// Phone numbers for the platform's lookup: what the caller sends is normalised to E.164; what
// Salesforce holds is whatever people typed ("(415) 555-0100", "+1 415-555-0100", "020 7946 0958").
// SOQL cannot normalise a column (and SOSL's phone search, which does, is not available in every
// org Relay talks to, the emulator included), so the lookup asks for *candidates* with a LIKE that
// tolerates any formatting — the last seven digits in order with `%` between them,
// `Phone LIKE '%5%5%5%0%1%0%0%'` — and keeps those whose normalised value equals the number asked for.
// Seven digits: the shortest national significant numbers in common use have seven, so a number
// stored without its country code still contains them; the `%` pattern is selective in what it
// returns even though, like every leading-wildcard LIKE, Salesforce scans for it.

const SEPARATORS = /^[+\d\s().\-/]+$/;
const EXTENSION = /\s*(?:ext\.?|extension|x|#)\s*\d+\s*$/i;

/**
 * E.164 (`+14155550100`) from a number written with its country code (`+1 (415) 555-0100`,
 * `0044 20 7946 0958`), or null when it is not one: letters, no `+`/`00` prefix (a national number is
 * ambiguous without a country), fewer than 7 or more than 15 digits.
 */
export function toE164(input: string): string | null {
  const text = input.trim().replace(EXTENSION, '');
  if (!SEPARATORS.test(text)) return null;
  let digits = text.replace(/\D/g, '');
  if (text.startsWith('+')) {
    // as written
  } else if (digits.startsWith('00')) {
    digits = digits.slice(2);
  } else {
    return null;
  }
  if (digits.length < 7 || digits.length > 15 || digits.startsWith('0')) return null;
  return `+${digits}`;
}

/**
 * Whether a stored phone value is the number `e164`. A stored value with its country code compares
 * exactly. One without (a national number, e.g. "(415) 555-0100" or "020 7946 0958") matches when,
 * after dropping one trunk `0`, it is the end of `e164` and what remains in front is a country code
 * (1 to 3 digits) — which cannot tell two countries' identical national numbers apart: store E.164 in
 * Salesforce for exact matches.
 */
export function samePhone(stored: string | null | undefined, e164: string): boolean {
  if (!stored) return false;
  const international = toE164(stored);
  if (international) return international === e164;
  const text = stored.trim().replace(EXTENSION, '');
  if (!SEPARATORS.test(text)) return false;
  const wanted = e164.slice(1);
  const digits = text.replace(/\D/g, '');
  if (digits === wanted) return true; // country code written without '+'
  const national = digits.startsWith('0') ? digits.slice(1) : digits;
  if (national.length < 6 || !wanted.endsWith(national)) return false;
  const prefix = wanted.length - national.length;
  return prefix >= 1 && prefix <= 3;
}

/**
 * The LIKE pattern that finds every formatting of the number: its last 7 digits with `%` around each
 * (the trailing one lets an extension follow).
 */
export function phoneLikePattern(e164: string): string {
  const digits = e164.slice(1).slice(-7);
  return `%${digits.split('').join('%')}%`;
}
