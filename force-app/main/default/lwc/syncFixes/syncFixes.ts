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

// ---- causes: what the Sync health page groups errors by ------------------------------------------

/**
 * What a retry does for a cause, said on its button: `now` (the cause passes by itself: timeouts,
 * locks, limits, an unreachable receiver), `matching` (unmatched people: only those who match now go
 * back), `after-fix` (the same error again unless the value, mapping or access is fixed first),
 * `none` (nothing to re-send: the next change of the record carries the corrected value).
 */
export type RetryAdvice = 'now' | 'matching' | 'after-fix' | 'none';

/** Where the page sends the admin to fix a cause: a Sync switch, a field's mapping, or nowhere in Relay. */
export interface CauseAction {
  kind: 'switch' | 'mapping' | 'none';
  /** The button's words: `Open "Create Leads for unmatched people"`, `Open the FirstName mapping`. */
  label: string;
  /** The switch's developer name (kind `switch`). */
  setting?: string;
  /** The Salesforce field whose mapping to open (kind `mapping`). */
  field?: string;
}

export interface Cause {
  /** `<category>:<error code>:<field>`, the same key as the errors API's `cause`. */
  key: string;
  /** What happened, in a plain sentence without API names. */
  summary: string;
  action: CauseAction;
  retry: RetryAdvice;
}

/** The labels of the switches a fix names (relay__SyncSetting__mdt's labels). */
export const SWITCH_LABELS: Readonly<Record<string, string>> = {
  CreateLeadsForUnmatched: 'Create Leads for unmatched people',
  FollowUpTasksForUnmatched: 'Follow-up Tasks for unmatched people',
};

/**
 * A message in Relay's or Salesforce's words with the switches' developer names replaced by their
 * labels, for the page: `CreateLeadsForUnmatched is off` → `"Create Leads for unmatched people" is off`.
 */
export function withSwitchLabels(message: string | null | undefined): string | null {
  if (!message) {
    return null;
  }
  return Object.entries(SWITCH_LABELS).reduce(
    (text, [name, label]) => text.replace(new RegExp(`\\b${name}\\b`, 'g'), `"${label}"`),
    message,
  );
}

/** What happened, by error code; `{field}` as in FIXES. */
const SUMMARIES: Readonly<Record<string, string>> = {
  INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST:
    "The platform sent a value for {field} that this org's picklist does not allow.",
  STRING_TOO_LONG: 'The platform sent a value for {field} longer than the Salesforce field holds.',
  REQUIRED_FIELD_MISSING: 'Salesforce requires {field} and the platform sent no value for it.',
  INVALID_DATE: 'The platform sent a value for {field} that is not a date Salesforce reads.',
  INVALID_NUMBER: 'The platform sent a value for {field} that is not a number.',
  NUMBER_OUTSIDE_VALID_RANGE: 'The platform sent a number for {field} larger than the Salesforce field holds.',
  INVALID_BOOLEAN: 'The platform sent a value for {field} that is neither true nor false.',
  INVALID_PHONE: 'The platform sent a value for {field} that is not a phone number.',
  INVALID_FIELD: 'A field mapping writes {field}, a field this org does not have.',
  INVALID_FIELD_FOR_INSERT_UPDATE: "Relay's integration user may not edit {field}.",
  INVALID_EMAIL_ADDRESS: 'The platform sent an email address Salesforce does not accept.',
  NO_MATCH: "Nobody in Salesforce has these people's email or phone, and the switches say to skip them.",
  PLATFORM_RULE: "The platform's rules refused {field} as Salesforce holds it, so the change was not sent.",
  FIELD_CUSTOM_VALIDATION_EXCEPTION: 'A validation rule of this org refused the value of {field}.',
};

/** What happened, by category, for codes without a sentence of their own. */
const CATEGORY_SUMMARIES: Readonly<Record<string, string>> = {
  validation: 'Salesforce refused a value the platform sent.',
  duplicate: 'A duplicate rule of this org blocked the record.',
  permission: "Relay's integration user lacks access to an object or field.",
  configuration: 'A field mapping or a switch does not fit this org.',
  limit: "An API limit or this month's Task quota was reached.",
  transient: 'Salesforce or the network did not answer in time, or a record was locked.',
  unmatched: 'Nobody in Salesforce matches these people, and the switches say to skip them.',
  delivery: "The platform did not accept Salesforce's changes in time.",
};

/** Categories whose cause passes by itself: a retry alone fixes them (the companion's PASSING). */
const PASSING: ReadonlySet<string> = new Set(['transient', 'limit']);

/** The cause key of an error: the errors API's `cause` and the page's grouping. */
export function causeKey(category: string, code: string | null | undefined, field: string | null | undefined): string {
  return `${category}:${code ?? ''}:${field ?? ''}`;
}

/**
 * The cause of an error: a plain sentence, where to fix it and what a retry does.
 * @example causeOf('validation', 'STRING_TOO_LONG', 'FirstName').action // { kind: 'mapping', field: 'FirstName', … }
 */
export function causeOf(category: string, code: string | null | undefined, field: string | null | undefined): Cause {
  const name = field || 'the field';
  const sentence = code ? SUMMARIES[code] : undefined;
  const summary = (sentence ?? CATEGORY_SUMMARIES[category] ?? 'Salesforce refused the event.').replace(
    /\{field\}/g,
    name,
  );
  const place = code ? FIXES[code]?.place : undefined;
  let action: CauseAction = { kind: 'none', label: '' };
  if (category === 'unmatched' || code === 'NO_MATCH') {
    const setting = 'CreateLeadsForUnmatched';
    action = { kind: 'switch', setting, label: `Open "${SWITCH_LABELS[setting]}"` };
  } else if (place === 'mappings' || category === 'configuration') {
    action = field
      ? { kind: 'mapping', field, label: `Open the ${field} mapping` }
      : { kind: 'mapping', label: 'Open Field mappings' };
  }
  let retry: RetryAdvice = 'after-fix';
  if (category === 'unmatched') retry = 'matching';
  else if (code === 'PLATFORM_RULE') retry = 'none';
  else if (PASSING.has(category) || category === 'delivery') retry = 'now';
  return { key: causeKey(category, code, field), summary, action, retry };
}
