// Bulk API 1.0 bodies in the job's format. XML follows the element order of the guide's examples
// (Bulk API Developer Guide, "Create a Job", "Add a Batch to a Job", "Get Batch Results",
// "Errors"), in the asyncapi namespace; JSON carries the same fields in alphabetical order, as the
// guide's JSON examples print them, with numbers as numbers and `apiVersion` as `36.0`.
import { XMLParser } from 'fast-xml-parser';

export const ASYNC_NS = 'http://www.force.com/2009/06/asyncapi/dataload';
const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

/** How a job's requests and answers are written: XML or JSON (CSV jobs answer in XML). */
export type Wire = 'XML' | 'JSON';

type Value = string | number | boolean | null | undefined;

export interface Answer {
  status: number;
  type: string;
  body: string;
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function xmlFields(fields: [string, Value][], indent = ' '): string {
  return fields
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${indent}<${k}>${escapeXml(String(v))}</${k}>`)
    .join('\n');
}

function jsonObject(fields: [string, Value][]): string {
  const sorted = fields.filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${sorted
    .map(([k, v]) =>
      k === 'apiVersion' ? `"${k}":${Number(v).toFixed(1)}` : `${JSON.stringify(k)}:${JSON.stringify(v)}`,
    )
    .join(',')}}`;
}

/** One object in the wire format: `<name xmlns=…>fields</name>` or a JSON object. */
export function render(wire: Wire, name: string, fields: [string, Value][], status = 200): Answer {
  if (wire === 'JSON') return { status, type: 'application/json', body: jsonObject(fields) };
  return {
    status,
    type: 'application/xml',
    body: `<?xml version="1.0" encoding="UTF-8"?><${name}\n   xmlns="${ASYNC_NS}">\n${xmlFields(fields)}\n</${name}>`,
  };
}

/** A list of objects: `<listName><itemName>…</itemName>…</listName>` or `{"itemName":[…]}`. */
export function renderList(wire: Wire, listName: string, itemName: string, items: [string, Value][][]): Answer {
  if (wire === 'JSON') {
    return { status: 200, type: 'application/json', body: `{"${itemName}":[${items.map(jsonObject).join(',')}]}` };
  }
  const inner = items.map((f) => ` <${itemName}>\n${xmlFields(f, '  ')}\n </${itemName}>`).join('\n');
  return {
    status: 200,
    type: 'application/xml',
    body: `<?xml version="1.0" encoding="UTF-8"?><${listName}\n   xmlns="${ASYNC_NS}">\n${inner}\n</${listName}>`,
  };
}

/** The Bulk API 1.0 error: `<error><exceptionCode/><exceptionMessage/></error>`, status 400 unless given. */
export function renderError(wire: Wire, code: string, message: string, status = 400): Answer {
  return render(
    wire,
    'error',
    [
      ['exceptionCode', code],
      ['exceptionMessage', message],
    ],
    status,
  );
}

export interface SaveErrorLike {
  statusCode: string;
  message: string;
  fields: string[];
}

export interface RowResult {
  id: string;
  success: boolean;
  created: boolean;
  error?: SaveErrorLike;
}

/** Ingest batch results: CSV `"Id","Success","Created","Error"`, JSON objects or `<results>`. */
export function renderResults(format: 'CSV' | Wire, rows: RowResult[]): Answer {
  if (format === 'CSV') {
    const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
    const lines = rows.map((r) =>
      [r.id, String(r.success), String(r.created), r.error ? errorCell(r.error) : ''].map(q).join(','),
    );
    return { status: 200, type: 'text/csv', body: ['"Id","Success","Created","Error"', ...lines].join('\n') + '\n' };
  }
  if (format === 'JSON') {
    const items = rows.map((r) =>
      JSON.stringify({
        success: r.success,
        created: r.created,
        id: r.id || null,
        errors: r.error ? [{ message: r.error.message, fields: r.error.fields, statusCode: r.error.statusCode }] : [],
      }),
    );
    return { status: 200, type: 'application/json', body: `[${items.join(',')}]` };
  }
  const items = rows.map((r) => {
    const parts: string[] = [];
    if (r.id) parts.push(`<id>${r.id}</id>`);
    if (r.error) {
      const fields = r.error.fields.map((f) => `<fields>${escapeXml(f)}</fields>`).join('');
      parts.push(
        `<errors>${fields}<message>${escapeXml(r.error.message)}</message><statusCode>${r.error.statusCode}</statusCode></errors>`,
      );
    }
    parts.push(`<success>${r.success}</success><created>${r.created}</created>`);
    return `<result>${parts.join('')}</result>`;
  });
  return {
    status: 200,
    type: 'application/xml',
    body: `<?xml version="1.0" encoding="UTF-8"?><results xmlns="${ASYNC_NS}">\n${items.join('\n')}\n</results>`,
  };
}

/** `CODE:message:Field1 Field2 --`, the Error column of CSV results (jsforce's tests assert it). */
export function errorCell(e: SaveErrorLike): string {
  return `${e.statusCode}:${e.message}:${e.fields.map((f) => `${f} `).join('')}--`;
}

/** The result ids of a query batch: `<result-list><result>752…</result></result-list>` or `["752…"]`. */
export function renderResultList(wire: Wire, ids: string[]): Answer {
  if (wire === 'JSON') return { status: 200, type: 'application/json', body: JSON.stringify(ids) };
  return {
    status: 200,
    type: 'application/xml',
    body: `<?xml version="1.0" encoding="UTF-8"?><result-list xmlns="${ASYNC_NS}">${ids.map((id) => `<result>${id}</result>`).join('')}</result-list>`,
  };
}

/** Query result records as `<queryResult>`: one `<records xsi:type="sObject">` per row, nulls as xsi:nil. */
export function renderXmlRecords(type: string, columns: string[], rows: unknown[][]): string {
  const records = rows.map((row) => {
    const cells = columns.map((c, i) => {
      const v = row[i];
      return v === null || v === undefined
        ? `<${c} xsi:nil="true"/>`
        : `<${c}>${escapeXml(typeof v === 'string' ? v : String(v))}</${c}>`;
    });
    return `<records xsi:type="sObject"><type>${type}</type>${cells.join('')}</records>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?><queryResult xmlns="${ASYNC_NS}" xmlns:xsi="${XSI_NS}">${records.join('')}</queryResult>`;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name, jpath) => jpath === 'sObjects.sObject',
});

export class WireError extends Error {}

/** An XML document as plain objects (attributes as `@_name`), or WireError. */
export function parseXml(text: string): Record<string, unknown> {
  try {
    return parser.parse(text, true) as Record<string, unknown>;
  } catch (e) {
    throw new WireError((e as Error).message);
  }
}

/** The fields of a `<jobInfo>` (XML) or a JSON job body, as strings. */
export function parseJobInfo(text: string, wire: Wire): Record<string, string> {
  let doc: unknown;
  if (wire === 'JSON') {
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new WireError(`Unable to parse JSON: ${(e as Error).message}`);
    }
  } else {
    doc = parseXml(text.trim()).jobInfo;
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new WireError('Unable to parse Job');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
    if (k.startsWith('@_')) continue;
    if (v !== null && v !== undefined && typeof v !== 'object') out[k] = String(v);
  }
  return out;
}
