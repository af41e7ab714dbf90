// Command-line arguments of the operator CLI: positionals and `--name value` / `--flag` options,
// each option checked against what the command accepts, so a typo is an error, not ignored.

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface Parsed {
  positionals: string[];
  options: Map<string, string | true>;
}

/** Options that never take a value. */
const FLAGS = new Set(['json', 'help', 'dry-run']);

export function parseArgs(argv: readonly string[]): Parsed {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq > 0 ? eq : undefined);
    if (eq > 0) options.set(name, arg.slice(eq + 1));
    else if (FLAGS.has(name)) options.set(name, true);
    else {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      options.set(name, value);
      i += 1;
    }
  }
  return { positionals, options };
}

/** The options a command accepts; anything else is a usage error naming it. */
export function allowOnly(parsed: Parsed, allowed: readonly string[]): void {
  for (const name of parsed.options.keys()) {
    if (name !== 'json' && name !== 'help' && !allowed.includes(name)) {
      throw new UsageError(
        `unknown option --${name}${allowed.length ? ` (this command takes ${allowed.map((a) => `--${a}`).join(', ')})` : ''}`,
      );
    }
  }
}

export function option(parsed: Parsed, name: string): string | undefined {
  const value = parsed.options.get(name);
  return typeof value === 'string' ? value : undefined;
}

export function required(parsed: Parsed, name: string): string {
  const value = option(parsed, name);
  if (value === undefined) throw new UsageError(`--${name} is required`);
  return value;
}

export function positional(parsed: Parsed, index: number, what: string): string {
  const value = parsed.positionals[index];
  if (value === undefined) throw new UsageError(`${what} is required`);
  return value;
}
