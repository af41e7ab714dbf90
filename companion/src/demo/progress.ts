// The progress line `npm start` prints every few seconds, so a person can follow what happens:
// events received and synced, then waiting, retrying, failed, skipped (by rule) and paused (with
// the reason) as the package's status counts them, and the Salesforce API calls used so far.
import type { QueueControl } from '../queue/control.js';
import { backlogTerms, skippedText, type Backlog } from '../queue/backlog.js';

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

/** The line, in the backlog's vocabulary (queue/backlog.ts): each event counted once. */
export function formatProgress(at: Date, backlog: Backlog, apiCalls: number | null): string {
  const b = backlogTerms(backlog);
  const parts = [
    `received ${backlog.total}`,
    `synced ${backlog.synced}`,
    `waiting ${b.waiting}`,
    `retrying ${b.retrying}`,
    `failed ${b.failed}`,
    ...(b.skipped ? [`skipped ${b.skipped} (${skippedText(b.skippedBy)})`] : []),
    ...(b.pausedReason ? [`paused ${b.paused} (${b.pausedReason})`] : []),
    `API calls ${apiCalls ?? 'n/a'}`,
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
