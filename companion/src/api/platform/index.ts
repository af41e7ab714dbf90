// The platform API (docs/platform-api.md) inside the platform's signedScope: `Relay-Workspace` and a
// `Relay-Signature` over the raw body (an empty one for GET), checked before anything else — so an
// unsigned request is 401 whatever its parameters. Every request acts on the signing workspace's own
// org only (its Salesforce connection), which is the tenant boundary. Parameters are checked in the
// handlers, after authentication, never by a Fastify schema (that would answer 400 before 401).
// Routes: contact lookup, exists, PATCH and its revert; one event's status; the conflict log.
import type { FastifyInstance } from 'fastify';
import { signedScope, requireWorkspace, type RouteContext } from '../../http/routes.js';
import type { Engine } from '../../sync/engine.js';
import type { ReverseSync } from '../../reverse/index.js';
import type { Workspace } from '../../workspaces/types.js';
import { salesforceFailure } from './access.js';
import { conflictsDoc, existsDoc, lookupDoc, patchDoc } from './docs.js';
import { platformConflicts } from '../../conflicts/api.js';
import { eventStatusDoc, revertDoc } from './docs-revert-events.js';
import { eventStatus } from './event-status.js';
import { emailsExist } from './exists.js';
import { LOOKUP_KEY_FIELDS, lookupContacts, type Match } from './lookup.js';
import type { LookupCache } from './lookup-cache.js';
import { patchContact, type PlatformWrite } from './patch.js';
import { rememberPrevious } from './previous-values.js';
import { revertContact } from './revert.js';

export interface PlatformApiDeps {
  engine: Engine;
  reverse: ReverseSync;
  /** Lookup answers kept a minute per workspace; the composition root drops a changed workspace's. */
  lookups: LookupCache<Match>;
}

async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw salesforceFailure(error);
  }
}

export function registerPlatformApi(app: FastifyInstance, ctx: RouteContext, deps: PlatformApiDeps): void {
  const { engine, reverse, lookups } = deps;
  // What follows every write Relay makes for the platform (PATCH, revert).
  const remember = (workspace: Workspace) => async (write: PlatformWrite) => {
    // A field lookups find people by (MobilePhone, when mapped) may move the record between
    // answers: none of the workspace's is trusted then.
    if (Object.keys(write.fields).some((f) => LOOKUP_KEY_FIELDS.has(f.toLowerCase()))) lookups.forget(workspace.id);
    if (write.previous)
      await rememberPrevious(ctx.db, workspace.id, write.object, write.id, write.previous, write.fields);
    await reverse.rememberPlatformWrite(workspace.id, write.object, write.id, write.fields);
  };
  app.register(
    signedScope(ctx, (scope) => {
      scope.get('/v1/contacts/lookup', { config: { openapi: lookupDoc } }, async (request) =>
        guarded(() =>
          lookupContacts(
            engine,
            lookups,
            requireWorkspace(request),
            request.query as Record<string, unknown>,
            reverse.pollOptions.configMaxAgeMs,
          ),
        ),
      );
      scope.post('/v1/contacts/exists', { config: { openapi: existsDoc } }, async (request) =>
        guarded(() => emailsExist(engine, requireWorkspace(request), request.body)),
      );
      // The conflict log of the signing workspace only: no Salesforce call.
      scope.get('/v1/conflicts', { config: { openapi: conflictsDoc } }, async (request) =>
        platformConflicts(ctx.db, requireWorkspace(request).id, request.query as Record<string, string>),
      );
      scope.patch('/v1/contacts/:id', { config: { openapi: patchDoc } }, async (request) => {
        const workspace = requireWorkspace(request);
        const id = (request.params as { id: string }).id;
        try {
          return await guarded(() => patchContact(engine, workspace, id, request.body, remember(workspace)));
        } finally {
          // Whatever the answer (a timeout can hide a saved write), the record's cached lookups go.
          lookups.forgetRecord(workspace.id, id);
        }
      });
      scope.post('/v1/contacts/:id/revert', { config: { openapi: revertDoc } }, async (request) => {
        const workspace = requireWorkspace(request);
        const id = (request.params as { id: string }).id;
        try {
          return await guarded(() =>
            revertContact(engine, workspace, id, request.body, { db: ctx.db, remember: remember(workspace) }),
          );
        } finally {
          lookups.forgetRecord(workspace.id, id);
        }
      });
      // A source or id holding "/" arrives encoded (%2F) and is decoded here, once, as one segment.
      scope.get('/v1/events/:source/:id', { config: { openapi: eventStatusDoc } }, async (request) => {
        const { source, id } = request.params as { source: string; id: string };
        return eventStatus(ctx.db, requireWorkspace(request), source, id);
      });
    }),
  );
}
