// What an admin does about each cause of a failed sync, by error code: one table, read by the Sync
// health page (its "How to fix" column) and by the companion (the `fix` of each item of
// GET /v1/package/errors), so the page and the API never give different advice. The codes are
// Salesforce's save errors and the ones Relay refuses a value with before writing it (the
// companion's sync/describe-rules.ts); an error without an entry gets no advice rather than a guess.

/** Where the fix is made. */
export type FixPlace = 'mappings' | 'switches' | 'salesforce' | 'platform';

export interface FixAction {
  /** The error code it answers. */
  code: string;
  /** What to do, in a sentence naming the field. */
  text: string;
  place: FixPlace;
  /** Where, in words: `Setup → Field mappings`. */
  placeLabel: string;
}

export const FIX_PLACES: Readonly<Record<FixPlace, string>> = {
  mappings: 'Relay Setup → Field mappings',
  switches: 'Relay Setup → Sync switches',
  salesforce: "Salesforce Setup (the field, or the integration user's access)",
  platform: 'the engagement platform',
};

/** `{field}` is replaced by the field the error names ("the field" when it names none). */
export const FIXES: Readonly<Record<string, { text: string; place: FixPlace }>> = {
  INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: {
    text: "Map a value for {field}: add a value mapping from the platform's value to one this org allows",
    place: 'mappings',
  },
  STRING_TOO_LONG: { text: 'Shorten {field} on the platform, or map another field to it', place: 'mappings' },
  REQUIRED_FIELD_MISSING: { text: 'Map a platform field that always has a value to {field}', place: 'mappings' },
  INVALID_DATE: { text: 'Send {field} as a date (YYYY-MM-DD), or map another field to it', place: 'mappings' },
  INVALID_NUMBER: { text: 'Send a number for {field}, or map another field to it', place: 'mappings' },
  NUMBER_OUTSIDE_VALID_RANGE: {
    text: 'Send a number {field} can hold, or map another field to it',
    place: 'mappings',
  },
  INVALID_BOOLEAN: { text: "Map {field}'s platform values to true and false", place: 'mappings' },
  INVALID_PHONE: {
    text: 'Send a phone number (7 to 15 digits) for {field}, or map another field to it',
    place: 'mappings',
  },
  INVALID_FIELD: { text: 'Correct the mapping that writes {field}: this org has no such field', place: 'mappings' },
  INVALID_FIELD_FOR_INSERT_UPDATE: {
    text: "Give Relay's integration user edit access to {field}, or stop mapping it",
    place: 'salesforce',
  },
  INVALID_EMAIL_ADDRESS: { text: 'Correct the email address on the platform', place: 'platform' },
  // Nobody in Salesforce has the person's email or phone, and the switches say skip.
  NO_MATCH: {
    text: 'Add the person in Salesforce and retry, or turn on "Create Leads for unmatched people" or "Follow-up Tasks for unmatched people"',
    place: 'switches',
  },
  // A Salesforce value the platform's rules refused on the way out (companion/src/reverse/platform-rules.ts).
  PLATFORM_RULE: {
    text: 'Correct {field} in Salesforce in the form the platform takes, or give the mapping a value map',
    place: 'salesforce',
  },
  FIELD_CUSTOM_VALIDATION_EXCEPTION: {
    text: "Change the value on the platform, or the org's validation rule on {field}",
    place: 'salesforce',
  },
};

/**
 * The fix for an error, or null when Relay has no advice for its code.
 * @example fixFor('STRING_TOO_LONG', 'FirstName')?.text // 'Shorten FirstName on the platform, or map another field to it'
 */
export function fixFor(code: string | null | undefined, field: string | null | undefined): FixAction | null {
  const fix = code ? FIXES[code] : undefined;
  if (!code || !fix) {
    return null;
  }
  return {
    code,
    text: fix.text.replace(/\{field\}/g, field || 'the field'),
    place: fix.place,
    placeLabel: FIX_PLACES[fix.place],
  };
}
