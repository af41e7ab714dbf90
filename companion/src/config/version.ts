// The companion's version (package.json), shown in /openapi.json and the package's status.
import { readFileSync } from 'node:fs';

function readVersion(): string {
  try {
    // src/config/ and dist/config/ are both two levels below the workspace folder.
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export const COMPANION_VERSION = readVersion();
