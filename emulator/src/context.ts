// What every route module (REST, OAuth, control plane, and part B's Bulk and Metadata routes) gets
// from the emulator: the org, the session check, the API-usage counter, the limits and the fault
// injector. Routes under /services/data/vNN.N/ need none of the checks themselves: a global hook
// (src/rest/guard.ts) has already rejected retired versions, checked the bearer token, applied
// faults, counted the call against DailyApiRequests and set `Sforce-Limit-Info` before the handler
// runs. `ctx.session(request)` then returns the caller's session.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Org } from './org.js';
import type { Limits } from './control/limits.js';
import type { Faults } from './control/faults.js';
import type { Usage } from './control/usage.js';
import type { Sessions, Session } from './oauth/sessions.js';

export interface EmulatorContext {
  /** The org. The same object for the emulator's whole life: a reset reloads it in place. */
  readonly org: Org;
  /** Access tokens: `ctx.auth.validate(token)` for callers that do not come through the hook (SOAP). */
  readonly auth: Sessions;
  /** The session of a request that passed the /services/data guard (undefined elsewhere). */
  session(request: FastifyRequest): Session | undefined;
  /** API usage per endpoint (DailyApiRequests is counted by the guard; use for other counters). */
  readonly usage: Usage;
  /** Org limits (`/limits` shape): `limits.consume('DailyBulkApiBatches', 1)` etc. */
  readonly limits: Limits;
  readonly faults: Faults;
  /** Base URL the server listens on, e.g. `http://127.0.0.1:8788` (instance_url of tokens). */
  baseUrl(): string;
  /** Sends Salesforce's top-level error array `[{"message","errorCode","fields"?}]`. */
  sendError(reply: FastifyReply, status: number, errorCode: string, message: string, fields?: string[]): FastifyReply;
}
