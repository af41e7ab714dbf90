// `npm test`: every check and test of the project, in one command, on a fresh machine.
// Installs the system packages the suites need (scripts/setup-system.sh, a no-op when present),
// then runs each step even when an earlier one failed, so one CI run shows every failure, and ends
// with a table of steps, results and durations. Exit code 1 when any step failed.
// Usage: node scripts/test-all.mjs [step-name ...]   (default: all steps)
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);

const steps = [
  { name: 'setup-system', command: ['bash', 'scripts/setup-system.sh'] },
  { name: 'typecheck', command: ['npm', 'run', '--silent', 'typecheck'] },
  { name: 'lint', command: ['npm', 'run', '--silent', 'lint'] },
  { name: 'check:cycles', command: ['npm', 'run', '--silent', 'check:cycles'] },
  { name: 'check:apex', command: ['npm', 'run', '--silent', 'check:apex'] },
  { name: 'check:parity', command: ['npm', 'run', '--silent', 'check:parity'] },
  { name: 'check:package', command: ['npm', 'run', '--silent', 'check:package'] },
  { name: 'test:lwc', command: ['npm', 'run', '--silent', 'test:lwc'] },
  { name: 'test:checks', command: ['npm', 'run', '--silent', 'test:checks'] },
  { name: 'test:emulator', command: ['npm', 'run', '--silent', 'test:emulator'], optionalScript: true },
  { name: 'test:clients', command: ['npm', 'run', '--silent', 'test:clients'], optionalScript: true },
  { name: 'test:companion', command: ['npm', 'run', '--silent', 'test:companion'], optionalScript: true },
  { name: 'test:e2e', command: ['npm', 'run', '--silent', 'test:e2e'], optionalScript: true },
];

function run(command) {
  return new Promise((resolveRun) => {
    const child = spawn(command[0], command.slice(1), { cwd: root, stdio: 'inherit', env: process.env });
    child.on('exit', (code, signal) => resolveRun(signal ? 1 : (code ?? 1)));
    child.on('error', () => resolveRun(1));
  });
}

const { scripts } = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(resolve(root, 'package.json'))));
const wanted = process.argv.slice(2);
const selected = steps.filter((s) => wanted.length === 0 || wanted.includes(s.name));
const results = [];
for (const step of selected) {
  const scriptName = step.command[3];
  if (step.optionalScript && !scripts[scriptName]) continue;
  console.log(`\n=== ${step.name} ===`);
  const started = process.hrtime.bigint();
  const code = await run(step.command);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  results.push({ name: step.name, ok: code === 0, seconds });
}

console.log('\n=== summary ===');
for (const r of results) console.log(`${r.ok ? 'pass' : 'FAIL'}  ${r.seconds.toFixed(1).padStart(6)} s  ${r.name}`);
const failed = results.filter((r) => !r.ok);
console.log(
  failed.length === 0 ? 'all steps passed' : `${failed.length} step(s) failed: ${failed.map((r) => r.name).join(', ')}`,
);
process.exitCode = failed.length === 0 ? 0 : 1;
