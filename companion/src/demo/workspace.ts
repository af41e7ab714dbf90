// The demo workspace of `npm start`: created on the first run, reused afterwards (its signing
// secret is kept unless RELAY_DEMO_WORKSPACE_SECRET says otherwise), connected to this run's org.
// The org key is stored only as a hash, so a new one is issued at each start (or taken from
// RELAY_DEMO_ORG_KEY) and printed.
import type { Db } from '../db/types.js';
import type { Config } from '../config/env.js';
import { createWorkspace, getSigningSecret, getWorkspace, setOrgKey, updateWorkspace } from '../workspaces/store.js';
import { randomOrgKey, randomSigningSecret } from '../workspaces/keys.js';
import type { SalesforceConnection, Workspace } from '../workspaces/types.js';

export interface DemoWorkspace {
  workspace: Workspace;
  signingSecret: string;
  orgKey: string;
  created: boolean;
}

/** The org the demo workspace talks to: the embedded emulator's dev client, or RELAY_SF_*. */
export function demoConnection(config: Config, emulatorUrl: string | null): SalesforceConnection | null {
  if (config.salesforce) {
    const sf = config.salesforce;
    return {
      loginUrl: sf.loginUrl,
      authFlow: sf.authFlow,
      clientId: sf.clientId,
      ...(sf.clientSecret ? { clientSecret: sf.clientSecret } : {}),
      ...(sf.username ? { username: sf.username } : {}),
      ...(sf.privateKeyFile ? { privateKeyFile: sf.privateKeyFile } : {}),
    };
  }
  if (!emulatorUrl) return null;
  // The emulator's development client (CONTRACTS §2).
  return {
    loginUrl: emulatorUrl,
    authFlow: 'client_credentials',
    clientId: 'relay-dev',
    clientSecret: 'relay-dev-secret',
  };
}

/** RELAY_DEMO_ORG_KEY, or a new random key (chosen before start-up: the preview needs it). */
export function demoOrgKey(config: Config): string {
  return config.demo.orgKey ?? randomOrgKey();
}

export async function ensureDemoWorkspace(
  db: Db,
  config: Config,
  salesforce: SalesforceConnection | null,
  orgKey: string,
): Promise<DemoWorkspace> {
  const id = config.demo.workspaceId;
  const existing = await getWorkspace(db, id);
  if (!existing) {
    const signingSecret = config.demo.workspaceSecret ?? randomSigningSecret();
    const workspace = await createWorkspace(db, {
      id,
      name: 'Demo workspace',
      signingSecret,
      orgKey,
      salesforce,
      outboundUrl: config.demo.outboundUrl ?? null,
    });
    return { workspace, signingSecret, orgKey, created: true };
  }
  const workspace = await updateWorkspace(db, id, {
    salesforce,
    outboundUrl: config.demo.outboundUrl ?? null,
    ...(config.demo.workspaceSecret ? { signingSecret: config.demo.workspaceSecret } : {}),
  });
  await setOrgKey(db, id, orgKey);
  const signingSecret = (await getSigningSecret(db, id))!;
  return { workspace: workspace!, signingSecret, orgKey, created: false };
}
