// Events: every accepted CloudEvent, its sync status and its outcome. The table is the queue's
// source of truth: workers claim due rows with FOR UPDATE SKIP LOCKED and a lease (lease_token,
// lease_expires_at); an expired lease makes the row claimable again, so a killed worker loses
// nothing. `seq` is the intake order and the handle the worker and processor use.
import type { Migration } from '../migrate.js';

export const migration002: Migration = {
  id: 2,
  name: 'events',
  statements: [
    `CREATE TABLE events (
      seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      workspace_id text NOT NULL REFERENCES workspaces (id),
      source text NOT NULL,
      event_id text NOT NULL,
      type text NOT NULL,
      time timestamptz NOT NULL,
      data jsonb NOT NULL,
      extensions jsonb,
      received_at timestamptz NOT NULL DEFAULT now(),
      status text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'processing', 'synced', 'retrying', 'failed', 'skipped', 'deferred')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      lease_token uuid,
      lease_owner text,
      lease_expires_at timestamptz,
      last_attempt_at timestamptz,
      status_reason text,
      error_category text,
      error_code text,
      error_field text,
      error_message text,
      result jsonb,
      completed_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT events_idempotency UNIQUE (workspace_id, source, event_id),
      CONSTRAINT events_lease_iff_processing CHECK ((status = 'processing') = (lease_token IS NOT NULL))
    )`,
    // The claim: due rows of one workspace in order.
    `CREATE INDEX events_due ON events (workspace_id, next_attempt_at, seq)
      WHERE status IN ('pending', 'retrying', 'deferred')`,
    // Expired leases of killed workers.
    `CREATE INDEX events_leased ON events (workspace_id, lease_expires_at) WHERE status = 'processing'`,
    // Backlog counts per status, and the package's error list.
    `CREATE INDEX events_status ON events (workspace_id, status)`,
    `CREATE INDEX events_failed ON events (workspace_id, error_category, seq) WHERE status = 'failed'`,
  ],
};
