// What every step of one batch shares: the workspace's client, configuration and match cache, the
// outcomes collected so far, and the limit pause that stops further calls.
import type { Logger } from 'pino';
import type { Db } from '../db/types.js';
import type { LimitPauseError } from '../errors.js';
import type { SalesforceClient } from '../salesforce/client.js';
import type { MatchCache } from './matching.js';
import type { OutcomeSet } from './outcome-set.js';
import type { OrgConfiguration } from './settings.js';

export interface EngineTuning {
  /** Above this many Task records in one batch, Bulk API 2.0 instead of Collections. */
  bulkThreshold: number;
  /** Length of VisitResyncMinutes' minute (60,000 ms; tests shorten it). */
  visitResyncUnitMs: number;
  /** First wait between Bulk job polls. */
  bulkPollMs: number;
}

export interface BatchContext {
  workspaceId: string;
  client: SalesforceClient;
  config: OrgConfiguration;
  cache: MatchCache;
  db: Db;
  log: Logger;
  out: OutcomeSet;
  signal: AbortSignal;
  /** Batch start (ms). */
  now: number;
  tuning: EngineTuning;
  /** Set when a call hit a limit: no further call is made in this batch. */
  pause: LimitPauseError | null;
}
