// Child processes of the benchmark (emulator, companion, baseline), each in its own process so that
// its memory and CPU time are its own: a small request/answer protocol over Node's IPC channel, and
// the kernel's figures from /proc (VmHWM = peak resident set size, utime + stime = CPU time).
import { fork, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface Child {
  pid: number;
  /** The `ready` message's payload. */
  ready: Record<string, unknown>;
  call<T = unknown>(command: string, args?: unknown): Promise<T>;
  /** Peak and current resident set size in MB (kernel accounting of this process alone). */
  memory(): { peakMb: number; rssMb: number };
  /** CPU seconds used so far (user + system). */
  cpuSeconds(): number;
  /** Asks the child to close, then waits for it to exit (kills it after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export function procCpuSeconds(pid: number): number {
  // Fields after the command name (which may contain spaces): utime is the 12th, stime the 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/**
 * CPU seconds of a process and all its live descendants, plus what its finished children used
 * (a PostgreSQL server: the postmaster, its backends and helpers).
 */
export function treeCpuSeconds(rootPid: number): number {
  const parents = new Map<number, number>();
  const cpu = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const f = stat
        .slice(stat.lastIndexOf(')') + 2)
        .split(' ')
        .map(Number);
      parents.set(Number(entry), f[1]!);
      cpu.set(Number(entry), [f[11]! + f[12]!, f[13]! + f[14]!]);
    } catch {
      // The process ended while we looked.
    }
  }
  const inTree = (pid: number): boolean => {
    for (let p: number | undefined = pid, hops = 0; p && hops < 64; p = parents.get(p), hops += 1) {
      if (p === rootPid) return true;
    }
    return false;
  };
  let ticks = cpu.get(rootPid)?.[1] ?? 0;
  for (const [pid, [own]] of cpu) if (inTree(pid)) ticks += own!;
  return ticks / TICKS_PER_SECOND;
}

export function procMemoryMb(pid: number): { peakMb: number; rssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { peakMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
}

/**
 * Starts `script` (TypeScript, through tsx) with an IPC channel and waits for its `ready` message.
 * `nodeArgs` lets the caller add `--cpu-prof` and the like.
 */
export async function startChild(
  script: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
  readyTimeoutMs = 60_000,
): Promise<Child> {
  const child: ChildProcess = fork(script, [], {
    execArgv: ['--import', 'tsx', ...nodeArgs],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 0;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${script}: not ready after ${readyTimeoutMs} ms`)),
      readyTimeoutMs,
    );
    child.once('exit', (code, signal) => {
      exited = true;
      clearTimeout(timer);
      const error = new Error(`${script} exited (code ${code}, signal ${signal})`);
      reject(error);
      for (const p of pending.values()) p.reject(error);
    });
    child.on('message', (raw) => {
      const message = raw as { type?: string; id?: number; result?: unknown; error?: string };
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve((message.result ?? {}) as Record<string, unknown>);
        return;
      }
      const p = message.id !== undefined ? pending.get(message.id) : undefined;
      if (!p) return;
      pending.delete(message.id!);
      if (message.error) p.reject(new Error(message.error));
      else p.resolve(message.result);
    });
  });
  const pid = child.pid!;
  return {
    pid,
    ready,
    call: <T,>(command: string, args?: unknown) =>
      new Promise<T>((resolve, reject) => {
        if (exited) return reject(new Error(`${script} has exited`));
        const id = nextId++;
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, command, args });
      }),
    memory: () => procMemoryMb(pid),
    cpuSeconds: () => procCpuSeconds(pid),
    async stop(graceMs = 30_000) {
      if (exited) return;
      child.send({ id: -1, command: 'close' });
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
}

export type Handler = (args: unknown) => Promise<unknown> | unknown;

/**
 * The child's side: answers the parent's requests with `handlers`; `close` runs `onClose` and
 * exits. Call after start-up with the `ready` payload.
 */
export function serveParent(ready: unknown, handlers: Record<string, Handler>, onClose: () => Promise<void>): void {
  if (!process.send) throw new Error('run by the benchmark (needs an IPC channel)');
  const send = process.send.bind(process);
  process.on('message', async (raw) => {
    const { id, command, args } = raw as { id: number; command: string; args?: unknown };
    if (command === 'close') {
      try {
        await onClose();
      } finally {
        process.disconnect();
        process.exit(0);
      }
    }
    try {
      const handler = handlers[command];
      if (!handler) throw new Error(`unknown command ${command}`);
      send({ id, result: await handler(args) });
    } catch (error) {
      send({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  });
  // The parent went away (Ctrl-C, crash): do not linger.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', result: ready });
}
