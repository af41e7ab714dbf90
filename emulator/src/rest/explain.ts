// `GET /query?explain=<SOQL or list view id>`: the query plans Salesforce's optimizer would weigh,
// in the shape of the REST API Developer Guide's "Get Feedback on Query Performance" example —
// `plans` (cheapest first) with cardinality, fields, leadingOperationType, notes, relativeCost,
// sobjectCardinality and sobjectType, and `sourceQuery`. The emulator's plans follow its own
// indexes: an `=` or `IN` on an indexed field (Id, names, emails, references, external ids) offers
// an Index plan beside the TableScan; costs are relative estimates, not Salesforce's figures.
import type { Condition, Query } from '../soql/ast.js';
import { parseSoql, runSoql, SoqlError } from '../soql/index.js';
import { fail, json, type RestCall, type RestResponse } from './http.js';
import { listViewById, listViewQuery } from './listviews.js';

/** Fields of top-level AND-ed `=` / `IN` filters on the root object. */
function equalityFields(where: Condition | undefined, out: Set<string>, negated = false): Set<string> {
  if (!where) return out;
  if (where.kind === 'and') for (const c of where.items) equalityFields(c, out, negated);
  else if (where.kind === 'not') equalityFields(where.item, out, !negated);
  else if (
    !negated &&
    where.kind === 'compare' &&
    where.op === '=' &&
    where.left.kind === 'path' &&
    where.left.segments.length === 1
  )
    out.add(where.left.segments[0]!);
  else if (!negated && where.kind === 'set' && where.op === 'IN' && where.left.segments.length === 1)
    out.add(where.left.segments[0]!);
  return out;
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

export function explain(call: RestCall): RestResponse {
  const target = (call.query.explain ?? '').trim();
  if (target === '') return fail(400, 'MALFORMED_QUERY', 'A query string has to be specified');
  const view = listViewById(target);
  const soql = view ? listViewQuery(view, call.session.userId) : target;
  let q: Query;
  let cardinality: number;
  try {
    q = parseSoql(soql);
    cardinality = runSoql(soql, call.ctx.org.soql, { includeDeleted: false, now: call.ctx.org.now() }).totalSize;
  } catch (e) {
    if (e instanceof SoqlError) return fail(400, e.errorCode, e.message);
    throw e;
  }
  const def = call.ctx.org.describe(q.from.name)!;
  const table = call.ctx.org.store.table(def.name);
  let sobjectCardinality = 0;
  for (const row of table?.rows.values() ?? []) if (!row.IsDeleted) sobjectCardinality += 1;
  const filters = [...equalityFields(q.where, new Set())].map((f) => def.fieldMap.get(f.toLowerCase())?.name ?? f);
  const indexed = filters.filter((f) => table?.index(f));
  const unindexed = filters.filter((f) => !table?.index(f));
  const notes = unindexed.length
    ? [
        {
          description: 'Not considering filter for optimization because unindexed',
          fields: unindexed,
          tableEnumOrId: def.name,
        },
      ]
    : [];
  const plan = (leadingOperationType: string, fields: string[], relativeCost: number) => ({
    cardinality,
    fields,
    leadingOperationType,
    notes,
    relativeCost: round(relativeCost),
    sobjectCardinality,
    sobjectType: def.name,
  });
  const scanCost = 0.65 + sobjectCardinality / 100_000;
  const plans = [
    ...indexed.map((f) => plan('Index', [f], (cardinality / Math.max(1, sobjectCardinality)) * 0.3)),
    plan('TableScan', [], scanCost),
  ].sort((a, b) => a.relativeCost - b.relativeCost);
  return json(200, { plans, sourceQuery: soql });
}
