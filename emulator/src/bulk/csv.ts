// CSV as Bulk API 2.0 reads and writes it (Bulk API 2.0 Developer Guide, "Prepare CSV Files"):
// RFC 4180 quoting with doubled quotes, line breaks allowed inside quoted values, one of six column
// delimiters, and a line ending fixed per job — data whose line breaks do not match the job's
// `lineEnding` is rejected rather than guessed at. Values are never trimmed.

export type ColumnDelimiter = 'BACKQUOTE' | 'CARET' | 'COMMA' | 'PIPE' | 'SEMICOLON' | 'TAB';
export type LineEnding = 'LF' | 'CRLF';

export const DELIMITERS: Record<ColumnDelimiter, string> = {
  BACKQUOTE: '`',
  CARET: '^',
  COMMA: ',',
  PIPE: '|',
  SEMICOLON: ';',
  TAB: '\t',
};

export class CsvError extends Error {}

/**
 * Parses CSV text into rows of fields. Empty lines are skipped; a final line break is optional.
 * Throws CsvError when a line ending does not match `lineEnding` (Salesforce fails the job with
 * `ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is LF`).
 */
export function parseCsv(text: string, delimiter: string, lineEnding: LineEnding): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  // True at the start of a line and right after a delimiter: only there does a quote open a
  // quoted value (elsewhere it is a literal character).
  let atFieldStart = true;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  const badEnding = () =>
    new CsvError(`ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is ${lineEnding}`);
  const endRow = () => {
    // A line with nothing on it is skipped; anything else (even one empty value) is a row.
    if (row.length > 0 || field !== '' || !atFieldStart) {
      row.push(field);
      rows.push(row);
    }
    row = [];
    field = '';
    atFieldStart = true;
  };
  while (i < n) {
    const c = text[i]!;
    if (c === '"' && atFieldStart) {
      // Quoted value: runs to the next quote that is not doubled.
      i += 1;
      let value = '';
      for (;;) {
        if (i >= n) throw new CsvError('ClientInputError : Unterminated quoted field in CSV data');
        const close = text.indexOf('"', i);
        if (close < 0) throw new CsvError('ClientInputError : Unterminated quoted field in CSV data');
        value += text.slice(i, close);
        if (text[close + 1] === '"') {
          value += '"';
          i = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
      field = value;
      atFieldStart = false;
      continue;
    }
    if (c === delimiter) {
      row.push(field);
      field = '';
      atFieldStart = true;
      i += 1;
      continue;
    }
    if (c === '\r' && text[i + 1] === '\n') {
      if (lineEnding !== 'CRLF') throw badEnding();
      endRow();
      i += 2;
      continue;
    }
    if (c === '\n') {
      if (lineEnding !== 'LF') throw badEnding();
      endRow();
      i += 1;
      continue;
    }
    field += c;
    atFieldStart = false;
    i += 1;
  }
  endRow();
  return rows;
}

/** A CSV value quoted the way Salesforce writes results: always quoted, quotes doubled. */
export function quote(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

export function lineBreak(lineEnding: LineEnding): string {
  return lineEnding === 'CRLF' ? '\r\n' : '\n';
}
