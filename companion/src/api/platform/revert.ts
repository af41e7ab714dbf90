// POST /v1/contacts/<id>/revert {"fields": ["Title"], "force"?: true} (docs/platform-api.md): puts back
// the values a platform PATCH replaced, from what Relay kept of that PATCH (previous-values.ts).
//  - 403: a field the platform may not write (the PATCH allow-list: never Email or Phone): a revert is a
//    write like any other, judged on a fresh configuration;
//  - a field with no kept value is answered in `notRestored`; when no field has one, 409 NO_STORED_VALUE;
//  - 409 CHANGED_IN_SALESFORCE: a field no longer holds what Relay wrote (someone changed it in
//    Salesforce since), so putting the old value back would undo their change; `force` restores anyway.
// All or nothing, as PATCH: one refused field and nothing is written. Two API calls: the current
// values are read first (the change check needs them before the write is decided), then written;
// one when forced (no check, no read).
import { HttpError } from '../../http/errors.js';
import type { SalesforceClient } from '../../salesforce/client.js';
import { sendComposite, type SubResponse } from '../../salesforce/composite.js';
import { DATA_PATH } from '../../salesforce/version.js';
import type { Engine } from '../../sync/engine.js';
import type { Workspace } from '../../workspaces/types.js';
import type { Db } from '../../db/types.js';
import { checkWritable, pick, type PersonObject } from '../../reverse/fields.js';
import { clientOf } from './access.js';
import { refusal, targetOf, type PlatformWrite } from './patch.js';
import { forgetPrevious, readPrevious, type StoredWrite } from './previous-values.js';

export interface RevertRequest {
  fields: string[];
  force: boolean;
}

export interface NotRestored {
  field: string;
  code: 'NO_STORED_VALUE';
  message: string;
}

export interface RevertResult {
  id: string;
  restored: Record<string, unknown>;
  notRestored: NotRestored[];
}

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const USAGE = 'body: must be {"fields": ["<Salesforce field>", …], "force"?: true | false}';

export function parseRevert(body: unknown): RevertRequest {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'BAD_REQUEST', USAGE);
  const { fields, force } = body as { fields?: unknown; force?: unknown };
  if (!Array.isArray(fields))
    throw new HttpError(400, 'BAD_REQUEST', 'fields: must be an array of Salesforce field names');
  if (fields.length === 0) throw new HttpError(400, 'BAD_REQUEST', 'fields: name at least one field');
  fields.forEach((f, i) => {
    if (typeof f !== 'string' || !FIELD_NAME.test(f))
      throw new HttpError(400, 'BAD_REQUEST', `fields[${i}]: must be a Salesforce field API name (e.g. "Title")`);
  });
  if (force !== undefined && typeof force !== 'boolean')
    throw new HttpError(400, 'BAD_REQUEST', 'force: must be true or false');
  return { fields: [...new Set(fields as string[])], force: force === true };
}

export interface RevertDeps {
  db: Db;
  /** What every platform write does afterwards (the reverse-sync baseline, the lookup cache). */
  remember: (write: PlatformWrite) => Promise<void>;
}

export async function revertContact(
  engine: Engine,
  workspace: Workspace,
  rawId: string,
  body: unknown,
  deps: RevertDeps,
): Promise<RevertResult> {
  const { id, object } = targetOf(rawId);
  const request = parseRevert(body);
  const client = clientOf(engine, workspace);
  const names = await allowedNames(engine, workspace, client, object, request.fields);
  const stored = await readPrevious(deps.db, workspace.id, id, names);
  const notRestored = names.filter((n) => !stored.has(n)).map(noStoredValue);
  if (stored.size === 0)
    throw new HttpError(409, 'NO_STORED_VALUE', notRestored.map((n) => n.message).join('; '), {
      fields: notRestored.map((n) => n.field),
    });
  // Forced, what the field holds now does not matter: the read is saved.
  if (!request.force) refuseChanged(stored, await readCurrent(client, object, id, [...stored.keys()]));
  const restore = Object.fromEntries([...stored.values()].map((s) => [s.field, s.previous]));
  await write(client, object, id, restore);
  await forgetPrevious(deps.db, workspace.id, id, Object.keys(restore));
  await deps.remember({ object, id, fields: restore, previous: null });
  return { id, restored: restore, notRestored };
}

/** The requested names as the mappings spell them; 403 naming every field the platform may not write. */
async function allowedNames(
  engine: Engine,
  workspace: Workspace,
  client: SalesforceClient,
  object: PersonObject,
  requested: string[],
): Promise<string[]> {
  const config = await engine.configurationFor(workspace, client, engine.configs.refreshAfterMs);
  const check = checkWritable(config, object, requested);
  if (check.refused.length > 0)
    throw new HttpError(403, 'FIELD_NOT_WRITABLE', check.refused.map((r) => `${r.field}: ${r.reason}`).join('; '), {
      fields: check.refused.map((r) => r.field),
    });
  return [...new Set(check.allowed.values())];
}

function noStoredValue(field: string): NotRestored {
  return {
    field,
    code: 'NO_STORED_VALUE',
    message: `${field}: no previous value kept (Relay keeps the value a PATCH replaced until it is reverted)`,
  };
}

async function readCurrent(
  client: SalesforceClient,
  object: PersonObject,
  id: string,
  fields: string[],
): Promise<Record<string, unknown>> {
  const url = `${DATA_PATH}/sobjects/${object}/${id}?fields=${fields.map(encodeURIComponent).join(',')}`;
  const res = await single(client, object, id, { method: 'GET', url, referenceId: 'current' }, 'platform.revert.read');
  return pick(res.body as Record<string, unknown>, fields);
}

async function write(client: SalesforceClient, object: PersonObject, id: string, values: Record<string, unknown>) {
  const url = `${DATA_PATH}/sobjects/${object}/${id}`;
  await single(client, object, id, { method: 'PATCH', url, referenceId: 'write', body: values }, 'platform.revert');
}

/** One plain call; a refusal (404, converted Lead, a value Salesforce rejects) answered as PATCH answers it. */
async function single(
  client: SalesforceClient,
  object: PersonObject,
  id: string,
  sub: { method: 'GET' | 'PATCH'; url: string; referenceId: string; body?: unknown },
  label: string,
): Promise<SubResponse> {
  const res = (await sendComposite(client, [sub], label)).get(sub.referenceId);
  if (!res || res.httpStatusCode >= 300) throw refusal(object, id, res);
  return res;
}

/** 409 naming every field that no longer holds the value Relay wrote. */
function refuseChanged(stored: Map<string, StoredWrite>, current: Record<string, unknown>): void {
  const changed = [...stored.values()].filter((s) => !sameValue(current[s.field], s.written));
  if (changed.length === 0) return;
  const message = changed
    .map(
      (s) =>
        `${s.field}: changed in Salesforce since Relay wrote ${JSON.stringify(s.written)} (it is now ` +
        `${JSON.stringify(current[s.field] ?? null)}); send "force": true to restore ${JSON.stringify(s.previous)} anyway`,
    )
    .join('; ');
  throw new HttpError(409, 'CHANGED_IN_SALESFORCE', message, {
    fields: changed.map((s) => s.field),
    current: Object.fromEntries(changed.map((s) => [s.field, current[s.field] ?? null])),
  });
}

// Salesforce answers a blank text field as null and a number written as text as a number: compare
// what a person would see, not the JSON types.
function sameValue(a: unknown, b: unknown): boolean {
  const norm = (v: unknown) => (v === null || v === undefined || v === '' ? '' : String(v));
  return norm(a) === norm(b);
}
