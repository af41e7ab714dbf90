// Aggregate queries: GROUP BY, COUNT(field) / COUNT_DISTINCT / SUM / AVG / MIN / MAX and HAVING.
// Rows come back as AggregateResult records, `{"attributes":{"type":"AggregateResult"}, …}` with no
// `url`, grouped fields under their field name and unaliased aggregates as expr0, expr1, … in
// SELECT order.
import type { Aggregate, Condition, FieldPath, Query } from './ast.js';
import { SoqlError, invalidField, malformed, positioned } from './errors.js';
import { sortRows, type SortKey } from './order.js';
import type { ResolvedPath, Resolver } from './resolve.js';
import type { SoqlObject, SoqlRecord } from './source.js';
import { comparable, familyOf, operandFor, type Family } from './values.js';

interface Group {
  key: string;
  records: SoqlRecord[];
  first: SoqlRecord;
}

interface Column {
  name: string;
  value: (g: Group) => unknown;
}

function pathKey(rp: ResolvedPath): string {
  return rp.canonical.join('.').toLowerCase();
}

export function isAggregateQuery(q: Query): boolean {
  return q.groupBy !== undefined || q.select.some((s) => s.kind === 'aggregate');
}

export class AggregateRunner {
  private readonly groupPaths: ResolvedPath[];

  constructor(
    private readonly q: Query,
    private readonly root: SoqlObject,
    private readonly resolver: Resolver,
    private readonly dateRange: (name: string, n: number | null) => { start: number; end: number },
  ) {
    const text = resolver.text;
    this.groupPaths = (q.groupBy ?? []).map((p) => {
      const rp = resolver.resolve(root, p, q.from.alias);
      if (rp.field.groupable === false)
        throw invalidField(text, p.pos, `field '${rp.field.name}' can not be grouped in a query call`);
      return rp;
    });
  }

  private aggregateValue(agg: Aggregate): { fn: (g: Group) => unknown; family: Family; key: string } {
    const text = this.resolver.text;
    if (!agg.arg) {
      return { fn: (g) => g.records.length, family: 'number', key: 'count()' };
    }
    const rp = this.resolver.resolve(this.root, agg.arg, this.q.from.alias);
    const family = familyOf(rp.field.type);
    const key = `${agg.fn.toLowerCase()}(${pathKey(rp)})`;
    const numeric = family === 'number';
    if ((agg.fn === 'SUM' || agg.fn === 'AVG') && !numeric) {
      throw malformed(text, agg.pos, `field ${rp.field.name} does not support aggregate operator ${agg.fn}`);
    }
    if ((agg.fn === 'MIN' || agg.fn === 'MAX') && (family === 'boolean' || rp.field.type === 'multipicklist')) {
      throw malformed(text, agg.pos, `field ${rp.field.name} does not support aggregate operator ${agg.fn}`);
    }
    if (this.groupPaths.some((g) => pathKey(g) === pathKey(rp)) && agg.fn !== 'COUNT') {
      throw malformed(text, agg.pos, `Grouped field should not be aggregated: ${rp.field.name}`);
    }
    const get = rp.get;
    const present = (g: Group) => g.records.map(get).filter((v) => v !== undefined && v !== null && v !== '');
    switch (agg.fn) {
      case 'COUNT':
        return { fn: (g) => present(g).length, family: 'number', key };
      case 'COUNT_DISTINCT':
        return { fn: (g) => new Set(present(g).map((v) => comparable(v, family))).size, family: 'number', key };
      case 'SUM':
        return {
          fn: (g) => (present(g).length ? present(g).reduce((s: number, v) => s + Number(v), 0) : null),
          family: 'number',
          key,
        };
      case 'AVG':
        return {
          fn: (g) => {
            const vs = present(g);
            return vs.length ? vs.reduce((s: number, v) => s + Number(v), 0) / vs.length : null;
          },
          family: 'number',
          key,
        };
      case 'MIN':
      case 'MAX': {
        const max = agg.fn === 'MAX';
        return {
          fn: (g) => {
            let best: unknown = null;
            let bestC: string | number | boolean | null = null;
            for (const v of present(g)) {
              const c = comparable(v, family);
              if (c === null) continue;
              if (bestC === null || (max ? c > bestC : c < bestC)) {
                best = v;
                bestC = c;
              }
            }
            return best;
          },
          family,
          key,
        };
      }
    }
  }

  run(records: SoqlRecord[]): Record<string, unknown>[] {
    const q = this.q;
    const text = this.resolver.text;
    const columns: Column[] = [];
    const byKey = new Map<string, { fn: (g: Group) => unknown; family: Family }>();
    let expr = 0;
    const groupKeys = new Set(this.groupPaths.map(pathKey));
    for (const item of q.select) {
      if (item.kind === 'field') {
        const rp = this.resolver.resolve(this.root, item.path, q.from.alias);
        if (!groupKeys.has(pathKey(rp))) {
          throw new SoqlError(
            'MALFORMED_QUERY',
            positioned(text, item.pos, `Field must be grouped or aggregated: ${rp.field.name}`),
          );
        }
        const get = rp.get;
        const name = item.alias ?? rp.field.name;
        columns.push({ name, value: (g) => get(g.first) ?? null });
        byKey.set(pathKey(rp), { fn: (g) => get(g.first), family: familyOf(rp.field.type) });
      } else if (item.kind === 'aggregate') {
        const av = this.aggregateValue(item.agg);
        const name = item.alias ?? `expr${expr++}`;
        columns.push({ name, value: (g) => av.fn(g) ?? null });
        byKey.set(av.key, av);
        if (item.alias) byKey.set(item.alias.toLowerCase(), av);
      } else {
        throw malformed(text, item.pos, 'Field must be grouped or aggregated');
      }
    }
    for (const rp of this.groupPaths) {
      const get = rp.get;
      if (!byKey.has(pathKey(rp))) byKey.set(pathKey(rp), { fn: (g) => get(g.first), family: familyOf(rp.field.type) });
    }

    // Group records (text keys case-insensitively, as Salesforce groups picklist and text values).
    const groups = new Map<string, Group>();
    if (this.groupPaths.length === 0) {
      groups.set('', { key: '', records, first: records[0] ?? {} });
    } else {
      const getters = this.groupPaths.map((rp) => ({ get: rp.get, family: familyOf(rp.field.type) }));
      for (const rec of records) {
        const key = JSON.stringify(getters.map((g) => comparable(g.get(rec), g.family)));
        const g = groups.get(key);
        if (g) g.records.push(rec);
        else groups.set(key, { key, records: [rec], first: rec });
      }
    }
    let rows = [...groups.values()];

    if (q.having) {
      const pred = this.havingPredicate(q.having, byKey);
      rows = rows.filter(pred);
    }
    if (q.orderBy) {
      const keys: SortKey<Group>[] = q.orderBy.map((o) => {
        const v = this.lookupExpr(o.expr, byKey);
        return { get: v.fn, family: v.family, descending: o.descending, nullsLast: o.nullsLast };
      });
      rows = sortRows(rows, keys);
    }
    const offset = q.offset?.value ?? 0;
    const end = q.limit ? offset + q.limit.value : undefined;
    rows = rows.slice(offset, end);
    return rows.map((g) => {
      const out: Record<string, unknown> = { attributes: { type: 'AggregateResult' } };
      for (const c of columns) out[c.name] = c.value(g);
      return out;
    });
  }

  private lookupExpr(expr: FieldPath | Aggregate, byKey: Map<string, { fn: (g: Group) => unknown; family: Family }>) {
    const text = this.resolver.text;
    if (expr.kind === 'aggregate') {
      const av = this.aggregateValue(expr);
      return byKey.get(av.key) ?? av;
    }
    if (
      expr.segments.length === 1 &&
      byKey.has(expr.segments[0]!.toLowerCase()) &&
      !this.root.fields.has(expr.segments[0]!.toLowerCase())
    ) {
      return byKey.get(expr.segments[0]!.toLowerCase())!;
    }
    const rp = this.resolver.resolve(this.root, expr, this.q.from.alias);
    const v = byKey.get(pathKey(rp));
    if (!v)
      throw new SoqlError(
        'MALFORMED_QUERY',
        positioned(text, expr.pos, `Ordered field must be grouped or aggregated: ${rp.field.name}`),
      );
    return v;
  }

  private havingPredicate(
    cond: Condition,
    byKey: Map<string, { fn: (g: Group) => unknown; family: Family }>,
  ): (g: Group) => boolean {
    const text = this.resolver.text;
    switch (cond.kind) {
      case 'and': {
        const parts = cond.items.map((c) => this.havingPredicate(c, byKey));
        return (g) => parts.every((p) => p(g));
      }
      case 'or': {
        const parts = cond.items.map((c) => this.havingPredicate(c, byKey));
        return (g) => parts.some((p) => p(g));
      }
      case 'not': {
        const inner = this.havingPredicate(cond.item, byKey);
        return (g) => !inner(g);
      }
      case 'compare': {
        const v = this.lookupExpr(cond.left, byKey);
        if (cond.op === 'LIKE') throw malformed(text, cond.opPos, 'LIKE is not supported in HAVING by this emulator');
        const type =
          v.family === 'number'
            ? 'double'
            : v.family === 'date'
              ? 'date'
              : v.family === 'datetime'
                ? 'datetime'
                : v.family === 'id'
                  ? 'id'
                  : v.family === 'boolean'
                    ? 'boolean'
                    : 'string';
        const op = operandFor(
          text,
          cond.value,
          cond.left.kind === 'aggregate' ? cond.left.text : cond.left.segments.join('.'),
          type,
          this.dateRange,
        );
        const target =
          op.kind === 'text'
            ? op.lower
            : op.kind === 'id'
              ? op.id
              : op.kind === 'boolean' || op.kind === 'number'
                ? op.value
                : op.kind === 'day'
                  ? op.day
                  : op.kind === 'ms'
                    ? op.ms
                    : null;
        return (g) => {
          const c = comparable(v.fn(g), v.family);
          switch (cond.op) {
            case '=':
              return c === target;
            case '!=':
              return c !== target;
            case '<':
              return c !== null && target !== null && c < target;
            case '<=':
              return c !== null && target !== null && c <= target;
            case '>':
              return c !== null && target !== null && c > target;
            case '>=':
              return c !== null && target !== null && c >= target;
            default:
              return false;
          }
        };
      }
      case 'set': {
        const v = this.lookupExpr(cond.left, byKey);
        const values = new Set(
          cond.values.map((l) =>
            l.kind === 'string' ? l.value.toLowerCase() : l.kind === 'number' || l.kind === 'boolean' ? l.value : null,
          ),
        );
        return (g) => {
          const hit = values.has(comparable(v.fn(g), v.family));
          return cond.op === 'NOT IN' || cond.op === 'EXCLUDES' ? !hit : hit;
        };
      }
      case 'semijoin':
        throw malformed(text, cond.pos, 'semi-join in HAVING');
    }
  }
}
