// The production build for a test file of its own: scripts/build-companion.mjs into a fresh folder
// two levels below companion/ (where the bundle finds companion/package.json), so test files that
// run at the same time never delete or rebuild each other's bundle. Removed by the caller.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const BUILDS = join(REPO, 'companion/.test-builds');

/** Builds the companion and returns the folder holding serve.js. */
export async function buildCompanion(): Promise<string> {
  mkdirSync(BUILDS, { recursive: true });
  const out = mkdtempSync(join(BUILDS, 'build-'));
  await promisify(execFile)(process.execPath, [join(REPO, 'scripts/build-companion.mjs'), '--out', out], { cwd: REPO });
  return out;
}
