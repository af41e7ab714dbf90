// Getting an access token for a workspace's org through jsforce's OAuth2 client: the web-server
// flow (an admin signed in and allowed; the refresh token it left is exchanged for access tokens),
// client credentials (the emulator's `relay-dev` app, or an External Client App's integration
// user), JWT bearer (a certificate on the app, the integration user pre-authorised; no refresh
// token — a new assertion is signed each time) or username-password (blocked by default in orgs
// created since Summer '23; kept for sandboxes that still allow it). Also the authorization-code
// exchange that ends a web connect, and token revocation. Token requests go to the login host and
// do not count against the org's daily API limit.
import { createSign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { OAuth2 } from 'jsforce';
import { InvalidAuthenticationError, RetryableError } from '../errors.js';
import type { ConnectionSecrets, SalesforceConnection } from '../workspaces/types.js';

/** What a login needs: the connection's settings and its secrets (opened only for the login). */
export type LoginSettings = SalesforceConnection & ConnectionSecrets;

export interface Session {
  accessToken: string;
  instanceUrl: string;
  /** 00D… of the org, from the identity URL. */
  orgId: string;
  /** 005… of the integration user the token belongs to. */
  userId: string;
  issuedAt: number;
}

/** A session, plus the refresh token the web-server flow (and a rotating refresh) hands out. */
export interface Grant extends Session {
  refreshToken?: string;
  /** The identity URL (`…/id/00D…/005…`), which answers with the user's name and username. */
  identityUrl: string;
}

/**
 * Salesforce refused the credentials or the grant (OAuth `invalid_grant`, `invalid_client_id`,
 * `invalid_client`…): retrying cannot help, a person must fix the connection. `oauthError` is
 * Salesforce's code.
 */
export class OAuthRefusedError extends InvalidAuthenticationError {
  constructor(
    readonly oauthError: string,
    description: string,
    cause?: unknown,
  ) {
    super(`Salesforce refused the login: ${oauthError}: ${description}`, 'AUTHENTICATION_FAILED', 400, cause);
    this.name = 'OAuthRefusedError';
  }
}

interface TokenResponse {
  access_token?: string;
  refresh_token?: string;
  instance_url?: string;
  id?: string;
  issued_at?: string;
}

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

function base64url(input: string | Buffer): string {
  return Buffer.from(input).toString('base64url');
}

/** An RS256-signed assertion for the JWT bearer flow (OAuth 2.0 JWT Bearer Flow for Server-to-Server). */
export function signJwtAssertion(
  clientId: string,
  username: string,
  audience: string,
  privateKeyPem: string,
  now = Date.now(),
): string {
  const header = base64url(JSON.stringify({ alg: 'RS256' }));
  // Salesforce accepts an `exp` at most 3 minutes ahead.
  const claims = base64url(
    JSON.stringify({ iss: clientId, sub: username, aud: audience, exp: Math.floor(now / 1000) + 180 }),
  );
  const signer = createSign('RSA-SHA256');
  signer.update(`${header}.${claims}`);
  return `${header}.${claims}.${signer.sign(privateKeyPem).toString('base64url')}`;
}

/** `https://login.salesforce.com/id/00D…/005…` → ids. */
export function parseIdentityUrl(id: string | undefined): { orgId: string; userId: string } {
  const m = /\/id\/([a-zA-Z0-9]{15,18})\/([a-zA-Z0-9]{15,18})\/?$/.exec(id ?? '');
  if (!m) throw new InvalidAuthenticationError(`the token response has no usable identity URL (${id ?? 'none'})`);
  return { orgId: m[1]!, userId: m[2]! };
}

/** The audience a JWT assertion names: where the login happens. */
function jwtAudience(loginUrl: string): string {
  return /test\.salesforce\.com|\.sandbox\./.test(loginUrl)
    ? 'https://test.salesforce.com'
    : 'https://login.salesforce.com';
}

const trimUrl = (url: string): string => url.replace(/\/+$/, '');

function oauthClient(settings: Pick<LoginSettings, 'loginUrl' | 'clientId' | 'clientSecret'>, withSecret: boolean) {
  return new OAuth2({
    loginUrl: trimUrl(settings.loginUrl),
    clientId: settings.clientId,
    ...(withSecret && settings.clientSecret ? { clientSecret: settings.clientSecret } : {}),
  });
}

/** What went wrong talking to the login host, as one of our errors. */
function loginFailure(error: unknown): IntegrationErrorLike {
  if (error instanceof InvalidAuthenticationError) return error;
  const e = error as Error & { code?: string };
  // OAuth errors come back as an Error whose name is the OAuth `error` (invalid_grant,
  // invalid_client_id…): the credentials are wrong. Anything else (connection refused, 5xx) is
  // the login host being unreachable: try again later.
  if (/^invalid_|^unsupported_|^unauthorized_|^inactive_|^access_denied/.test(e.name)) {
    return new OAuthRefusedError(e.name, e.message, error);
  }
  if (/^ERROR_HTTP_5/.test(e.name) || e.code || e.name === 'FetchError' || e.name === 'AbortError') {
    return new RetryableError(
      `the Salesforce login host is unreachable: ${e.message}`,
      'NETWORK_ERROR',
      undefined,
      undefined,
      error,
    );
  }
  return new InvalidAuthenticationError(
    `Salesforce login failed: ${e.name}: ${e.message}`,
    'AUTHENTICATION_FAILED',
    undefined,
    error,
  );
}

type IntegrationErrorLike = InvalidAuthenticationError | RetryableError;

function toGrant(response: TokenResponse): Grant {
  if (!response.access_token || !response.instance_url) {
    throw new InvalidAuthenticationError('the token response has no access_token or instance_url');
  }
  const { orgId, userId } = parseIdentityUrl(response.id);
  return {
    accessToken: response.access_token,
    instanceUrl: trimUrl(response.instance_url),
    orgId,
    userId,
    issuedAt: Number(response.issued_at) || Date.now(),
    identityUrl: response.id!,
    ...(response.refresh_token ? { refreshToken: response.refresh_token } : {}),
  };
}

async function requestGrant(settings: LoginSettings): Promise<TokenResponse> {
  const loginUrl = trimUrl(settings.loginUrl);
  switch (settings.authFlow) {
    case 'client_credentials':
      return (await oauthClient(settings, true).requestToken({ grant_type: 'client_credentials' })) as TokenResponse;
    case 'password':
      return (await oauthClient(settings, true).authenticate(
        settings.username ?? '',
        settings.password ?? '',
      )) as TokenResponse;
    case 'web':
      if (!settings.refreshToken) throw new InvalidAuthenticationError('the web connection has no refresh token');
      return (await oauthClient(settings, true).refreshToken(settings.refreshToken)) as TokenResponse;
    case 'jwt_bearer': {
      const key =
        settings.privateKeyPem ?? (settings.privateKeyFile ? await readFile(settings.privateKeyFile, 'utf8') : '');
      if (!settings.username || !key) {
        throw new InvalidAuthenticationError('the JWT bearer flow needs a username and a private key');
      }
      const assertion = signJwtAssertion(settings.clientId, settings.username, jwtAudience(loginUrl), key);
      // The JWT flow must not send a client secret.
      return (await oauthClient(settings, false).requestToken({ grant_type: JWT_GRANT, assertion })) as TokenResponse;
    }
    default:
      throw new InvalidAuthenticationError(`unknown authentication flow '${String(settings.authFlow)}'`);
  }
}

/**
 * Gets an access token once (a refresh token for the web flow); throws OAuthRefusedError
 * (refused), InvalidAuthenticationError or RetryableError (login host down).
 */
export async function login(settings: LoginSettings): Promise<Grant> {
  let response: TokenResponse;
  try {
    response = await requestGrant(settings);
  } catch (error) {
    throw loginFailure(error);
  }
  // A refresh answers without a new refresh token unless the app rotates them: keep the old one.
  const grant = toGrant(response);
  return settings.authFlow === 'web' && !grant.refreshToken && settings.refreshToken
    ? { ...grant, refreshToken: settings.refreshToken }
    : grant;
}

export interface CodeExchange {
  loginUrl: string;
  clientId: string;
  clientSecret?: string;
  code: string;
  codeVerifier: string;
  redirectUri: string;
}

/** The end of the web-server flow: the authorization code (with its PKCE verifier) for tokens. */
export async function exchangeCode(input: CodeExchange): Promise<Grant> {
  try {
    const response = (await oauthClient(input, true).requestToken({
      grant_type: 'authorization_code',
      code: input.code,
      code_verifier: input.codeVerifier,
      redirect_uri: input.redirectUri,
    })) as TokenResponse;
    return toGrant(response);
  } catch (error) {
    throw loginFailure(error);
  }
}

/** Where the admin signs in and allows: the authorize URL with PKCE (S256) and a state. */
export function authorizeUrl(input: {
  loginUrl: string;
  clientId: string;
  redirectUri: string;
  state: string;
  codeChallenge: string;
}): string {
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: input.clientId,
    redirect_uri: input.redirectUri,
    state: input.state,
    code_challenge: input.codeChallenge,
    code_challenge_method: 'S256',
    // `api` for REST and Bulk, `refresh_token` for a grant that outlives the access token.
    scope: 'api refresh_token',
    prompt: 'login consent',
  });
  return `${trimUrl(input.loginUrl)}/services/oauth2/authorize?${params.toString()}`;
}

/** Revokes a token at Salesforce (a refresh token revokes the whole grant). */
export async function revokeToken(loginUrl: string, token: string): Promise<void> {
  try {
    await new OAuth2({ loginUrl: trimUrl(loginUrl) }).revokeToken(token);
  } catch (error) {
    throw loginFailure(error);
  }
}
