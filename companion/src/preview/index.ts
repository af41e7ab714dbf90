// The browser preview of the managed package's UI (README.md), served by the companion:
//   GET  /preview                             records to open (those with Relay Tasks first)
//   GET  /preview/record/<id>                 a record page with Relay's sidebar (Lead, Contact, Account)
//   GET  /preview/setup                       the Relay Setup app page
//   POST /preview/apex/<Class>.<method>       what that @AuraEnabled method returns (apex/)
//   GET  /preview/events?channel=…            the platform events the page subscribes to (SSE)
//   GET  /preview/assets/<hash>/…             the bundle (preview/, `npm run build:preview`)
//   GET  /preview/slds/assets/…               SLDS's CSS and icons
// It is a development tool: it answers for the workspaces it was given an org key for, and only
// when enabled (the embedded emulator org of `npm start`, or RELAY_PREVIEW=on). Disabled, nothing
// is registered and /preview/* is a 404 — never an unauthenticated door into a real org.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { RouteContext, RoutePlugin } from '../http/routes.js';
import { isSalesforceId, objectOfId, to18 } from '../salesforce/ids.js';
import { soqlString } from '../salesforce/soql.js';
import { getWorkspace } from '../workspaces/store.js';
import type { TokenProvider } from '../salesforce/client.js';
import { APEX_ADAPTERS } from './apex/index.js';
import { AuraHandledException } from './apex/aura-error.js';
import type { AdapterContext } from './apex/context.js';
import { BundleKeeper, bundleByHash, PREVIEW_DIR } from './bundle.js';
import { EventHub } from './events.js';
import { PreviewOrg } from './org.js';
import { PackageApi } from './package-api.js';
import { indexRecords } from './records.js';
import { indexPage, messagePage, recordPage, setupPage, type RecordPageData } from './pages.js';
import { sendFile } from './static-files.js';

export interface PreviewOptions {
  /** Register the routes at all (see previewEnabled). */
  enabled: boolean;
  /** The workspace shown when the URL names none (`?workspace=<id>` picks another). */
  defaultWorkspaceId: string;
  /** Org keys by workspace id: the preview calls the package API as the package does, with the key. */
  orgKeys: Readonly<Record<string, string>>;
  /** Build the bundle when the routes are registered, so the first page is quick (default true). */
  buildOnStart?: boolean;
}

/** What the composition root adds: the workspaces' Salesforce sessions. */
export interface PreviewDeps {
  tokensFor(workspaceId: string): TokenProvider;
}

/** RELAY_PREVIEW=on|off decides; unset, the preview is on only with the embedded emulator org. */
export function previewEnabled(env: Readonly<Record<string, string | undefined>>, embeddedEmulator: boolean): boolean {
  const value = env.RELAY_PREVIEW?.trim().toLowerCase();
  if (value === 'on' || value === 'true' || value === '1') return true;
  if (value === 'off' || value === 'false' || value === '0') return false;
  return embeddedEmulator;
}

const BASE = '/preview';
const HIGHLIGHTS: Record<RecordPageData['objectApiName'], Array<[string, string]>> = {
  Lead: [
    ['Title', 'Title'],
    ['Company', 'Company'],
    ['Email', 'Email'],
    ['Phone', 'Phone'],
    ['Lead Status', 'Status'],
  ],
  Contact: [
    ['Title', 'Title'],
    ['Email', 'Email'],
    ['Phone', 'Phone'],
    ['Lead Source', 'LeadSource'],
  ],
  Account: [
    ['Industry', 'Industry'],
    ['Website', 'Website'],
    ['Phone', 'Phone'],
    ['Type', 'Type'],
  ],
};

function sldsAssetsDir(): string {
  // SLDS is a dependency of the preview workspace; resolve it from there.
  const require = createRequire(join(PREVIEW_DIR, 'package.json'));
  return join(dirname(require.resolve('@salesforce-ux/design-system/package.json')), 'assets');
}

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function previewRoutes(preview: PreviewOptions, deps: PreviewDeps): RoutePlugin {
  const options = { ...preview, ...deps };
  return async (app: FastifyInstance, ctx: RouteContext) => {
    if (!options.enabled) return;
    const bundles = new BundleKeeper();
    const hub = new EventHub();
    const contexts = new Map<string, Promise<AdapterContext & { orgName: string }>>();
    // preClose, not onClose: open event streams would keep the server from closing at all.
    app.addHook('preClose', async () => {
      hub.close();
      bundles.close();
    });
    if (options.buildOnStart ?? true) {
      bundles.ensure().then(
        (bundle) => ctx.log.info({ hash: bundle.hash }, 'preview bundle ready'),
        (error: unknown) => ctx.log.warn({ err: error }, 'preview bundle could not be built'),
      );
    }

    async function contextFor(workspaceParam: unknown): Promise<AdapterContext & { orgName: string }> {
      const id = typeof workspaceParam === 'string' && workspaceParam ? workspaceParam : options.defaultWorkspaceId;
      let context = contexts.get(id);
      if (!context) {
        context = (async () => {
          const orgKey = options.orgKeys[id];
          if (!orgKey) throw new HttpProblem(404, `The preview has no org key for workspace "${id}".`);
          const workspace = await getWorkspace(ctx.db, id);
          if (!workspace) throw new HttpProblem(404, `No workspace "${id}".`);
          if (!workspace.salesforce)
            throw new HttpProblem(409, `Workspace "${id}" is not connected to a Salesforce org.`);
          const org = new PreviewOrg(options.tokensFor(id));
          const [organization] = await org.query<{ Name: string }>('SELECT Name FROM Organization LIMIT 1');
          return { org, api: new PackageApi(app, orgKey), hub, log: ctx.log, orgName: organization?.Name ?? 'the org' };
        })();
        context.catch(() => contexts.delete(id));
        contexts.set(id, context);
      }
      return context;
    }

    const bundleForPage = () =>
      bundles.forPage((error) => ctx.log.warn({ err: error }, 'preview bundle could not be rebuilt'));

    async function page(reply: FastifyReply, render: () => Promise<string>): Promise<FastifyReply> {
      try {
        const html = await render();
        return reply.header('Cache-Control', 'no-store').type('text/html; charset=utf-8').send(html);
      } catch (error) {
        const status = error instanceof HttpProblem ? error.status : 500;
        if (status === 500) ctx.log.warn({ err: error }, 'preview page failed');
        const message = error instanceof Error ? error.message : String(error);
        return reply.code(status).type('text/html; charset=utf-8').send(messagePage('Relay preview', message));
      }
    }

    app.get<{ Querystring: { workspace?: string } }>(BASE, async (request, reply) =>
      page(reply, async () => {
        const context = await contextFor(request.query.workspace);
        return indexPage(
          { base: BASE },
          {
            orgName: context.orgName,
            workspaceId: request.query.workspace || options.defaultWorkspaceId,
            records: await indexRecords(context.org),
          },
        );
      }),
    );

    app.get<{ Params: { id: string }; Querystring: { workspace?: string } }>(
      `${BASE}/record/:id`,
      async (request, reply) =>
        page(reply, async () => {
          const { id } = request.params;
          const objectApiName = isSalesforceId(id) ? objectOfId(id) : undefined;
          if (objectApiName !== 'Lead' && objectApiName !== 'Contact' && objectApiName !== 'Account') {
            throw new HttpProblem(404, `"${id}" is not the id of a Lead, Contact or Account.`);
          }
          const [bundle, context] = await Promise.all([bundleForPage(), contextFor(request.query.workspace)]);
          const fields = HIGHLIGHTS[objectApiName];
          const recordId = to18(id);
          const [record] = await context.org.query<Record<string, unknown>>(
            `SELECT Id, Name, ${fields.map(([, f]) => f).join(', ')} FROM ${objectApiName} WHERE Id = ${soqlString(recordId)}`,
          );
          if (!record) throw new HttpProblem(404, `The org has no ${objectApiName} ${recordId}.`);
          return recordPage(
            { base: BASE, hash: bundle.hash },
            {
              recordId,
              objectApiName,
              name: String(record.Name ?? ''),
              fields: fields.map(([label, f]) => [
                label,
                record[f] === null || record[f] === undefined ? null : String(record[f]),
              ]),
              orgName: context.orgName,
              workspaceId: request.query.workspace || options.defaultWorkspaceId,
            },
          );
        }),
    );

    app.get<{ Querystring: { workspace?: string; tab?: string } }>(`${BASE}/setup`, async (request, reply) =>
      page(reply, async () => {
        const [bundle, context] = await Promise.all([bundleForPage(), contextFor(request.query.workspace)]);
        const tab = request.query.tab;
        return setupPage(
          { base: BASE, hash: bundle.hash },
          {
            orgName: context.orgName,
            workspaceId: request.query.workspace || options.defaultWorkspaceId,
            ...(tab && /^(connection|mappings|switches|health)$/.test(tab) ? { initialTab: tab } : {}),
          },
        );
      }),
    );

    app.post<{ Params: { method: string }; Querystring: { workspace?: string } }>(
      `${BASE}/apex/:method`,
      async (request, reply) => {
        const adapter = APEX_ADAPTERS[request.params.method];
        if (!adapter) {
          return reply
            .code(404)
            .send({ message: `No @AuraEnabled method ${request.params.method}.`, exceptionType: null });
        }
        const params =
          request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {};
        try {
          const result = await adapter(await contextFor(request.query.workspace), params);
          // An Apex String comes back as a JSON string, like every other return value.
          return reply
            .header('Cache-Control', 'no-store')
            .type('application/json; charset=utf-8')
            .send(JSON.stringify(result ?? null));
        } catch (error) {
          if (error instanceof HttpProblem)
            return reply.code(error.status).send({ message: error.message, exceptionType: null });
          if (error instanceof AuraHandledException) {
            return reply.code(400).send({ message: error.message, exceptionType: error.exceptionType });
          }
          ctx.log.warn({ err: error, method: request.params.method }, 'preview Apex adapter failed');
          // An unhandled Apex exception reaches the browser as a generic error with its message.
          const message = error instanceof Error ? error.message : String(error);
          return reply.code(500).send({ message, exceptionType: 'System.UnexpectedException' });
        }
      },
    );

    app.get<{ Querystring: { channel?: string; replayId?: string } }>(`${BASE}/events`, async (request, reply) => {
      const channel = request.query.channel ?? '';
      if (!channel.startsWith('/event/')) {
        return reply.code(400).send({ error: { code: 'INVALID_CHANNEL', message: 'channel must be /event/<name>' } });
      }
      hub.subscribe(channel, Number(request.query.replayId ?? -1), reply);
      return reply;
    });

    app.get<{ Params: { hash: string; '*': string } }>(`${BASE}/assets/:hash/*`, async (request, reply) => {
      const bundle = bundleByHash(request.params.hash);
      if (!bundle) {
        return reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'no such bundle; reload the page' } });
      }
      // The hash is in the URL, so a file never changes under it.
      return sendFile(reply, bundle.dir, request.params['*'], 'public, max-age=31536000, immutable');
    });

    const slds = sldsAssetsDir();
    app.get<{ Params: { '*': string } }>(`${BASE}/slds/assets/*`, async (request, reply) =>
      sendFile(reply, slds, request.params['*'], 'public, max-age=3600'),
    );
  };
}
