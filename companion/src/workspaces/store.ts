// Workspaces in the database. Reads of what is not secret take the `Db` alone; whatever seals or
// opens a secret also takes the `Vault` (secrets/vault.ts), and each sealed value is bound to its
// column and row (`sealContext`).
import type { Db } from '../db/types.js';
import { sealContext as seal, type Vault } from '../secrets/vault.js';
import type {
  ConnectionInfo,
  ConnectionSecrets,
  ConnectionStatus,
  NewWorkspace,
  SalesforceConnection,
  Workspace,
  WorkspacePatch,
} from './types.js';

interface WorkspaceRow {
  [key: string]: unknown;
  id: string;
  name: string;
  active: boolean;
  outbound_url: string | null;
  salesforce: SalesforceConnection | null;
  org_id: string | null;
  connection_status: ConnectionStatus;
  connection: Partial<ConnectionInfo> | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS =
  'id, name, active, outbound_url, salesforce, org_id, connection_status, connection, created_at, updated_at';

/** Where a sealed value lives: a copy moved to another row or column does not open. */
const sealContext = (column: string, workspaceId: string): string => seal('workspaces', column, workspaceId);

function toWorkspace(row: WorkspaceRow): Workspace {
  const c = row.connection ?? {};
  return {
    id: row.id,
    name: row.name,
    active: row.active,
    outboundUrl: row.outbound_url,
    salesforce: row.salesforce,
    connection: {
      status: row.connection_status,
      orgId: row.org_id,
      instanceUrl: c.instanceUrl ?? null,
      isSandbox: c.isSandbox ?? null,
      username: c.username ?? null,
      connectedAt: c.connectedAt ?? null,
      lastError: c.lastError ?? null,
    },
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

export async function createWorkspace(db: Db, vault: Vault, input: NewWorkspace): Promise<Workspace> {
  try {
    const { rows } = await db.query<WorkspaceRow>(
      `INSERT INTO workspaces (id, name, signing_secret, outbound_url, active)
       VALUES ($1, $2, $3, $4, $5)
       RETURNING ${COLUMNS}`,
      [
        input.id,
        input.name,
        vault.seal(input.signingSecret, sealContext('signing_secret', input.id)),
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

/** The workspaces connected to an org (the package's org key answers for all of them). */
export async function workspacesOfOrg(db: Db, orgId: string): Promise<Workspace[]> {
  const { rows } = await db.query<WorkspaceRow>(`SELECT ${COLUMNS} FROM workspaces WHERE org_id = $1 ORDER BY id`, [
    orgId,
  ]);
  return rows.map(toWorkspace);
}

export async function updateWorkspace(db: Db, id: string, patch: WorkspacePatch): Promise<Workspace | null> {
  const sets: string[] = [];
  const params: unknown[] = [id];
  const set = (column: string, value: unknown) => {
    params.push(value);
    sets.push(`${column} = $${params.length}`);
  };
  if (patch.name !== undefined) set('name', patch.name);
  if (patch.outboundUrl !== undefined) set('outbound_url', patch.outboundUrl);
  if (patch.active !== undefined) set('active', patch.active);
  if (sets.length === 0) return getWorkspace(db, id);
  const { rows } = await db.query<WorkspaceRow>(
    `UPDATE workspaces SET ${sets.join(', ')}, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
    params,
  );
  return rows[0] ? toWorkspace(rows[0]) : null;
}

/** A signing secret, and until when it verifies (null: until it is replaced). */
export interface SigningSecret {
  secret: string;
  validUntil: number | null;
}

/** The current signing secret, then the previous one with the end of its grace, if it has one. */
export async function getSigningSecrets(db: Db, vault: Vault, id: string): Promise<SigningSecret[] | null> {
  const { rows } = await db.query<{ signing_secret: string; previous: string | null; until: Date | null }>(
    `SELECT signing_secret, previous_signing_secret AS previous, previous_secret_expires_at AS until
       FROM workspaces WHERE id = $1`,
    [id],
  );
  const row = rows[0];
  if (!row) return null;
  const secrets: SigningSecret[] = [
    { secret: vault.open(row.signing_secret, sealContext('signing_secret', id)), validUntil: null },
  ];
  if (row.previous && row.until) {
    secrets.push({
      secret: vault.open(row.previous, sealContext('previous_signing_secret', id)),
      validUntil: row.until.getTime(),
    });
  }
  return secrets;
}

/** The current signing secret (what outbound deliveries are signed with). Never log or return it. */
export async function getSigningSecret(db: Db, vault: Vault, id: string): Promise<string | null> {
  return (await getSigningSecrets(db, vault, id))?.[0]?.secret ?? null;
}

/**
 * Makes `secret` the workspace's signing secret. With `graceSeconds` > 0 the secret it replaces
 * still verifies until then; with 0 it stops at once. Returns when the previous one stops, or null
 * for an unknown workspace.
 */
export async function replaceSigningSecret(
  db: Db,
  vault: Vault,
  id: string,
  secret: string,
  graceSeconds: number,
): Promise<Date | null> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ signing_secret: string }>(
      'SELECT signing_secret FROM workspaces WHERE id = $1 FOR UPDATE',
      [id],
    );
    const current = rows[0];
    if (!current) return null;
    const previous = vault.open(current.signing_secret, sealContext('signing_secret', id));
    const { rows: updated } = await tx.query<{ until: Date }>(
      `UPDATE workspaces SET signing_secret = $2, previous_signing_secret = $3,
              previous_secret_expires_at = now() + make_interval(secs => $4), updated_at = now()
        WHERE id = $1 RETURNING previous_secret_expires_at AS until`,
      [
        id,
        vault.seal(secret, sealContext('signing_secret', id)),
        graceSeconds > 0 ? vault.seal(previous, sealContext('previous_signing_secret', id)) : null,
        graceSeconds,
      ],
    );
    return updated[0]!.until;
  });
}

/** Saves a verified connection: its settings, sealed secrets and what the verification learned. */
export async function saveConnection(
  db: Db,
  vault: Vault,
  id: string,
  connection: SalesforceConnection,
  secrets: ConnectionSecrets,
  info: Omit<ConnectionInfo, 'status' | 'lastError'>,
): Promise<Workspace | null> {
  const { orgId, ...rest } = info;
  const { rows } = await db.query<WorkspaceRow>(
    `UPDATE workspaces SET salesforce = $2::jsonb, credentials = $3, org_id = $4, connection_status = 'connected',
            connection = $5::jsonb, updated_at = now()
      WHERE id = $1 RETURNING ${COLUMNS}`,
    [
      id,
      JSON.stringify(connection),
      vault.seal(JSON.stringify(secrets), sealContext('credentials', id)),
      orgId,
      JSON.stringify({ ...rest, lastError: null }),
    ],
  );
  return rows[0] ? toWorkspace(rows[0]) : null;
}

/** The connection's secrets (only where a login needs them). */
export async function getConnectionSecrets(db: Db, vault: Vault, id: string): Promise<ConnectionSecrets> {
  const { rows } = await db.query<{ credentials: string | null }>('SELECT credentials FROM workspaces WHERE id = $1', [
    id,
  ]);
  const sealed = rows[0]?.credentials;
  return sealed ? (JSON.parse(vault.open(sealed, sealContext('credentials', id))) as ConnectionSecrets) : {};
}

/** A refresh token Salesforce rotated replaces the stored one (inside the token lock). */
export async function saveConnectionSecrets(
  db: Db,
  vault: Vault,
  id: string,
  secrets: ConnectionSecrets,
): Promise<void> {
  await db.query('UPDATE workspaces SET credentials = $2 WHERE id = $1', [
    id,
    vault.seal(JSON.stringify(secrets), sealContext('credentials', id)),
  ]);
}

/**
 * A connection that stopped working (`needs_reconnect`: the grant was revoked or expired;
 * `api_disabled`: the org or user has no API access) keeps its settings so the operator sees what
 * it was; `connected` clears the error. Returns whether the status changed.
 */
export async function setConnectionStatus(
  db: Db,
  id: string,
  status: Exclude<ConnectionStatus, 'not_connected'>,
  lastError: string | null,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE workspaces SET connection_status = $2,
            connection = coalesce(connection, '{}'::jsonb) || jsonb_build_object('lastError', $3::text),
            updated_at = now()
      WHERE id = $1 AND salesforce IS NOT NULL AND connection_status IS DISTINCT FROM $2`,
    [id, status, lastError],
  );
  return rowCount === 1;
}

/** Forgets the connection (after its token was revoked): settings, secrets, tokens. The org stays known. */
export async function clearConnection(db: Db, id: string): Promise<Workspace | null> {
  return db.transaction(async (tx) => {
    await tx.query('DELETE FROM salesforce_tokens WHERE workspace_id = $1', [id]);
    const { rows } = await tx.query<WorkspaceRow>(
      `UPDATE workspaces SET salesforce = NULL, credentials = NULL, connection_status = 'not_connected',
              connection = NULL, updated_at = now()
        WHERE id = $1 RETURNING ${COLUMNS}`,
      [id],
    );
    return rows[0] ? toWorkspace(rows[0]) : null;
  });
}

/**
 * Deletes the workspace and every row that belongs to it, in any table that references it (found
 * from the schema, so a table added later is covered without touching this). Returns whether it
 * existed.
 */
export async function deleteWorkspace(db: Db, id: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const { rows: tables } = await tx.query<{ name: string }>(
      `SELECT DISTINCT c.conrelid::regclass::text AS name FROM pg_constraint c
        WHERE c.contype = 'f' AND c.confrelid = 'workspaces'::regclass ORDER BY 1`,
    );
    for (const { name } of tables) await tx.query(`DELETE FROM ${name} WHERE workspace_id = $1`, [id]);
    const { rowCount } = await tx.query('DELETE FROM workspaces WHERE id = $1', [id]);
    return rowCount === 1;
  });
}
