// The companion's package API (docs/package-api.md, `/v1/package/*`) called in-process, as the
// package's CompanionClient calls it through the Named Credential: the same routes, the same org
// key, the same answers — with Fastify's inject instead of a network hop. Failures become the
// CompanionException messages CompanionClient.cls writes, so the Setup pages read the same text.
import type { FastifyInstance } from 'fastify';

export class CompanionError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null,
  ) {
    super(message);
    this.name = 'CompanionError';
  }
}

export type Json = Record<string, unknown>;

/** The Sync health page's filters of the errors (null: not filtered). */
export interface ErrorFilters {
  category: string | null;
  workspace?: string | null;
  since?: string | null;
}

/** CompanionClient.failure(): one message per status class, naming the status, code and detail. */
function failure(status: number, body: string): CompanionError {
  let code: string | null = null;
  let detail: string | null = null;
  try {
    const error = (JSON.parse(body) as { error?: { code?: string; message?: string } }).error;
    code = error?.code ?? null;
    detail = error?.message ?? null;
  } catch {
    // Not the companion's error shape: the status says enough.
  }
  const reason = `HTTP ${status}${code ? ` ${code}` : ''}${detail ? `: ${detail}` : ''}`;
  let message: string;
  if (status === 401) {
    message = `The companion did not accept this org's key (${reason}). In Setup → Named Credentials → External Credentials → relay__CompanionAuth, enter the org key the companion issued as ApiKey on the OrgIntegration principal.`;
  } else if (status === 429) {
    message = `The companion is busy (${reason}). Try again in a minute.`;
  } else if (status >= 500) {
    message = `The companion failed to answer (${reason}). Try again in a few minutes; if it keeps failing, check the companion's logs.`;
  } else {
    message = `The companion refused the request (${reason}).`;
  }
  return new CompanionError(message, status, code);
}

function queryString(parameters: Record<string, string | number | null | undefined>): string {
  const pairs = Object.entries(parameters)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return pairs.length ? `?${pairs.join('&')}` : '';
}

export class PackageApi {
  constructor(
    private readonly app: FastifyInstance,
    private readonly orgKey: string,
  ) {}

  async #call(method: 'GET' | 'POST', path: string, body?: Json): Promise<{ status: number; text: string }> {
    const response = await this.app.inject({
      method,
      url: path,
      headers: {
        authorization: `Bearer ${this.orgKey}`,
        accept: 'application/json',
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    });
    if (response.statusCode < 200 || response.statusCode >= 300) throw failure(response.statusCode, response.body);
    return { status: response.statusCode, text: response.body };
  }

  async #json(method: 'GET' | 'POST', path: string, body?: Json): Promise<Json> {
    const { status, text } = await this.#call(method, path, body);
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new CompanionError(
        `The companion answered with something Relay cannot read (HTTP ${status}, not a JSON object). Check that the Named Credential relay__Companion points at the companion.`,
        status,
        null,
      );
    }
    return parsed as Json;
  }

  status(): Promise<Json> {
    return this.#json('GET', '/v1/package/status');
  }

  engagement(recordId: string, limit: number, cursor: string | null): Promise<Json> {
    return this.#json('GET', `/v1/package/engagement${queryString({ recordId, limit, cursor })}`);
  }

  conflicts(limit: number): Promise<Json> {
    return this.#json('GET', `/v1/package/conflicts${queryString({ limit })}`);
  }

  errors(filters: ErrorFilters, limit: number, cursor: string | null): Promise<Json> {
    return this.#json('GET', `/v1/package/errors${queryString({ ...filters, limit, cursor })}`);
  }

  retryCause(cause: string): Promise<Json> {
    return this.#json('POST', '/v1/package/errors/retry', { cause });
  }

  retry(eventIds: string[]): Promise<Json> {
    return this.#json('POST', '/v1/package/errors/retry', { eventIds });
  }

  retryAll(category: string | null): Promise<Json> {
    return this.#json('POST', '/v1/package/errors/retry', category ? { all: true, category } : { all: true });
  }

  checkBudget(): Promise<Json> {
    return this.#json('POST', '/v1/package/budget/check', {});
  }

  async errorsCsv(filters: ErrorFilters): Promise<string> {
    return (await this.#call('GET', `/v1/package/errors.csv${queryString({ ...filters })}`)).text;
  }

  ping(): Promise<Json> {
    return this.#json('POST', '/v1/package/ping', {});
  }
}
