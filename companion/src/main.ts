// `npm start`: the companion with everything a newcomer needs (README.md). With no RELAY_SF_*
// it starts the embedded emulator org (seed `demo`), creates or reuses the demo workspace
// connected to it, prints the URLs and credentials, posts a live demo stream of signed events
// through the real intake (RELAY_DEMO_STREAM=off to stop it) and prints progress every few seconds.
// SIGINT/SIGTERM shut down cleanly: running batches finish or are handed back.
import { randomBytes } from 'node:crypto';
import { ConfigError, hashOperatorToken, isLoopbackHost, parseConfig, type Config } from './config/env.js';
import { ConnectError } from './connections/connect.js';
import { createLogger, type Logger } from './config/logger.js';
import { createCompanion, type Companion } from './app.js';
import { startEmbeddedEmulator, type EmbeddedEmulator } from './demo/emulator.js';
import { demoConnection, demoOrgKey, ensureDemoWorkspace } from './demo/workspace.js';
import { previewEnabled } from './preview/index.js';
import { loadCast } from './demo/people.js';
import { startDemoStream, type DemoStream } from './demo/stream.js';
import { startProgress, type Progress } from './demo/progress.js';
import { redactUrl } from './db/postgres.js';
import { createServer } from 'node:net';

function banner(lines: Array<[string, string]>, next: string): string {
  const width = Math.max(...lines.map(([k]) => k.length));
  const rows = lines.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`);
  return ['', 'Relay companion is running', ...rows, '', next, ''].join('\n');
}

/** What a person should do now, in one line. */
function nextStep(url: string, preview: boolean, stream: boolean): string {
  if (preview) {
    return `Next: open ${url}/preview — ${stream ? 'the demo stream is filling' : 'post events to fill'} Relay's sidebar on the demo's people (the first page builds the preview, about a minute); ${url}/ lists the rest.`;
  }
  return `Next: post signed events to ${url}/v1/events (docs/intake-api.md); ${url}/ lists what this companion serves.`;
}

/** Whether a listener could bind host:port now (closed again at once). */
function portIsFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code !== 'EADDRINUSE'));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

/** A person fixes this with one setting; a stack trace would hide which one. */
function portInUse(config: Config): never {
  process.stderr.write(
    `relay: cannot start, port ${config.port} is in use: set RELAY_PORT to a free port (0 picks one), or stop what listens on ${config.host}:${config.port}\n`,
  );
  process.exit(1);
}

async function main(): Promise<void> {
  let config: Config;
  try {
    // A person follows the banner and the progress line; log lines below warnings would bury them.
    config = parseConfig({ RELAY_LOG_LEVEL: 'warn', ...process.env });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`relay: cannot start, ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  // The operator API needs a token; a person running `npm start` gets one made up and printed.
  let operatorToken: string | null = null;
  if (config.security.operatorTokenHashes.length === 0) {
    operatorToken = `rot_${randomBytes(24).toString('base64url')}`;
    config.security.operatorTokenHashes = [hashOperatorToken(operatorToken)];
  }

  let emulator: EmbeddedEmulator | null = null;
  let companion: Companion | null = null;
  let stream: DemoStream | null = null;
  let progress: Progress | null = null;
  let stopping = false;

  const shutdown = async (signal: string) => {
    if (stopping) {
      process.stderr.write('relay: second signal, exiting now\n');
      process.exit(1);
    }
    stopping = true;
    process.stdout.write(`\nrelay: ${signal} received, shutting down (running batches finish or are handed back)…\n`);
    progress?.stop();
    await stream?.stop();
    await progress?.print();
    await companion?.close();
    await emulator?.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  // Said before anything is started (the emulator, the database, migrations): a port already taken
  // fails in a second instead of after them. The companion's own listen still answers the same way.
  if (config.port !== 0 && !(await portIsFree(config.host, config.port))) portInUse(config);

  if (!config.salesforce) {
    try {
      emulator = await startEmbeddedEmulator(config.emulatorPort, config.dataDir);
    } catch (error) {
      log.error({ err: error }, 'embedded emulator not started: the demo workspace has no org, events wait as pending');
      process.stderr.write(`relay: ${(error as Error).message}\n`);
    }
  }

  const orgKey = demoOrgKey(config);
  // Unauthenticated by design: never on an address other machines reach.
  const previewOn = previewEnabled(process.env, emulator !== null) && isLoopbackHost(config.host);
  try {
    companion = await createCompanion({
      config,
      logger: log,
      preview: {
        enabled: previewOn,
        defaultWorkspaceId: config.demo.workspaceId,
        orgKeys: { [config.demo.workspaceId]: orgKey },
      },
    });
  } catch (error) {
    if ((error as { code?: string }).code !== 'EADDRINUSE') throw error;
    await emulator?.close();
    portInUse(config);
  }
  let demo: Awaited<ReturnType<typeof ensureDemoWorkspace>>;
  try {
    demo = await ensureDemoWorkspace(companion, config, await demoConnection(config, emulator?.url ?? null), orgKey);
  } catch (error) {
    if (!(error instanceof ConnectError)) throw error;
    // RELAY_SF_* that Salesforce refuses stop the start: a companion that says "running" while
    // nothing can sync would only show the problem when the first events fail.
    process.stderr.write(
      `relay: cannot start, Salesforce refused the connection (${error.code}): ${error.message}\n` +
        '  check RELAY_SF_LOGIN_URL, RELAY_SF_CLIENT_ID and RELAY_SF_CLIENT_SECRET (or RELAY_SF_USERNAME and RELAY_SF_PRIVATE_KEY_FILE)\n',
    );
    await companion.close();
    await emulator?.close();
    process.exit(2);
  }

  const orgLine = config.salesforce
    ? `${config.salesforce.loginUrl} (${config.salesforce.authFlow}, client ${config.salesforce.clientId})`
    : (emulator?.url ?? 'not running (see the error above)');
  const streamOn = config.demo.stream && (!config.salesforce || config.demo.streamExplicit);
  process.stdout.write(
    banner(
      [
        ['Companion', companion.url],
        [config.salesforce ? 'Salesforce org' : 'Emulator (Salesforce org)', orgLine],
        ['Preview (records)', `${companion.url}/preview`],
        ['Preview (Setup)', `${companion.url}/preview/setup`],
        ['OpenAPI', `${companion.url}/openapi.json`],
        ['Storage', config.databaseUrl ? `PostgreSQL ${redactUrl(config.databaseUrl)}` : `PGlite in ${config.dataDir}`],
        ['Workspace id', demo.workspace.id + (demo.created ? ' (created)' : ' (reused)')],
        ['Signing secret', demo.signingSecret],
        [
          'Org key',
          demo.orgKey
            ? `${demo.orgKey} (org ${demo.workspace.connection.orgId}; new at each start unless RELAY_DEMO_ORG_KEY is set)`
            : 'none: the workspace has no org',
        ],
        [
          'Operator token',
          operatorToken
            ? `${operatorToken} (new at each start; RELAY_OPERATOR_TOKEN sets your own)`
            : 'from RELAY_OPERATOR_TOKEN',
        ],
        [
          'Demo stream',
          streamOn ? `on, ${config.demo.eventsPerSecond} events/s (RELAY_DEMO_STREAM=off to stop)` : 'off',
        ],
        [
          'Reverse sync',
          demo.workspace.outboundUrl
            ? `to ${demo.workspace.outboundUrl} while CreatePlatformContacts is on in the org (Setup → Sync switches)`
            : 'off (RELAY_DEMO_OUTBOUND_URL sets where Salesforce changes are sent)',
        ],
      ],
      nextStep(companion.url, previewOn, streamOn),
    ) + '\n',
  );
  // Reverse sync polls workspaces with an outbound URL on pg-boss schedules; the demo workspace's is
  // set up now rather than at the next minute's reconciliation.
  await companion.reverse
    .reconcileSchedules()
    .catch((error: unknown) => log.warn({ err: error }, 'reverse sync schedules not set up; retried within a minute'));

  if (streamOn) {
    const cast = await loadCast(emulator?.url ?? null);
    stream = startDemoStream({
      companionUrl: companion.url,
      workspaceId: demo.workspace.id,
      signingSecret: demo.signingSecret,
      eventsPerSecond: config.demo.eventsPerSecond,
      cast,
      log,
    });
  }
  // Relay's own calls as the sync engine counts them (real orgs too).
  const running = companion;
  progress = startProgress({
    workspaceId: demo.workspace.id,
    queue: companion.queue,
    apiCalls: async () => (await running.progress(demo.workspace.id)).apiCalls,
  });
  await progress.print();
}

main().catch((error: unknown) => {
  process.stderr.write(`relay: failed to start: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
