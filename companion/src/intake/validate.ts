// Validation of incoming CloudEvents against the schemas of schemas.ts, with one message per
// problem in the form "<field path>: <rule>" (e.g. `data.visitor.email: not an email`,
// `type: unknown event type 'relay.foo'`). Also refuses what PostgreSQL cannot store (NUL
// characters, unpaired surrogates), so a stored event can never fail later for its bytes.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { DATA_SCHEMAS, ENVELOPE_SCHEMA, eventSchema, type JsonSchema } from './schemas.js';

// ajv-formats is CommonJS; under NodeNext its default import is the module object's default.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020, formats: string[]) => Ajv2020;

export interface ValidEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time: string;
  data: Record<string, unknown>;
  /** Every other attribute (subject, extensions…), kept with the event. */
  extensions: Record<string, unknown> | null;
}

export type Validation = { ok: true; event: ValidEvent } | { ok: false; id: string | null; errors: string[] };

const KNOWN_ATTRIBUTES = new Set(['specversion', 'id', 'source', 'type', 'time', 'data']);

function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    verbose: true,
    strict: true,
    allowUnionTypes: true,
    // `to`'s anyOf [{required: [email]}, {required: [phone]}] names properties declared beside it.
    strictRequired: false,
  });
  addFormats(ajv, ['email', 'date-time', 'uri']);
  ajv.addVocabulary(['x-rule']);
  return ajv;
}

/** `/data/visitors/2/email` → `data.visitors[2].email`; the root is `event`. */
export function fieldPath(pointer: string, child?: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) parts.push(child);
  let path = '';
  for (const part of parts) {
    if (/^\d+$/.test(part)) path += `[${part}]`;
    else path += path ? `.${part}` : part;
  }
  return path || 'event';
}

function defaultRule(error: ErrorObject): string {
  switch (error.keyword) {
    case 'type':
      return `must be ${String(error.params.type).replace(/,/g, ' or ')}`;
    case 'format':
      return `not a valid ${String(error.params.format)}`;
    case 'const':
      return `must be ${JSON.stringify(error.params.allowedValue)}`;
    case 'enum':
      return `must be one of ${(error.params.allowedValues as unknown[]).join(', ')}`;
    default:
      return error.message ?? 'is invalid';
  }
}

/** Ajv errors → "path: rule" messages, one per field, the schema's x-rule preferred. */
export function describeErrors(errors: readonly ErrorObject[]): string[] {
  // An anyOf that failed explains itself with its own rule; drop its branches' errors.
  const combinators = errors
    .filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf')
    .map((e) => `${e.schemaPath}/`);
  const messages = new Map<string, string>();
  for (const error of errors) {
    if (combinators.some((prefix) => error.schemaPath.startsWith(prefix))) continue;
    let path: string;
    let text: string;
    if (error.keyword === 'required') {
      path = fieldPath(error.instancePath, String(error.params.missingProperty));
      text = 'is required';
    } else {
      path = fieldPath(error.instancePath);
      const parent = error.parentSchema as JsonSchema | undefined;
      const xRule = parent?.['x-rule'];
      text = typeof xRule === 'string' ? xRule : defaultRule(error);
    }
    // The first rule per field wins (type and minimum failing together say the same thing).
    if (!messages.has(path)) messages.set(path, `${path}: ${text}`);
  }
  return [...messages.values()];
}

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why PostgreSQL cannot store this string (NUL, unpaired surrogate), or null. */
function badString(value: string): string | null {
  if (value.includes('\u0000')) return 'must not contain the NUL character (\\u0000)';
  if (UNPAIRED_SURROGATE.test(value)) return 'must not contain unpaired UTF-16 surrogates';
  return null;
}

interface Unstorable {
  rule: string;
  /** Keys and indexes from the event down to the string, filled in on the way back up. */
  path: Array<string | number>;
  inKey: boolean;
}

// Every field of every event passes through here: the path of a field is built only on the way
// back from a bad string, never for the good ones (building it eagerly was 6 % of the companion's
// allocations in the 100,000-event benchmark).
function findUnstorable(value: unknown): Unstorable | null {
  if (typeof value === 'string') {
    const rule = badString(value);
    return rule ? { rule, path: [], inKey: false } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const found = findUnstorable(value[i]);
      if (found) {
        found.path.unshift(i);
        return found;
      }
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      const inKey = badString(key);
      if (inKey) return { rule: inKey, path: [key], inKey: true };
      const found = findUnstorable((value as Record<string, unknown>)[key]);
      if (found) {
        found.path.unshift(key);
        return found;
      }
    }
  }
  return null;
}

/** Finds the first string PostgreSQL cannot store (NUL, unpaired surrogate) and names its path. */
function unstorable(value: unknown): string | null {
  const found = findUnstorable(value);
  if (!found) return null;
  let path = '';
  for (const part of found.path) path = typeof part === 'number' ? `${path}[${part}]` : path ? `${path}.${part}` : part;
  return `${found.inKey ? `${path} (the field name)` : path}: ${found.rule}`;
}

export class EventValidator {
  readonly #envelope: ValidateFunction;
  readonly #byType = new Map<string, ValidateFunction>();

  constructor() {
    const ajv = createAjv();
    this.#envelope = ajv.compile(ENVELOPE_SCHEMA);
    for (const type of Object.keys(DATA_SCHEMAS)) this.#byType.set(type, ajv.compile(eventSchema(type)));
  }

  validate(input: unknown): Validation {
    if (!input || typeof input !== 'object' || Array.isArray(input)) {
      return { ok: false, id: null, errors: ['event: must be a JSON object (a CloudEvent)'] };
    }
    const event = input as Record<string, unknown>;
    const id = typeof event.id === 'string' ? event.id : null;
    const type = event.type;
    const typed = typeof type === 'string' ? this.#byType.get(type) : undefined;
    const validator = typed ?? this.#envelope;
    const errors: string[] = [];
    if (!validator(event)) errors.push(...describeErrors(validator.errors ?? []));
    if (typeof type === 'string' && type !== '' && !typed) errors.unshift(`type: unknown event type '${type}'`);
    // RFC 3339 allows year 0000; PostgreSQL's calendar has no year 0.
    if (typeof event.time === 'string' && event.time.startsWith('0000') && !errors.some((e) => e.startsWith('time:'))) {
      errors.push('time: must be a date from year 0001 on');
    }
    if (errors.length === 0) {
      const bad = unstorable(event);
      if (bad) errors.push(bad);
    }
    if (errors.length > 0) return { ok: false, id, errors };
    let extensions: Record<string, unknown> | null = null;
    for (const [key, value] of Object.entries(event)) {
      if (KNOWN_ATTRIBUTES.has(key)) continue;
      extensions ??= {};
      extensions[key] = value;
    }
    return {
      ok: true,
      event: {
        specversion: '1.0',
        id: event.id as string,
        source: event.source as string,
        type: type as string,
        time: event.time as string,
        data: event.data as Record<string, unknown>,
        extensions,
      },
    };
  }
}
