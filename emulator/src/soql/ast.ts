// The parsed form of a SOQL statement. Every node keeps the offset of its first character so
// later checks (unknown field, wrong value type) can point at it the way Salesforce does.

export interface FieldPath {
  kind: 'path';
  /** Segments as written, e.g. ['Account', 'Owner', 'Email']. */
  segments: string[];
  /** Offset of each segment. */
  positions: number[];
  pos: number;
}

export type AggregateFn = 'COUNT' | 'COUNT_DISTINCT' | 'SUM' | 'AVG' | 'MIN' | 'MAX';

export interface Aggregate {
  kind: 'aggregate';
  fn: AggregateFn;
  /** Null for `COUNT()`. */
  arg: FieldPath | null;
  pos: number;
  /** Source text, e.g. `COUNT(Id)`, for error messages and HAVING / ORDER BY matching. */
  text: string;
}

export type SelectItem =
  | { kind: 'field'; path: FieldPath; alias?: string; pos: number }
  | { kind: 'aggregate'; agg: Aggregate; alias?: string; pos: number }
  | { kind: 'fields'; which: 'ALL' | 'STANDARD' | 'CUSTOM'; pos: number }
  | { kind: 'subquery'; query: Query; pos: number }
  | {
      kind: 'typeof';
      relationship: FieldPath;
      whens: { type: string; typePos: number; fields: FieldPath[] }[];
      elseFields: FieldPath[];
      pos: number;
    };

export type Literal =
  | { kind: 'string'; value: string; pos: number; text: string }
  | { kind: 'number'; value: number; pos: number; text: string }
  | { kind: 'boolean'; value: boolean; pos: number; text: string }
  | { kind: 'null'; pos: number; text: string }
  | { kind: 'date'; text: string; pos: number }
  | { kind: 'datetime'; text: string; pos: number }
  | { kind: 'dateLiteral'; name: string; n: number | null; pos: number; text: string };

export type CompareOp = '=' | '!=' | '<' | '>' | '<=' | '>=' | 'LIKE';
export type SetOp = 'IN' | 'NOT IN' | 'INCLUDES' | 'EXCLUDES';

export type Condition =
  | { kind: 'and'; items: Condition[] }
  | { kind: 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition }
  | { kind: 'compare'; left: FieldPath | Aggregate; op: CompareOp; value: Literal; pos: number; opPos: number }
  | { kind: 'set'; left: FieldPath; op: SetOp; values: Literal[]; pos: number; opPos: number }
  | { kind: 'semijoin'; left: FieldPath; negated: boolean; query: Query; pos: number };

export interface OrderItem {
  expr: FieldPath | Aggregate;
  descending: boolean;
  nullsLast: boolean;
  pos: number;
}

export interface Query {
  select: SelectItem[];
  /** `SELECT COUNT() FROM …`: answers totalSize only. */
  countOnly: boolean;
  from: { name: string; pos: number; alias?: string };
  where?: Condition;
  groupBy?: FieldPath[];
  having?: Condition;
  orderBy?: OrderItem[];
  limit?: { value: number; pos: number };
  offset?: { value: number; pos: number };
  pos: number;
}
