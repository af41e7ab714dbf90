// The environment of the reverse-sync and platform-API tests: a companion (real intake, worker, sync
// engine with reverse sync and the platform API) on a fresh PGlite database, connected to an
// in-process Salesforce emulator over HTTP, and a real local HTTP receiver as the workspace's
// outbound URL. Salesforce-side changes are made through the emulator's REST API signed in as a
// sales user (not Relay's integration user); time moves with the emulator's clock control, which the
// reverse poller's clock follows, never by sleeping.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEmulator, type RunningEmulator } from '../../../emulator/src/index.js';
import { executeSoql } from '../../../emulator/src/soql/index.js';
import { startHarness, waitFor, type Harness, type TestWorkspace } from '../helpers/harness.js';
import { backendByName, type Backend, type BackendName } from '../helpers/backends.js';
import { testConfig } from '../helpers/config.js';
import { updateWorkspace } from '../../src/workspaces/store.js';
import type { Companion } from '../../src/app.js';
import type { ReverseOptions, ReverseSync } from '../../src/reverse/index.js';
import type { LookupCacheOptions } from '../../src/api/platform/lookup-cache.js';
import { signatureHeader } from '../../src/auth/signature.js';

export { waitFor };

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  json: any;
}

/** A real HTTP server standing in for the platform's outbound endpoint. */
export interface Receiver {
  url: string;
  received: Received[];
  /** 'ok' answers 202; 'fail' answers `failStatus`; 'down' closes the port (connection refused). */
  setMode(mode: 'ok' | 'fail' | 'down', failStatus?: number): Promise<void>;
  /** Requests answered with a failure so far (a connection refused never reaches the server). */
  failures: number;
  /** Answers the events `refuse` returns a status for with that status (the rest as the mode says). */
  setRefuse(refuse: ((event: any) => number | null) | null): void;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  let mode: 'ok' | 'fail' | 'down' = 'ok';
  let failStatus = 503;
  const received: Received[] = [];
  const state = { failures: 0 };
  let refuse: ((event: any) => number | null) | null = null;
  const handler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (mode === 'fail') {
        state.failures += 1;
        res.writeHead(failStatus).end('unavailable');
        return;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown = null;
      try {
        json = JSON.parse(body);
      } catch {
        json = null;
      }
      const refused = refuse?.(json) ?? null;
      if (refused !== null) {
        state.failures += 1;
        res.writeHead(refused).end('refused');
        return;
      }
      received.push({ headers: req.headers, body, json });
      res.writeHead(202, { 'content-type': 'application/json' }).end('{}');
    });
  };
  let server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    url: `http://127.0.0.1:${port}/relay/events`,
    received,
    get failures() {
      return state.failures;
    },
    setRefuse(next) {
      refuse = next;
    },
    async setMode(next, status = 503) {
      failStatus = status;
      if (next === 'down' && mode !== 'down') await close();
      if (next !== 'down' && mode === 'down') {
        server = createServer(handler);
        await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      }
      mode = next;
    },
    close: async () => {
      if (mode !== 'down') await close();
    },
  };
}

export interface SfRecord {
  Id: string;
  [field: string]: unknown;
}

export interface ReverseEnv {
  emu: RunningEmulator;
  harness: Harness;
  ws: TestWorkspace;
  /** The companion under test (`sync.engine`, `sync.reverse`). */
  sync: Companion;
  reverse: ReverseSync;
  receiver: Receiver;
  /** Moves the org's clock (and the poller's) forward. */
  advance(ms: number): Promise<void>;
  /** SOQL against the emulator's store (not counted as API usage). */
  soql<T = SfRecord>(text: string): T[];
  usage(): Promise<{ apiRequests: number; byEndpoint: Record<string, number> }>;
  resetUsage(): Promise<void>;
  control(method: string, path: string, body?: unknown): Promise<any>;
  setSetting(name: string, value: string): Promise<void>;
  /** Changes a field mapping record (Direction__c, Active__c…) in the emulated org. */
  setMapping(developerName: string, values: Record<string, unknown>): Promise<void>;
  /** Reads the org's configuration again now (as the engine does), so a changed setting applies. */
  refreshConfig(workspace?: TestWorkspace): Promise<void>;
  /** The REST API of the emulated org as a sales user (another user than Relay's). */
  asUser(username?: string): Promise<RestClient>;
  /** A signed platform API request (docs/platform-api.md). */
  signed(
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    body?: unknown,
    workspace?: TestWorkspace,
  ): Promise<{ status: number; json: any }>;
  connect(workspace: TestWorkspace, emulatorUrl?: string): Promise<void>;
  close(): Promise<void>;
}

export interface RestClient {
  userId: string;
  request(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }>;
  create(type: string, fields: Record<string, unknown>): Promise<string>;
  update(type: string, id: string, fields: Record<string, unknown>): Promise<void>;
  remove(type: string, id: string): Promise<void>;
}

export interface ReverseEnvOptions {
  reverse?: ReverseOptions;
  seed?: 'demo' | 'empty';
  /** Outbound URL of the workspace: the receiver's (default) or none. */
  outbound?: boolean;
  /** Storage (default PGlite; RELAY_TEST_REVERSE_BACKEND=postgres runs these suites on PostgreSQL). */
  backend?: BackendName;
  /** The platform lookup's cache (its clock, size). */
  lookupCache?: Partial<LookupCacheOptions>;
  /** Listen on a free port (the CLI as a child process talks to it over HTTP). */
  listen?: boolean;
}

export async function startReverseEnv(options: ReverseEnvOptions = {}): Promise<ReverseEnv> {
  const emu = await createEmulator({ port: 0, seed: options.seed ?? 'demo' });
  const receiver = await startReceiver();
  const backend: Backend = backendByName(
    options.backend ?? (process.env.RELAY_TEST_REVERSE_BACKEND === 'postgres' ? 'postgres' : 'pglite'),
  );
  let offset = 0;
  const tested = testConfig({}, { batchSize: 1000, maxAttempts: 10 });
  const harness = await startHarness(backend, {
    config: options.listen ? { ...tested, host: '127.0.0.1', port: 0 } : tested,
    ...(options.listen ? { listen: true } : {}),
    sync: { limitPauseMs: 300, limitPauseMaxMs: 1000 },
    ...(options.lookupCache ? { lookupCache: options.lookupCache } : {}),
    reverse: {
      now: () => Date.now() + offset,
      // Tests run polls themselves (pollNow); the schedules have their own test.
      schedule: false,
      sweepMs: 100,
      configMaxAgeMs: 10 * 60_000,
      configOffMaxAgeMs: 10 * 60_000,
      // The poll's own tests start from switch-on without the backfill (backfill.test.ts has it).
      backfillOnSwitchOn: false,
      ...options.reverse,
      delivery: { baseMs: 50, maxMs: 200, timeoutMs: 2_000, ...options.reverse?.delivery },
    },
  });
  const sync = harness.companion;
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${emu.url}${path}`, {
      method,
      ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const connect = async (workspace: TestWorkspace, emulatorUrl = emu.url) => {
    await harness.connect(workspace, emulatorUrl);
    if (options.outbound !== false) await updateWorkspace(harness.db, workspace.id, { outboundUrl: receiver.url });
  };
  await connect(harness.workspace);
  const soql = <T>(text: string) => executeSoql(text, emu.org.soql, { includeDeleted: false }).records as T[];
  const env: ReverseEnv = {
    emu,
    harness,
    ws: harness.workspace,
    sync,
    reverse: sync.reverse,
    receiver,
    advance: async (ms) => {
      await control('POST', '/__emulator/clock', { advanceMs: ms });
      offset += ms;
    },
    soql,
    usage: () => control('GET', '/__emulator/usage'),
    resetUsage: async () => {
      await control('POST', '/__emulator/usage/reset');
    },
    control,
    setSetting: async (name, value) => {
      const [row] = soql<{ Id: string }>(`SELECT Id FROM relay__SyncSetting__mdt WHERE DeveloperName = '${name}'`);
      if (!row) throw new Error(`no setting ${name}`);
      const [r] = emu.org.update('relay__SyncSetting__mdt', [{ Id: row.Id, relay__Value__c: value }], {
        metadataApi: true,
        system: true,
      });
      if (!r?.success) throw new Error(`could not set ${name}: ${JSON.stringify(r?.errors)}`);
    },
    setMapping: async (developerName, values) => {
      const [row] = soql<{ Id: string }>(
        `SELECT Id FROM relay__FieldMapping__mdt WHERE DeveloperName = '${developerName}'`,
      );
      if (!row) throw new Error(`no mapping ${developerName}`);
      const [r] = emu.org.update('relay__FieldMapping__mdt', [{ Id: row.Id, ...values }], {
        metadataApi: true,
        system: true,
      });
      if (!r?.success) throw new Error(`could not change ${developerName}: ${JSON.stringify(r?.errors)}`);
    },
    refreshConfig: async (workspace = harness.workspace) => {
      const { getWorkspace } = await import('../../src/workspaces/store.js');
      await sync.engine.refreshConfiguration((await getWorkspace(harness.db, workspace.id))!);
    },
    asUser: async (username = 'ava.reed@relay.test') => {
      const tokenRes = await fetch(`${emu.url}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'password',
          client_id: 'relay-dev',
          client_secret: 'relay-dev-secret',
          username,
          password: 'relay-dev-password',
        }),
      });
      const token = (await tokenRes.json()) as { access_token: string; id: string };
      if (!token.access_token) throw new Error(`no token for ${username}: ${JSON.stringify(token)}`);
      const request = async (method: string, path: string, body?: unknown) => {
        const res = await fetch(`${emu.url}/services/data/v66.0${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token.access_token}`,
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
        const text = await res.text();
        return { status: res.status, json: text ? JSON.parse(text) : null };
      };
      const client: RestClient = {
        userId: token.id.split('/').pop()!,
        request,
        create: async (type, fields) => {
          const res = await request('POST', `/sobjects/${type}`, fields);
          if (res.status !== 201) throw new Error(`create ${type}: ${res.status} ${JSON.stringify(res.json)}`);
          return res.json.id as string;
        },
        update: async (type, id, fields) => {
          const res = await request('PATCH', `/sobjects/${type}/${id}`, fields);
          if (res.status !== 204) throw new Error(`update ${type}: ${res.status} ${JSON.stringify(res.json)}`);
        },
        remove: async (type, id) => {
          const res = await request('DELETE', `/sobjects/${type}/${id}`);
          if (res.status !== 204) throw new Error(`delete ${type}: ${res.status} ${JSON.stringify(res.json)}`);
        },
      };
      return client;
    },
    signed: async (method, path, body, workspace = harness.workspace) => {
      const raw = body === undefined ? '' : JSON.stringify(body);
      const res = await harness.companion.app.inject({
        method,
        url: path,
        headers: {
          'relay-workspace': workspace.id,
          'relay-signature': signatureHeader(workspace.secret, raw),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { payload: raw } : {}),
      });
      let json: unknown = null;
      try {
        json = res.json();
      } catch {
        json = null;
      }
      return { status: res.statusCode, json };
    },
    connect,
    close: async () => {
      await harness.close();
      await backend.shutdown();
      await receiver.close();
      await emu.close();
    },
  };
  return env;
}
