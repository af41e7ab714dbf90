// `relay-emulator [--port N] [--seed demo|empty] [--no-control] [--data-file PATH]
// [--token-ttl SECONDS] [--jwt-cert PATH]`: starts the emulator and prints exactly one line,
// `Salesforce emulator listening on http://127.0.0.1:<port>`, once it accepts requests.
import { readFileSync } from 'node:fs';
import { createEmulator, type EmulatorOptions } from './server.js';
import { isSeedName } from './seed/index.js';

function usage(message: string): never {
  process.stderr.write(
    `relay-emulator: ${message}\nusage: relay-emulator [--port N] [--seed demo|empty] [--no-control] [--data-file PATH] [--token-ttl SECONDS] [--jwt-cert PATH]\n`,
  );
  process.exit(2);
}

export function parseArgs(argv: string[]): EmulatorOptions {
  const opts: EmulatorOptions = { port: 0, seed: 'demo', control: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) usage(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--port': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 0 || n > 65535) usage('--port must be 0..65535');
        opts.port = n;
        break;
      }
      case '--seed': {
        const s = value();
        if (!isSeedName(s)) usage('--seed must be demo or empty');
        opts.seed = s;
        break;
      }
      case '--no-control':
        opts.control = false;
        break;
      case '--data-file':
        opts.dataFile = value();
        break;
      case '--token-ttl':
        opts.tokenTtlSeconds = Number(value());
        break;
      case '--jwt-cert':
        opts.jwtCertificate = readFileSync(value(), 'utf8');
        break;
      case '--host':
        opts.host = value();
        break;
      case '--help':
      case '-h':
        usage('help');
        break;
      default:
        usage(`unknown option ${arg}`);
    }
  }
  return opts;
}

export async function main(argv: string[]): Promise<void> {
  const emulator = await createEmulator(parseArgs(argv));
  for (const w of emulator.org.warnings) process.stderr.write(`relay-emulator: warning: ${w}\n`);
  process.stdout.write(`Salesforce emulator listening on ${emulator.url}\n`);
  const stop = () => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
