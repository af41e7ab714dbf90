// Many workspaces, many orgs, secrets sealed. A workspace connects to one org (`org_id`, known once
// a connect call succeeded); several workspaces may share an org, and the package's org key
// belongs to the org (`org_keys`), so it answers for all of them. Secrets are stored sealed
// (secrets/vault.ts): `signing_secret` and the previous one kept valid during a rotation's grace,
// the connection's secrets in `credentials` (client secret, private key, refresh token), access
// tokens in `salesforce_tokens`, a web connect's PKCE verifier in `oauth_states`. Values written
// before this migration are sealed at start-up (secrets/seal-stored.ts). `audit_log` records who
// did what to a workspace or an org, never a secret.
import type { Migration } from '../migrate.js';

export const migration004: Migration = {
  id: 4,
  name: 'tenancy_and_sealed_secrets',
  statements: [
    `ALTER TABLE workspaces
       ADD COLUMN previous_signing_secret text,
       ADD COLUMN previous_secret_expires_at timestamptz,
       ADD COLUMN credentials text,
       ADD COLUMN org_id text,
       ADD COLUMN connection_status text NOT NULL DEFAULT 'not_connected'
         CHECK (connection_status IN ('not_connected', 'connected', 'needs_reconnect', 'api_disabled')),
       ADD COLUMN connection jsonb,
       DROP COLUMN org_key_hash`,
    `UPDATE workspaces SET connection_status = 'connected' WHERE salesforce IS NOT NULL`,
    `CREATE INDEX workspaces_org ON workspaces (org_id) WHERE org_id IS NOT NULL`,
    `CREATE TABLE org_keys (
      org_id text PRIMARY KEY,
      key_hash text NOT NULL UNIQUE,
      previous_key_hash text UNIQUE,
      previous_expires_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      rotated_at timestamptz NOT NULL DEFAULT now()
    )`,
    `CREATE TABLE salesforce_tokens (
      workspace_id text PRIMARY KEY REFERENCES workspaces (id),
      access_token text NOT NULL,
      instance_url text NOT NULL,
      org_id text NOT NULL,
      user_id text NOT NULL,
      issued_at timestamptz NOT NULL,
      generation integer NOT NULL DEFAULT 1
    )`,
    `CREATE TABLE oauth_states (
      state_hash text PRIMARY KEY,
      workspace_id text NOT NULL REFERENCES workspaces (id),
      request text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      used_at timestamptz
    )`,
    `CREATE TABLE audit_log (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT now(),
      actor text NOT NULL,
      action text NOT NULL,
      workspace_id text,
      org_id text,
      detail jsonb NOT NULL DEFAULT '{}'
    )`,
    `CREATE INDEX audit_log_workspace ON audit_log (workspace_id, id) WHERE workspace_id IS NOT NULL`,
  ],
};
