// Set-up shared by the Bulk API and Metadata API end-to-end tests: an emulator in-process on
// port 0 with the demo seed, an access token from the dev client, a jsforce 3.10.16 connection and
// raw fetch helpers for wire details (status, headers, exact bodies).
import jsforce from 'jsforce';
import { createEmulator, type RunningEmulator } from '../src/index.js';

export const V = '62.0';

export interface Harness {
  emu: RunningEmulator;
  url: string;
  token: string;
  conn: jsforce.Connection;
  /** A request under /services/data/v62.0 (or an absolute /services path) with the bearer token. */
  http(
    path: string,
    init?: { method?: string; body?: string | object; headers?: Record<string, string> },
  ): Promise<{ status: number; headers: Headers; text: string; json: any }>;
  /** Polls an ingest or query job until it leaves UploadComplete / InProgress. */
  waitForJob(kind: 'ingest' | 'query', id: string): Promise<any>;
  control(path: string, body?: unknown): Promise<any>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const emu = await createEmulator({ seed: 'demo' });
  const tokenRes = await fetch(`${emu.url}/services/oauth2/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'relay-dev',
      client_secret: 'relay-dev-secret',
    }),
  });
  const token = ((await tokenRes.json()) as { access_token: string }).access_token;
  const conn = new jsforce.Connection({ instanceUrl: emu.url, accessToken: token, version: V });
  // Jobs here finish within milliseconds; jsforce's default 1 s polling would only slow tests.
  conn.bulk2.pollInterval = 20;
  const h: Harness = {
    emu,
    url: emu.url,
    token,
    conn,
    async http(path, init = {}) {
      const headers: Record<string, string> = { Authorization: `Bearer ${token}`, ...(init.headers ?? {}) };
      let body: string | undefined;
      if (init.body !== undefined) {
        body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
        headers['Content-Type'] ??= 'application/json';
      }
      const full = path.startsWith('/services') ? path : `/services/data/v${V}${path}`;
      const res = await fetch(`${emu.url}${full}`, { method: init.method ?? 'GET', headers, body });
      const text = await res.text();
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      return { status: res.status, headers: res.headers, text, json };
    },
    async waitForJob(kind, id) {
      for (let i = 0; i < 500; i++) {
        const res = await h.http(`/jobs/${kind}/${id}`);
        const state = res.json?.state;
        if (state !== 'UploadComplete' && state !== 'InProgress') return res.json;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`job ${id} did not finish`);
    },
    async control(path, body) {
      const res = await fetch(`${emu.url}/__emulator${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return res.json();
    },
    close: () => emu.close(),
  };
  return h;
}

/** Replaces each 18-character id in a text with <ID>, for comparing bodies that carry new ids. */
export function maskIds(text: string): string {
  return text.replace(/\b(?:00Q|003|001|00T|750|005)[a-zA-Z0-9]{15}\b/g, '<ID>');
}

/** A JobInfo with its volatile values (id, user, dates, times) replaced by placeholders. */
export function maskJob(info: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(info)) {
    if (k === 'id' || k === 'createdById') out[k] = '<ID>';
    else if (k === 'createdDate' || k === 'systemModstamp') {
      out[k] = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000\+0000$/.test(String(v)) ? '<DATE>' : v;
    } else if (k === 'contentUrl') out[k] = String(v).replace(/\/750[a-zA-Z0-9]{15}\//, '/<ID>/');
    else if (k === 'totalProcessingTime' || k === 'apiActiveProcessingTime')
      out[k] = typeof v === 'number' ? '<MS>' : v;
    else out[k] = v;
  }
  return out;
}
