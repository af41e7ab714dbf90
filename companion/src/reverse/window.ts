// getUpdated/getDeleted windows. Salesforce ignores seconds (windows are whole minutes) and answers
// `latestDateCovered`, the instant up to which the answer is complete — earlier than `end` while a
// long-running transaction is still open, because its records carry the SystemModstamp of its start.
// The next window starts there (SOAP API guide, GetUpdatedResult), so a clock skew between Relay and
// the org, or a slow transaction, never opens a gap. Limits: getUpdated looks at most 30 days back,
// getDeleted 15 (the delete log's span); a window may hold at most 600,000 ids (EXCEEDED_ID_LIMIT),
// so windows are capped at a day and the cap halves when Salesforce says a window is too full.
export type ChangeKind = 'updated' | 'deleted';

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
/** How far back each resource answers (REST API guide: getUpdated 30 days; getDeleted's log 15). */
export const MAX_DAYS_BACK: Readonly<Record<ChangeKind, number>> = { updated: 30, deleted: 15 };
/** Longest window asked for at once; halved (down to a minute) after EXCEEDED_ID_LIMIT. */
export const DEFAULT_WINDOW_CAP_MS = DAY_MS;

export interface Cursor {
  /** Start of the next window (ms, a whole minute). */
  start: number;
  /** Longest window to ask for. */
  capMs: number;
}

export const floorMinute = (ms: number): number => Math.floor(ms / MINUTE_MS) * MINUTE_MS;

/** `2026-11-22T09:14:00+00:00`, the form of the REST guide's examples. */
export function replicationDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** Salesforce's `2026-11-22T09:14:00.000+0000` (or any ISO 8601 form) → ms; NaN when unreadable. */
export function parseSalesforceDate(value: unknown): number {
  if (typeof value !== 'string') return Number.NaN;
  return Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

/** RFC 3339 for CloudEvent `time`. */
export function rfc3339(value: unknown, fallbackMs: number): string {
  const ms = parseSalesforceDate(value);
  return new Date(Number.isFinite(ms) ? ms : fallbackMs).toISOString();
}

export interface Window {
  start: number;
  end: number;
  /** The cursor started further back than Salesforce answers for: changes before `start` are lost. */
  clamped: boolean;
}

/**
 * The window to ask for now, or null when it would be empty (a window must end after it starts:
 * INVALID_REPLICATION_DATE otherwise). One minute is kept off the far edge so the call is not
 * refused for starting a few seconds too far back by the time it arrives.
 */
export function nextWindow(cursor: Cursor, kind: ChangeKind, nowMs: number): Window | null {
  const oldest = floorMinute(nowMs - MAX_DAYS_BACK[kind] * DAY_MS) + MINUTE_MS;
  const clamped = cursor.start < oldest;
  const start = clamped ? oldest : floorMinute(cursor.start);
  const end = Math.min(floorMinute(nowMs), start + Math.max(MINUTE_MS, floorMinute(cursor.capMs)));
  return end > start ? { start, end, clamped } : null;
}

/** The resource path of one window (relative to /services/data/vNN.N). */
export function windowPath(object: string, kind: ChangeKind, window: Window): string {
  const q = `start=${encodeURIComponent(replicationDate(window.start))}&end=${encodeURIComponent(replicationDate(window.end))}`;
  return `/sobjects/${object}/${kind}/?${q}`;
}
