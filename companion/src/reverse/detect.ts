// Change detection: getUpdated and getDeleted for Contact and Lead, the four of them as subrequests
// of one Composite request — one API call per poll, whatever happened. They are not query or
// Collections subrequests, so they do not count against Composite's limit of 5 of those (REST API
// guide: Composite runs any REST resource but the binary Blob Get / Rich Text Image Get ones).
import type { SalesforceClient } from '../salesforce/client.js';
import { sendComposite, subrequestError, type Subrequest, type SubResponse } from '../salesforce/composite.js';
import { DATA_PATH } from '../salesforce/version.js';
import { to18 } from '../salesforce/ids.js';
import { PERSON_OBJECTS, type PersonObject } from './fields.js';
import type { CursorKey, DetectedId, ReverseState } from './store.js';
import {
  DEFAULT_WINDOW_CAP_MS,
  MINUTE_MS,
  nextWindow,
  parseSalesforceDate,
  windowPath,
  type ChangeKind,
  type Cursor,
  type Window,
} from './window.js';

const KINDS: readonly ChangeKind[] = ['updated', 'deleted'];

export interface DetectionPlan {
  subrequests: Subrequest[];
  windows: Map<string, { key: CursorKey; object: PersonObject; kind: ChangeKind; window: Window; cursor: Cursor }>;
}

export function cursorKey(object: PersonObject, kind: ChangeKind): CursorKey {
  return `${object}.${kind}`;
}

/** The windows to ask for now (none when every cursor is within the current minute). */
export function planDetection(state: ReverseState, nowMs: number): DetectionPlan {
  const subrequests: Subrequest[] = [];
  const windows: DetectionPlan['windows'] = new Map();
  for (const object of PERSON_OBJECTS) {
    for (const kind of KINDS) {
      const key = cursorKey(object, kind);
      const cursor = state.cursors[key] ?? { start: state.watchStartedAt ?? nowMs, capMs: DEFAULT_WINDOW_CAP_MS };
      const window = nextWindow(cursor, kind, nowMs);
      if (!window) continue;
      const referenceId = `${object}_${kind}`;
      subrequests.push({ method: 'GET', url: `${DATA_PATH}${windowPath(object, kind, window)}`, referenceId });
      windows.set(referenceId, { key, object, kind, window, cursor });
    }
  }
  return { subrequests, windows };
}

export interface DetectionResult {
  ids: DetectedId[];
  cursors: Partial<Record<CursorKey, Cursor>>;
  /** Problems per window (the cursor of a failed window stays where it was). */
  errors: string[];
  /** Windows whose start was further back than Salesforce answers for (changes before were lost). */
  clamped: string[];
}

/** Reads the answers: ids to read, and each cursor moved to the answer's latestDateCovered. */
export function readDetection(plan: DetectionPlan, answers: Map<string, SubResponse>): DetectionResult {
  const result: DetectionResult = { ids: [], cursors: {}, errors: [], clamped: [] };
  for (const [ref, w] of plan.windows) {
    const res = answers.get(ref);
    if (!res || res.httpStatusCode !== 200) {
      const e = subrequestError(res);
      if (e.code === 'EXCEEDED_ID_LIMIT') {
        // Over 600,000 ids in the window: ask for half as long a window next time.
        result.cursors[w.key] = { start: w.cursor.start, capMs: Math.max(MINUTE_MS, Math.floor(w.cursor.capMs / 2)) };
      }
      result.errors.push(`${w.object} ${w.kind}: ${e.code}: ${e.message}`);
      continue;
    }
    if (w.window.clamped) result.clamped.push(`${w.object} ${w.kind}`);
    const body = (res.body ?? {}) as {
      ids?: unknown;
      deletedRecords?: unknown;
      latestDateCovered?: unknown;
    };
    if (w.kind === 'updated' && Array.isArray(body.ids)) {
      for (const id of body.ids) if (typeof id === 'string') result.ids.push({ recordId: to18(id), object: w.object });
    }
    if (w.kind === 'deleted' && Array.isArray(body.deletedRecords)) {
      for (const d of body.deletedRecords as { id?: unknown; deletedDate?: unknown }[]) {
        if (typeof d?.id !== 'string') continue;
        const at = parseSalesforceDate(d.deletedDate);
        result.ids.push({ recordId: to18(d.id), object: w.object, deletedAt: Number.isFinite(at) ? at : w.window.end });
      }
    }
    // latestDateCovered ≤ end; never move backwards, never past what was asked for.
    const covered = parseSalesforceDate(body.latestDateCovered);
    const next = Number.isFinite(covered) ? Math.min(Math.max(covered, w.window.start), w.window.end) : w.window.end;
    result.cursors[w.key] = { start: next, capMs: w.cursor.capMs };
  }
  return result;
}

/** Sends the plan: one Composite call (or a plain GET when a single window is due). */
export async function detect(
  client: SalesforceClient,
  plan: DetectionPlan,
  signal?: AbortSignal,
): Promise<Map<string, SubResponse>> {
  if (plan.subrequests.length === 0) return new Map();
  return sendComposite(client, plan.subrequests, 'reverse.detect', signal);
}
