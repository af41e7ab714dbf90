// The Metadata API SOAP endpoint, `POST /services/Soap/m/NN.N`: createMetadata, readMetadata,
// updateMetadata, upsertMetadata and deleteMetadata for CustomMetadata, as jsforce's
// `conn.metadata.*` calls send them. The session comes from the SOAP SessionHeader and is checked
// like a REST bearer token; each call counts against DailyApiRequests like any API call.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EmulatorContext } from '../context.js';
import type { WriteOptions } from '../org.js';
import { checkVersion } from '../versions.js';
import { CustomMetadataStore, type ComponentResult } from './custom-metadata.js';
import {
  METADATA_NS,
  SoapParseError,
  attrOf,
  clientFault,
  envelope,
  escapeXml,
  fault,
  parseSoapRequest,
  textOf,
  type XmlNode,
} from './soap.js';

const CRUD_SAVE = { createMetadata: 'create', updateMetadata: 'update', upsertMetadata: 'upsert' } as const;
/** Metadata API operations that exist but the emulator does not implement. */
const OTHER_OPERATIONS = new Set([
  'cancelDeploy',
  'checkDeployStatus',
  'checkRetrieveStatus',
  'deploy',
  'deployRecentValidation',
  'describeMetadata',
  'describeValueType',
  'listMetadata',
  'renameMetadata',
  'retrieve',
]);

function resultXml(r: ComponentResult, withCreated: boolean): string {
  const errors = r.errors
    .map(
      (e) =>
        `<errors>${e.fields.map((f) => `<fields>${escapeXml(f)}</fields>`).join('')}<message>${escapeXml(e.message)}</message><statusCode>${escapeXml(e.statusCode)}</statusCode></errors>`,
    )
    .join('');
  const created = withCreated ? `<created>${r.created === true}</created>` : '';
  return `<result>${created}${errors}<fullName>${escapeXml(r.fullName)}</fullName><success>${r.success}</success></result>`;
}

function typeName(node: unknown): string | undefined {
  return attrOf(node, 'type')?.replace(/^.*:/, '');
}

export function registerMetadataRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  let writeOptions: WriteOptions = {};
  const store = new CustomMetadataStore(ctx.org, () => writeOptions);

  const send = (reply: FastifyReply, status: number, xml: string) =>
    reply.code(status).type('text/xml;charset=UTF-8').send(xml);

  const handler = async (request: FastifyRequest<{ Params: { version: string } }>, reply: FastifyReply) => {
    const path = (request.raw.url ?? request.url).split('?')[0]!;
    const body = Buffer.isBuffer(request.body)
      ? request.body.toString('utf8')
      : typeof request.body === 'string'
        ? request.body
        : '';
    // Retired (and unknown) versions: "SOAP API returns 500: UNSUPPORTED_API_VERSION" (Salesforce
    // knowledge article 000354473, API versions 21.0-30.0 retirement). Message wording ours.
    if (!checkVersion(`v${request.params.version}`).ok)
      return send(reply, 500, fault('UNSUPPORTED_API_VERSION', 'Invalid Api version specified on URL'));
    let req;
    try {
      req = parseSoapRequest(body);
    } catch (e) {
      if (e instanceof SoapParseError) return send(reply, 500, clientFault(`Error parsing SOAP request: ${e.message}`));
      throw e;
    }
    const session = ctx.auth.validate(req.sessionId);
    if (!session) {
      // Wording as Salesforce sends it (recorded in jsforce's own SOAP tests).
      return send(
        reply,
        500,
        fault('INVALID_SESSION_ID', 'Invalid Session ID found in SessionHeader: Illegal Session'),
      );
    }
    const injected = ctx.faults.take('POST', path, path);
    if (injected?.latencyMs) await new Promise((r) => setTimeout(r, injected.latencyMs));
    if (injected?.errorCode === 'REQUEST_LIMIT_EXCEEDED' || !ctx.limits.consume('DailyApiRequests', 1)) {
      return send(
        reply,
        injected?.status ?? 500,
        fault('REQUEST_LIMIT_EXCEEDED', injected?.message ?? 'TotalRequests Limit exceeded.'),
      );
    }
    ctx.usage.count('POST', '/services/Soap/m');
    if (injected && (injected.errorCode || injected.status)) {
      const code = injected.errorCode ?? 'SERVER_UNAVAILABLE';
      return send(reply, injected.status ?? 500, fault(code, injected.message ?? code));
    }
    writeOptions = { runAsUserId: session.userId, apiVersion: request.params.version };

    const op = req.operation;
    if (op in CRUD_SAVE) {
      const mode = CRUD_SAVE[op as keyof typeof CRUD_SAVE];
      const items = (req.args.metadata as unknown[] | undefined) ?? [];
      for (const item of items) {
        const t = typeName(item);
        if (t !== 'CustomMetadata') return send(reply, 500, unsupportedType(t ?? 'Metadata'));
      }
      const results = items.map((item) => store.save(item as XmlNode, mode));
      return send(
        reply,
        200,
        envelope(`<${op}Response>${results.map((r) => resultXml(r, mode === 'upsert')).join('')}</${op}Response>`),
      );
    }
    if (op === 'readMetadata' || op === 'deleteMetadata') {
      const type = textOf(req.args.type)?.trim() ?? '';
      if (type !== 'CustomMetadata') return send(reply, 500, unsupportedType(type));
      const names = ((req.args.fullNames as unknown[] | undefined) ?? []).map((n) => (textOf(n) ?? '').trim());
      if (op === 'readMetadata') {
        return send(
          reply,
          200,
          envelope(
            `<readMetadataResponse><result>${names.map((n) => store.readXml(n)).join('')}</result></readMetadataResponse>`,
          ),
        );
      }
      return send(
        reply,
        200,
        envelope(
          `<deleteMetadataResponse>${names.map((n) => resultXml(store.remove(n), false)).join('')}</deleteMetadataResponse>`,
        ),
      );
    }
    if (OTHER_OPERATIONS.has(op)) {
      return send(
        reply,
        500,
        fault(
          'UNKNOWN_EXCEPTION',
          `${op} is not supported by the Relay org emulator; only CustomMetadata CRUD calls are`,
        ),
      );
    }
    return send(reply, 500, clientFault(`No operation available for request {${METADATA_NS}}${op}`));
  };

  app.post('/services/Soap/m/:version', handler);
  app.post('/services/Soap/m/:version/', handler);
}

/** The emulator stores only CustomMetadata; other types get a fault naming the limitation. */
function unsupportedType(type: string): string {
  return fault(
    'INVALID_TYPE',
    `Metadata type ${type} is not supported by the Relay org emulator; only CustomMetadata is`,
  );
}
