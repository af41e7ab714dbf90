// Where a person opens a record: its Lightning page on the org's own host,
// `<instance URL>/lightning/r/<Type>/<id>/view`. The host is the instance URL Salesforce gave Relay's
// login (a My Domain such as https://acme.my.salesforce.com when the org has one, which is kept as
// it is: it is the address the org's users sign in to), else the one stored when the workspace was
// connected. Neither costs an API call.
import type { SalesforceClient } from '../../salesforce/client.js';
import type { Workspace } from '../../workspaces/types.js';

export function lightningUrl(instanceUrl: string, type: string, id: string): string {
  return `${instanceUrl.replace(/\/+$/, '')}/lightning/r/${encodeURIComponent(type)}/${encodeURIComponent(id)}/view`;
}

/** The org's instance URL for a workspace: the session's, the connection's, or a login's (a token call, not an API call). */
export async function instanceUrlOf(workspace: Workspace, client: SalesforceClient): Promise<string> {
  const known = client.session?.instanceUrl ?? workspace.connection.instanceUrl;
  if (known) return known;
  return (await client.ensureSession()).instanceUrl;
}
