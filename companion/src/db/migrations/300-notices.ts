// Notices (migration ids 300–399): what Relay told admins and the platform about syncing stopping
// or about to stop (src/notices/). One row per episode of a cause: opened when the cause is first
// seen, closed when it recovers; the partial unique index lets only one episode of a cause and
// period be open, so several batches and several processes open it once and notify once.
import type { Migration } from '../migrate.js';

const migration300: Migration = {
  id: 300,
  name: 'notices',
  statements: [
    `CREATE TABLE notices (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      workspace_id text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
      cause text NOT NULL,
      period text NOT NULL DEFAULT '',
      message text NOT NULL,
      details jsonb NOT NULL DEFAULT '{}'::jsonb,
      opened_at timestamptz NOT NULL DEFAULT now(),
      closed_at timestamptz,
      outbound_event_id text,
      bell_status text NOT NULL DEFAULT 'pending'
        CHECK (bell_status IN ('pending', 'sending', 'sent', 'skipped', 'failed')),
      bell_attempts integer NOT NULL DEFAULT 0,
      bell_next_at timestamptz NOT NULL DEFAULT now(),
      bell_lease_until timestamptz,
      bell_error text,
      bell_sent_at timestamptz
    )`,
    `CREATE UNIQUE INDEX notices_open ON notices (workspace_id, cause, period) WHERE closed_at IS NULL`,
    `CREATE INDEX notices_bell_due ON notices (bell_next_at) WHERE bell_status IN ('pending', 'sending')`,
  ],
};

export const noticeMigrations: readonly Migration[] = [migration300];
