// SOQL errors as Salesforce words them. Errors tied to a place in the statement carry the
// excerpt-and-caret prefix real orgs send, e.g.
//   "\nSELECT Bacon__c FROM Account LIMIT 2\n       ^\nERROR at Row:1:Column:8\nNo such column …"
// (recorded in forcedotcom/SalesforceMobileSDK and mautic/mautic#13406). The excerpt is the
// error's line cut to about 30 characters either side of the caret, widened to whole words; that
// window reproduces every recorded example we found (see test/soql-errors.test.ts).

export class SoqlError extends Error {
  readonly errorCode: string;

  constructor(errorCode: string, message: string) {
    super(message);
    this.name = 'SoqlError';
    this.errorCode = errorCode;
  }
}

const WINDOW_BEFORE = 30;
const WINDOW_AFTER = 31;

function isSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
}

/** Row (1-based) and the line's text and offset for a character offset in the statement. */
function locate(text: string, offset: number): { row: number; lineStart: number; line: string } {
  let row = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      row += 1;
      lineStart = i + 1;
    }
  }
  let lineEnd = text.indexOf('\n', lineStart);
  if (lineEnd < 0) lineEnd = text.length;
  let line = text.slice(lineStart, lineEnd);
  if (line.endsWith('\r')) line = line.slice(0, -1);
  return { row, lineStart, line };
}

/**
 * The positioned message: excerpt, caret, `ERROR at Row:R:Column:C`, then the text.
 * `column` overrides the reported column (lexer errors report a 0-based one, as Salesforce does,
 * which puts the caret one character early).
 */
export function positioned(text: string, offset: number, message: string, column?: number): string {
  const { row, lineStart, line } = locate(text, offset);
  const col = column ?? offset - lineStart + 1;
  const caret = Math.max(0, Math.min(col - 1, line.length));
  let start = Math.max(0, caret - WINDOW_BEFORE);
  while (start > 0 && !isSpace(line[start - 1])) start -= 1;
  let end = Math.min(line.length, caret + WINDOW_AFTER);
  while (end < line.length && !isSpace(line[end])) end += 1;
  const excerpt = line.slice(start, end);
  return `\n${excerpt}\n${' '.repeat(caret - start)}^\nERROR at Row:${row}:Column:${col}\n${message}`;
}

export function malformed(text: string, offset: number, message: string, column?: number): SoqlError {
  return new SoqlError('MALFORMED_QUERY', positioned(text, offset, message, column));
}

export function unexpectedToken(text: string, offset: number, token: string): SoqlError {
  return malformed(text, offset, `unexpected token: '${token}'`);
}

export function noSuchColumn(text: string, offset: number, field: string, entity: string): SoqlError {
  return new SoqlError(
    'INVALID_FIELD',
    positioned(
      text,
      offset,
      `No such column '${field}' on entity '${entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
    ),
  );
}

export function badRelationship(text: string, offset: number, relationship: string): SoqlError {
  return new SoqlError(
    'INVALID_FIELD',
    positioned(
      text,
      offset,
      `Didn't understand relationship '${relationship}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
    ),
  );
}

export function unsupportedType(text: string, offset: number, type: string): SoqlError {
  return new SoqlError(
    'INVALID_TYPE',
    positioned(
      text,
      offset,
      `sObject type '${type}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    ),
  );
}

export function invalidField(text: string, offset: number, message: string): SoqlError {
  return new SoqlError('INVALID_FIELD', positioned(text, offset, message));
}
