// The companion's configuration, read once at start-up from the environment (README.md's Configuration table plus a
// few operational knobs documented in companion/README.md) and checked as a whole: every problem is
// reported at once, each naming the variable, what it must be and what it was.
import { createHash } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import { resolve } from 'node:path';
import { parseKeyRing, VaultError, type VaultKey } from '../secrets/vault.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface SalesforceEnvConfig {
  loginUrl: string;
  clientId: string;
  /** `client_credentials` with a client secret, or `jwt_bearer` with a username and a private key. */
  authFlow: 'client_credentials' | 'jwt_bearer';
  clientSecret?: string;
  username?: string;
  privateKeyFile?: string;
}

export interface WorkerConfig {
  /** Run the sync worker in this process (RELAY_WORKER=off makes an intake-only process). */
  enabled: boolean;
  /** Workspaces synced in parallel by this process. */
  concurrency: number;
  /** Events handed to the processor at once (1,000 = one Composite call of 5 sObject Collections × 200). */
  batchSize: number;
  /**
   * More events than this due in one workspace make a backlog (RELAY_BACKLOG_THRESHOLD): it is
   * claimed in batches of `backlogBatchSize`.
   */
  backlogThreshold: number;
  /**
   * Events per batch of a backlog (RELAY_BACKLOG_BATCH_SIZE): above the engine's Bulk threshold its
   * Tasks go out as one Bulk API 2.0 job, and its distinct people are looked up together.
   */
  backlogBatchSize: number;
  /**
   * How long due events short of a full batch wait for more before they are synced: a trickle of
   * single events becomes one batch (one write call) instead of one call each. 0 syncs at once.
   */
  batchWaitMs: number;
  /** How long a claim lasts without renewal; a killed worker's events are claimable after it. */
  leaseMs: number;
  /** Attempts before a transient failure is dead-lettered (status failed, category transient). */
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** pg-boss polling interval; LISTEN/NOTIFY usually wakes the worker sooner. */
  pollIntervalSeconds: number;
  /** On shutdown, how long a running batch may take before its leases are released. */
  shutdownGraceMs: number;
}

export interface IntakeConfig {
  /**
   * false (RELAY_INTAKE=off): a worker-only process, answering only /healthz, /readyz and /metrics
   * — no intake, package, platform or operator API. Absent: on.
   */
  enabled?: boolean;
  /** Largest request body accepted by POST /v1/events. */
  maxBodyBytes: number;
  /** Largest batch (docs/intake-api.md: 1,000). */
  maxBatchEvents: number;
  /** Signature timestamps further than this from the server's clock are refused (both ways). */
  signatureToleranceSeconds: number;
}

export interface SecurityConfig {
  /** RELAY_ENCRYPTION_KEY parsed; unset: a key kept in the data folder (secrets/key-file.ts). */
  encryptionKeys?: VaultKey[];
  /** SHA-256 hex of each RELAY_OPERATOR_TOKEN (several during a rotation); empty: the operator API answers 401. */
  operatorTokenHashes: string[];
  /** Intake requests a workspace may make per second on average (RELAY_INTAKE_RATE_PER_SECOND). */
  intakeRatePerSecond: number;
  /** Requests above the rate a workspace may burst (RELAY_INTAKE_BURST). */
  intakeBurst: number;
  /** The companion's address as browsers and Salesforce reach it (RELAY_PUBLIC_URL): OAuth callbacks. */
  publicUrl?: string;
}

export interface DemoConfig {
  stream: boolean;
  /** RELAY_DEMO_STREAM was set (a real org gets no demo stream unless asked for explicitly). */
  streamExplicit: boolean;
  workspaceId: string;
  workspaceSecret?: string;
  orgKey?: string;
  outboundUrl?: string;
  eventsPerSecond: number;
}

/** Tuning of the Salesforce sync and reverse sync; unset members keep the engines' defaults. */
export interface SyncTuning {
  /** Tasks per batch above which Bulk API 2.0 replaces Composite (RELAY_BULK_THRESHOLD). */
  bulkThreshold?: number;
  /**
   * New records of people (Leads, Contacts, Accounts, CampaignMembers) in one write above which Bulk
   * API 2.0 replaces Composite (RELAY_PEOPLE_BULK_THRESHOLD).
   */
  peopleBulkThreshold?: number;
  /** First pause after REQUEST_LIMIT_EXCEEDED (RELAY_LIMIT_PAUSE_SECONDS). */
  limitPauseSeconds?: number;
  /** Timeout of one Salesforce request (RELAY_SF_TIMEOUT_SECONDS). */
  timeoutSeconds?: number;
  /** How often a workspace paused for API_BUDGET reads its limit again (RELAY_BUDGET_RECHECK_MINUTES). */
  budgetRecheckMinutes?: number;
  reverse: {
    pollEveryMinutes?: number;
    maxReadCalls?: number;
    bulkThreshold?: number;
    outboundMaxAttempts?: number;
  };
}

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl?: string;
  logLevel: LogLevel;
  intake: IntakeConfig;
  worker: WorkerConfig;
  emulatorPort: number;
  demo: DemoConfig;
  security: SecurityConfig;
  /** Set when RELAY_SF_* connect the default workspace to a real org instead of the emulator. */
  salesforce?: SalesforceEnvConfig;
  /** Absent in hand-built configurations (tests): the engines' defaults apply. */
  sync?: SyncTuning;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

class Reader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  raw(name: string): string | undefined {
    const value = this.env[name];
    if (value === undefined) return undefined;
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  int(name: string, fallback: number, min: number, max: number, unit = ''): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max}${unit} (got '${value}')`);
      return fallback;
    }
    return n;
  }

  /** An integer that is left to its user's default when unset (undefined). */
  optionalInt(name: string, min: number, max: number, unit = ''): number | undefined {
    return this.raw(name) === undefined ? undefined : this.int(name, Number.NaN, min, max, unit);
  }

  number(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max) {
      this.problems.push(`${name} must be a number from ${min} to ${max} (got '${value}')`);
      return fallback;
    }
    return n;
  }

  onOff(name: string, fallback: boolean): boolean {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const v = value.toLowerCase();
    if (['on', 'true', '1', 'yes'].includes(v)) return true;
    if (['off', 'false', '0', 'no'].includes(v)) return false;
    this.problems.push(`${name} must be 'on' or 'off' (got '${value}')`);
    return fallback;
  }

  url(name: string, protocols: readonly string[]): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      this.problems.push(`${name} must be a URL (got '${redactSecretsInUrl(value)}')`);
      return undefined;
    }
    if (!protocols.includes(parsed.protocol)) {
      this.problems.push(
        `${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')} (got '${redactSecretsInUrl(value)}')`,
      );
      return undefined;
    }
    return value;
  }
}

function redactSecretsInUrl(value: string): string {
  return value.replace(/\/\/([^:/@]+):([^@]+)@/, '//$1:***@');
}

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const WORKSPACE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const MIN_SECRET_LENGTH = 16;

function readSalesforce(r: Reader): SalesforceEnvConfig | undefined {
  const names = [
    'RELAY_SF_LOGIN_URL',
    'RELAY_SF_CLIENT_ID',
    'RELAY_SF_CLIENT_SECRET',
    'RELAY_SF_USERNAME',
    'RELAY_SF_PRIVATE_KEY_FILE',
  ];
  if (names.every((n) => r.raw(n) === undefined)) return undefined;
  const before = r.problems.length;
  const loginUrl = r.url('RELAY_SF_LOGIN_URL', ['https:', 'http:']) ?? 'https://login.salesforce.com';
  const clientId = r.raw('RELAY_SF_CLIENT_ID');
  const clientSecret = r.raw('RELAY_SF_CLIENT_SECRET');
  const username = r.raw('RELAY_SF_USERNAME');
  const keyFile = r.raw('RELAY_SF_PRIVATE_KEY_FILE');
  if (!clientId) {
    r.problems.push(
      'RELAY_SF_CLIENT_ID is required when connecting a real org (the consumer key of the External Client App or Connected App)',
    );
  }
  let authFlow: SalesforceEnvConfig['authFlow'] = 'client_credentials';
  let privateKeyFile: string | undefined;
  if (keyFile) {
    authFlow = 'jwt_bearer';
    privateKeyFile = resolve(keyFile);
    if (!username) {
      r.problems.push(
        'RELAY_SF_USERNAME is required with RELAY_SF_PRIVATE_KEY_FILE (JWT bearer flow: the integration user)',
      );
    }
    try {
      accessSync(privateKeyFile, constants.R_OK);
    } catch {
      r.problems.push(`RELAY_SF_PRIVATE_KEY_FILE ${privateKeyFile} does not exist or cannot be read`);
    }
  } else if (!clientSecret) {
    r.problems.push(
      'set RELAY_SF_CLIENT_SECRET (client-credentials flow) or RELAY_SF_USERNAME and RELAY_SF_PRIVATE_KEY_FILE (JWT bearer flow)',
    );
  }
  if (r.problems.length > before || !clientId) return undefined;
  return {
    loginUrl,
    clientId,
    authFlow,
    ...(clientSecret ? { clientSecret } : {}),
    ...(username ? { username } : {}),
    ...(privateKeyFile ? { privateKeyFile } : {}),
  };
}

/** Whether the companion listens only where this machine reaches it. */
export function isLoopbackHost(host: string): boolean {
  return /^(127\.\d+\.\d+\.\d+|::1|\[::1\]|localhost)$/i.test(host);
}

/** SHA-256 hex of an operator token: tokens are compared, stored and logged only as hashes. */
export function hashOperatorToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function readSecurity(r: Reader): SecurityConfig {
  let encryptionKeys: VaultKey[] | undefined;
  const keyRing = r.raw('RELAY_ENCRYPTION_KEY');
  if (keyRing !== undefined) {
    try {
      encryptionKeys = parseKeyRing(keyRing);
    } catch (error) {
      r.problems.push((error as VaultError).message);
    }
  }
  const tokens = (r.raw('RELAY_OPERATOR_TOKEN') ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  if (tokens.some((t) => t.length < 24)) {
    r.problems.push('RELAY_OPERATOR_TOKEN: every token must be at least 24 characters (comma-separated to rotate)');
  }
  const publicUrl = r.url('RELAY_PUBLIC_URL', ['https:', 'http:']);
  const rate = r.int('RELAY_INTAKE_RATE_PER_SECOND', 200, 1, 1_000_000);
  return {
    ...(encryptionKeys ? { encryptionKeys } : {}),
    operatorTokenHashes: tokens.map(hashOperatorToken),
    intakeRatePerSecond: rate,
    intakeBurst: r.int('RELAY_INTAKE_BURST', Math.max(rate * 2, 100), 1, 10_000_000),
    ...(publicUrl ? { publicUrl: publicUrl.replace(/\/+$/, '') } : {}),
  };
}

function readSyncTuning(r: Reader): SyncTuning {
  const defined = <T extends object>(o: T): T =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && !Number.isNaN(v))) as T;
  return {
    ...defined({
      // Bulk 2.0 takes up to 150,000,000 records a day.
      bulkThreshold: r.optionalInt('RELAY_BULK_THRESHOLD', 1, 150_000_000),
      peopleBulkThreshold: r.optionalInt('RELAY_PEOPLE_BULK_THRESHOLD', 1, 150_000_000),
      limitPauseSeconds: r.optionalInt('RELAY_LIMIT_PAUSE_SECONDS', 1, 86_400, ' seconds'),
      // Salesforce ends a request after 10 minutes.
      timeoutSeconds: r.optionalInt('RELAY_SF_TIMEOUT_SECONDS', 1, 600, ' seconds'),
      // Each check is one API call, made while Relay's share is spent: not more than once a minute.
      budgetRecheckMinutes: r.optionalInt('RELAY_BUDGET_RECHECK_MINUTES', 1, 1440, ' minutes'),
    }),
    reverse: defined({
      // Polls are scheduled with a cron minute field.
      pollEveryMinutes: r.optionalInt('RELAY_REVERSE_POLL_MINUTES', 1, 59),
      maxReadCalls: r.optionalInt('RELAY_REVERSE_READ_CALLS', 1, 100),
      bulkThreshold: r.optionalInt('RELAY_REVERSE_BULK_THRESHOLD', 2, 100_000),
      outboundMaxAttempts: r.optionalInt('RELAY_OUTBOUND_MAX_ATTEMPTS', 1, 1000),
    }),
  };
}

/** Parses and checks the whole configuration; throws ConfigError listing every problem. */
export function parseConfig(env: Env = process.env): Config {
  const r = new Reader(env);

  const logLevel = r.string('RELAY_LOG_LEVEL', 'info').toLowerCase() as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    r.problems.push(`RELAY_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got '${r.raw('RELAY_LOG_LEVEL')}')`);
  }

  const workspaceId = r.string('RELAY_DEMO_WORKSPACE_ID', 'demo');
  if (!WORKSPACE_ID.test(workspaceId)) {
    r.problems.push(
      `RELAY_DEMO_WORKSPACE_ID must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit (got '${workspaceId}')`,
    );
  }
  const workspaceSecret = r.raw('RELAY_DEMO_WORKSPACE_SECRET');
  if (workspaceSecret !== undefined && workspaceSecret.length < MIN_SECRET_LENGTH) {
    r.problems.push(
      `RELAY_DEMO_WORKSPACE_SECRET must be at least ${MIN_SECRET_LENGTH} characters (got ${workspaceSecret.length}); unset it to get a random one`,
    );
  }
  const orgKey = r.raw('RELAY_DEMO_ORG_KEY');
  if (orgKey !== undefined && orgKey.length < MIN_SECRET_LENGTH) {
    r.problems.push(
      `RELAY_DEMO_ORG_KEY must be at least ${MIN_SECRET_LENGTH} characters; unset it to get a random one`,
    );
  }

  const databaseUrl = r.url('RELAY_DATABASE_URL', ['postgres:', 'postgresql:']);
  const outboundUrl = r.url('RELAY_DEMO_OUTBOUND_URL', ['http:', 'https:']);
  const port = r.int('RELAY_PORT', 8787, 0, 65535);
  const emulatorPort = r.int('RELAY_EMULATOR_PORT', 8788, 0, 65535);
  if (port !== 0 && port === emulatorPort) {
    r.problems.push(`RELAY_PORT and RELAY_EMULATOR_PORT are both ${port}; give them different ports`);
  }

  const batchSize = r.int('RELAY_BATCH_SIZE', 1000, 1, 10000);
  const config: Config = {
    host: r.string('RELAY_HOST', '127.0.0.1'),
    port,
    dataDir: resolve(r.string('RELAY_DATA_DIR', './.relay')),
    ...(databaseUrl ? { databaseUrl } : {}),
    logLevel,
    intake: {
      enabled: r.onOff('RELAY_INTAKE', true),
      maxBodyBytes: r.int('RELAY_MAX_BODY_BYTES', 10 * 1024 * 1024, 1024, 100 * 1024 * 1024, ' bytes'),
      maxBatchEvents: 1000,
      signatureToleranceSeconds: 300,
    },
    worker: {
      enabled: r.onOff('RELAY_WORKER', true),
      concurrency: r.int('RELAY_WORKER_CONCURRENCY', 4, 1, 64),
      batchSize,
      backlogThreshold: r.int('RELAY_BACKLOG_THRESHOLD', 10_000, 1, 10_000_000),
      // A backlog batch holds ~13 KB per event while it runs (events, activity state, Tasks, the
      // Bulk CSV and its result file, outcomes): 50,000 took the companion from ~250 to ~900 MB
      // (bench/BACKLOG.md); 20,000 keeps it near 500 MB on PostgreSQL and still makes at most ~0.4
      // calls per 1,000. Embedded PGlite keeps the database in the same process (~350 MB before the
      // first event), where a 20,000 batch peaked at ~800 MB: there backlog batches are opt-in, and
      // the default (the usual batch size) leaves them off.
      backlogBatchSize: r.int('RELAY_BACKLOG_BATCH_SIZE', databaseUrl ? 20_000 : batchSize, 1, 100_000),
      batchWaitMs: r.int('RELAY_BATCH_WAIT_MS', 5000, 0, 60_000),
      leaseMs: r.int('RELAY_LEASE_SECONDS', 60, 2, 3600, ' seconds') * 1000,
      maxAttempts: r.int('RELAY_RETRY_MAX_ATTEMPTS', 10, 1, 100),
      backoffBaseMs: r.int('RELAY_RETRY_BASE_MS', 2000, 1, 3_600_000),
      backoffMaxMs: r.int('RELAY_RETRY_MAX_MS', 30 * 60 * 1000, 1, 24 * 3_600_000),
      pollIntervalSeconds: 0.5,
      shutdownGraceMs: 10_000,
    },
    emulatorPort,
    security: readSecurity(r),
    demo: {
      stream: r.onOff('RELAY_DEMO_STREAM', true),
      streamExplicit: r.raw('RELAY_DEMO_STREAM') !== undefined,
      workspaceId,
      ...(workspaceSecret ? { workspaceSecret } : {}),
      ...(orgKey ? { orgKey } : {}),
      ...(outboundUrl ? { outboundUrl } : {}),
      eventsPerSecond: r.number('RELAY_DEMO_EVENTS_PER_SECOND', 2, 0.1, 10000),
    },
  };
  const salesforce = readSalesforce(r);
  if (salesforce) config.salesforce = salesforce;
  config.sync = readSyncTuning(r);
  const preview = r.raw('RELAY_PREVIEW')?.toLowerCase();
  if ((preview === 'on' || preview === 'true' || preview === '1') && !isLoopbackHost(config.host)) {
    r.problems.push(
      `RELAY_PREVIEW=on serves the package's pages and their settings without authentication: it needs a loopback RELAY_HOST (127.0.0.1, ::1 or localhost; got '${config.host}')`,
    );
  }
  if (config.worker.backlogBatchSize < config.worker.batchSize) {
    r.problems.push(
      `RELAY_BACKLOG_BATCH_SIZE (${config.worker.backlogBatchSize}) must not be below RELAY_BATCH_SIZE (${config.worker.batchSize})`,
    );
  }
  if (config.worker.backoffMaxMs < config.worker.backoffBaseMs) {
    r.problems.push(
      `RELAY_RETRY_MAX_MS (${config.worker.backoffMaxMs}) must not be below RELAY_RETRY_BASE_MS (${config.worker.backoffBaseMs})`,
    );
  }
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return config;
}
