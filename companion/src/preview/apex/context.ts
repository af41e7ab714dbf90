// What every Apex adapter works with: the org (SOQL, describe, Metadata API), the companion's
// package API (as CompanionClient reaches it), the deployment event stream and a logger.
import type { Logger } from 'pino';
import type { EventHub } from '../events.js';
import type { PreviewOrg } from '../org.js';
import type { PackageApi } from '../package-api.js';

export interface AdapterContext {
  org: PreviewOrg;
  api: PackageApi;
  hub: EventHub;
  log: Logger;
}

/** One @AuraEnabled method: its parameters as the LWC sent them, its answer as Apex returns it. */
export type ApexAdapter = (ctx: AdapterContext, params: Record<string, unknown>) => Promise<unknown>;
