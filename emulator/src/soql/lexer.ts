// SOQL tokeniser. Keywords are not distinguished here (SOQL keywords are case-insensitive and some
// double as field names), only the shapes the grammar needs: identifiers, string / number / date
// / datetime literals and punctuation, each with its offset for error positions.
import { malformed } from './errors.js';

export type TokenKind = 'ident' | 'string' | 'number' | 'date' | 'datetime' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Source text of the token (for strings: with the quotes). */
  text: string;
  /** Offset of the first character in the statement. */
  pos: number;
  /** Offset after the last character. */
  end: number;
  /** Decoded string value (strings only). Backslash-escaped `%` and `_` keep their backslash so LIKE can tell them apart. */
  value?: string;
}

const PUNCT2 = new Set(['!=', '<>', '<=', '>=']);
const PUNCT1 = new Set(['=', '<', '>', '(', ')', ',', '.', ':']);

function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}
function isIdentPart(c: string): boolean {
  return isIdentStart(c) || (c >= '0' && c <= '9');
}
function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** Column (0-based) of an offset on its line, as the lexer reports it (`line R:C`). */
function lineAndColumn(text: string, offset: number): { row: number; col0: number } {
  let row = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text[i] === '\n') {
      row += 1;
      lineStart = i + 1;
    }
  }
  return { row, col0: offset - lineStart };
}

function lexerError(text: string, offset: number, message: (row: number, col0: number) => string) {
  const { row, col0 } = lineAndColumn(text, offset);
  // Salesforce reports lexer errors with a 0-based column both in the message and in the
  // `ERROR at Row:R:Column:C` line.
  return malformed(text, offset, message(row, col0), col0);
}

// Datetime literal: the shape the lexer accepts before the value itself is validated
// (`2020-52-12T…` is lexed, then rejected as `Invalid datetime`).
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}/;

const ESCAPES: Record<string, string> = {
  n: '\n',
  N: '\n',
  r: '\r',
  R: '\r',
  t: '\t',
  T: '\t',
  b: '\b',
  B: '\b',
  f: '\f',
  F: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
};

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i += 1;
      continue;
    }
    const start = i;
    if (isIdentStart(c)) {
      while (i < n && isIdentPart(text[i]!)) i += 1;
      tokens.push({ kind: 'ident', text: text.slice(start, i), pos: start, end: i });
      continue;
    }
    if (c === "'") {
      i += 1;
      let value = '';
      let closed = false;
      while (i < n) {
        const ch = text[i]!;
        if (ch === "'") {
          closed = true;
          i += 1;
          break;
        }
        if (ch === '\\') {
          const next = text[i + 1];
          if (next === undefined) break;
          if (next === '%' || next === '_') {
            value += '\\' + next;
          } else if (next in ESCAPES) {
            value += ESCAPES[next];
          } else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
            i += 6;
            continue;
          } else {
            let close = text.indexOf("'", i + 2);
            if (close < 0) close = n - 1;
            throw malformed(
              text,
              start,
              `Invalid string literal '${text.slice(start + 1, close)}'. Illegal character sequence '\\${next}' in string literal.`,
            );
          }
          i += 2;
          continue;
        }
        value += ch;
        i += 1;
      }
      if (!closed) {
        throw lexerError(text, n, (row, col0) => `line ${row}:${col0} mismatched character '<EOF>' expecting '''`);
      }
      tokens.push({ kind: 'string', text: text.slice(start, i), pos: start, end: i, value });
      continue;
    }
    if (
      isDigit(c) ||
      ((c === '-' || c === '+') && (isDigit(text[i + 1]) || (text[i + 1] === '.' && isDigit(text[i + 2]))))
    ) {
      const rest = text.slice(i, i + 40);
      const dt = isDigit(c) ? DATETIME_RE.exec(rest) : null;
      if (dt) {
        i += dt[0].length;
        tokens.push({ kind: 'datetime', text: dt[0], pos: start, end: i });
        continue;
      }
      const d = isDigit(c) ? DATE_RE.exec(rest) : null;
      if (d && !isDigit(text[i + 10])) {
        i += 10;
        tokens.push({ kind: 'date', text: d[0], pos: start, end: i });
        continue;
      }
      if (c === '-' || c === '+') i += 1;
      while (i < n && isDigit(text[i])) i += 1;
      if (text[i] === '.' && isDigit(text[i + 1])) {
        i += 1;
        while (i < n && isDigit(text[i])) i += 1;
      }
      // `5e3` style exponents are not SOQL; a number glued to letters is an error.
      tokens.push({ kind: 'number', text: text.slice(start, i), pos: start, end: i });
      continue;
    }
    const two = text.slice(i, i + 2);
    if (PUNCT2.has(two)) {
      i += 2;
      tokens.push({ kind: 'punct', text: two, pos: start, end: i });
      continue;
    }
    if (PUNCT1.has(c)) {
      // `.5` is a number.
      if (c === '.' && isDigit(text[i + 1]) && !(tokens.length && tokens[tokens.length - 1]!.kind === 'ident')) {
        i += 1;
        while (i < n && isDigit(text[i])) i += 1;
        tokens.push({ kind: 'number', text: text.slice(start, i), pos: start, end: i });
        continue;
      }
      i += 1;
      tokens.push({ kind: 'punct', text: c, pos: start, end: i });
      continue;
    }
    // Anything else (`;`, `$`, `"`, `*` …) is outside SOQL's character set. Since Summer '24 the
    // parser words this `line 1:15 unexpected token: '$'` (formerly "no viable alternative").
    throw lexerError(text, i, (row, col0) => `line ${row}:${col0} unexpected token: '${c}'`);
  }
  tokens.push({ kind: 'eof', text: '<EOF>', pos: n, end: n });
  return tokens;
}
