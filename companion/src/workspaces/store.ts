// Workspaces in the database. Every function takes the `Db` (or a transaction) explicitly.
import type { Db } from '../db/types.js';
import { hashOrgKey, sameDigest } from './keys.js';
import type { NewWorkspace, SalesforceConnection, Workspace, WorkspacePatch } from './types.js';

interface WorkspaceRow {
  [key: string]: unknown;
  id: string;
  name: string;
  active: boolean;
  outbound_url: string | null;
  salesforce: SalesforceConnection | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, name, active, outbound_url, salesforce, created_at, updated_at';

function toWorkspace(row: WorkspaceRow): Workspace {
  return {
    id: row.id,
    name: row.name,
    active: row.active,
    outboundUrl: row.outbound_url,
    salesforce: row.salesforce,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export class WorkspaceExistsError extends Error {
  constructor(readonly workspaceId: string) {
    super(`workspace '${workspaceId}' already exists`);
    this.name = 'WorkspaceExistsError';
  }
}

export async function createWorkspace(db: Db, input: NewWorkspace): Promise<Workspace> {
  try {
    const { rows } = await db.query<WorkspaceRow>(
      `INSERT INTO workspaces (id, name, signing_secret, org_key_hash, salesforce, outbound_url, active)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7)
       RETURNING ${COLUMNS}`,
      [
        input.id,
        input.name,
        input.signingSecret,
        input.orgKey ? hashOrgKey(input.orgKey) : null,
        input.salesforce ? JSON.stringify(input.salesforce) : null,
        input.outboundUrl ?? null,
        input.active ?? true,
      ],
    );
    return toWorkspace(rows[0]!);
  } catch (error) {
    if ((error as { code?: string }).code === '23505' && /workspaces_pkey/.test((error as Error).message)) {
      throw new WorkspaceExistsError(input.id);
    }
    throw error;
  }
}

export async function getWorkspace(db: Db, id: string): Promise<Workspace | null> {
  const { rows } = await db.query<WorkspaceRow>(`SELECT ${COLUMNS} FROM workspaces WHERE id = $1`, [id]);
  return rows[0] ? toWorkspace(rows[0]) : null;
}

export async function listWorkspaces(db: Db): Promise<Workspace[]> {
  const { rows } = await db.query<WorkspaceRow>(`SELECT ${COLUMNS} FROM workspaces ORDER BY id`);
  return rows.map(toWorkspace);
}

export async function updateWorkspace(db: Db, id: string, patch: WorkspacePatch): Promise<Workspace | null> {
  const sets: string[] = [];
  const params: unknown[] = [id];
  const set = (column: string, value: unknown, cast = '') => {
    params.push(value);
    sets.push(`${column} = $${params.length}${cast}`);
  };
  if (patch.name !== undefined) set('name', patch.name);
  if (patch.signingSecret !== undefined) set('signing_secret', patch.signingSecret);
  if (patch.salesforce !== undefined) {
    set('salesforce', patch.salesforce ? JSON.stringify(patch.salesforce) : null, '::jsonb');
  }
  if (patch.outboundUrl !== undefined) set('outbound_url', patch.outboundUrl);
  if (patch.active !== undefined) set('active', patch.active);
  if (sets.length === 0) return getWorkspace(db, id);
  const { rows } = await db.query<WorkspaceRow>(
    `UPDATE workspaces SET ${sets.join(', ')}, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
    params,
  );
  return rows[0] ? toWorkspace(rows[0]) : null;
}

/** Replaces the workspace's org key (only its hash is kept). */
export async function setOrgKey(db: Db, id: string, orgKey: string): Promise<boolean> {
  const { rowCount } = await db.query('UPDATE workspaces SET org_key_hash = $2, updated_at = now() WHERE id = $1', [
    id,
    hashOrgKey(orgKey),
  ]);
  return rowCount === 1;
}

/** The workspace an org key belongs to, or null. */
export async function findWorkspaceByOrgKey(db: Db, orgKey: string): Promise<Workspace | null> {
  const hash = hashOrgKey(orgKey);
  const { rows } = await db.query<WorkspaceRow & { org_key_hash: string }>(
    `SELECT ${COLUMNS}, org_key_hash FROM workspaces WHERE org_key_hash = $1`,
    [hash],
  );
  const row = rows[0];
  // The equality lookup already matched; the constant-time compare keeps the check itself honest
  // should the lookup ever become a prefix or index-order scan.
  if (!row || !sameDigest(row.org_key_hash, hash)) return null;
  return toWorkspace(row);
}

/** The HMAC signing secret (intake, platform API, outbound delivery). Never log or return it. */
export async function getSigningSecret(db: Db, id: string): Promise<string | null> {
  const { rows } = await db.query<{ signing_secret: string }>('SELECT signing_secret FROM workspaces WHERE id = $1', [
    id,
  ]);
  return rows[0]?.signing_secret ?? null;
}
