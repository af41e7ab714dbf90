// Access tokens per workspace, shared by every process through the database (sealed), renewed one
// at a time. A web connection's refresh token may be rotated by Salesforce at each use, so two
// processes refreshing together would leave one of them holding a token Salesforce already
// replaced; the renewal therefore runs under a lock — in-process for PGlite (one process owns the
// data folder), a PostgreSQL advisory lock held by the renewing transaction otherwise — and whoever
// gets the lock second finds the new token already stored and uses it instead of refreshing again.
// A grant Salesforce refuses (revoked, expired, user deactivated) marks the workspace
// `needs_reconnect`: the engine then holds its events instead of retrying into the refusal.
import type { Logger } from 'pino';
import type { Db } from '../db/types.js';
import { sealContext, type Vault } from '../secrets/vault.js';
import { login, OAuthRefusedError, type Grant, type LoginSettings } from '../salesforce/auth.js';
import type { Session } from '../salesforce/auth.js';
import type { TokenProvider } from '../salesforce/client.js';
import { getConnectionSecrets, getWorkspace, saveConnectionSecrets, setConnectionStatus } from '../workspaces/store.js';

const context = (workspaceId: string) => sealContext('salesforce_tokens', 'access_token', workspaceId);

/** The refusal of a workspace that has no working connection (no login was tried). */
export const NOT_CONNECTED = 'not_connected';

interface TokenRow {
  [key: string]: unknown;
  access_token: string;
  instance_url: string;
  org_id: string;
  user_id: string;
  issued_at: Date;
}

export interface TokenStoreOptions {
  db: Db;
  vault: Vault;
  log: Logger;
  /** Told after a workspace's connection was found refused (the engine drops its client). */
  onRefused?: (workspaceId: string) => void;
}

/** One per process: the token provider of each workspace, and the renewal lock. */
export class TokenStore {
  /** Token requests made by this process (tests count refreshes with it). */
  renewals = 0;
  readonly #renewing = new Map<string, Promise<Session>>();

  constructor(private readonly options: TokenStoreOptions) {}

  /** The provider a workspace's Salesforce client asks for sessions. */
  for(workspaceId: string): TokenProvider {
    let known: Session | undefined;
    return {
      session: async () => (known ??= (await this.#stored(workspaceId)) ?? (await this.renew(workspaceId, undefined))),
      renew: async (stale) => (known = await this.renew(workspaceId, stale)),
    };
  }

  /** A token a connect just obtained becomes the workspace's. */
  async adopt(workspaceId: string, session: Session): Promise<void> {
    await this.#store(this.options.db, workspaceId, session);
  }

  /** Forgets the stored token (disconnect, reconnect with other settings). */
  async forget(workspaceId: string, db: Db = this.options.db): Promise<void> {
    await db.query('DELETE FROM salesforce_tokens WHERE workspace_id = $1', [workspaceId]);
  }

  /**
   * A new session because `stale` was refused (or none is stored). Concurrent callers in this
   * process share one renewal; other processes wait on the lock and take what it stored.
   */
  renew(workspaceId: string, stale: Session | undefined): Promise<Session> {
    let running = this.#renewing.get(workspaceId);
    if (!running) {
      running = this.#locked(workspaceId, (db) => this.#renewUnderLock(db, workspaceId, stale))
        .catch(async (error: unknown) => {
          // Recorded after the lock's transaction ended (which a throw rolls back).
          if (error instanceof OAuthRefusedError && error.oauthError !== NOT_CONNECTED)
            await this.#refused(workspaceId, error);
          throw error;
        })
        .finally(() => this.#renewing.delete(workspaceId));
      this.#renewing.set(workspaceId, running);
    }
    return running;
  }

  async #locked<T>(workspaceId: string, work: (db: Db) => Promise<T>): Promise<T> {
    const { db } = this.options;
    // PGlite: this process is the only one; the in-process map above already serialises.
    if (db.kind === 'pglite') return work(db);
    return db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('relay-token:' || $1))`, [workspaceId]);
      return work(tx);
    });
  }

  async #renewUnderLock(db: Db, workspaceId: string, stale: Session | undefined): Promise<Session> {
    const stored = await this.#stored(workspaceId, db);
    if (stored && stored.accessToken !== stale?.accessToken) return stored;
    const workspace = await getWorkspace(db, workspaceId);
    // A refused connection is not tried again until it is made anew: retrying a revoked grant would
    // only hammer the login host.
    if (!workspace?.salesforce || workspace.connection.status !== 'connected') {
      throw new OAuthRefusedError(
        NOT_CONNECTED,
        workspace?.connection.lastError ?? 'the workspace is not connected to an org',
      );
    }
    const secrets = await getConnectionSecrets(db, this.options.vault, workspaceId);
    const settings: LoginSettings = { ...workspace.salesforce, ...secrets };
    this.renewals += 1;
    const grant: Grant = await login(settings);
    if (grant.refreshToken && grant.refreshToken !== secrets.refreshToken) {
      await saveConnectionSecrets(db, this.options.vault, workspaceId, {
        ...secrets,
        refreshToken: grant.refreshToken,
      });
    }
    await this.#store(db, workspaceId, grant);
    return grant;
  }

  async #refused(workspaceId: string, error: OAuthRefusedError): Promise<void> {
    await this.forget(workspaceId);
    if (await setConnectionStatus(this.options.db, workspaceId, 'needs_reconnect', error.message)) {
      this.options.log.warn(
        { workspaceId, oauthError: error.oauthError },
        'Salesforce refused the connection; the workspace needs to be connected again (events are kept)',
      );
    }
    this.options.onRefused?.(workspaceId);
  }

  async #stored(workspaceId: string, db: Db = this.options.db): Promise<Session | undefined> {
    const { rows } = await db.query<TokenRow>(
      'SELECT access_token, instance_url, org_id, user_id, issued_at FROM salesforce_tokens WHERE workspace_id = $1',
      [workspaceId],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      accessToken: this.options.vault.open(row.access_token, context(workspaceId)),
      instanceUrl: row.instance_url,
      orgId: row.org_id,
      userId: row.user_id,
      issuedAt: row.issued_at.getTime(),
    };
  }

  async #store(db: Db, workspaceId: string, session: Session): Promise<void> {
    await db.query(
      `INSERT INTO salesforce_tokens (workspace_id, access_token, instance_url, org_id, user_id, issued_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (workspace_id) DO UPDATE SET access_token = excluded.access_token,
         instance_url = excluded.instance_url, org_id = excluded.org_id, user_id = excluded.user_id,
         issued_at = excluded.issued_at, generation = salesforce_tokens.generation + 1`,
      [
        workspaceId,
        this.options.vault.seal(session.accessToken, context(workspaceId)),
        session.instanceUrl,
        session.orgId,
        session.userId,
        new Date(session.issuedAt),
      ],
    );
  }
}
