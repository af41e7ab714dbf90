// query and queryAll: runs part B's SOQL engine over the org and pages the result the way
// Salesforce does (batches of at most 2,000, `Sforce-Query-Options: batchSize=N` between 200 and
// 2,000, `nextRecordsUrl` locators `01g…-<offset>` that stay valid while the cursor is alive).
import { executeSoql, queryColumns, runSoql, SoqlError } from '../soql/index.js';
import type { EmulatorContext } from '../context.js';
import { fail, json, type RestCall, type RestResponse } from './http.js';
import type { RestRouter } from './router.js';
import { explain } from './explain.js';

interface Cursor {
  records: Record<string, unknown>[];
  totalSize: number;
  batchSize: number;
  touched: number;
}

/** Idle cursors expire like Salesforce's (15 minutes), and at most this many stay open. */
const CURSOR_TTL_MS = 15 * 60 * 1000;
const MAX_CURSORS = 200;
const cursorsByCtx = new WeakMap<EmulatorContext, Map<string, Cursor>>();

function cursors(ctx: EmulatorContext): Map<string, Cursor> {
  let map = cursorsByCtx.get(ctx);
  if (!map) cursorsByCtx.set(ctx, (map = new Map()));
  const now = Date.now();
  for (const [k, c] of map) if (now - c.touched > CURSOR_TTL_MS) map.delete(k);
  return map;
}

export function batchSizeOf(call: RestCall): number {
  const m = /batchSize\s*=\s*(\d+)/i.exec(call.headers['sforce-query-options'] ?? '');
  if (!m) return 2000;
  return Math.min(2000, Math.max(200, Number(m[1])));
}

function page(call: RestCall, locator: string, cursor: Cursor, offset: number): RestResponse {
  const end = offset + cursor.batchSize;
  const records = cursor.records.slice(offset, end);
  const done = end >= cursor.records.length;
  const body: Record<string, unknown> = { totalSize: cursor.totalSize, done };
  if (!done) body.nextRecordsUrl = `/services/data/v${call.version}/query/${locator}-${end}`;
  else cursors(call.ctx).delete(locator);
  body.records = records;
  return json(200, body);
}

export function runQuery(call: RestCall, includeDeleted: boolean, q: string | undefined): RestResponse {
  if (q === undefined || q.trim() === '') return fail(400, 'MALFORMED_QUERY', 'A query string has to be specified');
  if ((call.query.columns ?? '').toLowerCase() === 'true') return columns(call, includeDeleted, q);
  let result: { totalSize: number; records: Record<string, unknown>[] };
  try {
    result = executeSoql(q, call.ctx.org.soql, { includeDeleted, apiVersion: call.version, now: call.ctx.org.now() });
  } catch (e) {
    if (e instanceof SoqlError) return fail(400, e.errorCode, e.message);
    throw e;
  }
  // `FOR VIEW` / `FOR REFERENCE` feed the recent-items list (REST API Developer Guide, "Recently Viewed Items").
  const marker = /\bFOR\s+(VIEW|REFERENCE)\s*$/i.exec(q.trim());
  if (marker) {
    const ids = result.records.map((r) => r.Id).filter((id): id is string => typeof id === 'string');
    call.ctx.org.markViewed(ids, marker[1]!.toUpperCase() === 'VIEW');
  }
  const batchSize = batchSizeOf(call);
  if (result.records.length <= batchSize) {
    return json(200, { totalSize: result.totalSize, done: true, records: result.records });
  }
  const map = cursors(call.ctx);
  if (map.size >= MAX_CURSORS) {
    const oldest = [...map.entries()].sort((a, b) => a[1].touched - b[1].touched)[0];
    if (oldest) map.delete(oldest[0]);
  }
  const locator = call.ctx.org.ids.next('01g');
  const cursor: Cursor = { records: result.records, totalSize: result.totalSize, batchSize, touched: Date.now() };
  map.set(locator, cursor);
  return page(call, locator, cursor, 0);
}

/**
 * `?columns=true`: the statement's column metadata instead of its rows (what `sf data query` asks
 * for to lay out its table). The statement is checked as a query would be, so a bad column answers
 * the same error.
 */
function columns(call: RestCall, includeDeleted: boolean, q: string): RestResponse {
  try {
    runSoql(q, call.ctx.org.soql, { includeDeleted, validateOnly: true, now: call.ctx.org.now() });
    const cols = queryColumns(q, call.ctx.org.soql);
    const keyPrefix = call.ctx.org.describe(cols.entityName)?.keyPrefix ?? null;
    return json(200, { ...cols, keyPrefix });
  } catch (e) {
    if (e instanceof SoqlError) return fail(400, e.errorCode, e.message);
    throw e;
  }
}

function more(call: RestCall): RestResponse {
  const raw = call.params.locator ?? '';
  const dash = raw.lastIndexOf('-');
  const locator = dash > 0 ? raw.slice(0, dash) : raw;
  const offset = dash > 0 ? Number(raw.slice(dash + 1)) : 0;
  const cursor = cursors(call.ctx).get(locator);
  if (!cursor || !Number.isInteger(offset) || offset < 0)
    return fail(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
  cursor.touched = Date.now();
  return page(call, locator, cursor, offset);
}

export function registerQueryRoutes(router: RestRouter): void {
  router
    .add('GET', '/query', (call) =>
      call.query.explain !== undefined ? explain(call) : runQuery(call, false, call.query.q),
    )
    .add('GET', '/queryAll', (call) =>
      call.query.explain !== undefined ? explain(call) : runQuery(call, true, call.query.q),
    )
    .add('GET', '/query/:locator', more)
    .add('GET', '/queryAll/:locator', more);
}
