// The audit log: who did what to a workspace, an org or a connection, and when. Operator actions
// are attributed to the token that made them by a fingerprint of its hash (never the token), the
// OAuth callback to the admin's Salesforce username, start-up to `npm start`. `detail` holds
// names, flows and outcomes, never a secret.
import type { Db } from '../db/types.js';

export interface AuditEntry {
  actor: string;
  action: string;
  workspaceId?: string;
  orgId?: string;
  detail?: Record<string, unknown>;
}

export interface AuditRow {
  id: string;
  at: string;
  actor: string;
  action: string;
  workspaceId: string | null;
  orgId: string | null;
  detail: Record<string, unknown>;
}

/** The actor name of an operator token: `operator:` and the first 12 hex digits of its SHA-256. */
export const operatorActor = (tokenHash: string): string => `operator:${tokenHash.slice(0, 12)}`;

export async function audit(db: Db, entry: AuditEntry): Promise<void> {
  await db.query(
    'INSERT INTO audit_log (actor, action, workspace_id, org_id, detail) VALUES ($1, $2, $3, $4, $5::jsonb)',
    [entry.actor, entry.action, entry.workspaceId ?? null, entry.orgId ?? null, JSON.stringify(entry.detail ?? {})],
  );
}

/** The newest entries first, optionally of one workspace. */
export async function readAudit(db: Db, workspaceId: string | null, limit: number): Promise<AuditRow[]> {
  const { rows } = await db.query<{
    id: string;
    at: Date;
    actor: string;
    action: string;
    workspace_id: string | null;
    org_id: string | null;
    detail: Record<string, unknown>;
  }>(
    `SELECT id, at, actor, action, workspace_id, org_id, detail FROM audit_log
      WHERE ($1::text IS NULL OR workspace_id = $1) ORDER BY id DESC LIMIT $2`,
    [workspaceId, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    at: r.at.toISOString(),
    actor: r.actor,
    action: r.action,
    workspaceId: r.workspace_id,
    orgId: r.org_id,
    detail: r.detail,
  }));
}
