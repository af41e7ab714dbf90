// Access and refresh tokens. Access tokens look like Salesforce's (`<orgId>!<opaque>`), expire
// after a configurable time and can be revoked one by one or all at once (the control plane's
// `expireSessions`), after which every API answers 401 INVALID_SESSION_ID and a client must use
// its refresh token or log in again.
import { randomBytes } from 'node:crypto';

export interface Session {
  accessToken: string;
  orgId: string;
  userId: string;
  clientId: string;
  issuedAt: number;
  expiresAt: number;
  scope: string;
}

interface RefreshGrant {
  refreshToken: string;
  orgId: string;
  userId: string;
  clientId: string;
  scope: string;
}

function opaque(bytes: number): string {
  return randomBytes(bytes)
    .toString('base64')
    .replace(/[/+=]/g, (c) => (c === '/' ? '_' : c === '+' ? '.' : ''));
}

export class Sessions {
  /** Lifetime of a new access token in seconds (Salesforce's default session timeout is 2 hours). */
  ttlSeconds = 7200;
  private readonly byToken = new Map<string, Session>();
  private readonly refreshTokens = new Map<string, RefreshGrant>();

  issue(orgId: string, userId: string, clientId: string, scope = 'api refresh_token'): Session {
    const now = Date.now();
    const session: Session = {
      accessToken: `${orgId.slice(0, 15)}!AQ${opaque(72)}`,
      orgId,
      userId,
      clientId,
      issuedAt: now,
      expiresAt: now + this.ttlSeconds * 1000,
      scope,
    };
    this.byToken.set(session.accessToken, session);
    return session;
  }

  issueRefreshToken(orgId: string, userId: string, clientId: string, scope: string): string {
    const refreshToken = `5Aep861${opaque(60)}`;
    this.refreshTokens.set(refreshToken, { refreshToken, orgId, userId, clientId, scope });
    return refreshToken;
  }

  refreshGrant(refreshToken: string): RefreshGrant | undefined {
    return this.refreshTokens.get(refreshToken);
  }

  /** The live session of an access token; undefined when unknown, revoked or expired. */
  validate(token: string | undefined): Session | undefined {
    if (!token) return undefined;
    const session = this.byToken.get(token);
    if (!session) return undefined;
    if (session.expiresAt <= Date.now()) {
      this.byToken.delete(token);
      return undefined;
    }
    return session;
  }

  /** Revokes an access token or a refresh token (revoking a refresh token also ends its sessions). */
  revoke(token: string): boolean {
    if (this.byToken.delete(token)) return true;
    const grant = this.refreshTokens.get(token);
    if (!grant) return false;
    this.refreshTokens.delete(token);
    for (const [key, s] of this.byToken) {
      if (s.userId === grant.userId && s.clientId === grant.clientId) this.byToken.delete(key);
    }
    return true;
  }

  /** Ends every access token (refresh tokens stay valid, as after a session timeout). */
  expireAll(): void {
    this.byToken.clear();
  }
}
