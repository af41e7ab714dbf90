// Getting an access token for a workspace's org through jsforce's OAuth2 client: client
// credentials (the emulator's `relay-dev` app, or an External Client App's integration user), JWT
// bearer (a certificate on the app, the integration user pre-authorised; no refresh token — a new
// assertion is signed each time) or username-password (blocked by default in orgs created since
// Summer '23; kept for sandboxes that still allow it). Token requests go to the login host and do
// not count against the org's daily API limit.
import { createSign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { OAuth2 } from 'jsforce';
import { InvalidAuthenticationError, RetryableError } from '../errors.js';
import type { SalesforceConnection } from '../workspaces/types.js';

export interface Session {
  accessToken: string;
  instanceUrl: string;
  /** 00D… of the org, from the identity URL. */
  orgId: string;
  /** 005… of the integration user the token belongs to. */
  userId: string;
  issuedAt: number;
}

interface TokenResponse {
  access_token?: string;
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

/** Logs in once; throws InvalidAuthenticationError (refused) or RetryableError (login host down). */
export async function login(connection: SalesforceConnection): Promise<Session> {
  const loginUrl = connection.loginUrl.replace(/\/+$/, '');
  const oauth2 = new OAuth2({
    loginUrl,
    clientId: connection.clientId,
    // The JWT flow must not send a client secret; the others need it.
    ...(connection.authFlow !== 'jwt_bearer' && connection.clientSecret
      ? { clientSecret: connection.clientSecret }
      : {}),
  });
  let response: TokenResponse;
  try {
    switch (connection.authFlow) {
      case 'client_credentials':
        response = (await oauth2.requestToken({ grant_type: 'client_credentials' })) as TokenResponse;
        break;
      case 'password':
        response = (await oauth2.authenticate(connection.username ?? '', connection.password ?? '')) as TokenResponse;
        break;
      case 'jwt_bearer': {
        if (!connection.username || !connection.privateKeyFile) {
          throw new InvalidAuthenticationError('the JWT bearer flow needs a username and a private key file');
        }
        const key = await readFile(connection.privateKeyFile, 'utf8');
        const audience = /test\.salesforce\.com|\.sandbox\./.test(loginUrl)
          ? 'https://test.salesforce.com'
          : 'https://login.salesforce.com';
        const assertion = signJwtAssertion(connection.clientId, connection.username, audience, key);
        response = (await oauth2.requestToken({ grant_type: JWT_GRANT, assertion })) as TokenResponse;
        break;
      }
      default:
        throw new InvalidAuthenticationError(`unknown authentication flow '${String(connection.authFlow)}'`);
    }
  } catch (error) {
    if (error instanceof InvalidAuthenticationError) throw error;
    const e = error as Error & { code?: string };
    // OAuth errors come back as an Error whose name is the OAuth `error` (invalid_grant,
    // invalid_client_id…): the credentials are wrong. Anything else (connection refused, 5xx) is
    // the login host being unreachable: try again later.
    if (/^invalid_|^unsupported_|^unauthorized_/.test(e.name)) {
      throw new InvalidAuthenticationError(
        `Salesforce refused the login: ${e.name}: ${e.message}`,
        'AUTHENTICATION_FAILED',
        400,
        error,
      );
    }
    if (/^ERROR_HTTP_5/.test(e.name) || e.code || e.name === 'FetchError' || e.name === 'AbortError') {
      throw new RetryableError(
        `the Salesforce login host is unreachable: ${e.message}`,
        'NETWORK_ERROR',
        undefined,
        undefined,
        error,
      );
    }
    throw new InvalidAuthenticationError(
      `Salesforce login failed: ${e.name}: ${e.message}`,
      'AUTHENTICATION_FAILED',
      undefined,
      error,
    );
  }
  if (!response.access_token || !response.instance_url) {
    throw new InvalidAuthenticationError('the token response has no access_token or instance_url');
  }
  const { orgId, userId } = parseIdentityUrl(response.id);
  return {
    accessToken: response.access_token,
    instanceUrl: response.instance_url.replace(/\/+$/, ''),
    orgId,
    userId,
    issuedAt: Number(response.issued_at) || Date.now(),
  };
}
