// A test double of the sync engine's BatchProcessor, for the worker's own tests of the contract in
// src/queue/batch.ts (createCompanion's `processor` option). It records every call and answers per event with a rule the test
// chooses: by default every event is synced with a fake record id.
import type { BatchProcessor, EventOutcome, StoredEvent, SyncContext } from '../../src/queue/batch.js';

export interface Call {
  at: number;
  workspaceId: string;
  events: StoredEvent[];
}

/** The outcome for one event; null leaves the event without one (a processor bug the worker must survive). */
export type Rule = (event: StoredEvent, ctx: SyncContext) => EventOutcome | null | Promise<EventOutcome | null>;

export const synced: Rule = (event) => ({
  seq: event.seq,
  status: 'synced',
  result: { taskId: `00T${event.seq.padStart(15, '0')}` },
});

export class RecordingProcessor {
  readonly calls: Call[] = [];
  rule: Rule = synced;
  /** Runs before the rule, once per batch (e.g. to block, throw or pause). */
  beforeBatch: ((ctx: SyncContext, events: StoredEvent[]) => Promise<void> | void) | undefined;

  readonly processor: BatchProcessor = async (ctx, events) => {
    this.calls.push({ at: Date.now(), workspaceId: ctx.workspace.id, events });
    if (this.beforeBatch) await this.beforeBatch(ctx, events);
    const outcomes: EventOutcome[] = [];
    for (const event of events) {
      const outcome = await this.rule(event, ctx);
      if (outcome) outcomes.push(outcome);
    }
    return outcomes;
  };

  /** Every time an event (by CloudEvent id) was handed to the processor. */
  callsFor(id: string): Call[] {
    return this.calls.filter((c) => c.events.some((e) => e.id === id));
  }

  eventsSeen(): StoredEvent[] {
    return this.calls.flatMap((c) => c.events);
  }
}
