// The companion's pino logger. Secrets never reach a log line: the paths below are redacted
// wherever they appear (configuration, workspaces, request headers), so a careless `log.info({
// workspace })` stays safe.
import { pino, type Logger, type DestinationStream } from 'pino';
import type { LogLevel } from './env.js';

export type { Logger };

export const REDACTED_PATHS: readonly string[] = [
  'signingSecret',
  'secret',
  'orgKey',
  'clientSecret',
  'password',
  'privateKey',
  'accessToken',
  'refreshToken',
  '*.signingSecret',
  '*.secret',
  '*.workspaceSecret',
  '*.orgKey',
  '*.clientSecret',
  '*.password',
  '*.privateKey',
  '*.accessToken',
  '*.refreshToken',
  '*.*.signingSecret',
  '*.*.workspaceSecret',
  '*.*.orgKey',
  '*.*.clientSecret',
  '*.*.password',
  '*.*.accessToken',
  'req.headers.authorization',
  'req.headers["relay-signature"]',
  'headers.authorization',
  'headers["relay-signature"]',
];

export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'relay-companion' },
      redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
    },
    destination ?? pino.destination(2),
  );
}
