// One companion on one fresh database, with a workspace and helpers to post signed events and
// wait for outcomes. Everything is torn down by `close()`.
import type { Db } from '../../src/db/types.js';
import type { Config } from '../../src/config/env.js';
import { createCompanion, type Companion, type CompanionOptions } from '../../src/app.js';
import { createWorkspace } from '../../src/workspaces/store.js';
import { setOrgKey } from '../../src/workspaces/org-keys.js';
import { signatureHeader } from '../../src/auth/signature.js';
import { BATCH_MEDIA_TYPE, SINGLE_MEDIA_TYPE } from '../../src/intake/route.js';
import type { Backend, TestDatabase } from './backends.js';
import { testConfig } from './config.js';

export interface TestWorkspace {
  id: string;
  secret: string;
  orgKey: string;
}

export interface Harness {
  companion: Companion;
  db: Db;
  database: TestDatabase;
  workspace: TestWorkspace;
  addWorkspace(id: string): Promise<TestWorkspace>;
  /**
   * Connects a workspace to an emulated org through the operator's connect (client credentials,
   * verified by one call). Its org key becomes the org's; a second workspace on the same org gets
   * the key the org already has.
   */
  connect(workspace: TestWorkspace, emulatorUrl: string): Promise<void>;
  /** POSTs a body to /v1/events signed for `workspace` (default the harness's). */
  post(body: unknown, options?: PostOptions): Promise<{ status: number; json: Record<string, unknown> }>;
  close(): Promise<void>;
}

export interface PostOptions {
  workspace?: TestWorkspace;
  contentType?: string;
  /** Unix seconds used in the signature. */
  timestamp?: number;
  /** Overrides the Relay-Signature header; null omits it. */
  signature?: string | null;
  /** Overrides the Relay-Workspace header; null omits it. */
  workspaceHeader?: string | null;
  /** Send this exact raw string instead of JSON.stringify(body). */
  raw?: string;
}

export async function startHarness(
  backend: Backend,
  options: Omit<CompanionOptions, 'config' | 'db'> & { config?: Config } = {},
): Promise<Harness> {
  const database = await backend.createDatabase();
  const db = await database.open();
  const config = options.config ?? testConfig();
  const companion = await createCompanion({ listen: false, ...options, config, db });
  const orgKeys = new Map<string, string>();
  const giveKey = async (ws: TestWorkspace, orgId: string) => {
    const known = orgKeys.get(orgId);
    if (known) {
      ws.orgKey = known;
      return;
    }
    // The key moves from the org the workspace stood for alone to the org it connected to.
    for (const [org, key] of orgKeys) {
      if (key !== ws.orgKey) continue;
      await db.query('DELETE FROM org_keys WHERE org_id = $1', [org]);
      orgKeys.delete(org);
    }
    await setOrgKey(db, orgId, ws.orgKey);
    orgKeys.set(orgId, ws.orgKey);
  };
  const addWorkspace = async (id: string): Promise<TestWorkspace> => {
    const ws = { id, secret: `secret-${id}-0123456789abcdef`, orgKey: `rok_test_${id}_0123456789abcdef` };
    await createWorkspace(db, companion.vault, { id, name: `Workspace ${id}`, signingSecret: ws.secret });
    // Until it is connected, each test workspace stands for an org of its own, so its org key
    // answers for it alone.
    const orgId = `00D${Buffer.from(id).toString('hex').padEnd(12, '0').slice(0, 12)}`;
    await db.query('UPDATE workspaces SET org_id = $2 WHERE id = $1', [id, orgId]);
    await giveKey(ws, orgId);
    return ws;
  };
  const connect = async (ws: TestWorkspace, emulatorUrl: string) => {
    const workspace = await companion.operator.connectServer(
      (await companion.operator.getWorkspace(ws.id))!,
      { flow: 'client_credentials', loginUrl: emulatorUrl, clientId: 'relay-dev', clientSecret: 'relay-dev-secret' },
      'test',
    );
    await giveKey(ws, workspace.connection.orgId!);
  };
  const workspace = await addWorkspace('acme');

  const post: Harness['post'] = async (body, o = {}) => {
    const ws = o.workspace ?? workspace;
    const raw = o.raw ?? JSON.stringify(body);
    const headers: Record<string, string> = {
      'content-type': o.contentType ?? (Array.isArray(body) ? BATCH_MEDIA_TYPE : SINGLE_MEDIA_TYPE),
    };
    if (o.workspaceHeader !== null) headers['relay-workspace'] = o.workspaceHeader ?? ws.id;
    if (o.signature !== null) headers['relay-signature'] = o.signature ?? signatureHeader(ws.secret, raw, o.timestamp);
    const response = await companion.app.inject({ method: 'POST', url: '/v1/events', headers, payload: raw });
    return { status: response.statusCode, json: response.json() as Record<string, unknown> };
  };

  return {
    companion,
    db,
    database,
    workspace,
    addWorkspace,
    connect,
    post,
    async close() {
      await companion.close();
      await db.close();
      await database.destroy();
    },
  };
}

/** Polls `check` until it returns a truthy value or the time is up. */
export async function waitFor<T>(
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 15000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function statusCounts(db: Db, workspaceId: string): Promise<Record<string, number>> {
  const { rows } = await db.query<{ status: string; n: number }>(
    'SELECT status, count(*)::int AS n FROM events WHERE workspace_id = $1 GROUP BY status',
    [workspaceId],
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}
