// OAuth 2.0 endpoints as Salesforce serves them: the token endpoint (client credentials, password,
// refresh token, JWT bearer, authorization code with PKCE), the authorize page, revoke, userinfo
// and the identity URL. Errors are `{"error","error_description"}` with HTTP 400, as Salesforce's.
import { createHash, createHmac, createVerify, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Org } from '../org.js';
import type { OAuthConfig } from './clients.js';
import type { Session, Sessions } from './sessions.js';
import { bearerToken } from './bearer.js';
import { authorizePage } from './pages.js';
import { to18 } from '../ids.js';

type Params = Record<string, string | undefined>;

interface PendingCode {
  code: string;
  userId: string;
  clientId: string;
  redirectUri: string;
  challenge?: string;
  challengeMethod?: string;
  scope: string;
  expiresAt: number;
}

function oauthError(reply: FastifyReply, error: string, description: string, status = 400): FastifyReply {
  return reply.code(status).type('application/json;charset=UTF-8').send({ error, error_description: description });
}

function params(request: FastifyRequest): Params {
  const out: Params = {};
  const q = request.query as Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(q ?? {})) out[k] = typeof v === 'string' ? v : undefined;
  const b = request.body;
  if (b && typeof b === 'object')
    for (const [k, v] of Object.entries(b as Record<string, unknown>)) out[k] = typeof v === 'string' ? v : String(v);
  return out;
}

function base64url(buf: Buffer): string {
  return buf.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(s: string): Buffer {
  return Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/**
 * What the OAuth endpoints and SOAP login use. The emulator's context satisfies it; naming the
 * parts here keeps oauth/ from depending on the context module, which depends on oauth/.
 */
export interface OAuthContext {
  readonly org: Org;
  readonly auth: Sessions;
  baseUrl(): string;
}

export function registerOAuthRoutes(app: FastifyInstance, ctx: OAuthContext, config: OAuthConfig): void {
  const codes = new Map<string, PendingCode>();

  const userByUsername = (username: string | undefined) => {
    if (!username) return undefined;
    const row = ctx.org.find('User', 'Username', username)[0];
    return row && row.IsActive !== false ? row : undefined;
  };

  const identityUrl = (s: { orgId: string; userId: string }) => `${ctx.baseUrl()}/id/${s.orgId}/${s.userId}`;

  const tokenResponse = (session: Session, extra: Record<string, string> = {}) => {
    const id = identityUrl(session);
    const issuedAt = String(session.issuedAt);
    const signature = createHmac('sha256', config.clientSecret)
      .update(id + issuedAt)
      .digest('base64');
    return {
      access_token: session.accessToken,
      ...extra,
      signature,
      scope: session.scope,
      instance_url: ctx.baseUrl(),
      id,
      token_type: 'Bearer',
      issued_at: issuedAt,
    };
  };

  const checkClient = (reply: FastifyReply, p: Params, secretRequired: boolean): boolean => {
    if (p.client_id !== config.clientId) {
      oauthError(reply, 'invalid_client_id', 'client identifier invalid');
      return false;
    }
    if ((secretRequired || p.client_secret !== undefined) && p.client_secret !== config.clientSecret) {
      oauthError(reply, 'invalid_client', 'invalid client credentials');
      return false;
    }
    return true;
  };

  app.post('/services/oauth2/token', async (request, reply) => {
    const p = params(request);
    // Clients may authenticate with HTTP Basic (RFC 6749 §2.3.1) instead of body parameters.
    const basic = /^Basic\s+(.+)$/i.exec(request.headers.authorization ?? '');
    if (basic && p.client_id === undefined) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) {
        p.client_id = decodeURIComponent(decoded.slice(0, colon));
        p.client_secret = decodeURIComponent(decoded.slice(colon + 1));
      }
    }
    switch (p.grant_type) {
      case 'client_credentials': {
        if (!checkClient(reply, p, true)) return reply;
        const user = userByUsername(config.clientCredentialsUser) ?? ctx.org.row(ctx.org.adminUserId);
        if (!user) return oauthError(reply, 'invalid_grant', 'no client credentials user enabled');
        const session = ctx.auth.issue(ctx.org.orgId, user.Id as string, config.clientId, 'api');
        return reply.send(tokenResponse(session));
      }
      case 'password': {
        if (!checkClient(reply, p, true)) return reply;
        const user = userByUsername(p.username);
        // A security token may be appended to the password, as users of real orgs do.
        if (!user || !p.password || !p.password.startsWith(config.password))
          return oauthError(reply, 'invalid_grant', 'authentication failure');
        const session = ctx.auth.issue(ctx.org.orgId, user.Id as string, config.clientId, 'api');
        return reply.send(tokenResponse(session));
      }
      case 'refresh_token': {
        if (!checkClient(reply, p, false)) return reply;
        const grant = p.refresh_token ? ctx.auth.refreshGrant(p.refresh_token) : undefined;
        if (!grant || grant.clientId !== p.client_id)
          return oauthError(reply, 'invalid_grant', 'expired access/refresh token');
        const session = ctx.auth.issue(grant.orgId, grant.userId, grant.clientId, grant.scope);
        return reply.send(tokenResponse(session));
      }
      case 'authorization_code': {
        if (!checkClient(reply, p, false)) return reply;
        const pending = p.code ? codes.get(p.code) : undefined;
        if (!pending || pending.expiresAt < Date.now() || pending.clientId !== p.client_id) {
          if (p.code) codes.delete(p.code);
          return oauthError(reply, 'invalid_grant', 'invalid authorization code');
        }
        codes.delete(pending.code);
        if (p.redirect_uri !== pending.redirectUri)
          return oauthError(reply, 'invalid_grant', 'redirect_uri must match configuration');
        if (pending.challenge) {
          if (!p.code_verifier) return oauthError(reply, 'invalid_grant', 'invalid code verifier');
          const computed =
            pending.challengeMethod === 'plain'
              ? p.code_verifier
              : base64url(createHash('sha256').update(p.code_verifier).digest());
          if (computed !== pending.challenge) return oauthError(reply, 'invalid_grant', 'invalid code verifier');
        } else if (p.client_secret === undefined) {
          return oauthError(reply, 'invalid_client', 'invalid client credentials');
        }
        const session = ctx.auth.issue(ctx.org.orgId, pending.userId, pending.clientId, pending.scope);
        const refreshToken = ctx.auth.issueRefreshToken(ctx.org.orgId, pending.userId, pending.clientId, pending.scope);
        return reply.send(tokenResponse(session, { refresh_token: refreshToken }));
      }
      case 'urn:ietf:params:oauth:grant-type:jwt-bearer':
        return jwtBearer(reply, p);
      case undefined:
      case '':
        return oauthError(reply, 'unsupported_grant_type', 'grant type not supported');
      default:
        return oauthError(reply, 'unsupported_grant_type', 'grant type not supported');
    }
  });

  const jwtBearer = (reply: FastifyReply, p: Params) => {
    const parts = (p.assertion ?? '').split('.');
    if (parts.length !== 3) return oauthError(reply, 'invalid_grant', 'invalid assertion');
    let header: { alg?: string };
    let claims: { iss?: string; sub?: string; aud?: string | string[]; exp?: number };
    try {
      header = JSON.parse(fromBase64url(parts[0]!).toString('utf8'));
      claims = JSON.parse(fromBase64url(parts[1]!).toString('utf8'));
    } catch {
      return oauthError(reply, 'invalid_grant', 'invalid assertion');
    }
    if (header.alg !== 'RS256') return oauthError(reply, 'invalid_grant', 'invalid assertion');
    const key = config.jwtPublicKey;
    const verified =
      !!key && createVerify('RSA-SHA256').update(`${parts[0]}.${parts[1]}`).verify(key, fromBase64url(parts[2]!));
    if (claims.iss !== config.clientId) return oauthError(reply, 'invalid_client_id', 'client identifier invalid');
    if (!verified) return oauthError(reply, 'invalid_grant', 'invalid assertion');
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    const allowed = ['https://login.salesforce.com', 'https://test.salesforce.com', ctx.baseUrl()];
    if (!audiences.some((a) => a && allowed.includes(a.replace(/\/$/, ''))))
      return oauthError(reply, 'invalid_grant', 'audience is invalid');
    if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now())
      return oauthError(reply, 'invalid_grant', 'expired authorization code');
    const user = userByUsername(claims.sub);
    if (!user) return oauthError(reply, 'invalid_grant', "user hasn't approved this consumer");
    const session = ctx.auth.issue(ctx.org.orgId, user.Id as string, config.clientId, 'api');
    return reply.send(tokenResponse(session));
  };

  const authorizeParams = (p: Params) => ({
    client_id: p.client_id ?? '',
    redirect_uri: p.redirect_uri ?? '',
    response_type: p.response_type ?? '',
    state: p.state,
    scope: p.scope,
    code_challenge: p.code_challenge,
    code_challenge_method: p.code_challenge_method,
  });

  /**
   * The development app's callback URLs: any http(s) address on loopback, as a Connected App lists
   * its own (a real org compares against that list and answers redirect_uri_mismatch).
   */
  const allowedRedirect = (uri: string): boolean => {
    try {
      const url = new URL(uri);
      return /^https?:$/.test(url.protocol) && /^(127\.0\.0\.1|localhost|\[::1\])$/.test(url.hostname);
    } catch {
      return false;
    }
  };

  app.get('/services/oauth2/authorize', async (request, reply) => {
    const p = authorizeParams(params(request));
    if (p.client_id !== config.clientId)
      return reply
        .code(400)
        .type('text/html')
        .send(authorizePage.error('invalid_client_id', 'client identifier invalid'));
    if (p.response_type !== 'code')
      return reply
        .code(400)
        .type('text/html')
        .send(authorizePage.error('unsupported_response_type', 'response type not supported'));
    if (!p.redirect_uri || !allowedRedirect(p.redirect_uri))
      return reply
        .code(400)
        .type('text/html')
        .send(authorizePage.error('redirect_uri_mismatch', 'redirect_uri must match configuration'));
    return reply.type('text/html; charset=utf-8').send(authorizePage.login(p));
  });

  app.post('/services/oauth2/authorize', async (request, reply) => {
    const all = params(request);
    const p = authorizeParams(all);
    if (p.client_id !== config.clientId || p.response_type !== 'code' || !allowedRedirect(p.redirect_uri)) {
      return reply
        .code(400)
        .type('text/html')
        .send(authorizePage.error('invalid_request', 'invalid authorization request'));
    }
    const redirect = new URL(p.redirect_uri);
    if (p.state) redirect.searchParams.set('state', p.state);
    if (all.action === 'deny') {
      redirect.searchParams.set('error', 'access_denied');
      redirect.searchParams.set('error_description', 'end-user denied authorization');
      return reply.redirect(redirect.toString(), 302);
    }
    const user = userByUsername(all.username);
    if (!user || all.password !== config.password) {
      return reply
        .code(200)
        .type('text/html; charset=utf-8')
        .send(
          authorizePage.login(
            p,
            "Please check your username and password. If you still can't log in, contact your Salesforce administrator.",
          ),
        );
    }
    const code = `aPrx${base64url(randomBytes(48))}`;
    codes.set(code, {
      code,
      userId: user.Id as string,
      clientId: p.client_id,
      redirectUri: p.redirect_uri,
      challenge: p.code_challenge,
      challengeMethod: p.code_challenge_method ?? (p.code_challenge ? 'plain' : undefined),
      scope: p.scope ? p.scope : 'api refresh_token',
      expiresAt: Date.now() + 15 * 60 * 1000,
    });
    redirect.searchParams.set('code', code);
    return reply.redirect(redirect.toString(), 302);
  });

  const revoke = async (request: FastifyRequest, reply: FastifyReply) => {
    const p = params(request);
    if (!p.token || !ctx.auth.revoke(p.token))
      return oauthError(reply, 'unsupported_token_type', 'this token type is not supported');
    return reply.code(200).send();
  };
  app.post('/services/oauth2/revoke', revoke);
  app.get('/services/oauth2/revoke', revoke);

  const userDocument = (session: Session) => {
    const user = ctx.org.row(session.userId)!;
    const org = ctx.org.row(session.orgId);
    const base = ctx.baseUrl();
    const v = '62.0';
    const urls = {
      enterprise: `${base}/services/Soap/c/${v}/${session.orgId.slice(0, 15)}`,
      metadata: `${base}/services/Soap/m/${v}/${session.orgId.slice(0, 15)}`,
      partner: `${base}/services/Soap/u/${v}/${session.orgId.slice(0, 15)}`,
      rest: `${base}/services/data/v${v}/`,
      sobjects: `${base}/services/data/v${v}/sobjects/`,
      search: `${base}/services/data/v${v}/search/`,
      query: `${base}/services/data/v${v}/query/`,
      recent: `${base}/services/data/v${v}/recent/`,
      tooling_soap: `${base}/services/Soap/T/${v}/${session.orgId.slice(0, 15)}`,
      tooling_rest: `${base}/services/data/v${v}/tooling/`,
      profile: `${base}/${session.userId}`,
      feeds: `${base}/services/data/v${v}/chatter/feeds`,
      groups: `${base}/services/data/v${v}/chatter/groups`,
      users: `${base}/services/data/v${v}/chatter/users`,
      feed_items: `${base}/services/data/v${v}/chatter/feed-items`,
      feed_elements: `${base}/services/data/v${v}/chatter/feed-elements`,
      custom_domain: base,
    };
    return { user, org, urls };
  };

  app.get('/services/oauth2/userinfo', async (request, reply) => {
    const session = ctx.auth.validate(bearerToken(request));
    if (!session) return reply.code(403).type('text/plain').send('Bad_OAuth_Token');
    const { user, urls } = userDocument(session);
    return reply.send({
      sub: identityUrl(session),
      user_id: session.userId,
      organization_id: session.orgId,
      preferred_username: user.Username,
      nickname: user.Alias,
      name: user.Name,
      email: user.Email,
      email_verified: true,
      given_name: user.FirstName,
      family_name: user.LastName,
      zoneinfo: user.TimeZoneSidKey,
      photos: { picture: `${ctx.baseUrl()}/profilephoto/005/F`, thumbnail: `${ctx.baseUrl()}/profilephoto/005/T` },
      profile: `${ctx.baseUrl()}/${session.userId}`,
      picture: `${ctx.baseUrl()}/profilephoto/005/F`,
      address: {},
      is_salesforce_integration_user: false,
      urls,
      active: user.IsActive !== false,
      user_type: 'STANDARD',
      language: user.LanguageLocaleKey,
      locale: user.LocaleSidKey,
      utcOffset: -28800000,
      updated_at: user.LastModifiedDate,
      is_app_installed: true,
    });
  });

  app.get('/id/:orgId/:userId', async (request, reply) => {
    const session = ctx.auth.validate(bearerToken(request) ?? (request.query as Params).oauth_token);
    if (!session) return reply.code(403).type('text/plain').send('Bad_OAuth_Token');
    const { orgId, userId } = request.params as { orgId: string; userId: string };
    if (to18(orgId) !== session.orgId || !to18(userId)) return reply.code(403).type('text/plain').send('Bad_Id');
    const target = ctx.org.row(userId);
    if (!target || ctx.org.objectOfId(target.Id as string)?.name !== 'User')
      return reply.code(404).type('text/plain').send('Bad_Id');
    const { urls } = userDocument({ ...session, userId: target.Id as string });
    return reply.send({
      id: identityUrl({ orgId: session.orgId, userId: target.Id as string }),
      asserted_user: target.Id === session.userId,
      user_id: target.Id,
      organization_id: session.orgId,
      username: target.Username,
      nick_name: target.Alias,
      display_name: target.Name,
      email: target.Email,
      email_verified: true,
      first_name: target.FirstName,
      last_name: target.LastName,
      timezone: target.TimeZoneSidKey,
      photos: { picture: `${ctx.baseUrl()}/profilephoto/005/F`, thumbnail: `${ctx.baseUrl()}/profilephoto/005/T` },
      addr_street: null,
      addr_city: null,
      addr_state: null,
      addr_country: null,
      addr_zip: null,
      mobile_phone: null,
      mobile_phone_verified: false,
      is_lightning_login_user: false,
      status: { created_date: null, body: null },
      urls,
      active: target.IsActive !== false,
      user_type: 'STANDARD',
      language: target.LanguageLocaleKey,
      locale: target.LocaleSidKey,
      utcOffset: -28800000,
      last_modified_date: target.LastModifiedDate,
      is_app_installed: true,
    });
  });
}
