// The CLI's HTTP client for the operator API: RELAY_URL (default http://127.0.0.1:8787) and
// RELAY_OPERATOR_TOKEN. Every failure becomes an ApiFailure with the exit code scripts test for.

/** Exit codes a script can test (docs/operator-api.md). */
export const EXIT = {
  ok: 0,
  refused: 1,
  usage: 2,
  unreachable: 3,
  unauthenticated: 4,
  notFound: 5,
  conflict: 6,
} as const;

export class ApiFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

export interface ApiClient {
  request(method: string, path: string, body?: unknown): Promise<unknown>;
}

function exitCodeOf(status: number): number {
  if (status === 401) return EXIT.unauthenticated;
  if (status === 404) return EXIT.notFound;
  if (status === 409) return EXIT.conflict;
  if (status >= 500) return EXIT.unreachable;
  return EXIT.refused;
}

export function apiClient(env: Readonly<Record<string, string | undefined>>): ApiClient {
  const base = (env.RELAY_URL ?? 'http://127.0.0.1:8787').replace(/\/+$/, '');
  const token = env.RELAY_OPERATOR_TOKEN?.split(',')[0]?.trim();
  return {
    async request(method, path, body) {
      if (!token) {
        throw new ApiFailure(
          'RELAY_OPERATOR_TOKEN is not set (npm start prints one; a deployment sets its own)',
          EXIT.unauthenticated,
        );
      }
      let response: Response;
      try {
        response = await fetch(`${base}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(60_000),
        });
      } catch (error) {
        throw new ApiFailure(
          `cannot reach the companion at ${base} (${(error as Error).message}); set RELAY_URL`,
          EXIT.unreachable,
        );
      }
      const text = await response.text();
      let parsed: unknown = undefined;
      if (text) {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = text;
        }
      }
      if (!response.ok) {
        const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
        throw new ApiFailure(
          error ? `${error.code}: ${error.message}` : `HTTP ${response.status}`,
          exitCodeOf(response.status),
          parsed,
        );
      }
      return parsed;
    },
  };
}
