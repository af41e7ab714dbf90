// One Salesforce client per workspace (its org): a jsforce 3.10.16 Connection pinned to
// SALESFORCE_API_VERSION with `Sforce-Call-Options: client=relay` on every call (Change Data
// Capture reports it as `changeOrigin`, which is how Relay's reverse sync recognises its own
// writes), and one `request` through which every call passes, so that every call is
//  - reserved against Relay's API budget before it is sent (budget.ts),
//  - bounded by a timeout and never retried behind our back (jsforce's fetch layer retries GETs on
//    5xx up to five times by default: each retry is an API call we would not see),
//  - counted and classified (errors.ts) when it answers, with `Sforce-Limit-Info` recorded,
//  - repeated once with a new token on INVALID_SESSION_ID (jsforce's own refresh would loop for
//    as long as the org keeps answering 401; and client credentials / JWT have no refresh token).
import { Connection } from 'jsforce';
import { HttpApi } from 'jsforce/lib/http-api.js';
import type { HttpResponse, Schema } from 'jsforce';
import type { Logger } from 'pino';
import {
  IntegrationError,
  InvalidAuthenticationError,
  LimitPauseError,
  RetryableError,
  errorItems,
  primaryError,
  retryDecision,
  triesAgain,
} from '../errors.js';
import { login, type LoginSettings, type Session } from './auth.js';
import { parseLimitInfo, type ApiBudget } from './budget.js';
import { DATA_PATH, SALESFORCE_API_VERSION } from './version.js';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface SalesforceRequest {
  method: HttpMethod;
  /** Relative to `/services/data/vNN.N` (`/composite`), or absolute from the host (`/services/…`). */
  path: string;
  /** JSON-serialised unless a string (CSV uploads). */
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  /** What the call is for, in counters and logs: `composite`, `query`, `bulk.create`… */
  label: string;
  signal?: AbortSignal;
  /**
   * Counted but not refused by Relay's own budget: the budget check's reads while the workspace
   * is paused for API_BUDGET (sync/budget-check.ts). Salesforce's own limit still applies.
   */
  budgetCheck?: boolean;
  /**
   * Changes nothing in the org (a query, Composite or Composite Batch of queries): sent once more
   * when the connection it went out on turned out closed (see `request`). GETs are always.
   */
  readOnly?: boolean;
}

export interface SalesforceResponse<T = unknown> {
  status: number;
  headers: Record<string, string>;
  body: T;
}

export interface CallRecord {
  label: string;
  status: number | null;
  ms: number;
  /** The org the call went to. */
  orgId: string;
  /** The request path, e.g. `/composite` or `/services/data/v66.0/jobs/ingest/750…` (metrics/endpoint.ts). */
  path: string;
}

/**
 * Where a client gets its sessions: the workspace's stored token (connections/tokens.ts) or, for
 * tools and tests, a plain login (`loginTokens`).
 */
export interface TokenProvider {
  /** The current session (a new login when there is none). */
  session(): Promise<Session>;
  /** A new session because `stale` was refused (INVALID_SESSION_ID). */
  renew(stale: Session | undefined): Promise<Session>;
}

/** Sessions from a login with these settings, kept in memory only. */
export function loginTokens(settings: LoginSettings): TokenProvider {
  let current: Promise<Session> | undefined;
  const fresh = () =>
    (current = login(settings).catch((error: unknown) => {
      current = undefined;
      throw error;
    }));
  return {
    session: () => current ?? fresh(),
    renew: () => fresh(),
  };
}

export interface ClientOptions {
  workspaceId: string;
  tokens: TokenProvider;
  budget: ApiBudget;
  log: Logger;
  /** Per-request timeout; Salesforce itself cuts a request at 10 minutes. */
  timeoutMs?: number;
  /** First pause after REQUEST_LIMIT_EXCEEDED (doubles per consecutive refusal up to limitPauseMaxMs). */
  limitPauseMs?: number;
  limitPauseMaxMs?: number;
  /** MaxApiSharePercent until the org's settings are read. */
  sharePercent?: number;
  /** Told about every call that reached Salesforce (counters). */
  onCall?: (call: CallRecord) => void;
}

/** jsforce's HTTP layer without its error handling: we get status, headers and the raw body. */
class RawApi extends HttpApi<Schema> {
  override isSessionExpired(): boolean {
    return false;
  }
  override isErrorResponse(): boolean {
    return false;
  }
  override async getResponseBody(response: HttpResponse): Promise<HttpResponse> {
    return response;
  }
}

function parseBody(response: HttpResponse): unknown {
  const text = response.body ?? '';
  if (text === '') return undefined;
  const type = response.headers['content-type'] ?? '';
  if (/json/i.test(type) || /^[[{]/.test(text.trimStart())) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

export class SalesforceClient {
  readonly workspaceId: string;
  #session: Session | undefined;
  #connection: Connection | undefined;
  #loggingIn: Promise<Session> | undefined;
  #sharePercent: number;
  #limitRefusals = 0;
  /** Calls that reached Salesforce (any status), for tests and the progress line. */
  calls = 0;
  /** Calls Salesforce refused for REQUEST_LIMIT_EXCEEDED (not counted by Salesforce). */
  limitRefusals = 0;
  lastError: string | null = null;

  constructor(private readonly options: ClientOptions) {
    this.workspaceId = options.workspaceId;
    this.#sharePercent = options.sharePercent ?? 20;
  }

  get session(): Session | undefined {
    return this.#session;
  }

  /** MaxApiSharePercent from the org's settings. */
  setSharePercent(percent: number): void {
    this.#sharePercent = percent;
  }

  get sharePercent(): number {
    return this.#sharePercent;
  }

  /** Logs in when there is no session yet (concurrent callers share one login). */
  async ensureSession(): Promise<Session> {
    if (this.#session) return this.#session;
    return this.#login();
  }

  async #login(stale?: Session): Promise<Session> {
    if (!this.#loggingIn) {
      this.#loggingIn = (async () => {
        try {
          const session = stale ? await this.options.tokens.renew(stale) : await this.options.tokens.session();
          this.#session = session;
          this.#connection = new Connection({
            instanceUrl: session.instanceUrl,
            accessToken: session.accessToken,
            version: SALESFORCE_API_VERSION,
            callOptions: { client: 'relay' },
          });
          this.options.log.info(
            { workspaceId: this.workspaceId, orgId: session.orgId, instanceUrl: session.instanceUrl },
            'connected to Salesforce',
          );
          return session;
        } catch (error) {
          this.lastError = (error as Error).message;
          throw error;
        } finally {
          this.#loggingIn = undefined;
        }
      })();
    }
    return this.#loggingIn;
  }

  /** A new login after Salesforce refused the session (concurrent callers share it). */
  async renewSession(): Promise<Session> {
    this.options.log.info({ workspaceId: this.workspaceId }, 'Salesforce session expired; logging in again');
    const stale = this.#session;
    this.#session = undefined;
    return this.#login(stale);
  }

  /** Forgets the session (tests; a workspace whose connection settings changed). */
  reset(): void {
    this.#session = undefined;
    this.#connection = undefined;
  }

  /** One Salesforce call. Throws IntegrationError (and subclasses) for every failure. */
  async request<T = unknown>(req: SalesforceRequest): Promise<SalesforceResponse<T>> {
    let session = await this.ensureSession();
    let refreshed = false;
    let resent = false;
    for (;;) {
      if (req.signal?.aborted) throw new RetryableError('the batch was cancelled before this call', 'CANCELLED');
      let response: HttpResponse;
      try {
        response = await this.#send(session, req);
      } catch (error) {
        // A kept-alive connection the server closed while this process was busy elsewhere (a
        // backlog batch's seconds of database work) fails the next request with "socket hang up"
        // before Salesforce read it. A read is safe to send again, once, on a new connection.
        if (resent || !staleConnection(error) || !(req.method === 'GET' || req.readOnly)) throw error;
        resent = true;
        continue;
      }
      if (!refreshed && retryDecision({ status: response.statusCode }) === 'refresh') {
        // INVALID_SESSION_ID: the token expired or was revoked. One new token, one more try.
        refreshed = true;
        session = await this.renewSession();
        continue;
      }
      return this.#settle<T>(session, response);
    }
  }

  async #send(session: Session, req: SalesforceRequest): Promise<HttpResponse> {
    if (req.budgetCheck) await this.options.budget.count(session.orgId);
    else await this.options.budget.reserve(session.orgId, this.#sharePercent);
    const connection = this.#connection!;
    const url = req.path.startsWith('/services/')
      ? `${session.instanceUrl}${req.path}`
      : `${session.instanceUrl}${DATA_PATH}${req.path}`;
    const headers: Record<string, string> = { Accept: 'application/json', ...req.headers };
    let body: string | undefined;
    if (req.body !== undefined) {
      body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
      headers['Content-Type'] = req.contentType ?? 'application/json';
    }
    const api = new RawApi(connection, {
      timeout: this.options.timeoutMs ?? 120_000,
      // No retries inside jsforce: every attempt must pass the budget and be counted here.
      retry: { maxRetries: 0, methods: [] },
    });
    const started = Date.now();
    try {
      const response = (await api.request({
        method: req.method,
        url,
        headers,
        ...(body !== undefined ? { body } : {}),
      })) as unknown as HttpResponse;
      this.calls += 1;
      this.options.onCall?.({
        label: req.label,
        status: response.statusCode,
        ms: Date.now() - started,
        orgId: session.orgId,
        path: req.path,
      });
      const limit = parseLimitInfo(response.headers['sforce-limit-info']);
      if (limit) await this.options.budget.observe(session.orgId, limit.used, limit.max);
      this.options.log.debug(
        {
          workspaceId: this.workspaceId,
          call: req.label,
          method: req.method,
          status: response.statusCode,
          ms: Date.now() - started,
        },
        'salesforce call',
      );
      return response;
    } catch (error) {
      this.options.onCall?.({
        label: req.label,
        status: null,
        ms: Date.now() - started,
        orgId: session.orgId,
        path: req.path,
      });
      const e = error as Error & { code?: string; type?: string };
      const timedOut = e.name === 'AbortError' || /timeout|aborted/i.test(e.message);
      this.lastError = e.message;
      // No answer at all: nothing else records why (the batch's events only say NETWORK_ERROR).
      this.options.log.warn(
        { workspaceId: this.workspaceId, call: req.label, ms: Date.now() - started, err: e },
        'Salesforce call got no answer',
      );
      throw new RetryableError(
        timedOut
          ? `Salesforce did not answer within ${this.options.timeoutMs ?? 120_000} ms (${req.label})`
          : `network error talking to Salesforce: ${e.message}`,
        timedOut ? 'TIMEOUT' : 'NETWORK_ERROR',
        undefined,
        undefined,
        error,
      );
    }
  }

  /** The org's daily limit is spent: a pause doubling with each refusal in a row, up to the maximum. */
  async #limitSpent(session: Session, message: string, status: number): Promise<LimitPauseError> {
    this.limitRefusals += 1;
    this.#limitRefusals += 1;
    await this.options.budget.refused(session.orgId);
    const base = this.options.limitPauseMs ?? 15 * 60_000;
    const max = this.options.limitPauseMaxMs ?? 60 * 60_000;
    const pauseMs = Math.min(max, base * 2 ** Math.min(this.#limitRefusals - 1, 10));
    return new LimitPauseError(
      `Salesforce refused the call: ${message} (the org's daily API limit is spent)`,
      'REQUEST_LIMIT_EXCEEDED',
      new Date(Date.now() + pauseMs),
      status,
    );
  }

  async #settle<T>(session: Session, response: HttpResponse): Promise<SalesforceResponse<T>> {
    const status = response.statusCode;
    const body = parseBody(response);
    if (status < 400 && status !== 300) {
      this.#limitRefusals = 0;
      this.lastError = null;
      return { status, headers: response.headers, body: body as T };
    }
    const items = errorItems(body);
    const first = items.length > 0 ? primaryError(items) : undefined;
    const code = status === 300 ? 'MULTIPLE_CHOICES' : (first?.code ?? `ERROR_HTTP_${status}`);
    const message = first?.message ?? (typeof body === 'string' && body ? body.slice(0, 500) : `HTTP ${status}`);
    this.lastError = `${code}: ${message}`;
    if (status === 401) {
      throw new InvalidAuthenticationError(
        `Salesforce refused the session again after a new login: ${message}`,
        'INVALID_SESSION_ID',
        401,
      );
    }
    const decision = retryDecision({ code, status, message });
    if (code === 'REQUEST_LIMIT_EXCEEDED' && decision === 'retry') {
      // Too many long-running requests at once: seconds, not hours.
      throw new RetryableError(message, code, status, 5_000 + Math.floor(Math.random() * 10_000));
    }
    if (code === 'REQUEST_LIMIT_EXCEEDED') throw await this.#limitSpent(session, message, status);
    if (triesAgain(decision)) {
      const retryAfter = Number(response.headers['retry-after']);
      throw new RetryableError(
        `${code}: ${message}`,
        code,
        status,
        Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
      );
    }
    throw new IntegrationError(message, code, status, {
      fields: first?.fields ?? [],
      ...(first?.duplicateIds ? { duplicateIds: first.duplicateIds } : {}),
    });
  }
}

/** The request died with its connection (ECONNRESET, "socket hang up"): it may never have arrived. */
function staleConnection(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  return cause?.code === 'ECONNRESET' || /socket hang up/.test(cause?.message ?? '');
}
