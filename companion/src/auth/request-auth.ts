// The two ways a request proves which workspace it acts for: a Relay-Signature (platforms:
// intake and the platform API) and a Bearer org key (the managed package). Failures are 401 with
// a message that says what to fix, and never reveal whether a workspace id exists.
import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/types.js';
import { HttpError } from '../http/errors.js';
import type { RouteAuth } from '../http/routes.js';
import type { WorkspaceDirectory } from '../workspaces/directory.js';
import { workspacesOfOrg } from '../workspaces/store.js';
import { findOrgByKey } from '../workspaces/org-keys.js';
import type { Workspace } from '../workspaces/types.js';
import { hashOrgKey } from '../workspaces/keys.js';
import { SIGNATURE_HEADER, WORKSPACE_HEADER, verifySignature } from './signature.js';

export interface RequestAuthDeps {
  db: Db;
  workspaces: WorkspaceDirectory;
  toleranceSeconds: number;
  now: () => number;
  /** How long an org key → org and workspaces lookup is cached. */
  orgKeyCacheMs?: number;
}

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

export interface RequestAuth extends RouteAuth {
  /** Drops the cached org key lookups (a workspace joined or left an org, a key was rotated). */
  forgetOrgs(): void;
}

export function createRequestAuth(deps: RequestAuthDeps): RequestAuth {
  const orgKeys = new Map<string, { orgId: string | null; workspaces: Workspace[]; expiresAt: number }>();
  const orgKeyCacheMs = deps.orgKeyCacheMs ?? 5000;

  return {
    forgetOrgs: () => orgKeys.clear(),
    async verifySigned(request, body) {
      const workspaceId = header(request, WORKSPACE_HEADER)?.trim();
      if (!workspaceId) {
        throw new HttpError(401, 'UNAUTHENTICATED', 'Relay-Workspace header is missing (the workspace id)');
      }
      const signature = header(request, SIGNATURE_HEADER);
      const credentials = await deps.workspaces.credentials(workspaceId);
      // An unknown workspace is checked against a throwaway secret so the answer (and its timing)
      // is the same as for a wrong signature.
      const check = verifySignature({
        header: signature,
        secret: credentials
          ? credentials.signingSecrets
              .filter((s) => s.validUntil === null || s.validUntil > deps.now())
              .map((s) => s.secret)
          : 'relay:unknown-workspace',
        body,
        nowSeconds: Math.floor(deps.now() / 1000),
        toleranceSeconds: deps.toleranceSeconds,
      });
      if (!check.ok) throw new HttpError(401, 'UNAUTHENTICATED', check.message);
      if (!credentials) {
        throw new HttpError(
          401,
          'UNAUTHENTICATED',
          "Relay-Signature does not match: sign '<t>.' followed by the exact raw body with the workspace's secret",
        );
      }
      return credentials.workspace;
    },

    async verifyOrgKey(request) {
      const authorization = header(request, 'authorization');
      const match = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
      if (!match) {
        throw new HttpError(
          401,
          'UNAUTHENTICATED',
          'Authorization: Bearer <org key> is required (the key printed for the workspace)',
        );
      }
      const key = match[1]!;
      const cacheKey = hashOrgKey(key);
      const now = Date.now();
      let cached = orgKeys.get(cacheKey);
      if (!cached || cached.expiresAt <= now) {
        const orgId = await findOrgByKey(deps.db, key);
        const workspaces = orgId ? await workspacesOfOrg(deps.db, orgId) : [];
        cached = { orgId, workspaces, expiresAt: now + orgKeyCacheMs };
        if (orgKeys.size > 10_000) orgKeys.clear();
        orgKeys.set(cacheKey, cached);
      }
      if (!cached.orgId) {
        throw new HttpError(
          401,
          'UNAUTHENTICATED',
          'the org key is not valid (mistyped, or rotated: paste the current key)',
        );
      }
      if (cached.workspaces.length === 0) {
        throw new HttpError(401, 'UNAUTHENTICATED', 'the org key is valid, but no workspace is connected to this org');
      }
      return { orgId: cached.orgId, workspaces: cached.workspaces };
    },
  };
}
