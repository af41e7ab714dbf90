// Every sealed column in one table, and the start-up pass over it: a value stored in plaintext (a
// database from before secrets were sealed) is sealed, and a value sealed with a key that is no
// longer the first of RELAY_ENCRYPTION_KEY is sealed again with the current one, so an old key can
// be dropped once a process has started with the new key first. Idempotent and safe with several
// processes: each row is rewritten only if it still holds the value that was read.
import type { Db } from '../db/types.js';
import type { Logger } from 'pino';
import { Vault, sealContext } from './vault.js';

interface SealedColumn {
  table: string;
  column: string;
  /** The row's key column, which the seal context names. */
  key: string;
}

/** Where secrets live. A new sealed column is added here, so the pass and the tests cover it. */
export const SEALED_COLUMNS: readonly SealedColumn[] = [
  { table: 'workspaces', column: 'signing_secret', key: 'id' },
  { table: 'workspaces', column: 'previous_signing_secret', key: 'id' },
  { table: 'workspaces', column: 'credentials', key: 'id' },
  { table: 'salesforce_tokens', column: 'access_token', key: 'workspace_id' },
  { table: 'oauth_states', column: 'request', key: 'state_hash' },
];

/** Secrets a database from before sealing kept inside `workspaces.salesforce`: moved to `credentials`. */
async function moveConnectionSecrets(db: Db, vault: Vault): Promise<number> {
  const { rows } = await db.query<{ id: string; salesforce: Record<string, unknown> }>(
    `SELECT id, salesforce FROM workspaces
      WHERE credentials IS NULL AND (salesforce ? 'clientSecret' OR salesforce ? 'password')`,
  );
  for (const row of rows) {
    const { clientSecret, password, ...settings } = row.salesforce;
    const secrets = {
      ...(typeof clientSecret === 'string' ? { clientSecret } : {}),
      ...(typeof password === 'string' ? { password } : {}),
    };
    await db.query(
      `UPDATE workspaces SET salesforce = $2::jsonb, credentials = $3 WHERE id = $1 AND credentials IS NULL`,
      [
        row.id,
        JSON.stringify(settings),
        vault.seal(JSON.stringify(secrets), sealContext('workspaces', 'credentials', row.id)),
      ],
    );
  }
  return rows.length;
}

export async function resealStoredSecrets(db: Db, vault: Vault, log?: Logger): Promise<number> {
  let changed = await moveConnectionSecrets(db, vault);
  for (const c of SEALED_COLUMNS) {
    const { rows } = await db.query<{ k: string; v: string }>(
      `SELECT ${c.key} AS k, ${c.column} AS v FROM ${c.table}
        WHERE ${c.column} IS NOT NULL AND ${c.column} NOT LIKE $1`,
      [`rsec1.${vault.currentKeyId}.%`],
    );
    for (const row of rows) {
      const context = sealContext(c.table, c.column, row.k);
      const plaintext = Vault.isSealed(row.v) ? vault.open(row.v, context) : row.v;
      const { rowCount } = await db.query(
        `UPDATE ${c.table} SET ${c.column} = $3 WHERE ${c.key} = $1 AND ${c.column} = $2`,
        [row.k, row.v, vault.seal(plaintext, context)],
      );
      changed += rowCount;
    }
  }
  if (changed > 0)
    log?.info({ values: changed, keyId: vault.currentKeyId }, 'stored secrets sealed with the current key');
  return changed;
}
