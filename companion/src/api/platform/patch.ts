// PATCH /v1/contacts/<salesforce id> {"fields": {"Title": "CTO"}} (docs/platform-api.md): the platform writes
// allow-listed fields of a Contact or Lead and learns what they were.
//  - 404: not a Contact or Lead id (by key prefix 003 / 00Q), or no such record in the org;
//  - 403: a field outside the allow-list (fields.ts: active mappings that let the platform write
//    Salesforce — TwoWay, PlatformToSalesforce, PreferSalesforceUnlessBlank — never Email or Phone);
//    nothing is written then;
//  - 422: Salesforce refused a value (validation rule, length, picklist…), with its code and the field;
//  - 409: a converted Lead (read-only in Salesforce), or a duplicate rule blocking the change.
// One API call: reading the previous values and the update travel as one Composite request, in that
// order (plus one configuration read when the copy is older than the engine's 50 s: the allow-list
// is a permission and is never judged on an old copy). The written values become part of the record's
// reverse-sync baseline at once, so they never come back to the platform as a change.
// Failures go by the shared retry decision (errors.ts): a session refused for the whole call or for
// the write inside it is renewed once and the request repeated, as for the sync; what can succeed
// later is 503, and what cannot is answered as Salesforce's refusal.
import { HttpError } from '../../http/errors.js';
import { fieldOf, InvalidAuthenticationError, retryDecision } from '../../errors.js';
import type { SalesforceClient } from '../../salesforce/client.js';
import { sendComposite, subrequestError, type SubResponse } from '../../salesforce/composite.js';
import { isSalesforceId, objectOfId, to18 } from '../../salesforce/ids.js';
import { DATA_PATH } from '../../salesforce/version.js';
import type { Engine } from '../../sync/engine.js';
import type { Workspace } from '../../workspaces/types.js';
import { checkWritable, pick, type PersonObject } from '../../reverse/fields.js';
import { clientOf } from './access.js';

export interface PatchResult {
  id: string;
  updated: Record<string, unknown>;
  previous: Record<string, unknown>;
}

/** A write Relay made for the platform: what it wrote and, when the read beside it answered, what it replaced. */
export interface PlatformWrite {
  object: PersonObject;
  id: string;
  fields: Record<string, unknown>;
  /** Null when the previous values could not be read: nothing is kept to revert to then. */
  previous: Record<string, unknown> | null;
}

const NOT_FOUND_CODES = new Set(['NOT_FOUND', 'ENTITY_IS_DELETED', 'MALFORMED_ID', 'INVALID_ID_FIELD']);
const CONFLICT_CODES = new Set(['CANNOT_UPDATE_CONVERTED_LEAD', 'DUPLICATES_DETECTED', 'DUPLICATE_VALUE']);

export function targetOf(rawId: string): { id: string; object: PersonObject } {
  if (!isSalesforceId(rawId)) throw new HttpError(404, 'NOT_FOUND', `'${rawId}' is not a Salesforce record id`);
  const object = objectOfId(rawId);
  if (object !== 'Contact' && object !== 'Lead')
    throw new HttpError(
      404,
      'NOT_FOUND',
      `${rawId} is not a Contact or Lead id (Contacts start with 003, Leads with 00Q)`,
    );
  return { id: to18(rawId), object };
}

export function parseFields(body: unknown): Record<string, unknown> {
  const fields = (body as { fields?: unknown } | null)?.fields;
  if (!body || typeof body !== 'object' || !fields || typeof fields !== 'object' || Array.isArray(fields))
    throw new HttpError(400, 'BAD_REQUEST', 'body: must be {"fields": {"<Salesforce field>": value, …}}');
  const entries = Object.entries(fields as Record<string, unknown>);
  if (entries.length === 0) throw new HttpError(400, 'BAD_REQUEST', 'fields: name at least one field');
  for (const [name, value] of entries) {
    if (value !== null && !['string', 'number', 'boolean'].includes(typeof value))
      throw new HttpError(400, 'BAD_REQUEST', `fields.${name}: must be a string, number, boolean or null`);
  }
  return fields as Record<string, unknown>;
}

export async function patchContact(
  engine: Engine,
  workspace: Workspace,
  rawId: string,
  body: unknown,
  remember: (write: PlatformWrite) => Promise<void>,
): Promise<PatchResult> {
  const { id, object } = targetOf(rawId);
  const requested = parseFields(body);
  const client = clientOf(engine, workspace);
  const config = await engine.configurationFor(workspace, client, engine.configs.refreshAfterMs);
  const check = checkWritable(config, object, Object.keys(requested));
  if (check.refused.length > 0) {
    throw new HttpError(403, 'FIELD_NOT_WRITABLE', check.refused.map((r) => `${r.field}: ${r.reason}`).join('; '), {
      fields: check.refused.map((r) => r.field),
    });
  }
  const write: Record<string, unknown> = {};
  for (const [name, canonical] of check.allowed) write[canonical] = requested[name];
  const names = Object.keys(write);
  const answers = await readAndWrite(client, object, id, write);
  const res = answers.get('write');
  if (!res || res.httpStatusCode >= 300) throw refusal(object, id, res);
  const before = answers.get('before');
  const read =
    before && before.httpStatusCode === 200 && before.body && typeof before.body === 'object'
      ? pick(before.body as Record<string, unknown>, names)
      : null;
  await remember({ object, id, fields: write, previous: read });
  return { id, updated: write, previous: read ?? Object.fromEntries(names.map((n) => [n, null])) };
}

/** The previous values and the write in one Composite; repeated once after a new login when the write's session was refused. */
async function readAndWrite(
  client: SalesforceClient,
  object: PersonObject,
  id: string,
  write: Record<string, unknown>,
): Promise<Map<string, SubResponse>> {
  const fields = Object.keys(write).map(encodeURIComponent).join(',');
  const subrequests = [
    { method: 'GET' as const, url: `${DATA_PATH}/sobjects/${object}/${id}?fields=${fields}`, referenceId: 'before' },
    { method: 'PATCH' as const, url: `${DATA_PATH}/sobjects/${object}/${id}`, referenceId: 'write', body: write },
  ];
  for (let renewed = false; ; renewed = true) {
    const answers = await sendComposite(client, subrequests, 'platform.patch');
    if (!sessionRefused(answers.get('write'))) return answers;
    if (renewed)
      throw new InvalidAuthenticationError(
        'Salesforce refused the session again after a new login',
        'INVALID_SESSION_ID',
      );
    await client.renewSession();
  }
}

function sessionRefused(res: SubResponse | undefined): boolean {
  if (!res || res.httpStatusCode < 300) return false;
  return retryDecision({ code: subrequestError(res).code, status: res.httpStatusCode }) === 'refresh';
}

/** A write Salesforce did not make, as the API's answer. */
export function refusal(object: PersonObject, id: string, res: SubResponse | undefined): HttpError {
  const e = subrequestError(res);
  if (NOT_FOUND_CODES.has(e.code) || res?.httpStatusCode === 404)
    return new HttpError(404, 'NOT_FOUND', `no ${object} with id ${id} in the workspace's org`);
  const field = fieldOf(e);
  const extra = field ? { field } : undefined;
  if (CONFLICT_CODES.has(e.code)) return new HttpError(409, e.code, e.message, extra);
  const decision = retryDecision({ code: e.code, status: res?.httpStatusCode, message: e.message });
  if (decision === 'retry') return new HttpError(503, 'SALESFORCE_UNAVAILABLE', `${e.code}: ${e.message}`);
  if (decision === 'pause') return new HttpError(503, e.code, e.message);
  return new HttpError(422, e.code, field && !e.message.includes(field) ? `${field}: ${e.message}` : e.message, extra);
}
