// What every platform API request needs before it talks to Salesforce: the workspace's client (the
// engine's, so its calls are reserved against MaxApiSharePercent and counted with the sync's), a
// configuration copy young enough for the request, and one translation of Salesforce failures into
// the API's `{"error": {"code", "message"}}` answers.
import { IntegrationError, LimitPauseError, RetryableError, InvalidAuthenticationError } from '../../errors.js';
import { HttpError } from '../../http/errors.js';
import type { SalesforceClient } from '../../salesforce/client.js';
import type { Engine } from '../../sync/engine.js';
import type { OrgConfiguration } from '../../sync/settings.js';
import type { Workspace } from '../../workspaces/types.js';

export function clientOf(engine: Engine, workspace: Workspace): SalesforceClient {
  const client = engine.client(workspace);
  if (!client)
    throw new HttpError(503, 'NOT_CONNECTED', 'the workspace is not connected to a Salesforce org; connect it first');
  return client;
}

/**
 * The engine's configuration copy when it is at most `maxAgeMs` old, else read again (one call,
 * through the engine, which also applies what changed to the sync).
 */
export async function configFor(
  engine: Engine,
  workspace: Workspace,
  client: SalesforceClient,
  maxAgeMs: number,
): Promise<OrgConfiguration> {
  let config = await engine.configs.current(workspace.id);
  if (config.readAt === 0 || Date.now() - config.readAt > maxAgeMs) {
    config = (await engine.refreshConfiguration(workspace)) ?? config;
  }
  client.setSharePercent(config.settings.MaxApiSharePercent);
  return config;
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
