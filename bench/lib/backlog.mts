// A big workspace's backlog for the fairness benchmark, built one request at a time: a backlog of
// 1,000,000 events held as objects at once would cost the benchmark's process (which also runs the
// companion) gigabytes. Past the dataset's first `base` events the stream repeats, each round under
// new CloudEvent ids and activity keys, so every event is a new one to intake and a new Task, and a
// redelivery still updates its own round's visit.
import type { Db } from '../../companion/src/db/types.js';
import type { CloudEvent } from './dataset.mjs';
import { sleep } from './stats.mjs';

function inRound(event: CloudEvent, round: number): CloudEvent {
  if (round === 0) return event;
  const data = { ...event.data };
  if (typeof data.visitId === 'string') data.visitId = `${data.visitId}-r${round}`;
  if (typeof data.messageId === 'string') data.messageId = `${data.messageId}-r${round}`;
  return { ...event, id: `${event.id}-r${round}`, data };
}

/** `count` events in requests of `size`, repeating `base` (its length a multiple of `size`). */
export function* backlogRequests(base: readonly CloudEvent[], count: number, size: number): Generator<CloudEvent[]> {
  for (let start = 0; start < count; start += size) {
    const round = Math.floor(start / base.length);
    const from = start % base.length;
    const n = Math.min(size, count - start);
    yield base.slice(from, from + n).map((e) => inRound(e, round));
  }
}

const WAITING = "status IN ('pending', 'processing', 'retrying')";

/**
 * Waits until nothing of a workspace is pending, leased or retrying. Polled every few seconds with
 * one count over the status index: a backlog of 1,000,000 makes a per-status count too costly to
 * run every 50 ms beside the measured sync, as the test helper's settle does.
 */
export async function drained(db: Db, workspaceId: string, timeoutMs: number, everyMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM events WHERE workspace_id = $1 AND ${WAITING}`,
      [workspaceId],
    );
    if (rows[0]!.n === 0) return;
    if (Date.now() > deadline)
      throw new Error(`${workspaceId}: ${rows[0]!.n} events still waiting after ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

/** Events of a workspace brought to an outcome by `at` (ms since epoch). */
export async function doneBy(db: Db, workspaceId: string, at: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM events WHERE workspace_id = $1
        AND status IN ('synced', 'skipped', 'failed') AND completed_at <= to_timestamp($2::double precision / 1000)`,
    [workspaceId, at],
  );
  return rows[0]!.n;
}
