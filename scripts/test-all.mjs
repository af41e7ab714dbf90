// `npm test`: every check and test of the project, in one command, on a fresh machine.
// Installs the system packages the suites need (scripts/setup-system.sh, a no-op when present),
// then runs each step even when an earlier one failed, so one CI run shows every failure, and ends
// with a table of steps, results and durations. Exit code 1 when any step failed.
// Usage: node scripts/test-all.mjs [step-name ...]   (default: all steps)
//
// Steps run in phases. Within a phase, lanes run side by side (a lane's steps one after another):
// the offline checks are mostly single-threaded, so the emulator's suites use the other core
// meanwhile. The companion's suite runs alone — its tests measure waits and leases, which a loaded
// machine would stretch — and the browser test last; its preview bundle is built beside the
// offline checks (the build is keyed by its inputs, so the browser step finds it ready). A step's output is
// printed when it ends, so lanes never interleave their lines.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const npm = (script, optionalScript = false) => ({
  name: script,
  command: ['npm', 'run', '--silent', script],
  optionalScript,
});

const phases = [
  [[{ name: 'setup-system', command: ['bash', 'scripts/setup-system.sh'] }]],
  [
    [
      npm('typecheck'),
      npm('lint'),
      npm('check:cycles'),
      npm('check:apex'),
      npm('check:apex-semantics'),
      npm('check:parity'),
      npm('check:package'),
      npm('test:lwc'),
    ],
    [npm('test:emulator', true), npm('test:clients', true), npm('test:checks'), npm('build:preview', true)],
  ],
  [[npm('test:companion', true)]],
  [[npm('test:e2e', true)]],
];

/** Runs a step, keeping its output until it ends (lanes print whole steps, never mixed lines). */
function run(command) {
  return new Promise((resolveRun) => {
    const child = spawn(command[0], command.slice(1), { cwd: root, env: process.env });
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    const done = (code) => resolveRun({ code, output: Buffer.concat(output).toString('utf8') });
    child.on('close', (code, signal) => done(signal ? 1 : (code ?? 1)));
    child.on('error', (error) => {
      output.push(Buffer.from(String(error)));
      done(1);
    });
  });
}

const { scripts } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
const wanted = process.argv.slice(2);
const chosen = (step) =>
  (wanted.length === 0 || wanted.includes(step.name)) && (!step.optionalScript || scripts[step.name]);
const results = [];

async function runLane(lane) {
  for (const step of lane.filter(chosen)) {
    const started = process.hrtime.bigint();
    const { code, output } = await run(step.command);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    process.stdout.write(`\n=== ${step.name} (${seconds.toFixed(1)} s) ===\n${output}`);
    results.push({ name: step.name, ok: code === 0, seconds });
  }
}

for (const phase of phases) await Promise.all(phase.map(runLane));

console.log('\n=== summary ===');
for (const r of results) console.log(`${r.ok ? 'pass' : 'FAIL'}  ${r.seconds.toFixed(1).padStart(6)} s  ${r.name}`);
const failed = results.filter((r) => !r.ok);
console.log(
  failed.length === 0 ? 'all steps passed' : `${failed.length} step(s) failed: ${failed.map((r) => r.name).join(', ')}`,
);
process.exitCode = failed.length === 0 ? 0 : 1;
