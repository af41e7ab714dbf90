// A companion (real intake, real worker, real sync engine) on a fresh database, connected to an
// in-process Salesforce emulator over HTTP — the environment of every sync and package-API test.
import { createEmulator, type RunningEmulator } from '../../../emulator/src/index.js';
import { executeSoql } from '../../../emulator/src/soql/index.js';
import type { FaultSpec } from '../../../emulator/src/index.js';
import { startHarness, waitFor, type Harness, type TestWorkspace } from '../helpers/harness.js';
import { backendByName, type Backend, type BackendName } from '../helpers/backends.js';
import { testConfig } from '../helpers/config.js';
import type { Companion, CompanionOptions } from '../../src/app.js';
import type { EngineOptions } from '../../src/sync/engine.js';
import type { Config } from '../../src/config/env.js';

export interface SyncEnv {
  emu: RunningEmulator;
  harness: Harness;
  ws: TestWorkspace;
  /** The companion under test (its sync engine is `sync.engine`). */
  sync: Companion;
  backend: Backend;
  /** SOQL straight against the emulator's store (not counted as API usage). */
  soql<T = Record<string, unknown>>(text: string): T[];
  usage(): Promise<{ apiRequests: number; byEndpoint: Record<string, number> }>;
  resetUsage(): Promise<void>;
  control(method: string, path: string, body?: unknown): Promise<unknown>;
  fault(spec: FaultSpec | FaultSpec[]): Promise<void>;
  /** Posts events (a batch when an array) signed for the workspace; asserts 202. */
  post(events: unknown[] | unknown, workspace?: TestWorkspace): Promise<Record<string, unknown>>;
  /** Waits until no event is pending, processing or retrying (deferred ones may remain). */
  settle(timeoutMs?: number, workspaceId?: string): Promise<Record<string, number>>;
  connect(workspace: TestWorkspace, emulatorUrl?: string): Promise<void>;
  /** Writes custom metadata values (SyncSetting Value__c) in the emulated org. */
  setSetting(name: string, value: string): Promise<void>;
  /**
   * A new workspace connected to the emulator (its own external keys, cache and quota), or to
   * another emulated org at `emulatorUrl`.
   */
  newWorkspace(id: string, emulatorUrl?: string): Promise<TestWorkspace>;
  /** Privileged insert into the emulated org (converted Leads and the like); returns ids. */
  insert(type: string, records: Record<string, unknown>[]): string[];
  /** The workspace's Tasks (by external key prefix). */
  tasks(workspaceId?: string): TaskRow[];
  /** The workspace's events with their outcome columns. */
  events(workspaceId?: string): Promise<EventRow[]>;
  /** GET/POST a package endpoint with a workspace's org key. */
  packageApi(
    method: 'GET' | 'POST',
    path: string,
    orgKey?: string,
    body?: unknown,
  ): Promise<{ status: number; json: any; text: string; headers: Record<string, unknown> }>;
  close(): Promise<void>;
}

export interface TaskRow {
  Id: string;
  Subject: string;
  Description: string | null;
  WhoId: string | null;
  WhatId: string | null;
  OwnerId: string;
  Status: string;
  TaskSubtype: string | null;
  ActivityDate: string | null;
  relay__ExternalKey__c: string;
  relay__DurationSeconds__c: number | null;
  relay__DocumentName__c: string | null;
}

export interface EventRow {
  event_id: string;
  type: string;
  status: string;
  attempts: number;
  status_reason: string | null;
  error_category: string | null;
  error_code: string | null;
  error_field: string | null;
  error_message: string | null;
  result: Record<string, any> | null;
}

export interface SyncEnvOptions {
  backend?: BackendName;
  engine?: Partial<EngineOptions>;
  worker?: Partial<Config['worker']>;
  emulator?: Parameters<typeof createEmulator>[0];
  /** The companion's clock (signature windows, grace periods). */
  now?: () => number;
  /** Listen on a free port (`harness.companion.url`), for clients that need HTTP. */
  listen?: boolean;
  /** The companion's logger (tests that read what it logs). */
  logger?: import('pino').Logger;
  /** Changes to the test configuration (a soak raises the intake rate). */
  configure?: (config: Config) => Config;
  /** The API-budget recheck's schedule (tests drive it instead of waiting). */
  budgetRecheck?: CompanionOptions['budgetRecheck'];
  /** Notices' bell retries and sweep (tests shorten them). */
  notices?: CompanionOptions['notices'];
}

export async function startSyncEnv(options: SyncEnvOptions = {}): Promise<SyncEnv> {
  const emu = await createEmulator({ port: 0, seed: 'demo', ...options.emulator });
  const backend = backendByName(options.backend ?? 'pglite');
  const tested = testConfig({}, { batchSize: 1000, maxAttempts: 10, ...options.worker });
  const base = options.configure ? options.configure(tested) : tested;
  // Listening, the companion's own address is where Salesforce sends a browser back.
  const config = options.listen
    ? { ...base, host: '127.0.0.1', port: 0, security: { ...base.security, publicUrl: undefined } }
    : base;
  const harness = await startHarness(backend, {
    config,
    ...(options.listen ? { listen: true } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.budgetRecheck ? { budgetRecheck: options.budgetRecheck } : {}),
    ...(options.notices ? { notices: options.notices } : {}),
    sync: {
      // Seconds instead of minutes so cadence and pauses fit in a test.
      configRefreshMs: 0,
      limitPauseMs: 300,
      limitPauseMaxMs: 1000,
      ...options.engine,
      tuning: { visitResyncUnitMs: 60_000, ...options.engine?.tuning },
    },
  });
  const sync = harness.companion;
  const connect = (workspace: TestWorkspace, url = emu.url) => harness.connect(workspace, url);
  await connect(harness.workspace);
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${emu.url}${path}`, {
      method,
      ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const env: SyncEnv = {
    emu,
    harness,
    ws: harness.workspace,
    sync,
    backend,
    soql: <T>(text: string) => executeSoql(text, emu.org.soql, { includeDeleted: false }).records as T[],
    usage: async () =>
      (await control('GET', '/__emulator/usage')) as { apiRequests: number; byEndpoint: Record<string, number> },
    resetUsage: async () => {
      await control('POST', '/__emulator/usage/reset');
    },
    control,
    fault: async (spec) => {
      await control('POST', '/__emulator/faults', spec);
    },
    post: async (events, workspace) => {
      const res = await harness.post(events, workspace ? { workspace } : {});
      if (res.status !== 202) throw new Error(`intake answered ${res.status}: ${JSON.stringify(res.json)}`);
      return res.json;
    },
    settle: async (timeoutMs = 20_000, workspaceId = harness.workspace.id) => {
      let counts: Record<string, number> = {};
      await waitFor(
        async () => {
          const { rows } = await harness.db.query<{ status: string; n: number }>(
            'SELECT status, count(*)::int AS n FROM events WHERE workspace_id = $1 GROUP BY status',
            [workspaceId],
          );
          counts = Object.fromEntries(rows.map((r) => [r.status, r.n]));
          return !counts.pending && !counts.processing && !counts.retrying;
        },
        timeoutMs,
        'events to settle',
      );
      return counts;
    },
    connect,
    setSetting: async (name, value) => {
      const [row] = executeSoql(
        `SELECT Id FROM relay__SyncSetting__mdt WHERE DeveloperName = '${name}'`,
        emu.org.soql,
        { includeDeleted: false },
      ).records as { Id: string }[];
      if (!row) throw new Error(`no setting ${name}`);
      const [result] = emu.org.update('relay__SyncSetting__mdt', [{ Id: row.Id, relay__Value__c: value }], {
        metadataApi: true,
        system: true,
      });
      if (!result?.success) throw new Error(`could not set ${name}: ${JSON.stringify(result?.errors)}`);
    },
    newWorkspace: async (id, emulatorUrl) => {
      const workspace = await harness.addWorkspace(id);
      await connect(workspace, emulatorUrl);
      return workspace;
    },
    insert: (type, records) =>
      emu.org.insert(type, records, { system: true }).map((r) => {
        if (!r.success || !r.id) throw new Error(`insert ${type} failed: ${JSON.stringify(r.errors)}`);
        return r.id;
      }),
    tasks: (workspaceId = harness.workspace.id) =>
      executeSoql(
        `SELECT Id, Subject, Description, WhoId, WhatId, OwnerId, Status, TaskSubtype, ActivityDate, relay__ExternalKey__c, relay__DurationSeconds__c, relay__DocumentName__c FROM Task WHERE relay__ExternalKey__c LIKE '${workspaceId}:%' ORDER BY relay__ExternalKey__c`,
        emu.org.soql,
        { includeDeleted: false },
      ).records as unknown as TaskRow[],
    events: async (workspaceId = harness.workspace.id) =>
      (
        await harness.db.query<EventRow & Record<string, unknown>>(
          'SELECT event_id, type, status, attempts, status_reason, error_category, error_code, error_field, error_message, result FROM events WHERE workspace_id = $1 ORDER BY seq',
          [workspaceId],
        )
      ).rows,
    packageApi: async (method, path, orgKey = harness.workspace.orgKey, body) => {
      const res = await harness.companion.app.inject({
        method,
        url: path,
        headers: {
          authorization: `Bearer ${orgKey}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
      });
      let json: unknown = null;
      try {
        json = res.json();
      } catch {
        json = null;
      }
      return { status: res.statusCode, json, text: res.body, headers: res.headers };
    },
    close: async () => {
      await harness.close();
      await backend.shutdown();
      await emu.close();
    },
  };
  return env;
}

export { waitFor };

/** An emulator validation rule that refuses every Task whose Subject contains "Secret". */
export const NO_SECRET_TASKS = {
  validationRules: [
    {
      name: 'NoSecrets',
      object: 'Task',
      when: { field: 'Subject', op: 'matches', value: 'Secret' },
      message: 'Secret documents must not be logged',
      errorField: 'Subject',
    },
  ],
};

/**
 * Waits until a workspace has nothing pending, processing or retrying, counting polls rather than
 * reading Date.now: for tests that move the clock (env.settle's deadline would jump with it).
 */
export async function settledByPolls(env: SyncEnv, workspaceId: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const { rows } = await env.harness.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM events WHERE workspace_id = $1 AND status IN ('pending', 'processing', 'retrying')",
      [workspaceId],
    );
    if (rows[0]!.n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('events did not settle');
}
