// Rough durations for a plan, from counts only (a dry run spends nothing to learn them). The figures
// are deliberately simple: a REST call takes about half a second, a Bulk API query job about ten
// seconds before its results can be read, and the worker syncs about 2,500 events a second
// (bench/RESULTS.md measures 2,768 on PGlite).
export const SECONDS_PER_CALL = 0.5;
export const SECONDS_PER_BULK_JOB = 10;
export const EVENTS_PER_SECOND = 2_500;

export function estimateSeconds(apiCalls: number, bulkJobs: number, events = 0): number {
  return Math.ceil(apiCalls * SECONDS_PER_CALL + bulkJobs * SECONDS_PER_BULK_JOB + events / EVENTS_PER_SECOND);
}
