// Connecting a workspace to its Salesforce org, and disconnecting it. Every connect is verified by
// one REST call before anything is saved (the Organization row: proves the API is enabled for the
// org and the user, and says whether it is a sandbox), so a wrong secret or a user without API
// access is refused at once with Salesforce's reason instead of surfacing later as failed events.
//
//   web         startWeb → the admin opens the authorize URL, signs in, allows → Salesforce
//               redirects to GET /v1/oauth/callback → finishWeb exchanges the code (PKCE S256;
//               `state` bound to the workspace, single use, valid 10 minutes)
//   jwt_bearer, client_credentials   connectServer: a login with the given credentials
//
// Disconnect revokes the grant at Salesforce and forgets it; the workspace's events keep arriving
// and wait until it is connected again.
import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db } from '../db/types.js';
import { IntegrationError, InvalidAuthenticationError } from '../errors.js';
import { sealContext, type Vault } from '../secrets/vault.js';
import { authorizeUrl, exchangeCode, login, OAuthRefusedError, revokeToken, type Grant } from '../salesforce/auth.js';
import type { ApiBudget } from '../salesforce/budget.js';
import { SalesforceClient } from '../salesforce/client.js';
import { clearConnection, getConnectionSecrets, saveConnection, setConnectionStatus } from '../workspaces/store.js';
import type { ConnectionSecrets, OrgEnvironment, SalesforceConnection, Workspace } from '../workspaces/types.js';
import type { TokenStore } from './tokens.js';

export const STATE_TTL_SECONDS = 600;

const LOGIN_HOSTS: Record<Exclude<OrgEnvironment, 'mydomain'>, string> = {
  production: 'https://login.salesforce.com',
  sandbox: 'https://test.salesforce.com',
};

/** Why a connect was refused, for the operator: Salesforce's code and what to do. */
export class ConnectError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'ConnectError';
  }
}

export interface ServerConnect {
  flow: 'jwt_bearer' | 'client_credentials' | 'password';
  loginUrl: string;
  clientId: string;
  clientSecret?: string;
  username?: string;
  privateKeyPem?: string;
  /** Only from RELAY_SF_PRIVATE_KEY_FILE: the key is read from the file at each login. */
  privateKeyFile?: string;
  password?: string;
  environment?: OrgEnvironment;
}

export interface WebConnect {
  environment: OrgEnvironment;
  loginUrl?: string;
  clientId: string;
  clientSecret?: string;
}

interface StoredRequest {
  workspaceId: string;
  codeVerifier: string;
  loginUrl: string;
  clientId: string;
  clientSecret?: string;
  environment: OrgEnvironment;
  redirectUri: string;
}

export interface ConnectDeps {
  db: Db;
  vault: Vault;
  tokens: TokenStore;
  budget: ApiBudget;
  log: Logger;
  /** `https://relay.example.com`: where Salesforce sends the admin back. */
  publicUrl(): string;
  /** After a connection changed: drop cached clients, wake the workspace's waiting events. */
  changed(workspaceId: string | null): Promise<void>;
}

/** The login host of an environment; `loginUrl` overrides it (My Domain needs it). */
export function loginHost(environment: OrgEnvironment | undefined, loginUrl: string | undefined): string {
  if (loginUrl) {
    let url: URL;
    try {
      url = new URL(loginUrl);
    } catch {
      throw new ConnectError('BAD_REQUEST', `loginUrl: not a URL (${loginUrl})`);
    }
    if (url.protocol !== 'https:' && !/^(127\.0\.0\.1|localhost|\[::1\])$/.test(url.hostname)) {
      throw new ConnectError('BAD_REQUEST', 'loginUrl: must be https (http only on loopback)');
    }
    return url.origin;
  }
  if (environment === 'mydomain' || environment === undefined) {
    throw new ConnectError('BAD_REQUEST', 'loginUrl: required for My Domain (https://<name>.my.salesforce.com)');
  }
  return LOGIN_HOSTS[environment];
}

const hashState = (state: string): string => createHash('sha256').update(state, 'utf8').digest('hex');

export class ConnectService {
  constructor(private readonly deps: ConnectDeps) {}

  /** Starts a web connect: the URL the admin opens. */
  async startWeb(workspace: Workspace, input: WebConnect): Promise<{ authorizeUrl: string; expiresAt: string }> {
    const loginUrl = loginHost(input.environment, input.loginUrl);
    const state = randomBytes(32).toString('base64url');
    const codeVerifier = randomBytes(64).toString('base64url');
    const publicUrl = this.deps.publicUrl();
    if (!publicUrl)
      throw new ConnectError(
        'NO_PUBLIC_URL',
        'set RELAY_PUBLIC_URL: Salesforce needs the address to send the admin back to',
      );
    const redirectUri = `${publicUrl}/v1/oauth/callback`;
    const request: StoredRequest = {
      workspaceId: workspace.id,
      codeVerifier,
      loginUrl,
      clientId: input.clientId,
      ...(input.clientSecret ? { clientSecret: input.clientSecret } : {}),
      environment: input.environment,
      redirectUri,
    };
    const stateHash = hashState(state);
    const { rows } = await this.deps.db.query<{ expires_at: Date }>(
      `INSERT INTO oauth_states (state_hash, workspace_id, request, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4)) RETURNING expires_at`,
      [
        stateHash,
        workspace.id,
        this.deps.vault.seal(JSON.stringify(request), sealContext('oauth_states', 'request', stateHash)),
        STATE_TTL_SECONDS,
      ],
    );
    // Old states go with each new one: they are single use and short-lived anyway.
    await this.deps.db.query(`DELETE FROM oauth_states WHERE expires_at < now() - interval '1 day'`);
    const codeChallenge = createHash('sha256').update(codeVerifier).digest('base64url');
    return {
      authorizeUrl: authorizeUrl({ loginUrl, clientId: input.clientId, redirectUri, state, codeChallenge }),
      expiresAt: rows[0]!.expires_at.toISOString(),
    };
  }

  /** The callback: `state` is taken (once) and the code exchanged; the connection is verified and saved. */
  async finishWeb(state: string, code: string): Promise<Workspace> {
    const stateHash = hashState(state);
    const { rows } = await this.deps.db.query<{ request: string }>(
      `UPDATE oauth_states SET used_at = now()
        WHERE state_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING request`,
      [stateHash],
    );
    if (!rows[0]) {
      throw new ConnectError(
        'INVALID_STATE',
        'this sign-in link was already used, has expired (10 minutes) or was not issued here: start the connection again',
      );
    }
    const request = JSON.parse(
      this.deps.vault.open(rows[0].request, sealContext('oauth_states', 'request', stateHash)),
    ) as StoredRequest;
    const grant = await this.#refusedAsConnectError(() =>
      exchangeCode({
        loginUrl: request.loginUrl,
        clientId: request.clientId,
        ...(request.clientSecret ? { clientSecret: request.clientSecret } : {}),
        code,
        codeVerifier: request.codeVerifier,
        redirectUri: request.redirectUri,
      }),
    );
    const connection: SalesforceConnection = {
      loginUrl: request.loginUrl,
      authFlow: 'web',
      clientId: request.clientId,
      environment: request.environment,
    };
    const secrets: ConnectionSecrets = {
      ...(request.clientSecret ? { clientSecret: request.clientSecret } : {}),
      ...(grant.refreshToken ? { refreshToken: grant.refreshToken } : {}),
    };
    if (!grant.refreshToken) {
      throw new ConnectError(
        'NO_REFRESH_TOKEN',
        "Salesforce issued no refresh token: add the 'refresh_token, offline_access' scope to the Connected App",
      );
    }
    return this.#verifyAndSave(request.workspaceId, connection, secrets, grant);
  }

  /** JWT bearer or client credentials: logs in, verifies, saves. */
  async connectServer(workspace: Workspace, input: ServerConnect): Promise<Workspace> {
    const connection: SalesforceConnection = {
      loginUrl: loginHost(input.environment, input.loginUrl),
      authFlow: input.flow,
      clientId: input.clientId,
      ...(input.environment ? { environment: input.environment } : {}),
      ...(input.username ? { username: input.username } : {}),
      ...(input.privateKeyFile ? { privateKeyFile: input.privateKeyFile } : {}),
    };
    const secrets: ConnectionSecrets = {
      ...(input.clientSecret ? { clientSecret: input.clientSecret } : {}),
      ...(input.privateKeyPem ? { privateKeyPem: input.privateKeyPem } : {}),
      ...(input.password ? { password: input.password } : {}),
    };
    const grant = await this.#refusedAsConnectError(() => login({ ...connection, ...secrets }));
    return this.#verifyAndSave(workspace.id, connection, secrets, grant);
  }

  /** Revokes the grant at Salesforce and forgets the connection. Says whether Salesforce confirmed. */
  async disconnect(workspace: Workspace): Promise<{ workspace: Workspace; revoked: boolean; revokeError?: string }> {
    let revoked = false;
    let revokeError: string | undefined;
    if (workspace.salesforce) {
      const secrets = await getConnectionSecrets(this.deps.db, this.deps.vault, workspace.id);
      const stored = await this.deps.tokens
        .for(workspace.id)
        .session()
        .catch(() => undefined);
      // A refresh token revokes the whole grant; without one the access token is all there is.
      const token = secrets.refreshToken ?? stored?.accessToken;
      if (token) {
        try {
          await revokeToken(workspace.salesforce.loginUrl, token);
          revoked = true;
        } catch (error) {
          revokeError = (error as Error).message;
          this.deps.log.warn({ workspaceId: workspace.id, err: error }, 'token not revoked at Salesforce');
        }
      }
    }
    const cleared = await clearConnection(this.deps.db, workspace.id);
    await this.deps.changed(workspace.id);
    return { workspace: cleared ?? workspace, revoked, ...(revokeError ? { revokeError } : {}) };
  }

  async #refusedAsConnectError(work: () => Promise<Grant>): Promise<Grant> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof OAuthRefusedError) throw new ConnectError(error.oauthError, error.message);
      if (error instanceof InvalidAuthenticationError) throw new ConnectError('AUTHENTICATION_FAILED', error.message);
      if (error instanceof IntegrationError) throw new ConnectError(error.code, error.message, 502);
      throw error;
    }
  }

  /** One REST call with the new token; then the connection, its secrets and its token are saved. */
  async #verifyAndSave(
    workspaceId: string,
    connection: SalesforceConnection,
    secrets: ConnectionSecrets,
    grant: Grant,
  ): Promise<Workspace> {
    const client = new SalesforceClient({
      workspaceId,
      tokens: {
        session: async () => grant,
        renew: async () => {
          throw new InvalidAuthenticationError('the new token was refused at once');
        },
      },
      budget: this.deps.budget,
      log: this.deps.log,
    });
    let org: { IsSandbox?: boolean } | undefined;
    try {
      const res = await client.request<{ records: Array<{ IsSandbox?: boolean }> }>({
        method: 'GET',
        path: `/query?q=${encodeURIComponent('SELECT Id, Name, IsSandbox FROM Organization')}`,
        label: 'connect.verify',
      });
      org = res.body.records[0];
    } catch (error) {
      const code = error instanceof IntegrationError ? error.code : 'UNKNOWN_EXCEPTION';
      if (code === 'API_DISABLED_FOR_ORG' || code === 'API_CURRENTLY_DISABLED') {
        await setConnectionStatus(this.deps.db, workspaceId, 'api_disabled', (error as Error).message);
        throw new ConnectError(
          code,
          `${(error as Error).message} — the org's edition or the user's profile lacks API access: give the integration user the "API Enabled" permission (the Relay Integration permission set does not grant it)`,
        );
      }
      throw new ConnectError(code, `the first call to the org failed: ${(error as Error).message}`);
    }
    const username = await this.#username(grant);
    const saved = await saveConnection(this.deps.db, this.deps.vault, workspaceId, connection, secrets, {
      orgId: grant.orgId,
      instanceUrl: grant.instanceUrl,
      isSandbox: org?.IsSandbox ?? null,
      username,
      connectedAt: new Date().toISOString(),
    });
    if (!saved) throw new ConnectError('NOT_FOUND', `workspace '${workspaceId}' no longer exists`, 404);
    await this.deps.tokens.adopt(workspaceId, grant);
    await this.deps.changed(workspaceId);
    return saved;
  }

  /** The integration user's username, from the identity URL (not an API call). */
  async #username(grant: Grant): Promise<string | null> {
    try {
      const res = await fetch(grant.identityUrl, {
        headers: { authorization: `Bearer ${grant.accessToken}`, accept: 'application/json' },
        signal: AbortSignal.timeout(15_000),
      });
      if (!res.ok) return null;
      const body = (await res.json()) as { username?: unknown };
      return typeof body.username === 'string' ? body.username : null;
    } catch {
      return null;
    }
  }
}
