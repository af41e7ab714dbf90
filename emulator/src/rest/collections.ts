// sObject Collections: create, update, upsert, delete and retrieve up to 200 records in one call,
// with per-record results (errors carry `statusCode`) and `allOrNone`, which rolls every record
// back and reports the valid ones as ALL_OR_NONE_OPERATION_ROLLED_BACK.
import { to18 } from '../ids.js';
import type { SaveError, SaveResult } from '../org.js';
import { fail, json, notFound, withAttributes, writeOptions, type RestCall, type RestResponse } from './http.js';
import type { RestRouter } from './router.js';
import { noSuchColumn } from './sobjects.js';

export const MAX_COLLECTION = 200;

const ROLLED_BACK: SaveError = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

class RollBack extends Error {}

function tooMany(): RestResponse {
  return fail(400, 'EXCEEDED_ID_LIMIT', 'record limit reached. cannot submit more than 200 records into this call');
}

/** A per-record result as Collections prints it (no `id` key for a record that has none). */
function resultItem(r: SaveResult, withCreated: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (r.id) out.id = r.id;
  out.success = r.success;
  out.errors = r.errors.map((e) => {
    // The guide's Collections examples show statusCode, message and fields only (also for
    // DUPLICATES_DETECTED); the duplicateResult body is a single-record REST answer.
    return { statusCode: e.statusCode, message: e.message, fields: e.fields };
  });
  if (withCreated && r.created !== undefined) out.created = r.created;
  return out;
}

/**
 * Runs per-record work; with allOrNone, any failure undoes everything and the valid records
 * report ALL_OR_NONE_OPERATION_ROLLED_BACK (a record created and rolled back has no id any more).
 */
function runAll(call: RestCall, allOrNone: boolean, work: () => SaveResult[]): SaveResult[] {
  if (!allOrNone) return work();
  let results: SaveResult[] = [];
  try {
    call.ctx.org.transaction(() => {
      results = work();
      if (results.some((r) => !r.success)) throw new RollBack();
    });
  } catch (e) {
    if (!(e instanceof RollBack)) throw e;
    // As in the guide's examples: rolled-back creates lose their id; updates, upserts and deletes
    // keep it; no item carries `created`.
    return results.map((r) => {
      if (!r.success) return r;
      return { id: call.method === 'POST' ? null : r.id, success: false, errors: [ROLLED_BACK] };
    });
  }
  return results;
}

function lockResults(call: RestCall, records: { Id?: unknown }[]): SaveResult[] {
  return records.map((r) => {
    const id = typeof r.Id === 'string' ? r.Id : null;
    return {
      id,
      success: false,
      errors: [
        {
          statusCode: 'UNABLE_TO_LOCK_ROW',
          message: `unable to obtain exclusive access to this record or 1 records: ${id ?? call.session.userId}`,
          fields: [],
        },
      ],
    };
  });
}

interface Body {
  allOrNone?: boolean;
  records?: unknown;
}

function parseRecords(call: RestCall): { allOrNone: boolean; records: Record<string, unknown>[] } | RestResponse {
  const body = (call.body ?? {}) as Body;
  if (typeof body !== 'object' || !Array.isArray(body.records)) {
    return fail(400, 'JSON_PARSER_ERROR', 'The request body must contain a records array.');
  }
  if (body.records.length > MAX_COLLECTION) return tooMany();
  for (const r of body.records) {
    if (typeof r !== 'object' || r === null || Array.isArray(r))
      return fail(400, 'JSON_PARSER_ERROR', 'Each record must be a JSON object.');
  }
  // The body is deserialized as a whole: an unknown field or a value of the wrong JSON type fails
  // the request, not one record.
  for (const r of body.records as Record<string, unknown>[]) {
    const type = typeOfRecord(r) ?? call.params.type;
    const err = type ? call.ctx.org.deserializationError(type, r) : undefined;
    if (err) return fail(400, err.statusCode, err.message);
  }
  return { allOrNone: body.allOrNone === true, records: body.records as Record<string, unknown>[] };
}

function typeOfRecord(r: Record<string, unknown>): string | undefined {
  const attrs = r.attributes as { type?: unknown } | undefined;
  return typeof attrs?.type === 'string' ? attrs.type : undefined;
}

function isRestResponse(x: unknown): x is RestResponse {
  return typeof x === 'object' && x !== null && !('records' in x);
}

/** Writes each record with its own type (mixed types allowed), one at a time, in order. */
function writeMixed(call: RestCall, records: Record<string, unknown>[], mode: 'insert' | 'update'): SaveResult[] {
  const opts = writeOptions(call);
  return records.map((record): SaveResult => {
    const type = typeOfRecord(record);
    if (!type) {
      return {
        id: null,
        success: false,
        errors: [
          {
            statusCode: 'INVALID_TYPE',
            message: 'The request must specify an sObject type in the attributes field',
            fields: [],
          },
        ],
      };
    }
    if (!call.ctx.org.describe(type)) {
      return {
        id: null,
        success: false,
        errors: [{ statusCode: 'INVALID_TYPE', message: `sObject type '${type}' is not supported.`, fields: [] }],
      };
    }
    return mode === 'insert'
      ? call.ctx.org.insert(type, [record], opts)[0]!
      : call.ctx.org.update(type, [record], opts)[0]!;
  });
}

/** POST (create) and PATCH (update) of mixed-type records: the same request, another write. */
function writeRoute(mode: 'insert' | 'update'): (call: RestCall) => RestResponse {
  return (call) => {
    const parsed = parseRecords(call);
    if (isRestResponse(parsed)) return parsed;
    const results = call.lockFault
      ? lockResults(call, parsed.records)
      : runAll(call, parsed.allOrNone, () => writeMixed(call, parsed.records, mode));
    return json(
      200,
      results.map((r) => resultItem(r, false)),
    );
  };
}

function upsert(call: RestCall): RestResponse {
  const def = call.ctx.org.describe(call.params.type!);
  if (!def) return notFound();
  const f = def.fieldMap.get(call.params.field!.toLowerCase());
  if (!f || !(f.externalId || f.idLookup)) {
    return fail(
      404,
      'NOT_FOUND',
      `Provided external ID field does not exist or is not accessible: ${call.params.field}`,
    );
  }
  const parsed = parseRecords(call);
  if (isRestResponse(parsed)) return parsed;
  if (call.lockFault)
    return json(
      200,
      lockResults(call, parsed.records).map((r) => resultItem(r, true)),
    );
  for (const r of parsed.records) {
    const t = typeOfRecord(r);
    if (!t)
      return fail(
        400,
        'INVALID_INPUT',
        'The request must specify an sObject type in the attributes field for every record.',
      );
    if (t.toLowerCase() !== def.name.toLowerCase())
      return fail(400, 'INVALID_INPUT', `The sObject type of every record must be ${def.name}.`);
  }
  const opts = writeOptions(call);
  const results = runAll(call, parsed.allOrNone, () => call.ctx.org.upsert(def.name, f.name, parsed.records, opts));
  return json(
    200,
    results.map((r) => resultItem(r, true)),
  );
}

function remove(call: RestCall): RestResponse {
  const ids = (call.query.ids ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (ids.length === 0) return fail(400, 'MISSING_ARGUMENT', 'ids parameter is required');
  if (ids.length > MAX_COLLECTION) return tooMany();
  const allOrNone = (call.query.allOrNone ?? '').toLowerCase() === 'true';
  if (call.lockFault)
    return json(
      200,
      lockResults(
        call,
        ids.map((Id) => ({ Id })),
      ).map((r) => resultItem(r, false)),
    );
  const opts = writeOptions(call);
  const results = runAll(call, allOrNone, () => call.ctx.org.delete(ids, opts));
  return json(
    200,
    results.map((r) => resultItem(r, false)),
  );
}

function retrieve(call: RestCall): RestResponse {
  const def = call.ctx.org.describe(call.params.type!);
  if (!def) return notFound();
  const body = (call.body ?? {}) as { ids?: unknown; fields?: unknown };
  const ids =
    call.method === 'POST'
      ? Array.isArray(body.ids)
        ? body.ids.map(String)
        : []
      : (call.query.ids ?? '').split(',').filter(Boolean);
  const fields =
    call.method === 'POST'
      ? Array.isArray(body.fields)
        ? body.fields.map(String)
        : []
      : (call.query.fields ?? '').split(',').filter(Boolean);
  if (ids.length === 0) return fail(400, 'MISSING_ARGUMENT', 'ids parameter is required');
  if (fields.length === 0) return fail(400, 'MISSING_ARGUMENT', 'fields parameter is required');
  if (ids.length > 2000) return tooMany();
  for (const name of fields)
    if (!def.fieldMap.has(name.trim().toLowerCase()))
      return fail(400, 'INVALID_FIELD', noSuchColumn(name.trim(), def.name));
  // A malformed id fails the whole request (restforce spec, composite retrieve with a bad checksum).
  const malformed = ids.find((raw) => !to18(raw.trim()));
  if (malformed !== undefined) return fail(400, 'MALFORMED_ID', `malformed id ${malformed.trim()}`);
  return json(
    200,
    ids.map((raw) => {
      const id = to18(raw.trim());
      const rec = id
        ? call.ctx.org.retrieve(
            def.name,
            id,
            fields.map((f) => f.trim()),
          )
        : undefined;
      return rec && id ? withAttributes(call.version, def.name, rec, id) : null;
    }),
  );
}

export function registerCollectionRoutes(router: RestRouter): void {
  router
    .add('POST', '/composite/sobjects', writeRoute('insert'))
    .add('PATCH', '/composite/sobjects', writeRoute('update'))
    .add('DELETE', '/composite/sobjects', remove)
    .add('GET', '/composite/sobjects/:type', retrieve)
    .add('POST', '/composite/sobjects/:type', retrieve)
    .add('PATCH', '/composite/sobjects/:type/:field', upsert);
}
