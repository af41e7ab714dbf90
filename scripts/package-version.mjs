// `npm run package:version`: the one way to make a package version, so that what ships is what
// git holds, built. The LWCs are written in TypeScript and their .js is emitted, not committed: a
// version made from a plain checkout would ship every bundle without JavaScript. So this builds the
// LWCs, runs the package checks (which fail on a bundle without its .js, on metadata a deploy
// refuses, and on packaged permission sets that carry what installing drops), and only then asks
// the Dev Hub for a version. Arguments after `--` go to `sf package version create`.
//   npm run package:version -- --installation-key-bypass --wait 30
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const step = (what, command, args) => {
  console.log(`package:version: ${what}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`package:version: stopped, ${what} failed; no version was created`);
    process.exit(result.status ?? 1);
  }
};

step('building the LWCs', 'npm', ['run', '--silent', 'build:lwc']);
step('checking the package', 'node', ['scripts/check-package.mjs']);
step('checking Apex', 'npm', ['run', '--silent', 'check:apex']);
const extra = process.argv.slice(2);
step('creating the version', 'npx', [
  'sf',
  'package',
  'version',
  'create',
  '--package',
  'Relay',
  '--code-coverage',
  ...extra,
]);
