// `relay backfill <workspace> --direction to-platform|to-salesforce [--file <ndjson>] [--dry-run]`:
// plans a backfill and prints what it would spend before spending anything (--dry-run), or runs it
// with a progress display and ends with the plan's figures beside what was spent. to-platform is
// driven page by page from here; to-salesforce stores the file's events and follows them as the
// worker syncs them. Stopped at any point (Ctrl-C, a kill), the same command continues the run.
import { readFile } from 'node:fs/promises';
import { option, positional, required, UsageError, type Parsed } from './args.js';
import { ApiFailure, EXIT, type ApiClient } from './api.js';
import { fields } from './format.js';
import { duration, ProgressLine } from './progress.js';

export interface CommandIo {
  stderr: { write(text: string): unknown };
  /** Whether stderr is a terminal (a redrawn bar) or not (periodic lines). */
  tty: boolean;
  /** Waits between progress reads (tests shorten it). */
  waitMs: number;
}

interface RunJson {
  id: string;
  direction: 'to-platform' | 'to-salesforce';
  state: 'running' | 'done';
  plan: Record<string, any> | null;
  spent: { apiCalls: number; bulkJobs: number };
  records: number;
  announced: number;
  alreadySent: number;
  lastError: string | null;
}

interface SalesforceProgressJson {
  events: number;
  synced: number;
  skipped: number;
  failed: number;
  waiting: number;
  deferred: number;
  deferredReason: string | null;
  done: boolean;
}

const enc = encodeURIComponent;
const fmt = (n: number | undefined) => (n === undefined ? '-' : n.toLocaleString('en-US'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The file's CloudEvents, one JSON object a line (blank lines skipped); a bad line is named. */
export async function readNdjson(path: string): Promise<{ events: unknown[]; lines: number[] }> {
  const text = await readFile(path, 'utf8').catch((e: Error) => {
    throw new UsageError(`--file: ${e.message}`);
  });
  const events: unknown[] = [];
  const lines: number[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    try {
      events.push(JSON.parse(raw));
      lines.push(i + 1);
    } catch (error) {
      throw new UsageError(`--file line ${i + 1}: not a JSON object (${(error as Error).message})`);
    }
  });
  if (events.length === 0) throw new UsageError('--file: no events in the file (one CloudEvent per line)');
  return { events, lines };
}

/** `events[12]` in the API's refusal → the file's line. */
function withLines(failure: ApiFailure, lines: readonly number[]): ApiFailure {
  const message = failure.message.replace(/events\[(\d+)\]/g, (_, i: string) => `line ${lines[Number(i)] ?? '?'}`);
  return new ApiFailure(message, failure.exitCode, failure.body);
}

export function planText(plan: Record<string, any>): string {
  if (plan.direction === 'to-platform') {
    const rows = (plan.objects as Array<Record<string, any>>).map(
      (o) =>
        [
          `${o.object}s`,
          `${fmt(o.records)} by ${o.method === 'none' ? 'nothing to read' : o.method === 'bulk' ? 'a Bulk API 2.0 query job' : 'query pages'}`,
        ] as const,
    );
    return fields([
      ...rows,
      ['records', fmt(plan.records)],
      ['API calls', `${fmt(plan.apiCalls)} (1 to count them, already spent)`],
      ['Bulk jobs', fmt(plan.bulkJobs)],
      ['estimated time', duration(plan.estimatedSeconds)],
    ]);
  }
  return fields([
    ['events', `${fmt(plan.events)} (${fmt(plan.alreadyStored)} already stored, not synced again)`],
    ['to sync', fmt(plan.toSync)],
    ['batches', fmt(plan.batches)],
    ['people to look up', fmt(plan.peopleToLookUp)],
    ['Accounts, owners', `${fmt(plan.accountsToLookUp)}, ${fmt(plan.ownersToLookUp)}`],
    [
      'Tasks',
      `${fmt(plan.tasks)}${plan.skippedBySwitch ? ` (${fmt(plan.skippedBySwitch)} events skipped by a switch)` : ''}`,
    ],
    ['people events', fmt(plan.peopleEvents)],
    ['API calls', `${fmt(plan.apiCalls)} (${fmt(plan.lookupCalls)} lookups, ${fmt(plan.writeCalls)} writes)`],
    ['Bulk jobs', fmt(plan.bulkJobs)],
    ['estimated time', duration(plan.estimatedSeconds)],
  ]);
}

function resultText(run: RunJson, progress?: SalesforceProgressJson): string {
  const plan = run.plan ?? {};
  const common: Array<readonly [string, unknown]> = [
    ['backfill', `${run.id} (${run.direction}), ${run.state === 'done' ? 'done' : 'still running'}`],
    ['API calls', `${fmt(run.spent.apiCalls)} spent, ${fmt(plan.apiCalls)} planned`],
    ['Bulk jobs', `${fmt(run.spent.bulkJobs)} spent, ${fmt(plan.bulkJobs)} planned`],
  ];
  if (run.direction === 'to-platform')
    return fields([
      ...common,
      ['records read', fmt(run.records)],
      ['announced', fmt(run.announced)],
      ['already announced', fmt(run.alreadySent)],
    ]);
  return fields([
    ...common,
    ['events', fmt(progress?.events)],
    ['synced', fmt(progress?.synced)],
    ['skipped', fmt(progress?.skipped)],
    ['failed', fmt(progress?.failed)],
  ]);
}

async function toPlatform(api: ApiClient, workspace: string, io: CommandIo): Promise<{ json: unknown; text: string }> {
  const started = (await api.request('POST', `/v1/admin/workspaces/${enc(workspace)}/backfills`, {
    direction: 'to-platform',
  })) as { run: RunJson; resumed: boolean };
  let run = started.run;
  if (started.resumed) io.stderr.write(`continuing backfill ${run.id} where it stopped\n`);
  const bar = new ProgressLine(io.stderr, io.tty, 'records');
  // What was read before this command, and what its count found left.
  // (A start that found a poll running plans with its first step.)
  let total = started.run.records + Number(started.run.plan?.records ?? 0);
  while (run.state === 'running') {
    const step = (await api.request('POST', `/v1/admin/workspaces/${enc(workspace)}/backfills/${run.id}/step`)) as {
      status: string;
      run: RunJson;
      reason?: string;
    };
    run = step.run;
    if (!started.run.plan && step.status === 'planned') total = run.records + Number(run.plan?.records ?? 0);
    bar.update(run.records, Math.max(run.records, total), step.status === 'busy' ? 'waiting for a poll' : '');
    if (step.status === 'paused') {
      bar.end();
      throw new ApiFailure(`paused: ${step.reason}; run the same command later to continue`, EXIT.refused, step);
    }
    if (step.status === 'busy') await sleep(io.waitMs);
  }
  bar.end();
  return { json: { run }, text: resultText(run) };
}

async function toSalesforce(
  api: ApiClient,
  workspace: string,
  file: { events: unknown[]; lines: number[] },
  io: CommandIo,
): Promise<{ json: unknown; text: string; failed: boolean }> {
  const started = (await api
    .request('POST', `/v1/admin/workspaces/${enc(workspace)}/backfills`, {
      direction: 'to-salesforce',
      events: file.events,
    })
    .catch((e: unknown) => {
      throw e instanceof ApiFailure ? withLines(e, file.lines) : e;
    })) as { run: RunJson; resumed: boolean; stored: number };
  io.stderr.write(
    `${started.resumed ? `continuing backfill ${started.run.id}` : `backfill ${started.run.id}`}: ${fmt(started.stored)} events stored now\n`,
  );
  const bar = new ProgressLine(io.stderr, io.tty, 'events');
  for (;;) {
    const now = (await api.request('GET', `/v1/admin/workspaces/${enc(workspace)}/backfills/${started.run.id}`)) as {
      run: RunJson;
      progress: SalesforceProgressJson;
    };
    const p = now.progress;
    bar.update(p.synced + p.skipped + p.failed, p.events);
    if (p.done) {
      bar.end();
      return { json: now, text: resultText(now.run, p), failed: p.failed > 0 };
    }
    if (p.waiting === 0 && p.deferred > 0) {
      // Held events go when their reason passes (a connection, next month's quota): not worth a wait here.
      bar.end();
      throw new ApiFailure(
        `${resultText(now.run, p)}\n${fmt(p.deferred)} events wait: ${p.deferredReason ?? 'held'}; run the same command later to follow them`,
        EXIT.refused,
        now,
      );
    }
    await sleep(io.waitMs);
  }
}

export async function backfillCommand(
  p: Parsed,
  api: ApiClient,
  io: CommandIo,
): Promise<{ json: unknown; text: string }> {
  const workspace = positional(p, 1, 'the workspace id');
  const direction = required(p, 'direction');
  if (direction !== 'to-platform' && direction !== 'to-salesforce')
    throw new UsageError('--direction must be to-platform or to-salesforce');
  const path = option(p, 'file');
  if (direction === 'to-salesforce' && path === undefined)
    throw new UsageError('--file is required with --direction to-salesforce (one CloudEvent per line)');
  if (direction === 'to-platform' && path !== undefined)
    throw new UsageError('--file goes with --direction to-salesforce only');
  const file = path !== undefined ? await readNdjson(path) : undefined;
  if (p.options.has('dry-run')) {
    const answer = (await api
      .request('POST', `/v1/admin/workspaces/${enc(workspace)}/backfills`, {
        direction,
        dryRun: true,
        ...(file ? { events: file.events } : {}),
      })
      .catch((e: unknown) => {
        throw e instanceof ApiFailure && file ? withLines(e, file.lines) : e;
      })) as { plan: Record<string, any> };
    return { json: answer, text: `dry run: nothing was sent\n${planText(answer.plan)}` };
  }
  if (direction === 'to-platform') return toPlatform(api, workspace, io);
  const result = await toSalesforce(api, workspace, file!, io);
  if (result.failed)
    throw new ApiFailure(
      `${result.text}\nsome events failed: Relay Setup → Sync health lists them with a retry`,
      EXIT.refused,
      result.json,
    );
  return result;
}
