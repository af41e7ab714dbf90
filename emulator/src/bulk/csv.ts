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
  let fieldStarted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  const badEnding = () => new CsvError(`ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is ${lineEnding}`);
  const endRow = () => {
    if (row.length > 0 || fieldStarted || field !== '') {
      row.push(field);
      rows.push(row);
    }
    row = [];
    field = '';
    fieldStarted = false;
  };
  while (i < n) {
    const c = text[i]!;
    if (c === '"' && !fieldStarted && field === '') {
      // Quoted field: runs to the next quote not doubled.
      i += 1;
      let value = '';
      for (;;) {
        if (i >= n) throw new CsvError('ClientInputError : Unterminated quoted field in CSV data');
        const q = text[i]!;
        if (q === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        value += q;
        i += 1;
      }
      field = value;
      fieldStarted = true;
      continue;
    }
    if (c === delimiter) {
      row.push(field);
      field = '';
      fieldStarted = true;
      i += 1;
      continue;
    }
    if (c === '\r') {
      if (text[i + 1] === '\n') {
        if (lineEnding !== 'CRLF') throw badEnding();
        endRow();
        i += 2;
        continue;
      }
      field += c;
      i += 1;
      continue;
    }
    if (c === '\n') {
      if (lineEnding !== 'LF') throw badEnding();
      endRow();
      i += 1;
      continue;
    }
    field += c;
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
