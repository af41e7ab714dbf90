// Group commit for intake. Each request's events must be committed before it is answered, and one
// INSERT per request costs a commit each (PGlite: ~4 ms, so ~250 single-event requests/s). The
// writer lets requests that arrive while an insert is running wait for the next one, which then
// carries all of them in one multi-row statement: no added latency when idle, one commit for many
// requests under load. A request's events always travel in the same statement (all or nothing). If
// a grouped statement fails, each request is retried on its own, so one request the database
// refuses (e.g. a date PostgreSQL cannot store) never fails its neighbours.
import type { Db } from '../db/types.js';
import { eventKey, insertEvents, type EventRow } from './store.js';
import type { ValidEvent } from './validate.js';

interface Pending {
  workspaceId: string;
  events: readonly ValidEvent[];
  resolve(inserted: Set<string>): void;
  reject(error: unknown): void;
}

export interface EventWriterOptions {
  /** Statements in flight at once (1 for PGlite, which runs one statement at a time anyway). */
  maxConcurrent: number;
  /** Rows per grouped statement; a larger request still goes alone in one statement. */
  maxRows: number;
}

export class EventWriter {
  readonly #queue: Pending[] = [];
  #running = 0;

  constructor(
    private readonly db: Db,
    private readonly options: EventWriterOptions,
  ) {}

  /** Stores one request's events; resolves with the keys (eventKey) that were new, once committed. */
  store(workspaceId: string, events: readonly ValidEvent[]): Promise<Set<string>> {
    if (events.length === 0) return Promise.resolve(new Set());
    return new Promise((resolve, reject) => {
      this.#queue.push({ workspaceId, events, resolve, reject });
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#running < this.options.maxConcurrent && this.#queue.length > 0) {
      const group: Pending[] = [];
      let rows = 0;
      while (this.#queue.length > 0) {
        const next = this.#queue[0]!;
        if (group.length > 0 && rows + next.events.length > this.options.maxRows) break;
        group.push(this.#queue.shift()!);
        rows += next.events.length;
      }
      this.#running += 1;
      void this.#flush(group).finally(() => {
        this.#running -= 1;
        this.#pump();
      });
    }
  }

  async #flush(group: Pending[]): Promise<void> {
    try {
      const results = await this.#insert(group);
      group.forEach((p, i) => p.resolve(results[i]!));
    } catch (error) {
      if (group.length === 1) {
        group[0]!.reject(error);
        return;
      }
      // Find the culprit: every request on its own.
      await Promise.all(
        group.map(async (p) => {
          try {
            p.resolve((await this.#insert([p]))[0]!);
          } catch (own) {
            p.reject(own);
          }
        }),
      );
    }
  }

  /** One statement for the whole group; returns each request's newly stored keys. */
  async #insert(group: readonly Pending[]): Promise<Set<string>[]> {
    // A key sent by two requests of the group goes in once, for the first request: the later one
    // gets a duplicate, exactly as if the requests had been inserted one after the other.
    const owner = new Map<string, number>();
    const rows: EventRow[] = [];
    group.forEach((p, index) => {
      for (const event of p.events) {
        const key = `${p.workspaceId}\u0000${eventKey(event.source, event.id)}`;
        if (owner.has(key)) continue;
        owner.set(key, index);
        rows.push({ workspaceId: p.workspaceId, event });
      }
    });
    const inserted = await insertEvents(this.db, rows);
    const results = group.map(() => new Set<string>());
    for (const row of inserted) {
      const index = owner.get(`${row.workspaceId}\u0000${eventKey(row.source, row.id)}`);
      if (index !== undefined) results[index]!.add(eventKey(row.source, row.id));
    }
    return results;
  }
}
