// What every platform API request needs before it talks to Salesforce: the workspace's client (the
// engine's, so its calls are reserved against MaxApiSharePercent and counted with the sync's) and one
// translation of Salesforce failures into the API's `{"error": {"code", "message"}}` answers. A
// configuration copy young enough for the request comes from `Engine.configurationFor`.
import { IntegrationError, LimitPauseError, RetryableError, InvalidAuthenticationError } from '../../errors.js';
import { HttpError } from '../../http/errors.js';
import type { SalesforceClient } from '../../salesforce/client.js';
import type { Engine } from '../../sync/engine.js';
import type { Workspace } from '../../workspaces/types.js';

export function clientOf(engine: Engine, workspace: Workspace): SalesforceClient {
  const client = engine.client(workspace);
  if (!client)
    throw new HttpError(503, 'NOT_CONNECTED', 'the workspace is not connected to a Salesforce org; connect it first');
  return client;
}

/** A failed Salesforce call as an API answer. */
export function salesforceFailure(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof LimitPauseError) {
    return new HttpError(503, error.code, `${error.message}; try again after ${error.until.toISOString()}`);
  }
  if (error instanceof InvalidAuthenticationError) {
    return new HttpError(503, 'SALESFORCE_AUTHENTICATION', `Salesforce refused Relay's credentials: ${error.message}`);
  }
  if (error instanceof RetryableError || (error instanceof IntegrationError && error.retryable)) {
    return new HttpError(
      503,
      'SALESFORCE_UNAVAILABLE',
      `Salesforce did not answer usefully, try again: ${error.message}`,
    );
  }
  if (error instanceof IntegrationError) {
    return new HttpError(502, error.code, `Salesforce refused the request: ${error.message}`);
  }
  throw error;
}
