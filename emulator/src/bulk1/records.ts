// Reads a Bulk API 1.0 ingest batch into a header and rows of text cells, whatever the job's
// content type, so one path (the Bulk API 2.0 column mapping and cell conversion) saves them all:
// CSV as written (comma, LF or CRLF, `#N/A` for null); JSON an array of records; XML
// `<sObjects><sObject>…</sObject></sObjects>` with `xsi:nil="true"` for null. A nested object
// (`"Owner": {"Email": …}`, `<Owner><sObject><Email>…`) becomes a relationship column `Owner.Email`.
import { CsvError, parseCsv } from '../bulk/csv.js';
import { NULL_MARKER } from '../bulk/values.js';
import { parseXml, WireError } from './wire.js';

export interface BatchRows {
  header: string[];
  rows: string[][];
}

export class BatchDataError extends Error {}

function readCsv(text: string): BatchRows {
  // Bulk API 1.0 takes either line ending within one file.
  const lineEnding = text.includes('\r\n') ? 'CRLF' : 'LF';
  try {
    const rows = parseCsv(text, ',', lineEnding);
    return { header: rows.shift() ?? [], rows };
  } catch (e) {
    if (e instanceof CsvError) throw new BatchDataError(e.message.replace(/^ClientInputError : /, ''));
    throw e;
  }
}

/** Flattens one record into `column → cell text`. */
function flatten(record: Record<string, unknown>, prefix: string, out: Map<string, string>): void {
  for (const [key, value] of Object.entries(record)) {
    if (key === 'attributes' || key === 'type' || key.startsWith('@_')) continue;
    const name = prefix + key;
    if (value === null) {
      out.set(name, NULL_MARKER);
    } else if (typeof value === 'object' && !Array.isArray(value)) {
      const obj = value as Record<string, unknown>;
      if (obj['@_nil'] === 'true') out.set(name, NULL_MARKER);
      else if (obj.sObject && typeof obj.sObject === 'object')
        flatten(obj.sObject as Record<string, unknown>, `${name}.`, out);
      else if ('#text' in obj) out.set(name, String(obj['#text']));
      else flatten(obj, `${name}.`, out);
    } else if (value !== undefined) {
      out.set(name, String(value));
    }
  }
}

function fromRecords(records: Record<string, unknown>[]): BatchRows {
  const flat = records.map((r) => {
    const m = new Map<string, string>();
    flatten(r, '', m);
    return m;
  });
  const header: string[] = [];
  const seen = new Set<string>();
  for (const m of flat)
    for (const k of m.keys()) {
      if (!seen.has(k)) {
        seen.add(k);
        header.push(k);
      }
    }
  return { header, rows: flat.map((m) => header.map((h) => m.get(h) ?? '')) };
}

function readJson(text: string): BatchRows {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new BatchDataError(`Unable to parse JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(doc) || doc.some((r) => !r || typeof r !== 'object' || Array.isArray(r)))
    throw new BatchDataError('The batch data must be a JSON array of records');
  return fromRecords(doc as Record<string, unknown>[]);
}

function readXml(text: string): BatchRows {
  let doc: Record<string, unknown>;
  try {
    doc = parseXml(text.trim());
  } catch (e) {
    if (e instanceof WireError) throw new BatchDataError(`Unable to parse XML: ${e.message}`);
    throw e;
  }
  const root = doc.sObjects as Record<string, unknown> | undefined;
  if (!root || typeof root !== 'object') throw new BatchDataError('The batch data must be an <sObjects> element');
  const items = (root.sObject ?? []) as unknown[];
  return fromRecords(items.map((i) => (i && typeof i === 'object' ? (i as Record<string, unknown>) : {})));
}

export function readBatch(contentType: 'CSV' | 'JSON' | 'XML', text: string): BatchRows {
  if (contentType === 'CSV') return readCsv(text);
  if (contentType === 'JSON') return readJson(text);
  return readXml(text);
}
