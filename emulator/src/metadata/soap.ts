// SOAP envelopes for the Metadata API endpoint (`/services/Soap/m/NN.N`): reading the request
// jsforce sends (SessionHeader, one operation element in the Body) and writing responses and
// faults in the form Salesforce uses — namespace `http://soap.sforce.com/2006/04/metadata` as the
// default on the Envelope, faults as `sf:CODE` with HTTP 500 (jsforce treats a 500 fault with
// `sf:INVALID_SESSION_ID` as an expired session and refreshes).
import { XMLParser } from 'fast-xml-parser';

export const METADATA_NS = 'http://soap.sforce.com/2006/04/metadata';

export type XmlNode = Record<string, unknown>;

export interface SoapRequest {
  sessionId?: string;
  /** Operation element name, e.g. `upsertMetadata`. */
  operation: string;
  /** Children of the operation element (namespace prefixes removed, attributes as `@_name`). */
  args: XmlNode;
}

export class SoapParseError extends Error {}

// Elements that may repeat, so they always parse as arrays.
const REPEATED = new Set(['metadata', 'values', 'fullNames', 'queries']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  isArray: (name) => REPEATED.has(name),
});

function child(node: unknown, name: string): unknown {
  return node && typeof node === 'object' ? (node as XmlNode)[name] : undefined;
}

export function parseSoapRequest(body: string): SoapRequest {
  let doc: XmlNode;
  try {
    doc = parser.parse(body, true) as XmlNode;
  } catch (e) {
    throw new SoapParseError((e as Error).message);
  }
  const envelope = child(doc, 'Envelope');
  if (!envelope) throw new SoapParseError('Missing SOAP Envelope');
  const header = child(envelope, 'Header');
  const sessionHeader = child(header, 'SessionHeader');
  const rawSession = child(sessionHeader, 'sessionId');
  const sessionId = typeof rawSession === 'string' ? rawSession.trim() : undefined;
  const bodyNode = child(envelope, 'Body');
  if (!bodyNode || typeof bodyNode !== 'object') throw new SoapParseError('Missing SOAP Body');
  const operation = Object.keys(bodyNode as XmlNode).find((k) => !k.startsWith('@_') && k !== '#text');
  if (!operation) throw new SoapParseError('Missing operation in SOAP Body');
  const args = (bodyNode as XmlNode)[operation];
  const out: SoapRequest = { operation, args: args && typeof args === 'object' ? (args as XmlNode) : {} };
  if (sessionId) out.sessionId = sessionId;
  return out;
}

/** Text content of a parsed element (strings, or `#text` of an element with attributes). */
export function textOf(node: unknown): string | undefined {
  if (node === undefined || node === null) return undefined;
  if (typeof node === 'string') return node;
  if (typeof node === 'object') {
    const t = (node as XmlNode)['#text'];
    if (t !== undefined) return String(t);
    return '';
  }
  return String(node);
}

export function attrOf(node: unknown, name: string): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const v = (node as XmlNode)[`@_${name}`];
  return v === undefined ? undefined : String(v);
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Wraps an operation's response element in Salesforce's envelope. */
export function envelope(responseElement: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="${METADATA_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    `<soapenv:Body>${responseElement}</soapenv:Body></soapenv:Envelope>`
  );
}

/** A SOAP fault: `<faultcode>sf:CODE</faultcode><faultstring>CODE: message</faultstring>`. */
export function fault(code: string, message: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="${METADATA_NS}">` +
    `<soapenv:Body><soapenv:Fault><faultcode>sf:${escapeXml(code)}</faultcode><faultstring>${escapeXml(`${code}: ${message}`)}</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`
  );
}

/** A client-side SOAP fault for an envelope that cannot be read. */
export function clientFault(message: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">' +
    `<soapenv:Body><soapenv:Fault><faultcode>soapenv:Client</faultcode><faultstring>${escapeXml(message)}</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`
  );
}
