// The demo workspace of `npm start`, made through the operator's own code path (operator/service.ts):
// created on the first run, reused afterwards (its signing secret is kept unless
// RELAY_DEMO_WORKSPACE_SECRET says otherwise), connected at each start to this run's org — the
// embedded emulator's development client, or RELAY_SF_* — with the connection verified by one call,
// so a wrong client secret stops the start with Salesforce's reason. The org key is stored only as
// a hash, so a new one is issued at each start (or taken from RELAY_DEMO_ORG_KEY) and printed.
import { readFile } from 'node:fs/promises';
import type { Config } from '../config/env.js';
import type { ServerConnect } from '../connections/connect.js';
import type { Operator } from '../operator/service.js';
import type { Db } from '../db/types.js';
import type { Vault } from '../secrets/vault.js';
import { getSigningSecret } from '../workspaces/store.js';
import { randomOrgKey } from '../workspaces/keys.js';
import type { Workspace } from '../workspaces/types.js';

export const DEMO_ACTOR = 'npm-start';

export interface DemoWorkspace {
  workspace: Workspace;
  signingSecret: string;
  /** Null when the workspace has no org (the embedded emulator did not start). */
  orgKey: string | null;
  created: boolean;
}

/** The org the demo workspace talks to: RELAY_SF_*, or the embedded emulator's development client. */
export async function demoConnection(config: Config, emulatorUrl: string | null): Promise<ServerConnect | null> {
  const sf = config.salesforce;
  if (sf) {
    return sf.authFlow === 'jwt_bearer'
      ? {
          flow: 'jwt_bearer',
          loginUrl: sf.loginUrl,
          clientId: sf.clientId,
          username: sf.username!,
          privateKeyPem: await readFile(sf.privateKeyFile!, 'utf8'),
        }
      : { flow: 'client_credentials', loginUrl: sf.loginUrl, clientId: sf.clientId, clientSecret: sf.clientSecret! };
  }
  if (!emulatorUrl) return null;
  // The emulator's development client (docs/emulator-control-plane.md).
  return { flow: 'client_credentials', loginUrl: emulatorUrl, clientId: 'relay-dev', clientSecret: 'relay-dev-secret' };
}

/** RELAY_DEMO_ORG_KEY, or a new random key (chosen before start-up: the preview needs it). */
export function demoOrgKey(config: Config): string {
  return config.demo.orgKey ?? randomOrgKey();
}

export async function ensureDemoWorkspace(
  deps: { db: Db; vault: Vault; operator: Operator },
  config: Config,
  connection: ServerConnect | null,
  orgKey: string,
): Promise<DemoWorkspace> {
  const { operator } = deps;
  const id = config.demo.workspaceId;
  let workspace = await operator.getWorkspace(id);
  let signingSecret: string;
  const created = workspace === null;
  if (!workspace) {
    const made = await operator.createWorkspace(
      {
        id,
        name: 'Demo workspace',
        outboundUrl: config.demo.outboundUrl ?? null,
        ...(config.demo.workspaceSecret ? { signingSecret: config.demo.workspaceSecret } : {}),
      },
      DEMO_ACTOR,
    );
    workspace = made.workspace;
    signingSecret = made.signingSecret;
  } else {
    workspace = (await operator.updateWorkspace(id, { outboundUrl: config.demo.outboundUrl ?? null }, DEMO_ACTOR))!;
    const current = (await getSigningSecret(deps.db, deps.vault, id))!;
    signingSecret = config.demo.workspaceSecret ?? current;
    if (signingSecret !== current) await operator.rotateSigningSecret(id, 0, DEMO_ACTOR, signingSecret);
  }
  if (!connection) return { workspace, signingSecret, orgKey: null, created };
  workspace = await operator.connectServer(workspace, connection, DEMO_ACTOR);
  await operator.rotateOrgKey(workspace.connection.orgId!, 0, DEMO_ACTOR, orgKey);
  return { workspace, signingSecret, orgKey, created };
}
