// A companion with the browser preview switched on: real intake, worker and sync engine on a fresh
// PGlite database, an in-process Salesforce emulator (seed demo) as the workspace's org, and the
// preview routes for that workspace. Used by the preview adapter tests and the browser test
// (preview/test), which needs it listening on a free port.
import { createEmulator, type RunningEmulator } from '../../../emulator/src/index.js';
import { executeSoql } from '../../../emulator/src/soql/index.js';
import { backendByName, type Backend } from './backends.js';
import { testConfig } from './config.js';
import { startHarness, waitFor, type Harness } from './harness.js';

export interface PreviewEnv {
  emu: RunningEmulator;
  harness: Harness;
  /** `http://127.0.0.1:<port>` when listening, else ''. */
  url: string;
  /** Calls an Apex adapter as the page does: `POST /preview/apex/<Class>.<method>`. */
  apex(method: string, params?: Record<string, unknown>): Promise<{ status: number; json: any }>;
  /** SOQL straight against the emulator's store (not counted as API usage). */
  soql<T = Record<string, unknown>>(text: string): T[];
  /** Posts signed events through the real intake; asserts 202. */
  post(events: unknown[]): Promise<void>;
  /** Waits until the workspace has no pending, processing or retrying event. */
  settle(timeoutMs?: number): Promise<Record<string, number>>;
  /** Whether the companion serves a route (the package API may still be landing). */
  hasRoute(method: 'GET' | 'POST', url: string): boolean;
  close(): Promise<void>;
}

export async function startPreviewEnv(options: { listen?: boolean } = {}): Promise<PreviewEnv> {
  const emu = await createEmulator({ port: 0, seed: 'demo' });
  const backend: Backend = backendByName('pglite');
  // The harness creates workspace `acme` with this org key after the companion starts.
  const orgKey = 'rok_test_acme_0123456789abcdef';
  const harness = await startHarness(backend, {
    config: { ...testConfig({}, { batchSize: 1000 }), host: '127.0.0.1', port: 0 },
    listen: options.listen ?? false,
    sync: { configRefreshMs: 0 },
    preview: { enabled: true, defaultWorkspaceId: 'acme', orgKeys: { acme: orgKey }, buildOnStart: false },
  });
  await harness.connect(harness.workspace, emu.url);
  const app = harness.companion.app;
  return {
    emu,
    harness,
    url: harness.companion.url,
    apex: async (method, params = {}) => {
      const response = await app.inject({
        method: 'POST',
        url: `/preview/apex/${method}`,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify(params),
      });
      return { status: response.statusCode, json: response.body ? response.json() : null };
    },
    soql: <T>(text: string) => executeSoql(text, emu.org.soql, { includeDeleted: false }).records as T[],
    post: async (events) => {
      const res = await harness.post(events);
      if (res.status !== 202) throw new Error(`intake answered ${res.status}: ${JSON.stringify(res.json)}`);
    },
    settle: async (timeoutMs = 20_000) => {
      let counts: Record<string, number> = {};
      await waitFor(
        async () => {
          const { rows } = await harness.db.query<{ status: string; n: number }>(
            'SELECT status, count(*)::int AS n FROM events WHERE workspace_id = $1 GROUP BY status',
            ['acme'],
          );
          counts = Object.fromEntries(rows.map((r) => [r.status, r.n]));
          return !counts.pending && !counts.processing && !counts.retrying;
        },
        timeoutMs,
        'events to settle',
      );
      return counts;
    },
    hasRoute: (method, url) => app.hasRoute({ method, url }),
    close: async () => {
      await harness.close();
      await backend.shutdown();
      await emu.close();
    },
  };
}
