// The column metadata of a statement, as `GET /query?q=…&columns=true` answers it: one entry per
// selected item, relationship paths nested through `joinColumns`, parent-to-child subqueries as
// aggregate columns holding their own columns, and aggregate functions under their alias or
// `exprN`. The Salesforce CLI reads it to lay out `sf data query` tables and CSV; Salesforce runs
// no rows for it. Shape: the columnMetadata the CLI's own tests record (plugin-data,
// test/test-files/queryFields.exemplars.ts) with the top-level fields entityName, groupBy,
// idSelected and keyPrefix that tools reading this resource rely on (Jetstream's QueryColumnsSfdc).
import type { Aggregate, FieldPath, Query, SelectItem } from './ast.js';
import { parseSoql } from './parser.js';
import { Resolver, type ResolvedPath } from './resolve.js';
import { unsupportedType } from './errors.js';
import type { SoqlDataSource, SoqlField, SoqlFieldType, SoqlObject } from './source.js';

export interface QueryColumn {
  aggregate: boolean;
  apexType: string | null;
  booleanType: boolean;
  columnName: string;
  custom: boolean;
  displayName: string;
  foreignKeyName: string | null;
  insertable: boolean;
  joinColumns: QueryColumn[];
  numberType: boolean;
  textType: boolean;
  updatable: boolean;
}

export interface QueryColumns {
  columnMetadata: QueryColumn[];
  entityName: string;
  groupBy: boolean;
  idSelected: boolean;
}

const APEX_TYPES: Record<SoqlFieldType, string> = {
  id: 'Id',
  reference: 'Id',
  string: 'String',
  textarea: 'String',
  email: 'String',
  phone: 'String',
  url: 'String',
  picklist: 'String',
  multipicklist: 'String',
  combobox: 'String',
  boolean: 'Boolean',
  int: 'Integer',
  double: 'Double',
  currency: 'Decimal',
  percent: 'Double',
  date: 'Date',
  datetime: 'Datetime',
  time: 'Time',
  base64: 'Blob',
  address: 'Address',
  location: 'Location',
  anyType: 'Object',
};

const TEXT: ReadonlySet<SoqlFieldType> = new Set([
  'string',
  'textarea',
  'email',
  'phone',
  'url',
  'picklist',
  'multipicklist',
  'combobox',
]);
const NUMBER: ReadonlySet<SoqlFieldType> = new Set(['int', 'double', 'currency', 'percent']);

function column(name: string, overrides: Partial<QueryColumn>): QueryColumn {
  return {
    aggregate: false,
    apexType: null,
    booleanType: false,
    columnName: name,
    custom: false,
    displayName: name,
    foreignKeyName: null,
    insertable: false,
    joinColumns: [],
    numberType: false,
    textType: false,
    updatable: false,
    ...overrides,
  };
}

function leafColumn(field: SoqlField): QueryColumn {
  return column(field.name, {
    apexType: APEX_TYPES[field.type],
    booleanType: field.type === 'boolean',
    custom: field.custom ?? false,
    insertable: field.createable ?? false,
    numberType: NUMBER.has(field.type),
    textType: TEXT.has(field.type),
    updatable: field.updateable ?? false,
  });
}

/** `Account.Owner.Name` as Account → Owner → Name, each hop naming its reference field. */
function pathColumn(rp: ResolvedPath): QueryColumn {
  let col = leafColumn(rp.field);
  for (let i = rp.hops.length - 1; i >= 0; i--) {
    const hop = rp.hops[i]!;
    col = column(hop.relationship, { foreignKeyName: hop.refField, joinColumns: [col] });
  }
  return col;
}

function aggregateColumn(agg: Aggregate, name: string, root: SoqlObject, resolver: Resolver): QueryColumn {
  const arg = agg.arg ? resolver.resolve(root, agg.arg) : undefined;
  const numeric = agg.fn === 'COUNT' || agg.fn === 'COUNT_DISTINCT' || agg.fn === 'SUM' || agg.fn === 'AVG';
  return column(name, {
    aggregate: true,
    displayName: `${agg.fn.toLowerCase()}(${arg ? arg.canonical.join('.') : ''})`,
    numberType: numeric || (arg ? NUMBER.has(arg.field.type) : false),
  });
}

class ColumnBuilder {
  private expr = 0;

  constructor(
    private readonly resolver: Resolver,
    private readonly source: SoqlDataSource,
  ) {}

  items(q: Query, root: SoqlObject): QueryColumn[] {
    const out: QueryColumn[] = [];
    for (const item of q.select) out.push(...this.item(item, q, root));
    return out;
  }

  private item(item: SelectItem, q: Query, root: SoqlObject): QueryColumn[] {
    switch (item.kind) {
      case 'field':
        return [pathColumn(this.resolver.resolve(root, item.path, q.from.alias))];
      case 'aggregate':
        return [aggregateColumn(item.agg, item.alias ?? `expr${this.expr++}`, root, this.resolver)];
      case 'fields':
        // FIELDS() stands for the fields it expands to, as in the rows.
        return [...root.fields.values()]
          .filter((f) => f.type !== 'address' && f.type !== 'location')
          .filter((f) =>
            item.which === 'CUSTOM' ? f.name.endsWith('__c') : item.which === 'ALL' || !f.name.endsWith('__c'),
          )
          .map(leafColumn);
      case 'subquery':
        return [this.subquery(item.query, root)];
      case 'typeof':
        return [this.typeOf(item.relationship, [...item.whens.flatMap((w) => w.fields), ...item.elseFields])];
    }
  }

  private subquery(sub: Query, parent: SoqlObject): QueryColumn {
    const rel = this.source
      .childRelationships?.(parent.name)
      .find((r) => r.relationshipName.toLowerCase() === sub.from.name.toLowerCase());
    const child = rel ? this.source.describe(rel.childObject) : undefined;
    const joinColumns = child ? new ColumnBuilder(this.resolver, this.source).items(sub, child) : [];
    const name = rel?.relationshipName ?? sub.from.name;
    return column(name, { aggregate: true, joinColumns });
  }

  /** TYPEOF: the polymorphic relationship, holding the fields named in its branches once each. */
  private typeOf(relationship: FieldPath, fields: FieldPath[]): QueryColumn {
    const seen = new Set<string>();
    const joinColumns: QueryColumn[] = [];
    for (const f of fields) {
      const name = f.segments[f.segments.length - 1]!;
      if (seen.has(name.toLowerCase())) continue;
      seen.add(name.toLowerCase());
      joinColumns.push(column(name, {}));
    }
    return column(relationship.segments.join('.'), { joinColumns });
  }
}

/**
 * Column metadata of a statement. The caller checks the statement first (the engine's own
 * validation), so only a statement that would run gets here.
 */
export function queryColumns(text: string, source: SoqlDataSource): QueryColumns {
  const q = parseSoql(text);
  const root = source.describe(q.from.name);
  if (!root) throw unsupportedType(text, q.from.pos, q.from.name);
  const resolver = new Resolver(text, source);
  const columnMetadata = q.countOnly ? [] : new ColumnBuilder(resolver, source).items(q, root);
  return {
    columnMetadata,
    entityName: root.name,
    groupBy: (q.groupBy?.length ?? 0) > 0,
    idSelected: q.select.some(
      (s) =>
        (s.kind === 'field' && s.path.segments.length === 1 && s.path.segments[0]!.toLowerCase() === 'id') ||
        s.kind === 'fields',
    ),
  };
}
