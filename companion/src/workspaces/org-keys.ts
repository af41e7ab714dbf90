// The package's key for an org (the Named Credential's Bearer token): one per org, shared by every
// workspace connected to it, stored only as a SHA-256 hash. A rotation keeps the previous key
// valid for a grace period, so the admin can paste the new one without an outage.
import type { Db } from '../db/types.js';
import { hashOrgKey, sameDigest } from './keys.js';

/** Makes `key` the org's key; the one it replaces stays valid for `graceSeconds`. */
export async function setOrgKey(db: Db, orgId: string, key: string, graceSeconds = 0): Promise<Date | null> {
  const { rows } = await db.query<{ until: Date | null }>(
    `INSERT INTO org_keys (org_id, key_hash) VALUES ($1, $2)
     ON CONFLICT (org_id) DO UPDATE SET
       previous_key_hash = CASE WHEN $3 > 0 AND org_keys.key_hash <> excluded.key_hash THEN org_keys.key_hash END,
       previous_expires_at = CASE WHEN $3 > 0 AND org_keys.key_hash <> excluded.key_hash
                                  THEN now() + make_interval(secs => $3) END,
       key_hash = excluded.key_hash,
       rotated_at = now()
     RETURNING previous_expires_at AS until`,
    [orgId, hashOrgKey(key), graceSeconds],
  );
  return rows[0]?.until ?? null;
}

/** The org an org key belongs to (its current key, or the previous one during its grace), or null. */
export async function findOrgByKey(db: Db, key: string): Promise<string | null> {
  const hash = hashOrgKey(key);
  const { rows } = await db.query<{ org_id: string; key_hash: string; previous_key_hash: string | null }>(
    `SELECT org_id, key_hash, previous_key_hash FROM org_keys
      WHERE key_hash = $1 OR (previous_key_hash = $1 AND previous_expires_at > now())`,
    [hash],
  );
  const row = rows[0];
  // The equality lookup already matched; the constant-time compare keeps the check itself honest
  // should the lookup ever become a prefix or index-order scan.
  if (!row || !(sameDigest(row.key_hash, hash) || (row.previous_key_hash && sameDigest(row.previous_key_hash, hash))))
    return null;
  return row.org_id;
}

export async function hasOrgKey(db: Db, orgId: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM org_keys WHERE org_id = $1', [orgId]);
  return rows.length > 0;
}
