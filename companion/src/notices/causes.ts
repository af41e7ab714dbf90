// Why Relay tells an admin (and the platform) something: the quota warning share reached, or
// syncing stopped — the monthly Task quota, Relay's API budget, the org's daily API limit, a lost
// connection, a mapping the org refuses. Each cause has its outbound CloudEvent type and the words
// of the bell notification; `period` scopes a cause (a month for the quota), so a new period is a
// new notice while the same one never repeats.

export type NoticeCause =
  'quota_warning' | 'quota_stop' | 'api_budget' | 'daily_limit' | 'connection_lost' | 'mapping_rejected';

/** The outbound CloudEvent types (docs/platform-api.md). */
export const QUOTA_WARNING_TYPE = 'relay.notice.quota_warning';
export const SYNC_STOPPED_TYPE = 'relay.notice.sync_stopped';

export function outboundType(cause: NoticeCause): string {
  return cause === 'quota_warning' ? QUOTA_WARNING_TYPE : SYNC_STOPPED_TYPE;
}

/** One cause seen in a batch, with the words and figures its notice carries. */
export interface NoticeOpening {
  cause: NoticeCause;
  period: string;
  /** One sentence for a person: what happened and what to do. */
  message: string;
  details: Record<string, unknown>;
}

const TITLES: Record<NoticeCause, string> = {
  quota_warning: 'Relay: monthly Task quota almost used',
  quota_stop: 'Relay stopped creating Tasks: monthly quota reached',
  api_budget: "Relay paused syncing: its share of the org's API limit is spent",
  daily_limit: "Relay paused syncing: the org's daily API limit is spent",
  connection_lost: 'Relay lost its connection to Salesforce',
  mapping_rejected: 'Relay: Salesforce refuses a field mapping',
};

export function titleOf(cause: NoticeCause): string {
  return TITLES[cause];
}

export function quotaWarning(month: string, used: number, limit: number, percent: number): NoticeOpening {
  return {
    cause: 'quota_warning',
    period: month,
    message: `${used} of ${limit} Tasks of this month's quota are used (warning at ${percent} %). At the quota, new Tasks wait for next month; raise Monthly Task quota in Relay Setup to avoid it.`,
    details: { month, used, limit, warningPercent: percent },
  };
}

export function quotaStop(month: string, used: number, limit: number, resumesAt: string): NoticeOpening {
  return {
    cause: 'quota_stop',
    period: month,
    message: `The monthly Task quota is reached (${used} of ${limit}): new Tasks wait until ${resumesAt} or until the quota is raised in Relay Setup. Updates of existing Tasks go on.`,
    details: { month, used, limit, resumesAt },
  };
}

export function limitPause(
  code: 'API_BUDGET' | 'REQUEST_LIMIT_EXCEEDED',
  until: string,
  reason: string,
): NoticeOpening {
  const budget = code === 'API_BUDGET';
  return {
    cause: budget ? 'api_budget' : 'daily_limit',
    period: '',
    message: budget
      ? `Relay has spent its share of the org's daily API limit and pauses until ${until} at the latest; raise Max share of daily API limit in Relay Setup, or wait. Events are kept.`
      : `Salesforce refuses calls: the org's daily API limit is spent. Relay pauses until ${until} and tries again; events are kept.`,
    details: { errorCode: code, pausedUntil: until, reason },
  };
}

export function connectionLost(reason: string): NoticeOpening {
  return {
    cause: 'connection_lost',
    period: '',
    message: `Salesforce refused Relay's connection (${reason}). Connect the workspace again; events are kept until then.`,
    details: { reason },
  };
}

export function mappingRejected(errorCode: string, field: string | null, reason: string): NoticeOpening {
  return {
    cause: 'mapping_rejected',
    period: '',
    message: `Salesforce refuses what Relay writes (${errorCode}${field ? ` on ${field}` : ''}: ${reason}). Check the field mappings in Relay Setup; the events are listed under Sync health and can be retried.`,
    details: { errorCode, field, reason },
  };
}
