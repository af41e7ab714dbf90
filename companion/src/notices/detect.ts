// What one batch says about the notice causes: which opened (seen now) and which recovered. Pure:
// the batch's report in, openings and recoveries out (notices.ts records them).
import type { EventOutcome } from '../queue/batch.js';
import { MONTHLY_QUOTA, monthOf, nextMonthStart } from '../sync/quota.js';
import {
  connectionLost,
  limitPause,
  mappingRejected,
  quotaStop,
  quotaWarning,
  type NoticeCause,
  type NoticeOpening,
} from './causes.js';

/**
 * Codes of Salesforce refusing what a mapping names (a field or object the org lacks, a field it
 * will not let Relay write); Relay's own configuration refusals (an unknown event type) are not.
 */
const MAPPING_CODES = new Set([
  'INVALID_FIELD',
  'INVALID_TYPE',
  'NOT_FOUND',
  'JSON_PARSER_ERROR',
  'INVALID_FIELD_FOR_INSERT_UPDATE',
]);

/** What the engine tells the notices after each batch (sync/engine.ts). */
export interface BatchReport {
  workspaceId: string;
  /** The batch reached Salesforce with a working connection (no refusal of the connection). */
  connected: boolean;
  /** Salesforce refused the connection (revoked or expired grant), with its reason. */
  connectionRefused: string | null;
  /** A limit stopped the batch: Relay's API budget or the org's daily limit. */
  pause: { code: 'API_BUDGET' | 'REQUEST_LIMIT_EXCEEDED'; until: Date; message: string } | null;
  outcomes: readonly EventOutcome[];
  /** The quota as of the batch's end (null when the configuration was not read). */
  quota: { used: number; limit: number; warningPercent: number } | null;
  now: number;
}

export interface Verdict {
  open: NoticeOpening[];
  recovered: NoticeCause[];
}

export function judge(report: BatchReport): Verdict {
  const open: NoticeOpening[] = [];
  const recovered: NoticeCause[] = [];
  const month = monthOf(new Date(report.now));
  const q = report.quota;
  if (q && q.limit > 0 && q.used * 100 >= q.limit * q.warningPercent)
    open.push(quotaWarning(month, q.used, q.limit, q.warningPercent));
  const quotaHeld = report.outcomes.some((o) => o.status === 'deferred' && o.reason.startsWith(MONTHLY_QUOTA));
  if (quotaHeld && q) open.push(quotaStop(month, q.used, q.limit, nextMonthStart(new Date(report.now)).toISOString()));
  else if (q && q.used < q.limit) recovered.push('quota_stop');
  if (report.pause) open.push(limitPause(report.pause.code, report.pause.until.toISOString(), report.pause.message));
  else if (report.connected) recovered.push('api_budget', 'daily_limit');
  if (report.connectionRefused) open.push(connectionLost(report.connectionRefused));
  else if (report.connected) recovered.push('connection_lost');
  const rejected = report.outcomes.find((o) => o.status === 'failed' && MAPPING_CODES.has(o.errorCode));
  if (rejected?.status === 'failed')
    open.push(mappingRejected(rejected.errorCode, rejected.field ?? null, rejected.message));
  else if (report.outcomes.some((o) => o.status === 'synced')) recovered.push('mapping_rejected');
  return { open, recovered };
}
