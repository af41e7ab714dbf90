// Recursive-descent parser for the SOQL subset the emulator serves. Clause order is strict, AND
// and OR may not be mixed without parentheses, and the first token that does not fit is reported
// as `unexpected token: '<token>'`, as Salesforce's parser does.
import type {
  Aggregate,
  AggregateFn,
  Condition,
  FieldPath,
  Literal,
  OrderItem,
  Query,
  SelectItem,
  SetOp,
} from './ast.js';
import { SoqlError, malformed, positioned, unexpectedToken } from './errors.js';
import { tokenize, type Token } from './lexer.js';
import { isDateLiteralName, dateLiteralTakesN } from './dates.js';

const AGGREGATES = new Set<AggregateFn>(['COUNT', 'COUNT_DISTINCT', 'SUM', 'AVG', 'MIN', 'MAX']);

/** Words that end a field list or a FROM clause, so they cannot be aliases. */
const CLAUSE_WORDS = new Set([
  'FROM',
  'WHERE',
  'WITH',
  'GROUP',
  'HAVING',
  'ORDER',
  'LIMIT',
  'OFFSET',
  'FOR',
  'USING',
  'UPDATE',
  'AND',
  'OR',
  'NOT',
  'ASC',
  'DESC',
  'NULLS',
]);

/** Functions Salesforce knows but the emulator does not evaluate. */
const UNSUPPORTED_FUNCTIONS = new Set([
  'TOLABEL',
  'FORMAT',
  'CONVERTCURRENCY',
  'CONVERTTIMEZONE',
  'CALENDAR_MONTH',
  'CALENDAR_QUARTER',
  'CALENDAR_YEAR',
  'DAY_IN_MONTH',
  'DAY_IN_WEEK',
  'DAY_IN_YEAR',
  'DAY_ONLY',
  'FISCAL_MONTH',
  'FISCAL_QUARTER',
  'FISCAL_YEAR',
  'HOUR_IN_DAY',
  'WEEK_IN_MONTH',
  'WEEK_IN_YEAR',
  'GROUPING',
  'DISTANCE',
  'GEOLOCATION',
]);

export const MAX_STATEMENT_LENGTH = 100_000;
export const MAX_STRING_LITERAL = 4_000;

class Parser {
  private i = 0;

  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.i + ahead, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    if (this.i < this.tokens.length - 1) this.i += 1;
    return t;
  }

  private isWord(t: Token, word: string): boolean {
    return t.kind === 'ident' && t.text.toUpperCase() === word;
  }

  private atWord(word: string, ahead = 0): boolean {
    return this.isWord(this.peek(ahead), word);
  }

  private atPunct(p: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'punct' && t.text === p;
  }

  private fail(t: Token = this.peek()): SoqlError {
    return unexpectedToken(this.text, t.pos, t.text);
  }

  private expectWord(word: string): Token {
    const t = this.peek();
    if (!this.isWord(t, word)) throw this.fail(t);
    return this.next();
  }

  private expectPunct(p: string): Token {
    const t = this.peek();
    if (t.kind !== 'punct' || t.text !== p) throw this.fail(t);
    return this.next();
  }

  private unsupported(pos: number, what: string): SoqlError {
    // Not Salesforce wording: the feature exists in SOQL but this emulator does not evaluate it.
    return malformed(this.text, pos, `${what} is not supported by the Relay org emulator`);
  }

  parseStatement(): Query {
    const q = this.parseQuery(false);
    const t = this.peek();
    if (t.kind !== 'eof') throw this.fail(t);
    return q;
  }

  private parseQuery(nested: boolean): Query {
    const selectTok = this.expectWord('SELECT');
    if (this.atWord('FROM')) {
      // Summer '24 parser: `SELECT FROM X` → unexpected token: 'SELECT FROM'.
      throw unexpectedToken(this.text, selectTok.pos, `${selectTok.text} ${this.peek().text}`);
    }
    const select: SelectItem[] = [];
    let countOnly = false;
    for (;;) {
      const item = this.parseSelectItem();
      if (item === 'countAll') {
        if (select.length > 0) throw this.fail(this.tokens[this.i - 3]!);
        countOnly = true;
      } else {
        if (countOnly) throw this.fail(this.tokens[this.i - 1]!);
        select.push(item);
      }
      if (this.atPunct(',')) {
        this.next();
        continue;
      }
      break;
    }
    if (countOnly && this.atPunct(',')) throw this.fail();
    this.expectWord('FROM');
    const fromTok = this.peek();
    if (fromTok.kind !== 'ident') throw this.fail(fromTok);
    this.next();
    const query: Query = { select, countOnly, from: { name: fromTok.text, pos: fromTok.pos }, pos: selectTok.pos };
    if (this.peek().kind === 'ident' && !CLAUSE_WORDS.has(this.peek().text.toUpperCase())) {
      query.from.alias = this.next().text;
    }
    if (this.atWord('USING')) {
      this.next();
      this.expectWord('SCOPE');
      const scope = this.next();
      if (scope.kind !== 'ident') throw this.fail(scope);
    }
    if (this.atWord('WHERE')) {
      this.next();
      query.where = this.parseCondition(false);
    }
    if (this.atWord('WITH')) throw this.unsupported(this.peek().pos, 'WITH');
    if (this.atWord('GROUP')) {
      this.next();
      this.expectWord('BY');
      if ((this.atWord('ROLLUP') || this.atWord('CUBE')) && this.atPunct('(', 1)) {
        throw this.unsupported(this.peek().pos, 'GROUP BY ' + this.peek().text.toUpperCase());
      }
      query.groupBy = [this.parsePath()];
      while (this.atPunct(',')) {
        this.next();
        query.groupBy.push(this.parsePath());
      }
    }
    if (this.atWord('HAVING')) {
      this.next();
      query.having = this.parseCondition(true);
    }
    if (this.atWord('ORDER')) {
      this.next();
      this.expectWord('BY');
      query.orderBy = [this.parseOrderItem()];
      while (this.atPunct(',')) {
        this.next();
        query.orderBy.push(this.parseOrderItem());
      }
    }
    if (this.atWord('LIMIT')) {
      this.next();
      query.limit = this.parseCount();
    }
    if (this.atWord('OFFSET')) {
      this.next();
      query.offset = this.parseCount();
    }
    if (!nested && this.atWord('FOR')) {
      this.next();
      const what = this.peek();
      if (this.isWord(what, 'VIEW') || this.isWord(what, 'REFERENCE')) {
        this.next();
      } else if (this.isWord(what, 'UPDATE')) {
        throw this.unsupported(what.pos, 'FOR UPDATE');
      } else {
        throw this.fail(what);
      }
    }
    return query;
  }

  private parseCount(): { value: number; pos: number } {
    const t = this.peek();
    if (t.kind !== 'number' || !/^\d+$/.test(t.text)) throw this.fail(t);
    this.next();
    const value = Number(t.text);
    if (!Number.isSafeInteger(value) || value > 2147483647) {
      throw malformed(this.text, t.pos, `numeric value out of range: ${t.text}`);
    }
    return { value, pos: t.pos };
  }

  private parsePath(): FieldPath {
    const first = this.peek();
    if (first.kind !== 'ident') throw this.fail(first);
    this.next();
    const segments = [first.text];
    const positions = [first.pos];
    while (this.atPunct('.')) {
      this.next();
      const seg = this.peek();
      if (seg.kind !== 'ident') throw this.fail(seg);
      this.next();
      segments.push(seg.text);
      positions.push(seg.pos);
    }
    return { kind: 'path', segments, positions, pos: first.pos };
  }

  private parseAggregate(): Aggregate {
    const nameTok = this.next();
    const fn = nameTok.text.toUpperCase() as AggregateFn;
    this.expectPunct('(');
    let arg: FieldPath | null = null;
    if (!this.atPunct(')')) arg = this.parsePath();
    const close = this.expectPunct(')');
    if (!arg && fn !== 'COUNT') throw this.fail(close);
    return { kind: 'aggregate', fn, arg, pos: nameTok.pos, text: this.text.slice(nameTok.pos, close.end) };
  }

  private parseAlias(): string | undefined {
    const t = this.peek();
    if (t.kind === 'ident' && !CLAUSE_WORDS.has(t.text.toUpperCase())) {
      this.next();
      return t.text;
    }
    return undefined;
  }

  private parseSelectItem(): SelectItem | 'countAll' {
    const t = this.peek();
    if (t.kind === 'punct' && t.text === '(') {
      this.next();
      const query = this.parseQuery(true);
      this.expectPunct(')');
      return { kind: 'subquery', query, pos: t.pos };
    }
    if (t.kind !== 'ident') throw this.fail(t);
    const upper = t.text.toUpperCase();
    if (this.atPunct('(', 1)) {
      if (upper === 'COUNT' && this.atPunct(')', 2)) {
        this.next();
        this.next();
        this.next();
        return 'countAll';
      }
      if (AGGREGATES.has(upper as AggregateFn)) {
        const agg = this.parseAggregate();
        const alias = this.parseAlias();
        return alias ? { kind: 'aggregate', agg, alias, pos: agg.pos } : { kind: 'aggregate', agg, pos: agg.pos };
      }
      if (upper === 'FIELDS') {
        this.next();
        this.next();
        const which = this.peek();
        const w = which.text.toUpperCase();
        if (which.kind !== 'ident' || (w !== 'ALL' && w !== 'STANDARD' && w !== 'CUSTOM')) throw this.fail(which);
        this.next();
        this.expectPunct(')');
        return { kind: 'fields', which: w, pos: t.pos };
      }
      if (UNSUPPORTED_FUNCTIONS.has(upper)) throw this.unsupported(t.pos, `${t.text}()`);
      // An unknown name followed by '(' is a field name the parser did not expect a '(' after.
      throw this.fail(this.peek(1));
    }
    if (upper === 'TYPEOF') return this.parseTypeof();
    const path = this.parsePath();
    const alias = this.parseAlias();
    return alias ? { kind: 'field', path, alias, pos: path.pos } : { kind: 'field', path, pos: path.pos };
  }

  private parseTypeof(): SelectItem {
    const start = this.next();
    const relationship = this.parsePath();
    const whens: { type: string; typePos: number; fields: FieldPath[] }[] = [];
    let elseFields: FieldPath[] = [];
    while (this.atWord('WHEN')) {
      this.next();
      const typeTok = this.peek();
      if (typeTok.kind !== 'ident') throw this.fail(typeTok);
      this.next();
      this.expectWord('THEN');
      const fields = [this.parsePath()];
      while (this.atPunct(',')) {
        this.next();
        fields.push(this.parsePath());
      }
      whens.push({ type: typeTok.text, typePos: typeTok.pos, fields });
    }
    if (whens.length === 0) throw this.fail();
    if (this.atWord('ELSE')) {
      this.next();
      elseFields = [this.parsePath()];
      while (this.atPunct(',')) {
        this.next();
        elseFields.push(this.parsePath());
      }
    }
    this.expectWord('END');
    return { kind: 'typeof', relationship, whens, elseFields, pos: start.pos };
  }

  private parseOrderItem(): OrderItem {
    const t = this.peek();
    let expr: FieldPath | Aggregate;
    if (t.kind === 'ident' && AGGREGATES.has(t.text.toUpperCase() as AggregateFn) && this.atPunct('(', 1)) {
      expr = this.parseAggregate();
    } else {
      if (t.kind === 'ident' && this.atPunct('(', 1) && UNSUPPORTED_FUNCTIONS.has(t.text.toUpperCase())) {
        throw this.unsupported(t.pos, `${t.text}()`);
      }
      expr = this.parsePath();
    }
    let descending = false;
    if (this.atWord('ASC')) this.next();
    else if (this.atWord('DESC')) {
      this.next();
      descending = true;
    }
    // Salesforce's defaults: nulls first when ascending, last when descending.
    let nullsLast = descending;
    if (this.atWord('NULLS')) {
      this.next();
      if (this.atWord('FIRST')) nullsLast = false;
      else if (this.atWord('LAST')) nullsLast = true;
      else throw this.fail();
      this.next();
    }
    return { expr, descending, nullsLast, pos: t.pos };
  }

  private parseCondition(having: boolean): Condition {
    const first = this.parseUnary(having);
    if (this.atWord('AND') || this.atWord('OR')) {
      const joiner = this.peek().text.toUpperCase() as 'AND' | 'OR';
      const items = [first];
      while (this.atWord('AND') || this.atWord('OR')) {
        const op = this.peek();
        // Mixing AND and OR without parentheses is a syntax error in SOQL.
        if (op.text.toUpperCase() !== joiner) throw this.fail(op);
        this.next();
        items.push(this.parseUnary(having));
      }
      return joiner === 'AND' ? { kind: 'and', items } : { kind: 'or', items };
    }
    return first;
  }

  private parseUnary(having: boolean): Condition {
    if (this.atWord('NOT')) {
      this.next();
      return { kind: 'not', item: this.parseUnary(having) };
    }
    if (this.atPunct('(')) {
      this.next();
      const inner = this.parseCondition(having);
      this.expectPunct(')');
      return inner;
    }
    return this.parseComparison(having);
  }

  private parseComparison(having: boolean): Condition {
    const t = this.peek();
    let left: FieldPath | Aggregate;
    if (t.kind === 'ident' && this.atPunct('(', 1)) {
      const upper = t.text.toUpperCase();
      if (having && AGGREGATES.has(upper as AggregateFn)) left = this.parseAggregate();
      else if (UNSUPPORTED_FUNCTIONS.has(upper)) throw this.unsupported(t.pos, `${t.text}()`);
      else throw this.fail(this.peek(1));
    } else {
      left = this.parsePath();
    }
    const opTok = this.peek();
    if (opTok.kind === 'punct' && ['=', '!=', '<>', '<', '>', '<=', '>='].includes(opTok.text)) {
      this.next();
      const op = opTok.text === '<>' ? '!=' : (opTok.text as '=' | '!=' | '<' | '>' | '<=' | '>=');
      return { kind: 'compare', left, op, value: this.parseLiteral(), pos: left.pos, opPos: opTok.pos };
    }
    if (this.isWord(opTok, 'LIKE')) {
      this.next();
      return { kind: 'compare', left, op: 'LIKE', value: this.parseLiteral(), pos: left.pos, opPos: opTok.pos };
    }
    let setOp: SetOp | undefined;
    if (this.isWord(opTok, 'IN')) setOp = 'IN';
    else if (this.isWord(opTok, 'INCLUDES')) setOp = 'INCLUDES';
    else if (this.isWord(opTok, 'EXCLUDES')) setOp = 'EXCLUDES';
    else if (this.isWord(opTok, 'NOT') && this.atWord('IN', 1)) setOp = 'NOT IN';
    if (!setOp || left.kind !== 'path') throw this.fail(opTok);
    this.next();
    if (setOp === 'NOT IN') this.next();
    const open = this.expectPunct('(');
    if ((setOp === 'IN' || setOp === 'NOT IN') && this.atWord('SELECT')) {
      const query = this.parseQuery(true);
      this.expectPunct(')');
      return { kind: 'semijoin', left, negated: setOp === 'NOT IN', query, pos: left.pos };
    }
    if (this.atPunct(')')) {
      // Summer '24 parser: `ParentId IN ()` → unexpected token: 'ParentId IN ()'.
      const close = this.next();
      throw unexpectedToken(this.text, left.pos, this.text.slice(left.pos, close.end));
    }
    void open;
    const values = [this.parseLiteral()];
    while (this.atPunct(',')) {
      this.next();
      values.push(this.parseLiteral());
    }
    this.expectPunct(')');
    return { kind: 'set', left, op: setOp, values, pos: left.pos, opPos: opTok.pos };
  }

  private parseLiteral(): Literal {
    const t = this.peek();
    switch (t.kind) {
      case 'string':
        this.next();
        if ((t.value ?? '').replace(/\\([%_])/g, '$1').length > MAX_STRING_LITERAL) {
          // Wording unverified: Salesforce documents the 4,000-character limit but we found no
          // recorded error body for it.
          throw malformed(
            this.text,
            t.pos,
            `String literal exceeds the maximum length of ${MAX_STRING_LITERAL} characters`,
          );
        }
        return { kind: 'string', value: t.value ?? '', pos: t.pos, text: t.text };
      case 'number':
        this.next();
        return { kind: 'number', value: Number(t.text), pos: t.pos, text: t.text };
      case 'date':
        this.next();
        return { kind: 'date', text: t.text, pos: t.pos };
      case 'datetime':
        this.next();
        return { kind: 'datetime', text: t.text, pos: t.pos };
      case 'ident': {
        const upper = t.text.toUpperCase();
        if (upper === 'NULL') {
          this.next();
          return { kind: 'null', pos: t.pos, text: t.text };
        }
        if (upper === 'TRUE' || upper === 'FALSE') {
          this.next();
          return { kind: 'boolean', value: upper === 'TRUE', pos: t.pos, text: t.text };
        }
        if (isDateLiteralName(upper)) {
          this.next();
          if (dateLiteralTakesN(upper)) {
            this.expectPunct(':');
            const nTok = this.peek();
            if (nTok.kind !== 'number' || !/^\d+$/.test(nTok.text)) throw this.fail(nTok);
            this.next();
            return {
              kind: 'dateLiteral',
              name: upper,
              n: Number(nTok.text),
              pos: t.pos,
              text: this.text.slice(t.pos, nTok.end),
            };
          }
          return { kind: 'dateLiteral', name: upper, n: null, pos: t.pos, text: t.text };
        }
        throw this.fail(t);
      }
      case 'punct':
        if (t.text === ':') {
          // Bind variables only exist in Apex.
          throw this.fail(this.peek(1).kind === 'ident' ? this.peek(1) : t);
        }
        throw this.fail(t);
      default:
        throw this.fail(t);
    }
  }
}

/** Parses a SOQL statement, enforcing the statement length limit first. */
export function parseSoql(text: string): Query {
  if (text.length > MAX_STATEMENT_LENGTH) {
    throw new SoqlError(
      'MALFORMED_QUERY',
      `SOQL statements can not be longer than ${MAX_STATEMENT_LENGTH} characters.`,
    );
  }
  if (text.trim() === '') {
    throw new SoqlError('MALFORMED_QUERY', positioned(text, 0, "unexpected token: '<EOF>'"));
  }
  return new Parser(text, tokenize(text)).parseStatement();
}
