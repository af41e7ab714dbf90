// The progress line `npm start` prints every few seconds, so a person can follow what happens:
// events received, synced, failed, waiting, and the Salesforce API calls used so far.
import type { QueueControl } from '../queue/control.js';

export interface ProgressOptions {
  workspaceId: string;
  queue: QueueControl;
  /** API calls used (the emulator's counter), or null when unknown. */
  apiCalls: () => Promise<number | null>;
  intervalMs?: number;
  write?: (line: string) => void;
}

export interface Progress {
  /** Prints one line now (also at the end). */
  print(): Promise<void>;
  stop(): void;
}

export function formatProgress(
  at: Date,
  b: {
    total: number;
    synced: number;
    skipped: number;
    failed: number;
    retrying: number;
    pending: number;
    processing: number;
    deferred: number;
    pausedReason: string | null;
  },
  apiCalls: number | null,
): string {
  const waiting = b.pending + b.processing + b.deferred;
  const parts = [
    `received ${b.total}`,
    `synced ${b.synced}`,
    ...(b.skipped ? [`skipped ${b.skipped}`] : []),
    `failed ${b.failed}`,
    `retrying ${b.retrying}`,
    `waiting ${waiting}`,
    `API calls ${apiCalls ?? 'n/a'}`,
    ...(b.pausedReason ? [`paused (${b.pausedReason})`] : []),
  ];
  return `[relay ${at.toISOString().slice(11, 19)}] ${parts.join(' · ')}`;
}

export function startProgress(options: ProgressOptions): Progress {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  let last = '';
  const print = async (force = false) => {
    try {
      const [backlog, calls] = await Promise.all([options.queue.backlog(options.workspaceId), options.apiCalls()]);
      const line = formatProgress(new Date(), backlog, calls);
      const key = line.slice(line.indexOf(']'));
      if (force || key !== last) write(line);
      last = key;
    } catch {
      // The database is closing: nothing to report.
    }
  };
  const timer = setInterval(() => void print(), options.intervalMs ?? 5000);
  timer.unref();
  return { print: () => print(true), stop: () => clearInterval(timer) };
}
