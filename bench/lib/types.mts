// The figures one run produces (results.json keeps them as they are).

export interface ProcessTime {
  /** CPU seconds (user + system) the process used during the timed part. */
  cpuSeconds: number;
  /** cpuSeconds / wall seconds: 1.0 = one core busy the whole time. */
  busy: number;
}

export interface TaskCheck {
  /** Distinct activity keys of matched events: what a correct sync leaves. */
  expected: number;
  /** Tasks in the org with an activity key. */
  tasks: number;
  distinctKeys: number;
  /** Tasks beyond the first for a key. */
  duplicates: number;
  onContacts: number;
  onLeads: number;
  onAccountsOnly: number;
  expectedOnContacts: number;
  expectedOnLeads: number;
  expectedOnAccountsOnly: number;
}

export interface RunFigures {
  system: 'relay' | 'baseline';
  storage: 'pglite' | 'postgres' | null;
  /** Events this run synced (the baseline may sync only the first part of a dataset). */
  events: number;
  /** Events of the dataset this run stands for (per-1,000 figures extrapolate to it). */
  datasetEvents: number;
  sampled: boolean;
  apiCalls: number;
  apiCallsByEndpoint: Record<string, number>;
  callsPer1000: number;
  /** Relay only: events stored by intake per second (first request to last 202). */
  acceptedPerSec: number | null;
  /** Events brought to their final outcome (synced, or skipped as unmatched) per second. */
  syncedPerSec: number;
  /** From the first event posted to the last outcome, in seconds. */
  wallSeconds: number;
  /** Intake (or arrival) to Task written, for events that got a Task. */
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  /** Baseline only: its own calls per event (lookups + insert), without the wait. */
  serviceP50Ms: number | null;
  serviceP95Ms: number | null;
  /** Peak RSS of the syncing process (the companion, or the baseline's jsforce process). */
  peakRssMb: number;
  /** Where the CPU went: the syncing process, the emulator, the load generator. */
  processes: Record<string, ProcessTime>;
  tasks: TaskCheck;
  outcomes: Record<string, number>;
  notes: string[];
}
