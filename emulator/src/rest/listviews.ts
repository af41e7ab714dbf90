// List views: `sobjects/{Type}/listviews`, one view's `describe` and `results`, and the views
// `query?explain=<list view id>` explains. The org has the standard views of a new org for the
// objects with tabs (All, My, New This Week); each is a SOQL statement over the store. Shapes:
// REST API Developer Guide, "List Views", "List View Describe" and "List View Results".
import { checksum } from '../ids.js';
import { executeSoql, SoqlError } from '../soql/index.js';
import type { ObjectDef } from '../schema/types.js';
import { fail, json, notFound, type RestCall, type RestResponse } from './http.js';
import type { RestRouter } from './router.js';

/** Columns of the views per object (the fields the standard views of a new org show). */
const COLUMNS: Record<string, string[]> = {
  Account: ['Name', 'Site', 'BillingState', 'Phone', 'Type', 'Owner.Alias'],
  Contact: ['Name', 'Account.Name', 'Title', 'Phone', 'Email', 'Owner.Alias'],
  Lead: ['Name', 'Company', 'State', 'Email', 'Status', 'CreatedDate', 'Owner.Alias'],
  Campaign: ['Name', 'Type', 'Status', 'StartDate', 'EndDate', 'Owner.Alias'],
};

interface View {
  id: string;
  developerName: string;
  label: string;
  object: string;
  scope: 'everything' | 'mine';
  where: string | null;
}

function views(): View[] {
  const out: View[] = [];
  let n = 0;
  for (const object of Object.keys(COLUMNS)) {
    const plural = `${object}s`;
    const kinds: [string, string, View['scope'], string | null][] = [
      [`All${plural}`, `All ${plural}`, 'everything', null],
      [`My${plural}`, `My ${plural}`, 'mine', null],
      ['NewThisWeek', 'New This Week', 'everything', 'CreatedDate = THIS_WEEK'],
    ];
    for (const [developerName, label, scope, where] of kinds) {
      n += 1;
      const id15 = `00B5g00000${String(n).padStart(5, '0')}`;
      out.push({ id: id15 + checksum(id15), developerName, label, object, scope, where });
    }
  }
  return out;
}

const VIEWS = views();

/** The view a list view id (15 or 18 characters) names. */
export function listViewById(id: string): View | undefined {
  return VIEWS.find((v) => v.id === id || v.id.slice(0, 15) === id);
}

/** The statement a view runs for a user. */
export function listViewQuery(view: View, userId: string): string {
  const cols = COLUMNS[view.object]!;
  const where = [view.scope === 'mine' ? `OwnerId = '${userId}'` : null, view.where].filter(Boolean);
  return `SELECT ${[...cols, 'Id', 'CreatedDate', 'LastModifiedDate', 'SystemModstamp']
    .filter((c, i, all) => all.indexOf(c) === i)
    .join(
      ', ',
    )} FROM ${view.object}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY Name ASC NULLS FIRST, Id ASC NULLS FIRST`;
}

function viewUrl(call: RestCall, view: View): string {
  return `/services/data/v${call.version}/sobjects/${view.object}/listviews/${view.id}`;
}

function objectOf(call: RestCall): ObjectDef | undefined {
  return call.ctx.org.describe(call.params.type ?? '');
}

function list(call: RestCall): RestResponse {
  const def = objectOf(call);
  if (!def) return notFound();
  const mine = VIEWS.filter((v) => v.object === def.name);
  return json(200, {
    done: true,
    listviews: mine.map((v) => ({
      describeUrl: `${viewUrl(call, v)}/describe`,
      developerName: v.developerName,
      id: v.id,
      label: v.label,
      resultsUrl: `${viewUrl(call, v)}/results`,
      soqlCompatible: true,
      url: viewUrl(call, v),
    })),
    nextRecordsUrl: null,
    size: mine.length,
    sobjectType: def.name,
  });
}

function viewOf(call: RestCall): View | RestResponse {
  const def = objectOf(call);
  const view = listViewById(call.params.id ?? '');
  if (!def || !view || view.object !== def.name) return notFound();
  return view;
}

function columns(call: RestCall, view: View): Record<string, unknown>[] {
  const def = call.ctx.org.describe(view.object)!;
  return [...COLUMNS[view.object]!, 'Id'].map((path, i) => {
    const leaf = path.split('.').pop()!;
    const f = path.includes('.') ? undefined : def.fieldMap.get(leaf.toLowerCase());
    return {
      ascendingLabel: 'A-Z',
      descendingLabel: 'Z-A',
      fieldNameOrPath: path,
      hidden: path === 'Id',
      label: f?.label ?? leaf,
      selectListItem: path,
      sortDirection: i === 0 ? 'ascending' : null,
      sortIndex: i === 0 ? 0 : null,
      sortable: path !== 'Id',
      type: f?.type ?? 'string',
    };
  });
}

function one(call: RestCall): RestResponse {
  const view = viewOf(call);
  if ('status' in view) return view;
  return json(200, {
    describeUrl: `${viewUrl(call, view)}/describe`,
    developerName: view.developerName,
    id: view.id,
    label: view.label,
    resultsUrl: `${viewUrl(call, view)}/results`,
    soqlCompatible: true,
    url: viewUrl(call, view),
  });
}

function describe(call: RestCall): RestResponse {
  const view = viewOf(call);
  if ('status' in view) return view;
  return json(200, {
    columns: columns(call, view),
    id: view.id,
    orderBy: [
      { fieldNameOrPath: 'Name', nullsPosition: 'first', sortDirection: 'ascending' },
      { fieldNameOrPath: 'Id', nullsPosition: 'first', sortDirection: 'ascending' },
    ],
    query: listViewQuery(view, call.session.userId),
    scope: view.scope,
    sobjectType: view.object,
    whereCondition: view.where ? { field: 'CreatedDate', operator: 'equals', values: ['THIS_WEEK'] } : null,
  });
}

function read(record: Record<string, unknown>, path: string): unknown {
  let cur: unknown = record;
  for (const part of path.split('.'))
    cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[part] : null;
  return cur ?? null;
}

function results(call: RestCall): RestResponse {
  const view = viewOf(call);
  if ('status' in view) return view;
  const limit = Math.min(2000, Math.max(1, Number(call.query.limit ?? 25) || 25));
  const offset = Math.max(0, Number(call.query.offset ?? 0) || 0);
  let records: Record<string, unknown>[];
  try {
    records = executeSoql(listViewQuery(view, call.session.userId), call.ctx.org.soql, {
      includeDeleted: false,
      apiVersion: call.version,
      now: call.ctx.org.now(),
    }).records;
  } catch (e) {
    if (e instanceof SoqlError) return fail(400, e.errorCode, e.message);
    throw e;
  }
  const page = records.slice(offset, offset + limit);
  const cols = columns(call, view);
  return json(200, {
    columns: cols,
    developerName: view.developerName,
    done: offset + page.length >= records.length,
    id: view.id,
    label: view.label,
    records: page.map((r) => ({
      columns: cols.map((c) => ({ fieldNameOrPath: c.fieldNameOrPath, value: read(r, String(c.fieldNameOrPath)) })),
    })),
    size: records.length,
  });
}

export function registerListViewRoutes(router: RestRouter): void {
  router
    .add('GET', '/sobjects/:type/listviews', list)
    .add('GET', '/sobjects/:type/listviews/recent', list)
    .add('GET', '/sobjects/:type/listviews/:id', one)
    .add('GET', '/sobjects/:type/listviews/:id/describe', describe)
    .add('GET', '/sobjects/:type/listviews/:id/results', results);
}
