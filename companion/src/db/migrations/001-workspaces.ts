// Workspaces: one per platform customer (tenant). The signing secret is stored as given because
// verifying an HMAC needs it; it is never logged or returned by an API. The org key (the package's
// Bearer credential) is stored only as a SHA-256 hash.
import type { Migration } from '../migrate.js';

export const migration001: Migration = {
  id: 1,
  name: 'workspaces',
  statements: [
    `CREATE TABLE workspaces (
      id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
      name text NOT NULL,
      signing_secret text NOT NULL CHECK (length(signing_secret) > 0),
      org_key_hash text UNIQUE,
      salesforce jsonb,
      outbound_url text,
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`,
  ],
};
