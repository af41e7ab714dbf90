// MetadataDeployService.deploy + MetadataDeployCallback for the preview. Apex enqueues a Metadata
// deployment and answers its id at once; when the deployment ends, the callback publishes
// relay__MetadataDeployment__e. Here the records are written to the org through the Metadata API
// (`upsertMetadata` of CustomMetadata, the same records the Apex container holds) after the
// answer has gone, and the outcome is published to the preview's event stream with the message
// the callback writes.
import { randomInt } from 'node:crypto';
import type { Logger } from 'pino';
import { to18 } from '../../salesforce/ids.js';
import { DEPLOYMENT_CHANNEL, type EventHub } from '../events.js';
import type { CustomMetadataRecord, PreviewOrg } from '../org.js';
import { PeopleError } from './aura-error.js';

export const SUBJECT_FIELD_MAPPINGS = 'Field mappings';
export const SUBJECT_SYNC_SETTINGS = 'Sync settings';
export const SUBJECT_CAMPAIGN_LINKS = 'List campaign links';
const MAX_MESSAGE = 32768;
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A DeployRequest id (key prefix 0Af), as enqueueDeployment returns. */
function deploymentId(): string {
  let id = '0Af';
  while (id.length < 15) id += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return to18(id);
}

function problemsOf(result: { errors?: unknown }): string[] {
  const errors = result.errors === undefined ? [] : Array.isArray(result.errors) ? result.errors : [result.errors];
  return errors.map((e) => String((e as { message?: string }).message ?? e));
}

export interface DeployDeps {
  org: PreviewOrg;
  hub: EventHub;
  log: Logger;
}

export function enqueueDeployment(deps: DeployDeps, subject: string, records: CustomMetadataRecord[]): string {
  if (records.length === 0) throw new PeopleError('Nothing to deploy: no record changed.');
  const jobId = deploymentId();
  // Not awaited: enqueueDeployment returns before the deployment runs.
  void (async () => {
    let status: 'Succeeded' | 'Failed';
    let message: string;
    try {
      const results = await deps.org.upsertCustomMetadata(records);
      const failures = results.filter((r) => !r.success);
      if (failures.length === 0) {
        status = 'Succeeded';
        message = `${subject} saved (${results.length} ${results.length === 1 ? 'record' : 'records'} deployed).`;
      } else {
        status = 'Failed';
        message = [
          `${subject} were not saved.`,
          ...failures.map((f) => `${f.fullName}: ${problemsOf(f).join('; ')}`),
        ].join('\n');
      }
    } catch (error) {
      status = 'Failed';
      message = `${subject} were not saved.\n${error instanceof Error ? error.message : String(error)}`;
    }
    deps.log.info({ jobId, status }, 'preview: metadata deployment finished');
    deps.hub.publish(DEPLOYMENT_CHANNEL, {
      relay__JobId__c: jobId,
      relay__Status__c: status,
      relay__Message__c: message.slice(0, MAX_MESSAGE),
      CreatedDate: new Date().toISOString(),
    });
  })();
  return jobId;
}
