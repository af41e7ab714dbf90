// What a platform operator does to run Relay for many customers: workspaces created, changed,
// deleted; signing secrets rotated; org keys issued and rotated; connections made and undone. The
// operator API (operator/routes.ts) and `npm start`'s demo workspace both go through here, and
// every change is written to the audit log. Secrets are returned exactly once: when made.
import type { Logger } from 'pino';
import type { Db } from '../db/types.js';
import type { Vault } from '../secrets/vault.js';
import type { ConnectService, ServerConnect, WebConnect } from '../connections/connect.js';
import { randomOrgKey, randomSigningSecret } from '../workspaces/keys.js';
import { setOrgKey } from '../workspaces/org-keys.js';
import {
  createWorkspace,
  deleteWorkspace,
  getWorkspace,
  listWorkspaces,
  replaceSigningSecret,
  updateWorkspace,
} from '../workspaces/store.js';
import type { Workspace, WorkspacePatch } from '../workspaces/types.js';
import { audit } from './audit.js';

export interface OperatorDeps {
  db: Db;
  vault: Vault;
  connect: ConnectService;
  log: Logger;
  /**
   * After a workspace changed: caches dropped, schedules and waiting events looked at again; null
   * for an org's key.
   */
  changed(workspaceId: string | null): Promise<void>;
}

export interface NewWorkspaceInput {
  name: string;
  id?: string;
  outboundUrl?: string | null;
  /** A chosen signing secret (npm start's RELAY_DEMO_WORKSPACE_SECRET); random otherwise. */
  signingSecret?: string;
}

export class Operator {
  constructor(private readonly deps: OperatorDeps) {}

  async createWorkspace(
    input: NewWorkspaceInput,
    actor: string,
  ): Promise<{ workspace: Workspace; signingSecret: string }> {
    const signingSecret = input.signingSecret ?? randomSigningSecret();
    const workspace = await createWorkspace(this.deps.db, this.deps.vault, {
      id: input.id ?? (await this.#freeId(input.name)),
      name: input.name,
      signingSecret,
      outboundUrl: input.outboundUrl ?? null,
    });
    await audit(this.deps.db, {
      actor,
      action: 'workspace.create',
      workspaceId: workspace.id,
      detail: { name: input.name },
    });
    await this.deps.changed(workspace.id);
    return { workspace, signingSecret };
  }

  listWorkspaces(): Promise<Workspace[]> {
    return listWorkspaces(this.deps.db);
  }

  getWorkspace(id: string): Promise<Workspace | null> {
    return getWorkspace(this.deps.db, id);
  }

  async updateWorkspace(id: string, patch: WorkspacePatch, actor: string): Promise<Workspace | null> {
    const workspace = await updateWorkspace(this.deps.db, id, patch);
    if (!workspace) return null;
    await audit(this.deps.db, { actor, action: 'workspace.update', workspaceId: id, detail: { ...patch } });
    await this.deps.changed(id);
    return workspace;
  }

  /** Disconnects (revoking the grant), then removes the workspace and all it stored. */
  async deleteWorkspace(id: string, actor: string): Promise<boolean> {
    const workspace = await getWorkspace(this.deps.db, id);
    if (!workspace) return false;
    if (workspace.salesforce) await this.deps.connect.disconnect(workspace);
    const deleted = await deleteWorkspace(this.deps.db, id);
    await audit(this.deps.db, {
      actor,
      action: 'workspace.delete',
      workspaceId: id,
      ...(workspace.connection.orgId ? { orgId: workspace.connection.orgId } : {}),
      detail: { name: workspace.name },
    });
    await this.deps.changed(id);
    return deleted;
  }

  /** A new signing secret; the old one verifies for `graceSeconds` more. Null: no such workspace. */
  async rotateSigningSecret(
    id: string,
    graceSeconds: number,
    actor: string,
    secret = randomSigningSecret(),
  ): Promise<{ signingSecret: string; previousValidUntil: string } | null> {
    const until = await replaceSigningSecret(this.deps.db, this.deps.vault, id, secret, graceSeconds);
    if (!until) return null;
    await audit(this.deps.db, { actor, action: 'signing-secret.rotate', workspaceId: id, detail: { graceSeconds } });
    await this.deps.changed(id);
    return { signingSecret: secret, previousValidUntil: until.toISOString() };
  }

  /** A new org key for the org (the package's Named Credential); the old one works for `graceSeconds`. */
  async rotateOrgKey(
    orgId: string,
    graceSeconds: number,
    actor: string,
    key = randomOrgKey(),
  ): Promise<{ orgKey: string; previousValidUntil: string | null }> {
    const until = await setOrgKey(this.deps.db, orgId, key, graceSeconds);
    await audit(this.deps.db, { actor, action: 'org-key.rotate', orgId, detail: { graceSeconds } });
    await this.deps.changed(null);
    return { orgKey: key, previousValidUntil: until ? until.toISOString() : null };
  }

  async connectServer(workspace: Workspace, input: ServerConnect, actor: string): Promise<Workspace> {
    try {
      const connected = await this.deps.connect.connectServer(workspace, input);
      await this.#auditConnect(actor, connected, input.flow, 'ok');
      return connected;
    } catch (error) {
      await this.#auditConnect(actor, workspace, input.flow, (error as { code?: string }).code ?? 'failed');
      throw error;
    }
  }

  async startWebConnect(workspace: Workspace, input: WebConnect, actor: string) {
    const started = await this.deps.connect.startWeb(workspace, input);
    await audit(this.deps.db, {
      actor,
      action: 'connection.start',
      workspaceId: workspace.id,
      detail: { flow: 'web', environment: input.environment },
    });
    return started;
  }

  /** The OAuth callback: the admin who signed in is the actor. */
  async finishWebConnect(state: string, code: string): Promise<Workspace> {
    const workspace = await this.deps.connect.finishWeb(state, code);
    await this.#auditConnect(`salesforce:${workspace.connection.username ?? 'unknown'}`, workspace, 'web', 'ok');
    return workspace;
  }

  async disconnect(workspace: Workspace, actor: string) {
    const result = await this.deps.connect.disconnect(workspace);
    await audit(this.deps.db, {
      actor,
      action: 'connection.disconnect',
      workspaceId: workspace.id,
      ...(workspace.connection.orgId ? { orgId: workspace.connection.orgId } : {}),
      detail: { revoked: result.revoked },
    });
    return result;
  }

  async #auditConnect(actor: string, workspace: Workspace, flow: string, outcome: string): Promise<void> {
    await audit(this.deps.db, {
      actor,
      action: 'connection.connect',
      workspaceId: workspace.id,
      ...(workspace.connection.orgId ? { orgId: workspace.connection.orgId } : {}),
      detail: { flow, outcome, ...(workspace.connection.username ? { username: workspace.connection.username } : {}) },
    });
  }

  /** An id from the name (`Acme Corp` → `acme-corp`), with a suffix when taken. */
  async #freeId(name: string): Promise<string> {
    const base =
      name
        .toLowerCase()
        .normalize('NFKD')
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 48) || 'workspace';
    for (let n = 1; ; n += 1) {
      const id = n === 1 ? base : `${base}-${n}`;
      if (!(await getWorkspace(this.deps.db, id))) return id;
    }
  }
}
