// One process of the production build (`node <build>/serve.js`), as an operator runs it: its role
// chosen by RELAY_INTAKE / RELAY_WORKER, started with the given RELAY_* environment, ready when its
// JSON log says it serves. Its kernel figures (peak RSS, CPU seconds) are read from /proc while it
// lives, so they are its own and not the benchmark's.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { procCpuSeconds, procMemoryMb } from './child.mjs';

export type Role = 'intake' | 'worker' | 'both';

export interface ServeProcess {
  role: Role;
  pid: number;
  url: string;
  /** Peak (VmHWM) and current RSS in MB. */
  memory(): { peakMb: number; rssMb: number };
  cpuSeconds(): number;
  /** SIGTERM (running batches finish or are handed back), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const ROLE_ENV: Record<Role, Record<string, string>> = {
  intake: { RELAY_WORKER: 'off' },
  worker: { RELAY_INTAKE: 'off' },
  both: {},
};

/** Resolves with the URL in the "serving" log line; rejects with the log's tail if it exits first. */
function servingUrl(child: ChildProcess, role: Role): Promise<string> {
  const tail: string[] = [];
  let buffered = '';
  return new Promise<string>((resolve, reject) => {
    // The log (JSON lines) goes to stderr; it is read to the end so the pipe never fills.
    child.stderr!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        tail.push(line);
        if (tail.length > 20) tail.shift();
        if (line.includes('"msg":"relay companion serving"')) resolve((JSON.parse(line) as { url: string }).url);
      }
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`serve.js (${role}) exited with ${code ?? signal}: ${tail.join('\n')}`)),
    );
  });
}

export async function startServe(
  build: string,
  role: Role,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<ServeProcess> {
  const child = spawn(process.execPath, [...nodeArgs, join(build, 'serve.js')], {
    env: { PATH: process.env.PATH, ...env, ...ROLE_ENV[role] },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await servingUrl(child, role);
  const pid = child.pid!;
  return {
    role,
    pid,
    url,
    memory: () => procMemoryMb(pid),
    cpuSeconds: () => procCpuSeconds(pid),
    async stop(graceMs = 30_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
