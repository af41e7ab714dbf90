// The production start: `npm run build`, then `node companion/dist/app/serve.js` on every machine
// (README "Run Relay for your customers"). Unlike `npm start` (main.ts) it starts no embedded org,
// no demo workspace, no preview and makes up no operator token: workspaces come from the operator
// API, the configuration from RELAY_* variables. Logs are JSON lines at RELAY_LOG_LEVEL.
// RELAY_WORKER=off makes an intake-only process, RELAY_INTAKE=off a worker-only one.
// SIGTERM or SIGINT: intake stops taking requests, running batches finish or are handed back, the
// queue and the database close, exit 0; a second signal exits at once with 1.
import { ConfigError, parseConfig, type Config } from './config/env.js';
import { createLogger } from './config/logger.js';
import { createCompanion } from './app.js';
import { redactUrl } from './db/postgres.js';

function readConfig(): Config {
  try {
    return parseConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`relay: cannot start, ${error.message}\n`);
    process.exit(2);
  }
}

async function serve(): Promise<void> {
  const config = readConfig();
  const log = createLogger(config.logLevel);
  const companion = await createCompanion({ config, logger: log });
  log.info(
    {
      url: companion.url,
      database: config.databaseUrl ? redactUrl(config.databaseUrl) : `PGlite in ${config.dataDir}`,
      intake: config.intake.enabled !== false,
      worker: companion.worker !== null,
      operatorApi: config.security.operatorTokenHashes.length > 0,
    },
    'relay companion serving',
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info({ signal }, 'shutting down: running batches finish or are handed back');
    await companion.close();
    log.info('shut down');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

await serve();
