// Compiles a WHERE (or semi-join) condition into a record predicate, with SOQL's semantics:
// text compares case-insensitively, `!=` and NOT IN keep records whose field is null, relative
// date literals compare against their whole range, LIKE knows `%`, `_` and their escapes.
import type { Condition, Literal } from './ast.js';
import { SoqlError, invalidField, malformed, positioned } from './errors.js';
import { MS_PER_DAY } from './dates.js';
import type { ResolvedPath, Resolver } from './resolve.js';
import type { SoqlObject, SoqlRecord } from './source.js';
import { comparable, familyOf, fieldFamily, operandFor, type Family, type Operand } from './values.js';

export type Predicate = (rec: SoqlRecord) => boolean;

export interface FilterContext {
  resolver: Resolver;
  root: SoqlObject;
  alias?: string;
  dateRange: (name: string, n: number | null) => { start: number; end: number };
  /** Runs a semi-join subquery and returns the ids it selects (18-character form). */
  semiJoin: (cond: Extract<Condition, { kind: 'semijoin' }>) => Set<string>;
}

function likeRegex(pattern: string, ignoreCase: boolean): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && (pattern[i + 1] === '%' || pattern[i + 1] === '_')) {
      re += pattern[i + 1];
      i += 1;
    } else if (c === '%') re += '.*';
    else if (c === '_') re += '.';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, ignoreCase ? 'is' : 's');
}

/** Comparable value of an operand in the family's terms, null for NULL and ranges. */
function operandValue(op: Operand): string | number | boolean | null {
  switch (op.kind) {
    case 'null':
    case 'dayRange':
      return null;
    case 'text':
      return op.lower;
    case 'id':
      return op.id;
    case 'boolean':
      return op.value;
    case 'number':
      return op.value;
    case 'day':
      return op.day;
    case 'ms':
      return op.ms;
  }
}

/** Bounds of a day range in the field's units (days for date fields, ms for datetimes). */
function rangeBounds(op: Extract<Operand, { kind: 'dayRange' }>, family: Family): { lo: number; hi: number } {
  if (family === 'datetime') return { lo: op.start * MS_PER_DAY, hi: (op.end + 1) * MS_PER_DAY - 1 };
  return { lo: op.start, hi: op.end };
}

function multiSet(v: string): Set<string> {
  return new Set(
    v
      .split(';')
      .map((s) => s.trim().toLowerCase())
      .filter((s) => s !== ''),
  );
}

function sameMulti(a: string, b: string): boolean {
  const sa = multiSet(a);
  const sb = multiSet(b);
  if (sa.size !== sb.size) return false;
  for (const x of sa) if (!sb.has(x)) return false;
  return true;
}

function checkFilterable(text: string, rp: ResolvedPath): void {
  if (rp.field.filterable === false) {
    throw invalidField(text, rp.pos, `field '${rp.field.name}' can not be filtered in query call`);
  }
}

export function compileCondition(cond: Condition, ctx: FilterContext): Predicate {
  const text = ctx.resolver.text;
  switch (cond.kind) {
    case 'and': {
      const parts = cond.items.map((c) => compileCondition(c, ctx));
      return (rec) => parts.every((p) => p(rec));
    }
    case 'or': {
      const parts = cond.items.map((c) => compileCondition(c, ctx));
      return (rec) => parts.some((p) => p(rec));
    }
    case 'not': {
      const inner = compileCondition(cond.item, ctx);
      return (rec) => !inner(rec);
    }
    case 'semijoin': {
      if (cond.left.kind !== 'path') throw malformed(text, cond.pos, 'unexpected semi-join');
      const rp = ctx.resolver.resolve(ctx.root, cond.left, ctx.alias);
      if (familyOf(rp.field.type) !== 'id') {
        throw new SoqlError('INVALID_FIELD', positioned(text, cond.pos, `Invalid field for semi join: ${rp.text}`));
      }
      const ids = ctx.semiJoin(cond);
      const get = rp.get;
      return (rec) => {
        const v = comparable(get(rec), 'id');
        const hit = v !== null && ids.has(v as string);
        return cond.negated ? !hit : hit;
      };
    }
    case 'compare': {
      if (cond.left.kind !== 'path') throw malformed(text, cond.pos, 'aggregate outside HAVING');
      const rp = ctx.resolver.resolve(ctx.root, cond.left, ctx.alias);
      checkFilterable(text, rp);
      return comparePredicate(text, rp, cond.op, cond.value, ctx);
    }
    case 'set': {
      const rp = ctx.resolver.resolve(ctx.root, cond.left, ctx.alias);
      checkFilterable(text, rp);
      const family = fieldFamily(rp.field);
      const get = rp.get;
      if (cond.op === 'INCLUDES' || cond.op === 'EXCLUDES') {
        if (rp.field.type !== 'multipicklist') {
          throw malformed(text, cond.opPos, 'INCLUDES or EXCLUDES operator only valid on multipicklist field');
        }
        const wanted = cond.values.map((lit) => {
          if (lit.kind !== 'string') throw operandError(text, lit, rp);
          return multiSet(lit.value);
        });
        const includes = (rec: SoqlRecord): boolean => {
          const v = get(rec);
          if (typeof v !== 'string' || v === '') return false;
          const have = multiSet(v);
          return wanted.some((w) => [...w].every((x) => have.has(x)));
        };
        return cond.op === 'INCLUDES' ? includes : (rec) => !includes(rec);
      }
      const operands = cond.values.map((lit) =>
        operandFor(text, lit, rp.field.name, rp.field.type, ctx.dateRange, family === 'textcs'),
      );
      const hasNull = operands.some((o) => o.kind === 'null');
      const simple = operands.every((o) => o.kind !== 'dayRange');
      let member: (v: string | number | boolean | null) => boolean;
      if (simple) {
        const set = new Set(operands.filter((o) => o.kind !== 'null').map(operandValue));
        member = (v) => (v === null ? hasNull : set.has(v));
      } else {
        member = (v) => operands.some((o) => equalsOperand(v, o, family));
      }
      const inList = (rec: SoqlRecord) => member(comparable(get(rec), family));
      return cond.op === 'IN' ? inList : (rec) => !inList(rec);
    }
  }
}

function operandError(text: string, lit: Literal, rp: ResolvedPath): SoqlError {
  return invalidField(
    text,
    lit.pos,
    `value of filter criterion for field '${rp.field.name}' must be of type string and should be enclosed in quotes`,
  );
}

function equalsOperand(v: string | number | boolean | null, op: Operand, family: Family): boolean {
  if (op.kind === 'null') return v === null;
  if (v === null) return false;
  if (op.kind === 'dayRange') {
    const { lo, hi } = rangeBounds(op, family);
    return (v as number) >= lo && (v as number) <= hi;
  }
  return v === operandValue(op);
}

function comparePredicate(
  text: string,
  rp: ResolvedPath,
  op: '=' | '!=' | '<' | '>' | '<=' | '>=' | 'LIKE',
  lit: Literal,
  ctx: FilterContext,
): Predicate {
  const family = fieldFamily(rp.field);
  const get = rp.get;
  if (op === 'LIKE') {
    if (lit.kind !== 'string') {
      if (lit.kind === 'null') return () => false;
      throw operandError(text, lit, rp);
    }
    const re = likeRegex(lit.value, family !== 'textcs');
    return (rec) => {
      const v = get(rec);
      return v !== undefined && v !== null && re.test(String(v));
    };
  }
  const operand = operandFor(text, lit, rp.field.name, rp.field.type, ctx.dateRange, family === 'textcs');
  if (rp.field.type === 'multipicklist' && operand.kind === 'text' && (op === '=' || op === '!=')) {
    const eq = (rec: SoqlRecord) => {
      const v = get(rec);
      return typeof v === 'string' && sameMulti(v, operand.raw);
    };
    return op === '=' ? eq : (rec) => !eq(rec);
  }
  const value = (rec: SoqlRecord) => comparable(get(rec), family);
  if (op === '=') return (rec) => equalsOperand(value(rec), operand, family);
  if (op === '!=') return (rec) => !equalsOperand(value(rec), operand, family);
  if (operand.kind === 'null') return () => false;
  if (operand.kind === 'dayRange') {
    const { lo, hi } = rangeBounds(operand, family);
    switch (op) {
      case '<':
        return (rec) => {
          const v = value(rec);
          return v !== null && (v as number) < lo;
        };
      case '<=':
        return (rec) => {
          const v = value(rec);
          return v !== null && (v as number) <= hi;
        };
      case '>':
        return (rec) => {
          const v = value(rec);
          return v !== null && (v as number) > hi;
        };
      case '>=':
        return (rec) => {
          const v = value(rec);
          return v !== null && (v as number) >= lo;
        };
    }
  }
  const target = operandValue(operand)!;
  switch (op) {
    case '<':
      return (rec) => {
        const v = value(rec);
        return v !== null && v < target;
      };
    case '<=':
      return (rec) => {
        const v = value(rec);
        return v !== null && v <= target;
      };
    case '>':
      return (rec) => {
        const v = value(rec);
        return v !== null && v > target;
      };
    case '>=':
      return (rec) => {
        const v = value(rec);
        return v !== null && v >= target;
      };
  }
}

/**
 * Records that can possibly match, from the store's indexes: `=` / IN on a direct field of an
 * AND-chain, or a union when every branch of an OR is indexed. Undefined means scan.
 */
export function indexedCandidates(
  cond: Condition,
  ctx: FilterContext,
  lookup: (field: string, values: unknown[]) => Iterable<SoqlRecord> | undefined,
): Iterable<SoqlRecord> | undefined {
  switch (cond.kind) {
    case 'compare':
    case 'set': {
      if (cond.left.kind !== 'path') return undefined;
      if (cond.kind === 'compare' && cond.op !== '=') return undefined;
      if (cond.kind === 'set' && cond.op !== 'IN') return undefined;
      const rp = ctx.resolver.resolve(ctx.root, cond.left, ctx.alias);
      if (rp.hops.length > 0) return undefined;
      const lits = cond.kind === 'compare' ? [cond.value] : cond.values;
      const family = familyOf(rp.field.type);
      const values: unknown[] = [];
      for (const lit of lits) {
        if (family === 'id') {
          if (lit.kind !== 'string') return undefined;
          const op = operandFor(ctx.resolver.text, lit, rp.field.name, rp.field.type, ctx.dateRange);
          if (op.kind !== 'id') return undefined;
          values.push(op.id);
        } else if (family === 'text' && lit.kind === 'string') {
          values.push(lit.value.replace(/\\([%_])/g, '$1'));
        } else if (family === 'number' && lit.kind === 'number') {
          values.push(lit.value);
        } else {
          return undefined;
        }
      }
      return lookup(rp.field.name, values);
    }
    case 'and': {
      for (const item of cond.items) {
        const found = indexedCandidates(item, ctx, lookup);
        if (found) return found;
      }
      return undefined;
    }
    case 'or': {
      const parts: Iterable<SoqlRecord>[] = [];
      for (const item of cond.items) {
        const found = indexedCandidates(item, ctx, lookup);
        if (!found) return undefined;
        parts.push(found);
      }
      const seen = new Set<string>();
      const out: SoqlRecord[] = [];
      for (const part of parts) {
        for (const rec of part) {
          const id = rec.Id as string;
          if (!seen.has(id)) {
            seen.add(id);
            out.push(rec);
          }
        }
      }
      return out;
    }
    default:
      return undefined;
  }
}
