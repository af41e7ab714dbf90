// sObject resources: describeGlobal, basic info, describe (If-Modified-Since → 304), create,
// retrieve, update, delete, upsert and retrieve by external id, getUpdated and getDeleted.
import { describeObject, globalEntry } from '../schema/describe.js';
import type { ObjectDef } from '../schema/types.js';
import { isIdShaped, to18 } from '../ids.js';
import type { SaveError } from '../org.js';
import {
  fail,
  isResponse,
  json,
  noContent,
  notFound,
  sobjectUrl,
  withAttributes,
  writeOptions,
  type RestCall,
  type RestResponse,
} from './http.js';
import type { RestRouter } from './router.js';
import { parseDateTime, formatDateTime } from '../store/values.js';
import { checkConditions, etagOf } from './conditional.js';
import { recentlyViewed } from './recent.js';

/** Salesforce's INVALID_FIELD message for a column unknown on an entity. */
export function noSuchColumn(field: string, entity: string): string {
  return `No such column '${field}' on entity '${entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`;
}

/** A save error as a top-level REST error (errorCode instead of statusCode). */
export function restError(e: SaveError): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // Recorded DUPLICATES_DETECTED bodies carry duplicateResult and no `fields`; errors of the
  // JSON deserializer (unknown field, wrong value type) come without `fields` too.
  if (e.duplicateResult) out.duplicateResult = e.duplicateResult;
  out.errorCode = e.statusCode;
  out.message = e.message;
  if (!e.duplicateResult && e.statusCode !== 'INVALID_FIELD' && e.statusCode !== 'JSON_PARSER_ERROR')
    out.fields = e.fields;
  return out;
}

function typeOf(call: RestCall): ObjectDef | undefined {
  return call.ctx.org.describe(call.params.type ?? '');
}

function bodyObject(call: RestCall): Record<string, unknown> | RestResponse {
  const b = call.body;
  if (b === undefined || b === null || typeof b !== 'object' || Array.isArray(b)) {
    return fail(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object representing the sObject.');
  }
  return b as Record<string, unknown>;
}

/** Whether an If-Modified-Since header covers a schema last changed at `changed`. */
function notModifiedSince(call: RestCall, changed: Date): boolean {
  const since = call.headers['if-modified-since'];
  if (!since) return false;
  const t = Date.parse(since);
  return !Number.isNaN(t) && t >= Math.floor(changed.getTime() / 1000) * 1000;
}

function describeGlobal(call: RestCall): RestResponse {
  const changed = new Date(Math.max(...call.ctx.org.schema.objects.map((d) => d.lastModified.getTime())));
  if (notModifiedSince(call, changed)) return noContent(304);
  return json(200, {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: call.ctx.org.schema.objects.map((d) => globalEntry(d, call.version)),
  });
}

function basicInfo(call: RestCall): RestResponse {
  const def = typeOf(call);
  if (!def) return notFound();
  return json(200, {
    objectDescribe: globalEntry(def, call.version),
    recentItems: recentlyViewed(call, [def], 25),
  });
}

function describe(call: RestCall): RestResponse {
  const def = typeOf(call);
  if (!def) return notFound();
  if (notModifiedSince(call, def.lastModified)) return noContent(304);
  return json(200, describeObject(call.ctx.org.schema, def, call.version), {
    'Last-Modified': def.lastModified.toUTCString(),
  });
}

function create(call: RestCall): RestResponse {
  const def = typeOf(call);
  if (!def) return notFound();
  const body = bodyObject(call);
  if (isResponse(body)) return body;
  // REST API Developer Guide, "Create a Record": a body carrying an Id is refused this way.
  if (Object.entries(body).some(([k, v]) => k.toLowerCase() === 'id' && v !== null && v !== undefined))
    return fail(400, 'INVALID_FIELD', 'The Id field should not be specified in the sobject data.');
  const lock = lockFailure(call, [undefined]);
  if (lock) return lock;
  const [result] = call.ctx.org.insert(def.name, [body], writeOptions(call));
  if (!result!.success) return json(400, result!.errors.map(restError));
  return json(
    201,
    { id: result!.id, success: true, errors: [] },
    { Location: sobjectUrl(call.version, def.name, result!.id!) },
  );
}

/** The record an id path segment names, or the error Salesforce answers. */
function existing(call: RestCall, def: ObjectDef, rawId: string): { id: string } | RestResponse {
  // Not 15 or 18 characters: Salesforce reads the segment as an external id field name.
  if (!/^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/.test(rawId))
    return fail(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${rawId}`);
  const id = to18(rawId);
  // A bad checksum or another object's key prefix: the REST guide's MALFORMED_ID example.
  if (!id || call.ctx.org.objectOfId(id) !== def) {
    return fail(400, 'MALFORMED_ID', `${def.label} ID: id value of incorrect type: ${rawId}`, ['Id']);
  }
  const row = call.ctx.org.row(id);
  if (!row) return notFound();
  if (row.IsDeleted) return fail(404, 'ENTITY_IS_DELETED', 'entity is deleted', []);
  return { id };
}

function parseFieldList(call: RestCall, def: ObjectDef): string[] | RestResponse | undefined {
  const list = call.query.fields;
  if (list === undefined) return undefined;
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names)
    if (!def.fieldMap.has(n.toLowerCase())) return fail(400, 'INVALID_FIELD', noSuchColumn(n, def.name));
  return names;
}

function retrieve(call: RestCall): RestResponse {
  const def = typeOf(call);
  if (!def) return notFound();
  const found = existing(call, def, call.params.id!);
  if (isResponse(found)) return found;
  const fields = parseFieldList(call, def);
  if (fields && isResponse(fields)) return fields;
  const row = call.ctx.org.row(found.id)!;
  const precondition = checkConditions(call, def.name, row);
  if (precondition) return precondition;
  const record = call.ctx.org.retrieve(def.name, found.id, fields as string[] | undefined)!;
  return json(
    200,
    withAttributes(call.version, def.name, record, found.id),
    def.name === 'Account' ? { ETag: etagOf(row) } : undefined,
  );
}

function update(call: RestCall): RestResponse {
  const def = typeOf(call);
  if (!def) return notFound();
  const found = existing(call, def, call.params.id!);
  if (isResponse(found)) return found;
  const body = bodyObject(call);
  if (isResponse(body)) return body;
  const precondition = checkConditions(call, def.name, call.ctx.org.row(found.id)!);
  if (precondition) return precondition;
  const lock = lockFailure(call, [found.id]);
  if (lock) return lock;
  const { Id: bodyId, ...rest } = body;
  if (bodyId !== undefined && bodyId !== null && to18(String(bodyId)) !== found.id) {
    return fail(400, 'INVALID_FIELD', `The Id field should not be specified in the sobject data.`);
  }
  const [result] = call.ctx.org.update(def.name, [{ ...rest, Id: found.id }], writeOptions(call));
  if (!result!.success) return json(400, result!.errors.map(restError));
  return noContent();
}

function remove(call: RestCall): RestResponse {
  const def = typeOf(call);
  if (!def) return notFound();
  const found = existing(call, def, call.params.id!);
  if (isResponse(found)) return found;
  const lock = lockFailure(call, [found.id]);
  if (lock) return lock;
  const [result] = call.ctx.org.delete([found.id], writeOptions(call));
  if (!result!.success) return json(400, result!.errors.map(restError));
  return noContent();
}

/** External-id field of a `/sobjects/{Type}/{Field}/{value}` path, or Salesforce's 404. */
function externalIdField(call: RestCall, def: ObjectDef): string | RestResponse {
  const name = call.params.field!;
  const f = def.fieldMap.get(name.toLowerCase());
  if (!f || !(f.externalId || f.idLookup))
    return fail(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${name}`);
  return f.name;
}

function matchesByExternalId(call: RestCall, def: ObjectDef, field: string, value: string): string[] {
  if (field === 'Id') {
    const row = isIdShaped(value) ? call.ctx.org.row(value) : undefined;
    return row && !row.IsDeleted && call.ctx.org.objectOfId(row.Id as string) === def ? [row.Id as string] : [];
  }
  return call.ctx.org.find(def.name, field, value).map((r) => r.Id as string);
}

function upsert(call: RestCall): RestResponse {
  const def = typeOf(call);
  if (!def) return notFound();
  const field = externalIdField(call, def);
  if (isResponse(field)) return field;
  const body = bodyObject(call);
  if (isResponse(body)) return body;
  const value = call.params.value!;
  for (const key of Object.keys(body)) {
    if (key.toLowerCase() === 'id' && field !== 'Id') {
      return fail(
        400,
        'INVALID_FIELD',
        `Unable to create/update fields: Id. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        ['Id'],
      );
    }
  }
  // The guide says not to repeat the external id in the body; a different value is an error.
  for (const [key, v] of Object.entries(body)) {
    if (key.toLowerCase() === field.toLowerCase() && v !== null && v !== undefined && String(v) !== value) {
      return fail(
        400,
        'INVALID_FIELD',
        `The value of ${field} in the request body (${String(v)}) does not match the value in the URL (${value}).`,
        [field],
      );
    }
  }
  const matches = matchesByExternalId(call, def, field, value);
  if (matches.length > 1)
    return json(
      300,
      matches.map((id) => sobjectUrl(call.version, def.name, id)),
    );
  const lock = lockFailure(call, [matches[0]]);
  if (lock) return lock;
  const opts = writeOptions(call);
  const legacy = Number(call.version) < 46;
  if (matches.length === 1) {
    const rest = Object.fromEntries(Object.entries(body).filter(([k]) => k.toLowerCase() !== field.toLowerCase()));
    const [result] = call.ctx.org.update(def.name, [{ ...rest, Id: matches[0] }], opts);
    if (!result!.success) return json(400, result!.errors.map(restError));
    return legacy ? noContent() : json(200, { id: result!.id, success: true, errors: [], created: false });
  }
  // `?updateOnly=true` (REST guide, upsert): update a match, never create.
  if (field === 'Id' || (call.query.updateOnly ?? '').toLowerCase() === 'true') return notFound();
  const record = {
    ...Object.fromEntries(Object.entries(body).filter(([k]) => k.toLowerCase() !== field.toLowerCase())),
    [field]: value,
  };
  const [result] = call.ctx.org.insert(def.name, [record], opts);
  if (!result!.success) return json(400, result!.errors.map(restError));
  const location = { Location: sobjectUrl(call.version, def.name, result!.id!) };
  return legacy
    ? json(201, { id: result!.id, success: true, errors: [] }, location)
    : json(201, { id: result!.id, success: true, errors: [], created: true }, location);
}

function retrieveByExternalId(call: RestCall): RestResponse {
  const def = typeOf(call);
  if (!def) return notFound();
  const field = externalIdField(call, def);
  if (isResponse(field)) return field;
  const matches = matchesByExternalId(call, def, field, call.params.value!);
  if (matches.length > 1)
    return json(
      300,
      matches.map((id) => sobjectUrl(call.version, def.name, id)),
    );
  if (matches.length === 0) return notFound();
  const fields = parseFieldList(call, def);
  if (fields && isResponse(fields)) return fields;
  return json(
    200,
    withAttributes(
      call.version,
      def.name,
      call.ctx.org.retrieve(def.name, matches[0]!, fields as string[] | undefined)!,
      matches[0],
    ),
  );
}

function deleteByExternalId(call: RestCall): RestResponse {
  const def = typeOf(call);
  if (!def) return notFound();
  const field = externalIdField(call, def);
  if (isResponse(field)) return field;
  const matches = matchesByExternalId(call, def, field, call.params.value!);
  if (matches.length > 1)
    return json(
      300,
      matches.map((id) => sobjectUrl(call.version, def.name, id)),
    );
  if (matches.length === 0) return notFound();
  const [result] = call.ctx.org.delete([matches[0]!], writeOptions(call));
  if (!result!.success) return json(400, result!.errors.map(restError));
  return noContent();
}

/**
 * start/end of getUpdated/getDeleted, validated as Salesforce does: seconds ignored, start before
 * end, at most 30 days back for getUpdated and 15 for getDeleted (the delete log's span).
 */
function replicationWindow(call: RestCall, maxDaysBack: number): { start: number; end: number } | RestResponse {
  const { start, end } = call.query;
  if (!start || !end) {
    return fail(400, 'MISSING_ARGUMENT', `${!start ? 'start' : 'end'} is required`);
  }
  const s = parseDateTime(start);
  const e = parseDateTime(end);
  if (!s) return fail(400, 'INVALID_DATE_FORMAT', `Invalid date format: ${start}`);
  if (!e) return fail(400, 'INVALID_DATE_FORMAT', `Invalid date format: ${end}`);
  // Salesforce works in whole minutes: seconds are ignored.
  const startMs = Math.floor(s.getTime() / 60000) * 60000;
  const endMs = Math.floor(e.getTime() / 60000) * 60000;
  const now = call.ctx.org.now().getTime();
  if (startMs > endMs) return fail(400, 'INVALID_REPLICATION_DATE', 'start date cannot be after end date');
  if (startMs < now - maxDaysBack * 24 * 3600 * 1000)
    return fail(400, 'INVALID_REPLICATION_DATE', `startDate cannot be more than ${maxDaysBack} days ago`);
  return { start: startMs, end: Math.min(endMs, Math.floor(now / 60000) * 60000) };
}

function getUpdated(call: RestCall): RestResponse {
  const def = typeOf(call);
  if (!def) return notFound();
  const window = replicationWindow(call, 30);
  if (isResponse(window)) return window;
  const ids: string[] = [];
  for (const row of call.ctx.org.soql.scan(def.name, false)) {
    const t = Date.parse(String(row.SystemModstamp ?? '').replace('+0000', 'Z'));
    if (t >= window.start && t < window.end) ids.push(row.Id as string);
  }
  if (ids.length > 600000)
    return fail(
      400,
      'EXCEEDED_ID_LIMIT',
      'More than 600,000 ids found: choose start and end dates that are closer together.',
    );
  return json(200, { ids, latestDateCovered: formatDateTime(new Date(window.end)) });
}

function getDeleted(call: RestCall): RestResponse {
  const def = typeOf(call);
  if (!def) return notFound();
  const window = replicationWindow(call, 15);
  if (isResponse(window)) return window;
  const table = call.ctx.org.store.table(def.name)!;
  const deletedRecords = table.deletedLog
    .filter((d) => d.at >= window.start && d.at < window.end)
    .map((d) => ({ id: d.id, deletedDate: d.deletedDate }));
  if (deletedRecords.length > 600000)
    return fail(
      400,
      'EXCEEDED_ID_LIMIT',
      'More than 600,000 ids found: choose start and end dates that are closer together.',
    );
  const earliest = table.deletedLog[0]?.at ?? window.start;
  return json(200, {
    deletedRecords,
    earliestDateAvailable: formatDateTime(new Date(Math.floor(earliest / 60000) * 60000)),
    latestDateCovered: formatDateTime(new Date(window.end)),
  });
}

/** An injected UNABLE_TO_LOCK_ROW fault: the write fails as a locked row makes it fail. */
export function lockFailure(call: RestCall, ids: (string | undefined)[]): RestResponse | undefined {
  if (!call.lockFault) return undefined;
  const id = ids.find(Boolean) ?? call.session.userId;
  return fail(400, 'UNABLE_TO_LOCK_ROW', `unable to obtain exclusive access to this record or 1 records: ${id}`, []);
}

export function registerSObjectRoutes(router: RestRouter): void {
  router
    .add('GET', '/sobjects', describeGlobal)
    .add('GET', '/sobjects/:type', basicInfo)
    .add('POST', '/sobjects/:type', create)
    .add('GET', '/sobjects/:type/describe', describe)
    .add('GET', '/sobjects/:type/updated', getUpdated)
    .add('GET', '/sobjects/:type/deleted', getDeleted)
    // v37+: POST to /sobjects/{Type}/Id creates a record (the Id is null).
    .add('POST', '/sobjects/:type/Id', create)
    .add('GET', '/sobjects/:type/:id', retrieve)
    .add('PATCH', '/sobjects/:type/:id', update)
    .add('DELETE', '/sobjects/:type/:id', remove)
    .add('GET', '/sobjects/:type/:field/:value', retrieveByExternalId)
    .add('PATCH', '/sobjects/:type/:field/:value', upsert)
    .add('DELETE', '/sobjects/:type/:field/:value', deleteByExternalId);
}
