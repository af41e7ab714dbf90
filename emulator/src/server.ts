// The emulator as a Fastify app: `createEmulator()` builds the org from a seed (or a data file),
// mounts OAuth, REST, part B's Bulk and Metadata routes and the control plane, and listens on
// 127.0.0.1. Tests use it in-process; the CLI and the companion's `npm start` use it too.
import { createServer } from 'node:http';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { EmulatorContext } from './context.js';
import { Org, type OrgSnapshot } from './org.js';
import { applySeed, type SeedName } from './seed/index.js';
import type { AdminRules } from './store/admin-rules.js';
import { Sessions } from './oauth/sessions.js';
import { OAuthConfig } from './oauth/clients.js';
import { registerOAuthRoutes } from './oauth/routes.js';
import { registerSoapLogin } from './oauth/soap-login.js';
import { Usage } from './control/usage.js';
import { Faults } from './control/faults.js';
import { Limits } from './control/limits.js';
import { registerControlRoutes } from './control/routes.js';
import { registerRestRoutes } from './rest/index.js';
import { registerBulk1Routes } from './bulk1/index.js';
import { sessionOf } from './rest/guard.js';
import { collapseSlashes } from './rest/paths.js';

export interface EmulatorOptions {
  /** TCP port; 0 picks a free one. Default 0. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Seed used when no data file exists, and by `/__emulator/reset` without a seed. Default `demo`. */
  seed?: SeedName;
  /** Mount the `/__emulator/` control plane. Default true. */
  control?: boolean;
  /** Persist the org to this JSON file (loaded at start when present, written atomically). */
  dataFile?: string;
  /** Package source folder (force-app/main/default of this repository by default). */
  packageDir?: string;
  /** Access-token lifetime in seconds (default 7200). */
  tokenTtlSeconds?: number;
  /** PEM certificate or public key that signs JWT bearer assertions. */
  jwtCertificate?: string;
  /** DailyApiRequests maximum (default 100,000, an Enterprise Edition org). */
  dailyApiRequests?: number;
  /** Admin rules (duplicate and validation rules) switched on after seeding and after every reset. */
  rules?: AdminRules;
  /** Fastify request logging (default off). */
  logger?: boolean;
  /** The org's id (00D…, 18 characters); unset, the seed's. Emulators standing for different orgs need their own. */
  orgId?: string;
}

export interface RunningEmulator {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  org: Org;
  ctx: EmulatorContext;
  app: FastifyInstance;
  /** Writes the data file (if any) and stops listening. */
  close(): Promise<void>;
}

type RouteModule = { [name: string]: unknown };

/** Part B's route modules, mounted when present (they land independently of this file). */
async function optionalRoutes(
  path: string,
  exportName: string,
): Promise<((app: FastifyInstance, ctx: EmulatorContext) => unknown) | undefined> {
  try {
    const mod = (await import(path)) as RouteModule;
    const fn = mod[exportName];
    return typeof fn === 'function' ? (fn as (app: FastifyInstance, ctx: EmulatorContext) => unknown) : undefined;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (
      code === 'ERR_MODULE_NOT_FOUND' &&
      String((e as Error).message).includes(path.replace(/^\.\//, '').replace(/\.js$/, ''))
    )
      return undefined;
    throw e;
  }
}

function installBodyParsers(app: FastifyInstance): void {
  // Salesforce reads JSON (and XML for SOAP); plain text is refused with 415.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (e) {
      const err = new Error(`Unexpected character in the JSON request body: ${(e as Error).message}`) as Error & {
        statusCode: number;
        sfErrorCode: string;
      };
      err.statusCode = 400;
      err.sfErrorCode = 'JSON_PARSER_ERROR';
      done(err, undefined);
    }
  });
  // SOAP (login here, the Metadata API in part B) reads XML bodies as text.
  app.addContentTypeParser(
    ['text/xml', 'application/xml', 'application/soap+xml'],
    { parseAs: 'string' },
    (_req, body, done) => done(null, String(body)),
  );
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
}

function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler(
    (error: FastifyError & { sfErrorCode?: string }, request: FastifyRequest, reply: FastifyReply) => {
      const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
      if (request.url.startsWith('/services/oauth2')) {
        return reply.code(400).send({ error: 'invalid_request', error_description: error.message });
      }
      let errorCode = error.sfErrorCode ?? 'UNKNOWN_EXCEPTION';
      let message = error.message;
      if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
        errorCode = 'UNSUPPORTED_MEDIA_TYPE';
        message = `Content type '${request.headers['content-type'] ?? ''}' not supported`;
      } else if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        errorCode = 'REQUEST_ENTITY_TOO_LARGE';
      } else if (status >= 500) {
        request.log.error(error);
        message =
          'An unexpected error occurred. Please include this ErrorId if you contact support: 0000000000-00000 (0000000000)';
      }
      return reply.code(status).send([{ message, errorCode }]);
    },
  );
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/__emulator'))
      return reply.code(404).send({ error: `no control route ${request.method} ${request.url.split('?')[0]}` });
    return reply.code(404).send([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
  });
}

export async function createEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const seed = options.seed ?? 'demo';
  const org = new Org({ packageDir: options.packageDir, ...(options.orgId ? { orgId: options.orgId } : {}) });
  const dataFile = options.dataFile;
  if (dataFile && existsSync(dataFile)) {
    org.restore(JSON.parse(readFileSync(dataFile, 'utf8')) as OrgSnapshot);
  } else {
    applySeed(org, seed);
    if (options.rules) org.rules = structuredClone(options.rules);
  }

  const sessions = new Sessions();
  if (options.tokenTtlSeconds) sessions.ttlSeconds = options.tokenTtlSeconds;
  const oauth = new OAuthConfig();
  if (options.jwtCertificate) oauth.setJwtCertificate(options.jwtCertificate);
  const limits = new Limits();
  if (options.dailyApiRequests !== undefined) limits.setMax('DailyApiRequests', options.dailyApiRequests);
  // Salesforce counts 2 KB of data storage per record.
  limits.storageUsedMB = () => Math.ceil((org.store.count() * 2) / 1024);

  let baseUrl = '';
  const ctx: EmulatorContext = {
    org,
    auth: sessions,
    session: sessionOf,
    usage: new Usage(),
    limits,
    faults: new Faults(),
    baseUrl: () => baseUrl,
    sendError: (reply, status, errorCode, message, fields) =>
      reply.code(status).send([fields ? { message, errorCode, fields } : { message, errorCode }]),
  };

  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 160 * 1024 * 1024,
    routerOptions: { maxParamLength: 20000 },
    // Salesforce answers 414 above 16,384 bytes of URI; Node's default header limit (16 KB for the
    // request line and headers together) would answer 431 first, so raise it and let the guard judge.
    serverFactory: (handler) => createServer({ maxHeaderSize: 256 * 1024 }, handler),
    // Every route, hook and the guard then see the path Salesforce would resolve.
    rewriteUrl: (req) => collapseSlashes(req.url ?? '/'),
  });
  installBodyParsers(app);
  installErrorHandlers(app);
  // Salesforce labels its JSON `application/json;charset=UTF-8`; Fastify's default label for
  // objects sent without a type (errors, faults, the version list) is written differently.
  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.url.startsWith('/__emulator') && reply.getHeader('content-type') === 'application/json; charset=utf-8')
      reply.header('content-type', 'application/json;charset=UTF-8');
    return payload;
  });
  registerOAuthRoutes(app, ctx, oauth);
  registerSoapLogin(app, ctx, oauth);
  registerRestRoutes(app, ctx);
  const bulk = await optionalRoutes('./bulk/index.js', 'registerBulkRoutes');
  if (bulk) await bulk(app, ctx);
  await registerBulk1Routes(app, ctx);
  const metadata = await optionalRoutes('./metadata/index.js', 'registerMetadataRoutes');
  if (metadata) await metadata(app, ctx);

  // Persistence: write at most every 250 ms after a change (longer when the org is big enough for
  // a write to take time), always through a temporary file renamed over the old one.
  let timer: NodeJS.Timeout | undefined;
  let lastWriteMs = 0;
  const save = () => {
    if (!dataFile) return;
    timer = undefined;
    const started = Date.now();
    const tmp = `${dataFile}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(org.snapshot()));
    renameSync(tmp, dataFile);
    lastWriteMs = Date.now() - started;
  };
  if (dataFile) {
    org.onChange(() => {
      if (!timer) timer = setTimeout(save, Math.max(250, lastWriteMs * 4));
    });
  }
  const afterReset = () => {
    if (options.rules) org.rules = structuredClone(options.rules);
    if (dataFile) save();
  };
  if (options.control !== false) registerControlRoutes(app, ctx, oauth, { afterReset });

  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  baseUrl = `http://${options.host ?? '127.0.0.1'}:${port}`;

  return {
    url: baseUrl,
    port,
    org,
    ctx,
    app,
    async close() {
      if (timer) {
        clearTimeout(timer);
        save();
      }
      await app.close();
    },
  };
}
