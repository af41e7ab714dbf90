// What every step of one batch shares: the workspace's client, configuration, match cache and the
// batch's own match decisions, the outcomes collected so far, and the limit pause that stops
// further calls.
import type { Logger } from 'pino';
import type { Db } from '../db/types.js';
import type { LimitPauseError } from '../errors.js';
import type { SalesforceClient } from '../salesforce/client.js';
import type { BatchMatches } from './batch-matches.js';
import type { DescribeCache } from './describe-cache.js';
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
  /** Above this many new records of people in one write (Leads, Contacts, Accounts, CampaignMembers), Bulk API 2.0. */
  peopleBulkThreshold: number;
}

export interface BatchContext {
  workspaceId: string;
  client: SalesforceClient;
  config: OrgConfiguration;
  /** Shared by the workspace's batches; read once per value, when the batch plans its lookups. */
  cache: MatchCache;
  /** This batch's own match decisions: what targets and owners read (batch-matches.ts). */
  matches: BatchMatches;
  /** The org's describes, shared by every batch of every workspace of the org (describe-cache.ts). */
  describes: DescribeCache;
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
