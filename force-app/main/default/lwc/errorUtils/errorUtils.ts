// One place that turns whatever a failed call throws into sentences a person can read. Apex,
// Lightning Data Service, the companion's JSON errors, fetch failures and plain JavaScript errors
// all arrive in different shapes; components show `reduceErrors(error)` and never inspect shapes.

/** Field-level messages as Lightning Data Service and Apex DML errors carry them. */
type FieldErrors = Record<string, Array<{ message?: string }>>;

interface ErrorBody {
  message?: string;
  error?: { code?: string; message?: string } | string;
  error_description?: string;
  pageErrors?: Array<{ message?: string; statusCode?: string }>;
  fieldErrors?: FieldErrors;
  output?: { errors?: Array<{ message?: string }>; fieldErrors?: FieldErrors };
  duplicateResults?: Array<{ message?: string }>;
  enhancedErrorType?: string;
}

interface ErrorLike {
  message?: string;
  body?: ErrorBody | ErrorBody[] | string | null;
  status?: number;
  statusText?: string;
  detail?: { message?: string } | string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function messagesOfFieldErrors(fieldErrors: FieldErrors | undefined): string[] {
  if (!fieldErrors) {
    return [];
  }
  return Object.entries(fieldErrors).flatMap(([field, errors]) =>
    (errors ?? []).map((e) => (e.message ? `${field}: ${e.message}` : field)),
  );
}

function messagesOfBody(body: ErrorBody): string[] {
  const messages: string[] = [];
  if (body.output) {
    messages.push(...(body.output.errors ?? []).map((e) => e.message ?? ''));
    messages.push(...messagesOfFieldErrors(body.output.fieldErrors));
  }
  messages.push(...(body.pageErrors ?? []).map((e) => e.message ?? ''));
  messages.push(...messagesOfFieldErrors(body.fieldErrors));
  messages.push(...(body.duplicateResults ?? []).map((e) => e.message ?? ''));
  if (typeof body.error === 'string') {
    messages.push(body.error_description ? `${body.error}: ${body.error_description}` : body.error);
  } else if (body.error?.message) {
    messages.push(body.error.message);
  }
  if (messages.filter(Boolean).length === 0 && body.message) {
    messages.push(body.message);
  }
  return messages;
}

function messagesOf(error: unknown): string[] {
  if (error === null || error === undefined) {
    return [];
  }
  if (typeof error === 'string') {
    return [error];
  }
  if (Array.isArray(error)) {
    return error.flatMap(messagesOf);
  }
  if (!isObject(error)) {
    return [String(error)];
  }
  const e = error as ErrorLike;
  if (Array.isArray(e.body)) {
    // UI API read errors: an array of bodies, each with its own message.
    return e.body.flatMap((b) => (isObject(b) ? messagesOfBody(b) : [String(b)]));
  }
  if (typeof e.body === 'string' && e.body) {
    return [e.body];
  }
  if (isObject(e.body)) {
    const fromBody = messagesOfBody(e.body).filter(Boolean);
    if (fromBody.length > 0) {
      return fromBody;
    }
  }
  if (typeof e.detail === 'string') {
    return [e.detail];
  }
  if (isObject(e.detail) && e.detail.message) {
    return [e.detail.message];
  }
  if (e.message) {
    return [e.message];
  }
  if (e.status !== undefined) {
    // A fetch Response or a body-less network failure.
    return [e.statusText ? `${e.status} ${e.statusText}` : `Request failed with status ${e.status}`];
  }
  return [];
}

/**
 * Reduces one or more errors of any shape to a list of distinct, non-empty messages.
 * @example reduceErrors({ body: { message: 'Insufficient access' } }) // ['Insufficient access']
 */
export function reduceErrors(errors: unknown): string[] {
  const messages = messagesOf(errors)
    .map((m) => m.trim())
    .filter((m) => m.length > 0);
  const distinct = [...new Set(messages)];
  if (distinct.length === 0 && errors !== null && errors !== undefined) {
    return ['Unknown error'];
  }
  return distinct;
}
