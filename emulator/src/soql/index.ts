// The SOQL engine's public face: the REST layer calls executeSoql for query/queryAll, Bulk query
// jobs call runSoql for flat columns, and both answer SoqlError with its errorCode and message.
export { executeSoql, runSoql, DEFAULT_API_VERSION, MAX_OFFSET } from './executor.js';
export type { SoqlOptions, SoqlResult, SoqlRun } from './executor.js';
export { SoqlError } from './errors.js';
export { parseSoql, MAX_STATEMENT_LENGTH, MAX_STRING_LITERAL } from './parser.js';
export type { SoqlDataSource, SoqlField, SoqlFieldType, SoqlObject, SoqlRecord } from './source.js';
export { queryColumns, type QueryColumn, type QueryColumns } from './columns.js';
