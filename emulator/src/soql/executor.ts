// Runs a parsed SOQL statement against a SoqlDataSource: validates the statement against describe
// data (so a bad column fails even on an empty org), picks indexed candidates for `=` / IN,
// filters, sorts, applies OFFSET / LIMIT and shapes the records.
import { AggregateRunner, isAggregateQuery } from './aggregate.js';
import type { Condition, Query } from './ast.js';
import { dateLiteralRange } from './dates.js';
import { SoqlError, invalidField, malformed, positioned, unexpectedToken, unsupportedType } from './errors.js';
import { compileCondition, indexedCandidates, type FilterContext, type Predicate } from './filter.js';
import { sortRows, type SortKey } from './order.js';
import { parseSoql } from './parser.js';
import { Resolver } from './resolve.js';
import { ShapeBuilder, type Shaper } from './shape.js';
import type { SoqlDataSource, SoqlObject, SoqlRecord } from './source.js';
import { comparable, familyOf } from './values.js';

export interface SoqlOptions {
  /** queryAll: include records in the recycle bin. */
  includeDeleted: boolean;
  /** API version for `attributes.url` (`62.0`); the emulator's default version when unset. */
  apiVersion?: string;
  /** The clock for relative date literals (tests pin it). */
  now?: Date;
  /** Check the statement against describe data without reading records (Bulk query job creation). */
  validateOnly?: boolean;
}

export interface SoqlResult {
  totalSize: number;
  records: Record<string, unknown>[];
}

/** What Bulk API query jobs need beyond the JSON records: flat columns. */
export interface SoqlRun extends SoqlResult {
  /** Canonical column names (`Id`, `Account.Name`), empty for COUNT() and aggregate queries. */
  columns: string[];
  /** The matching root records, in result order (non-aggregate queries). */
  rows: SoqlRecord[];
  /** Reads a column from a root record. */
  column(rec: SoqlRecord, index: number): unknown;
  aggregate: boolean;
  countOnly: boolean;
}

export const DEFAULT_API_VERSION = '62.0';
export const MAX_OFFSET = 2000;
const FIELDS_LIMIT = 200;

class Execution {
  readonly resolver: Resolver;
  private readonly now: Date;

  constructor(
    readonly text: string,
    readonly source: SoqlDataSource,
    readonly opts: SoqlOptions,
  ) {
    this.resolver = new Resolver(text, source);
    this.now = opts.now ?? new Date();
  }

  private dateRange = (name: string, n: number | null) => dateLiteralRange(name, n, this.now);

  root(q: Query): SoqlObject {
    const obj = this.source.describe(q.from.name);
    if (!obj) throw unsupportedType(this.text, q.from.pos, q.from.name);
    return obj;
  }

  filterContext(q: Query, root: SoqlObject): FilterContext {
    const ctx: FilterContext = {
      resolver: this.resolver,
      root,
      dateRange: this.dateRange,
      semiJoin: (cond) => this.semiJoin(cond),
    };
    if (q.from.alias) ctx.alias = q.from.alias;
    return ctx;
  }

  private semiJoin(cond: Extract<Condition, { kind: 'semijoin' }>): Set<string> {
    const q = cond.query;
    const root = this.root(q);
    if (q.countOnly || q.select.length !== 1 || q.select[0]!.kind !== 'field' || isAggregateQuery(q)) {
      throw malformed(
        this.text,
        q.pos,
        'The selected field in a semi join subquery must be a single Id or reference field',
      );
    }
    const item = q.select[0]!;
    const rp = this.resolver.resolve(root, item.path, q.from.alias);
    if (familyOf(rp.field.type) !== 'id') {
      throw invalidField(this.text, item.pos, `Invalid field for semi join: ${rp.text}`);
    }
    const rows = this.select(q, root);
    const ids = new Set<string>();
    for (const rec of rows) {
      const v = comparable(rp.get(rec), 'id');
      if (typeof v === 'string') ids.add(v);
    }
    return ids;
  }

  /** Matching root records after WHERE, ORDER BY, OFFSET and LIMIT. */
  select(q: Query, root: SoqlObject, opts: { countOnly?: boolean } = {}): SoqlRecord[] {
    const ctx = this.filterContext(q, root);
    const predicate: Predicate | undefined = q.where ? compileCondition(q.where, ctx) : undefined;
    const sortKeys = this.sortKeys(q, root);
    const includeDeleted = this.opts.includeDeleted;
    let candidates: Iterable<SoqlRecord> | undefined;
    if (q.where) {
      candidates = indexedCandidates(q.where, ctx, (field, values) =>
        this.source.indexed(root.name, field, values, includeDeleted),
      );
    }
    if (this.opts.validateOnly) return [];
    candidates ??= this.source.scan(root.name, includeDeleted);
    const offset = q.offset?.value ?? 0;
    // Without ORDER BY the first matches are the answer, so stop scanning early.
    const stopAt = sortKeys.length === 0 && q.limit ? offset + q.limit.value : Infinity;
    const matched: SoqlRecord[] = [];
    if (stopAt > 0) {
      for (const rec of candidates) {
        if (!includeDeleted && rec.IsDeleted === true) continue;
        if (predicate && !predicate(rec)) continue;
        matched.push(rec);
        if (matched.length >= stopAt) break;
      }
    }
    if (opts.countOnly) return matched;
    const sorted = sortRows(matched, sortKeys);
    const end = q.limit ? offset + q.limit.value : undefined;
    return offset === 0 && end === undefined ? sorted : sorted.slice(offset, end);
  }

  /**
   * A parent-to-child subquery (`(SELECT Id FROM Contacts)`): for each parent row, the child rows
   * that reference it, filtered, sorted and limited, as `{totalSize, done, records}` — or null
   * when there are none, as Salesforce answers.
   */
  private childQuery(
    sub: Query,
    parent: SoqlObject,
    version: string,
  ): { key: string; fetch: (rec: SoqlRecord) => unknown } {
    const text = this.text;
    const rels = this.source.childRelationships?.(parent.name);
    if (!rels) throw malformed(text, sub.pos, 'A child relationship subquery is not supported by this data source');
    const rel = rels.find((r) => r.relationshipName.toLowerCase() === sub.from.name.toLowerCase());
    const child = rel ? this.source.describe(rel.childObject) : undefined;
    if (!rel || !child) {
      throw new SoqlError(
        'INVALID_TYPE',
        positioned(
          text,
          sub.from.pos,
          `Didn't understand relationship '${sub.from.name}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
        ),
      );
    }
    if (sub.countOnly || isAggregateQuery(sub))
      throw malformed(text, sub.pos, 'Aggregate functions are not supported in a child relationship subquery');
    if (sub.offset) throw malformed(text, sub.offset.pos, 'OFFSET is not supported in this subquery');
    const builder = new ShapeBuilder(this.resolver, child);
    for (const item of sub.select) {
      if (item.kind === 'field') builder.addPath(this.resolver.resolve(child, item.path, sub.from.alias));
      else if (item.kind === 'typeof')
        builder.addTypeof(item.relationship, item.whens, item.elseFields, sub.from.alias);
      else throw malformed(text, item.pos, 'Only fields can be selected in a child relationship subquery');
    }
    const shaper = builder.build(version);
    const ctx = this.filterContext(sub, child);
    const predicate = sub.where ? compileCondition(sub.where, ctx) : undefined;
    const sortKeys = this.sortKeys(sub, child);
    const includeDeleted = this.opts.includeDeleted;
    const source = this.source;
    const field = rel.field;
    return {
      key: rel.relationshipName,
      fetch: (rec) => {
        const parentId = rec.Id as string;
        let candidates = source.indexed(child.name, field, [parentId], includeDeleted);
        if (!candidates) {
          const all: SoqlRecord[] = [];
          for (const r of source.scan(child.name, includeDeleted))
            if (comparable(r[field], 'id') === parentId) all.push(r);
          candidates = all;
        }
        let rows: SoqlRecord[] = [];
        for (const r of candidates) {
          if (!includeDeleted && r.IsDeleted === true) continue;
          if (predicate && !predicate(r)) continue;
          rows.push(r);
        }
        rows = sortRows(rows, sortKeys);
        if (sub.limit) rows = rows.slice(0, sub.limit.value);
        if (rows.length === 0) return null;
        return { totalSize: rows.length, done: true, records: rows.map((r) => shaper.shape(r)) };
      },
    };
  }

  private sortKeys(q: Query, root: SoqlObject): SortKey<SoqlRecord>[] {
    return (q.orderBy ?? []).map((o) => {
      if (o.expr.kind === 'aggregate') throw malformed(this.text, o.pos, 'Aggregate ordering requires GROUP BY');
      const rp = this.resolver.resolve(root, o.expr, q.from.alias);
      if (rp.field.sortable === false) {
        throw invalidField(this.text, o.pos, `field '${rp.field.name}' can not be sorted in a query call`);
      }
      return { get: rp.get, family: familyOf(rp.field.type), descending: o.descending, nullsLast: o.nullsLast };
    });
  }

  run(): SoqlRun {
    const q = parseSoql(this.text);
    const root = this.root(q);
    if (q.offset && q.offset.value > MAX_OFFSET) {
      throw new SoqlError('NUMBER_OUTSIDE_VALID_RANGE', `Maximum SOQL offset allowed is ${MAX_OFFSET}`);
    }
    const version = this.opts.apiVersion ?? DEFAULT_API_VERSION;
    if (isAggregateQuery(q)) {
      if (q.countOnly) throw malformed(this.text, q.pos, 'COUNT() and aggregate functions cannot be combined');
      const runner = new AggregateRunner(q, root, this.resolver, this.dateRange);
      // WHERE filters before grouping; ORDER BY / LIMIT / OFFSET apply to the groups.
      const filtered = this.select({ ...q, orderBy: undefined, limit: undefined, offset: undefined } as Query, root);
      const records = runner.run(filtered);
      return {
        totalSize: records.length,
        records,
        columns: [],
        rows: [],
        column: () => undefined,
        aggregate: true,
        countOnly: false,
      };
    }
    let shaper: Shaper | undefined;
    if (!q.countOnly) {
      const builder = new ShapeBuilder(this.resolver, root);
      for (const item of q.select) {
        switch (item.kind) {
          case 'field':
            if (item.alias)
              throw unexpectedToken(this.text, item.pos + item.path.segments.join('.').length + 1, item.alias);
            builder.addPath(this.resolver.resolve(root, item.path, q.from.alias));
            break;
          case 'fields': {
            if (item.which !== 'STANDARD' && (!q.limit || q.limit.value > FIELDS_LIMIT)) {
              throw malformed(
                this.text,
                item.pos,
                `The SOQL FIELDS function must have a LIMIT of at most ${FIELDS_LIMIT}`,
              );
            }
            for (const f of root.fields.values()) {
              if (f.type === 'address' || f.type === 'location') continue;
              const custom = f.name.endsWith('__c');
              if (item.which === 'CUSTOM' && !custom) continue;
              if (item.which === 'STANDARD' && custom) continue;
              builder.addPath(
                this.resolver.resolve(root, { kind: 'path', segments: [f.name], positions: [item.pos], pos: item.pos }),
              );
            }
            break;
          }
          case 'typeof':
            builder.addTypeof(item.relationship, item.whens, item.elseFields, q.from.alias);
            break;
          case 'subquery': {
            const child = this.childQuery(item.query, root, version);
            builder.addComputed(child.key, child.fetch);
            break;
          }
          case 'aggregate':
            break;
        }
      }
      shaper = builder.build(version);
    }
    if (q.countOnly) {
      const matched = this.select({ ...q, orderBy: undefined } as Query, root, { countOnly: true });
      const afterOffset = Math.max(0, matched.length - (q.offset?.value ?? 0));
      const total = q.limit ? Math.min(afterOffset, q.limit.value) : afterOffset;
      return {
        totalSize: total,
        records: [],
        columns: [],
        rows: [],
        column: () => undefined,
        aggregate: false,
        countOnly: true,
      };
    }
    const rows = this.select(q, root);
    const s = shaper!;
    return {
      totalSize: rows.length,
      records: rows.map((r) => s.shape(r)),
      columns: s.columns,
      rows,
      column: s.column,
      aggregate: false,
      countOnly: false,
    };
  }
}

/** Runs a statement and returns everything the REST and Bulk layers need. */
export function runSoql(text: string, source: SoqlDataSource, opts: SoqlOptions): SoqlRun {
  return new Execution(text, source, opts).run();
}

/** Runs a SOQL statement: `{ totalSize, records }` in Salesforce's JSON shape, or throws SoqlError. */
export function executeSoql(text: string, source: SoqlDataSource, opts: SoqlOptions): SoqlResult {
  const { totalSize, records } = runSoql(text, source, opts);
  return { totalSize, records };
}
