// pg-boss queue names. `relay-sync` jobs mean "look at this workspace now" (nudges and scheduled
// wake-ups; the events themselves live in the events table); a job that keeps failing (the
// database, not Salesforce: Salesforce failures are per-event outcomes) is dead-lettered to
// `relay-sync-dead`; `relay-sweep` runs every minute and re-nudges any workspace with due work, so
// a nudge lost to a crash delays sync by a minute at most.
export const SYNC_QUEUE = 'relay-sync';
export const SYNC_DEAD_LETTER_QUEUE = 'relay-sync-dead';
export const SWEEP_QUEUE = 'relay-sweep';

export interface SyncJobData {
  workspaceId: string;
}
