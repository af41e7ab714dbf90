// A short-lived cache of workspaces and their signing secrets for request authentication. Intake at
// thousands of requests a second should not read the workspace row (and open its sealed secrets)
// every time; five seconds of staleness after a secret rotation or deactivation is acceptable, and
// `invalidate` ends it at once inside this process.
import type { Db } from '../db/types.js';
import type { Vault } from '../secrets/vault.js';
import { getWorkspace, getSigningSecrets, type SigningSecret } from './store.js';
import type { Workspace } from './types.js';

export interface WorkspaceCredentials {
  workspace: Workspace;
  /** The current secret, then the previous one with the end of its grace (checked when used). */
  signingSecrets: SigningSecret[];
}

interface Entry {
  value: WorkspaceCredentials | null;
  expiresAt: number;
}

export class WorkspaceDirectory {
  readonly #entries = new Map<string, Entry>();
  constructor(
    private readonly db: Db,
    private readonly vault: Vault,
    private readonly ttlMs = 5000,
    private readonly maxEntries = 10_000,
  ) {}

  /** The workspace and its secret, or null when no workspace has this id. */
  async credentials(id: string): Promise<WorkspaceCredentials | null> {
    const now = Date.now();
    const cached = this.#entries.get(id);
    if (cached && cached.expiresAt > now) return cached.value;
    const [workspace, signingSecrets] = await Promise.all([
      getWorkspace(this.db, id),
      getSigningSecrets(this.db, this.vault, id),
    ]);
    const value = workspace && signingSecrets ? { workspace, signingSecrets } : null;
    if (this.#entries.size >= this.maxEntries) this.#entries.clear();
    this.#entries.set(id, { value, expiresAt: now + this.ttlMs });
    return value;
  }

  invalidate(id?: string): void {
    if (id === undefined) this.#entries.clear();
    else this.#entries.delete(id);
  }
}
