// Shared test set-up: an in-process emulator on port 0, a token from the dev client, a jsforce
// connection and a raw `api()` for wire details.
import jsforce from 'jsforce';
import { createEmulator, type EmulatorOptions, type RunningEmulator } from '../src/index.js';

export const V = '62.0';
export const CLIENT = { client_id: 'relay-dev', client_secret: 'relay-dev-secret' };

export interface TestOrg {
  emu: RunningEmulator;
  url: string;
  token: string;
  conn: jsforce.Connection;
  /** fetch under /services/data/v62.0 with the bearer token; JSON bodies are serialised. */
  api(path: string, init?: { method?: string; body?: unknown; headers?: Record<string, string> }): Promise<ApiResponse>;
  control(path: string, body?: unknown, method?: string): Promise<unknown>;
  close(): Promise<void>;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

export async function token(
  url: string,
  params: Record<string, string> = { grant_type: 'client_credentials', ...CLIENT },
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/services/oauth2/token`, { method: 'POST', body: new URLSearchParams(params) });
  return { status: res.status, body: await res.json() };
}

export async function startOrg(options: EmulatorOptions = {}): Promise<TestOrg> {
  const emu = await createEmulator({ seed: 'demo', ...options });
  const t = await token(emu.url);
  const accessToken = t.body.access_token as string;
  const conn = new jsforce.Connection({ instanceUrl: emu.url, accessToken, version: V });
  const org: TestOrg = {
    emu,
    url: emu.url,
    token: accessToken,
    conn,
    async api(path, init = {}) {
      const headers: Record<string, string> = { Authorization: `Bearer ${org.token}`, ...(init.headers ?? {}) };
      let body: string | undefined;
      if (init.body !== undefined) {
        body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
        headers['Content-Type'] ??= 'application/json';
      }
      const full = path.startsWith('/services') ? path : `/services/data/v${V}${path}`;
      const res = await fetch(`${emu.url}${full}`, { method: init.method ?? 'GET', headers, body });
      const text = await res.text();
      let parsed: unknown = undefined;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = text;
      }
      return { status: res.status, headers: res.headers, body: parsed, text };
    },
    async control(path, body, method = body === undefined ? 'GET' : 'POST') {
      const res = await fetch(`${emu.url}/__emulator${path}`, {
        method,
        headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return res.json();
    },
    close: () => emu.close(),
  };
  return org;
}

export function q(soql: string): string {
  return `/query?q=${encodeURIComponent(soql)}`;
}
