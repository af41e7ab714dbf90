// Runs the project's own Salesforce CLI (@salesforce/cli, a root devDependency) against an
// emulator, in a throw-away HOME so nothing reads or writes the user's real CLI config, aliases,
// keys or caches. Telemetry and auto-update are off; every command runs to completion in turn.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
// The package exports only dist/index.js; bin/run.js sits beside dist/.
const RUN = join(dirname(require.resolve('@salesforce/cli')), '..', 'bin', 'run.js');

export interface SfResult {
  code: number;
  stdout: string;
  stderr: string;
  /** `--json` output parsed, when the command printed JSON. */
  json: any;
}

export class SfCli {
  /** Scratch folder: HOME, the CLI's state and data folders, and the working directory. */
  readonly dir = mkdtempSync(join(tmpdir(), 'relay-sf-'));
  private readonly env: NodeJS.ProcessEnv;

  constructor(accessToken: string) {
    this.env = {
      PATH: process.env.PATH,
      HOME: this.dir,
      XDG_CONFIG_HOME: join(this.dir, '.config'),
      XDG_DATA_HOME: join(this.dir, '.local', 'share'),
      XDG_CACHE_HOME: join(this.dir, '.cache'),
      SF_ACCESS_TOKEN: accessToken,
      SF_DISABLE_TELEMETRY: 'true',
      SF_AUTOUPDATE_DISABLE: 'true',
      SF_SKIP_NEW_VERSION_CHECK: 'true',
      SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
      SF_DISABLE_LOG_FILE: 'true',
      NO_COLOR: '1',
    };
  }

  run(args: string[]): Promise<SfResult> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        ['--no-deprecation', RUN, ...args],
        { cwd: this.dir, env: this.env, maxBuffer: 32 * 1024 * 1024, timeout: 60_000 },
        (error, stdout, stderr) => {
          let json: unknown;
          try {
            json = JSON.parse(stdout);
          } catch {
            json = undefined;
          }
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ code, stdout, stderr, json });
        },
      );
    });
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
