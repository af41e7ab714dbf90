// Errors of the Salesforce sync and how each one is handled, in one place.
//
// Two halves:
//  - error classes carrying the HTTP status and whether trying again can help (the shape of
//    Segment's action-destinations: IntegrationError / RetryableError / InvalidAuthenticationError),
//    thrown by the Salesforce client for whole-call failures;
//  - SALESFORCE_ERRORS, the one table from a Salesforce error code (top-level `errorCode`, or the
//    per-record `statusCode` of Collections / Composite / Bulk results) to what the engine does and
//    which category the package's sync-health page shows (docs/package-api.md "Categories").
//
// Actions:
//  retry      — transient: back off with jitter and try again (the platform's outcomes.ts does the
//               backoff; the engine answers `retry`).
//  refresh    — the session expired: get a new token once and repeat the call (client.ts).
//  pause      — the org's daily API limit is spent: hold the whole workspace until the limit window
//               allows; never spin on a 403.
//  resolve    — the engine can fix it itself: DUPLICATES_DETECTED attaches to the duplicate
//               Salesforce found (or saves with allowSave when AllowSaveDuplicates is on).
//  quarantine — a value or a permission is wrong; retrying cannot help until a person changes
//               something: the event is `failed` with the category and the field named, and the
//               package offers Retry.
//
// Whether a failed request is tried again is one decision, `retryDecision`, asked by every caller:
// the Salesforce client (whole calls), the engine (per-record results), the platform API's PATCH
// (its Composite subrequests) and reverse delivery (the platform receiver's HTTP answers).

export type ErrorCategory =
  'validation' | 'duplicate' | 'permission' | 'configuration' | 'limit' | 'transient' | 'unmatched' | 'delivery';

export type ErrorAction = 'retry' | 'refresh' | 'pause' | 'resolve' | 'quarantine';

/** What the sync-health page shows for each category (docs/package-api.md). */
export const CATEGORY_LABELS: Readonly<Record<ErrorCategory, string>> = {
  validation: 'Rejected by Salesforce validation',
  duplicate: 'Blocked by a duplicate rule',
  permission: 'Missing access or field permission',
  configuration: 'Mapping or setting invalid',
  limit: 'API limit or monthly quota',
  transient: 'Temporary Salesforce or network problem',
  unmatched: 'No matching Salesforce record',
  // Reverse sync (src/reverse): a CloudEvent the platform's outbound URL did not accept in time.
  delivery: 'Not delivered to the platform',
};

export interface ErrorRule {
  action: ErrorAction;
  category: ErrorCategory;
}

const rule = (action: ErrorAction, category: ErrorCategory): ErrorRule => ({ action, category });

/**
 * Salesforce error codes (REST API Developer Guide "Status Codes and Error Responses", Object
 * Reference, SOAP API "StatusCode" list) → action and category. Codes ending in `*` match by
 * prefix (INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY, INSUFFICIENT_ACCESS_OR_READONLY…).
 */
export const SALESFORCE_ERRORS: Readonly<Record<string, ErrorRule>> = {
  // Transient: the same request can succeed later.
  UNABLE_TO_LOCK_ROW: rule('retry', 'transient'),
  SERVER_UNAVAILABLE: rule('retry', 'transient'),
  REQUEST_RUNNING_TOO_LONG: rule('retry', 'transient'),
  QUERY_TIMEOUT: rule('retry', 'transient'),
  UNKNOWN_EXCEPTION: rule('retry', 'transient'),
  // Composite allOrNone / Collections allOrNone: the record itself was fine.
  PROCESSING_HALTED: rule('retry', 'transient'),
  ALL_OR_NONE_OPERATION_ROLLED_BACK: rule('retry', 'transient'),
  // A token that expired or was revoked.
  INVALID_SESSION_ID: rule('refresh', 'transient'),
  // The org's daily limit (or its long-running concurrency limit, see isConcurrencyLimit).
  REQUEST_LIMIT_EXCEEDED: rule('pause', 'limit'),
  TXN_SECURITY_NO_ACCESS: rule('quarantine', 'permission'),
  // Duplicate rules: attach to the duplicate, or allowSave when the admin chose so.
  DUPLICATES_DETECTED: rule('resolve', 'duplicate'),
  DUPLICATE_VALUE: rule('quarantine', 'duplicate'),
  DUPLICATE_EXTERNAL_ID: rule('quarantine', 'duplicate'),
  // Values Salesforce rejects.
  REQUIRED_FIELD_MISSING: rule('quarantine', 'validation'),
  STRING_TOO_LONG: rule('quarantine', 'validation'),
  INVALID_EMAIL_ADDRESS: rule('quarantine', 'validation'),
  FIELD_CUSTOM_VALIDATION_EXCEPTION: rule('quarantine', 'validation'),
  INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: rule('quarantine', 'validation'),
  FIELD_INTEGRITY_EXCEPTION: rule('quarantine', 'validation'),
  INVALID_CROSS_REFERENCE_KEY: rule('quarantine', 'validation'),
  INVALID_TYPE_ON_FIELD_IN_RECORD: rule('quarantine', 'validation'),
  NUMBER_OUTSIDE_VALID_RANGE: rule('quarantine', 'validation'),
  MALFORMED_ID: rule('quarantine', 'validation'),
  INVALID_ID_FIELD: rule('quarantine', 'validation'),
  ENTITY_IS_DELETED: rule('quarantine', 'validation'),
  CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY: rule('quarantine', 'validation'),
  FIELD_FILTER_VALIDATION_EXCEPTION: rule('quarantine', 'validation'),
  JSON_PARSER_ERROR: rule('quarantine', 'configuration'),
  // Access and field-level security.
  'INSUFFICIENT_ACCESS*': rule('quarantine', 'permission'),
  CANNOT_UPDATE_CONVERTED_LEAD: rule('quarantine', 'permission'),
  INVALID_FIELD_FOR_INSERT_UPDATE: rule('quarantine', 'permission'),
  API_DISABLED_FOR_ORG: rule('quarantine', 'permission'),
  API_CURRENTLY_DISABLED: rule('quarantine', 'permission'),
  // The mapping or the package names something the org does not have.
  INVALID_FIELD: rule('quarantine', 'configuration'),
  INVALID_TYPE: rule('quarantine', 'configuration'),
  MALFORMED_QUERY: rule('quarantine', 'configuration'),
  NOT_FOUND: rule('quarantine', 'configuration'),
  INVALID_OPERATION: rule('quarantine', 'configuration'),
  METHOD_NOT_ALLOWED: rule('quarantine', 'configuration'),
  GONE: rule('quarantine', 'configuration'),
  // Relay's own codes.
  MONTHLY_QUOTA: rule('pause', 'limit'),
  API_BUDGET: rule('pause', 'limit'),
  NO_MATCH: rule('quarantine', 'unmatched'),
  // Refused before the write by the org's describe (sync/describe-rules.ts): values Salesforce's
  // JSON reader cannot read, and phone fields that hold no phone number.
  INVALID_DATE: rule('quarantine', 'validation'),
  INVALID_NUMBER: rule('quarantine', 'validation'),
  INVALID_BOOLEAN: rule('quarantine', 'validation'),
  INVALID_PHONE: rule('quarantine', 'validation'),
  // No lookup of the batch covered the person: matched again, never recorded as NO_MATCH.
  LOOKUP_INCOMPLETE: rule('retry', 'transient'),
  NOT_CONNECTED: rule('retry', 'configuration'),
  AUTHENTICATION_FAILED: rule('retry', 'configuration'),
  TIMEOUT: rule('retry', 'transient'),
  NETWORK_ERROR: rule('retry', 'transient'),
};

/** The rule for a Salesforce error code; unknown codes go by HTTP status (5xx retry, else quarantine). */
export function classify(code: string | undefined, status?: number): ErrorRule {
  if (code) {
    const exact = SALESFORCE_ERRORS[code];
    if (exact) return exact;
    for (const [key, value] of Object.entries(SALESFORCE_ERRORS)) {
      if (key.endsWith('*') && code.startsWith(key.slice(0, -1))) return value;
    }
    // jsforce names errors without a Salesforce body ERROR_HTTP_<status>.
    const http = /^ERROR_HTTP_(\d{3})$/.exec(code);
    if (http && status === undefined) status = Number(http[1]);
  }
  if (status === undefined) return rule('retry', 'transient');
  if (status >= 500 || status === 408 || status === 429) return rule('retry', 'transient');
  if (status === 401) return rule('refresh', 'transient');
  if (status === 403) return rule('quarantine', 'permission');
  return rule('quarantine', 'configuration');
}

/** Whether trying the same request again can help, and how. */
export type RetryDecision =
  /** The session expired: one new login, then the same request at once. */
  | 'refresh'
  /** Later, with backoff: the other side is busy, unwell or slow. */
  | 'retry'
  /** Not before the limit window allows: the whole workspace waits. */
  | 'pause'
  /** Not until a person changes something: a value, a permission, a mapping, a duplicate. */
  | 'never';

/** A failed request or record as the caller saw it: an error code, an HTTP status, a message. */
export interface Failure {
  code?: string | undefined;
  status?: number | undefined;
  message?: string | undefined;
}

/** The error table's rule for a failure, including what only the message tells (isConcurrencyLimit). */
export function ruleOf(failure: Failure): ErrorRule {
  if (failure.code === 'REQUEST_LIMIT_EXCEEDED' && isConcurrencyLimit(failure.message))
    return rule('retry', 'transient');
  return classify(failure.code, failure.status);
}

/** The one retry decision, for a failure or for a rule already known (an IntegrationError's). */
export function retryDecision(failure: Failure | ErrorRule): RetryDecision {
  const { action } = 'action' in failure ? failure : ruleOf(failure);
  return action === 'resolve' || action === 'quarantine' ? 'never' : action;
}

/** Tried again without a person: after backoff, or at once with a new session. */
export function triesAgain(decision: RetryDecision): boolean {
  return decision === 'retry' || decision === 'refresh';
}

/**
 * REQUEST_LIMIT_EXCEEDED covers two limits: the daily one (`TotalRequests Limit exceeded.`: pause
 * until the window allows) and the concurrent long-running one (`ConcurrentPerOrgLongTxn Limit
 * exceeded.`: seconds, retry with backoff like any transient error).
 */
export function isConcurrencyLimit(message: string | undefined): boolean {
  return /concurrent/i.test(message ?? '');
}

/** One Salesforce error as it appears in a top-level array, a record result or a Bulk row. */
export interface SalesforceErrorItem {
  code: string;
  message: string;
  fields: string[];
  /** DUPLICATES_DETECTED: ids of the records the duplicate rule matched, best first. */
  duplicateIds?: string[];
}

/** Base class: a failed Salesforce call or write, with what to do about it. */
export class IntegrationError extends Error {
  readonly code: string;
  readonly status: number | undefined;
  readonly rule: ErrorRule;
  readonly fields: string[];
  readonly duplicateIds: string[] | undefined;

  constructor(
    message: string,
    code: string,
    status?: number,
    options: { fields?: string[]; duplicateIds?: string[]; rule?: ErrorRule; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'IntegrationError';
    this.code = code;
    this.status = status;
    this.rule = options.rule ?? classify(code, status);
    this.fields = options.fields ?? [];
    this.duplicateIds = options.duplicateIds;
  }

  get retryable(): boolean {
    return triesAgain(retryDecision(this.rule));
  }

  get category(): ErrorCategory {
    return this.rule.category;
  }

  /** The field Salesforce named, for the package's error list. */
  get field(): string | undefined {
    return this.fields[0];
  }
}

/** Try again later (5xx, timeouts, network, locks); `retryAfterMs` when the server said so. */
export class RetryableError extends IntegrationError {
  constructor(
    message: string,
    code: string,
    status?: number,
    readonly retryAfterMs?: number,
    cause?: unknown,
  ) {
    super(message, code, status, { rule: { action: 'retry', category: 'transient' }, cause });
    this.name = 'RetryableError';
  }
}

/** The org refused our credentials (after the one refresh). Retried: an admin may fix the app. */
export class InvalidAuthenticationError extends IntegrationError {
  constructor(message: string, code = 'AUTHENTICATION_FAILED', status = 401, cause?: unknown) {
    super(message, code, status, { rule: { action: 'retry', category: 'configuration' }, cause });
    this.name = 'InvalidAuthenticationError';
  }
}

/**
 * No call may be made before `until`: the org's daily limit is spent (REQUEST_LIMIT_EXCEEDED) or
 * Relay's own share of it (API_BUDGET). The workspace is paused; events are deferred.
 */
export class LimitPauseError extends IntegrationError {
  constructor(
    message: string,
    code: 'REQUEST_LIMIT_EXCEEDED' | 'API_BUDGET',
    readonly until: Date,
    status?: number,
  ) {
    super(message, code, status, { rule: { action: 'pause', category: 'limit' } });
    this.name = 'LimitPauseError';
  }
}

/** Turns a Salesforce error array / record errors into items, keeping duplicate-rule matches. */
export function errorItems(raw: unknown): SalesforceErrorItem[] {
  const list = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? [raw] : [];
  const items: SalesforceErrorItem[] = [];
  for (const e of list) {
    if (!e || typeof e !== 'object') continue;
    const o = e as Record<string, unknown>;
    const code = String(o.statusCode ?? o.errorCode ?? 'UNKNOWN_EXCEPTION');
    const message = typeof o.message === 'string' ? o.message : code;
    const fields = Array.isArray(o.fields) ? o.fields.map(String) : [];
    const item: SalesforceErrorItem = { code, message, fields };
    const duplicateIds = duplicateMatches(o.duplicateResult);
    if (duplicateIds.length > 0) item.duplicateIds = duplicateIds;
    items.push(item);
  }
  return items;
}

/** `duplicateResult.matchResults[].matchRecords[].record.Id`, in Salesforce's order. */
function duplicateMatches(raw: unknown): string[] {
  if (!raw || typeof raw !== 'object') return [];
  const ids: string[] = [];
  const results = (raw as { matchResults?: unknown }).matchResults;
  if (!Array.isArray(results)) return ids;
  for (const r of results) {
    const records = (r as { matchRecords?: unknown })?.matchRecords;
    if (!Array.isArray(records)) continue;
    for (const m of records) {
      const id = (m as { record?: { Id?: unknown } })?.record?.Id;
      if (typeof id === 'string' && !ids.includes(id)) ids.push(id);
    }
  }
  return ids;
}

/** The most telling error of a record's list: a non-transient one wins over a rolled-back marker. */
export function primaryError(items: SalesforceErrorItem[]): SalesforceErrorItem {
  const ranked = [...items].sort((a, b) => weight(a) - weight(b));
  return (
    ranked[0] ?? { code: 'UNKNOWN_EXCEPTION', message: 'Salesforce reported a failure without details', fields: [] }
  );
}

function weight(item: SalesforceErrorItem): number {
  if (item.code === 'ALL_OR_NONE_OPERATION_ROLLED_BACK' || item.code === 'PROCESSING_HALTED') return 3;
  if (retryDecision({ code: item.code }) === 'retry') return 2;
  return 1;
}

/**
 * The field an error is about: Salesforce's `fields`, else the field named in a message such as
 * `Company: data value too large: … (max length=255)` or `Required fields are missing: [Company]`.
 */
export function fieldOf(item: SalesforceErrorItem): string | undefined {
  if (item.fields.length > 0) return item.fields[0];
  const bracket = /\[([A-Za-z0-9_]+)(?:,|\])/.exec(item.message);
  if (bracket) return bracket[1];
  const prefix = /^([A-Za-z][A-Za-z0-9_ ]{0,60}):\s/.exec(item.message);
  return prefix ? prefix[1]!.replace(/\s+/g, '') : undefined;
}
