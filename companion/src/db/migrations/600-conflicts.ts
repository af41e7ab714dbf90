// The conflict log's table (migration ids 600–699). Never edit an applied migration: add a new one.
import type { Migration } from '../migrate.js';

// One row per field that both sides changed since Relay last synced it: both values, both times, the
// side that won by the field's direction, and which sync found it. `fingerprint` (the two values)
// makes finding the same conflict twice — by the reverse poller and then by the sync, or by an event
// retried — write one row, and lets the second finder honour the first one's decision.
const migration600: Migration = {
  id: 600,
  name: 'conflicts',
  statements: [
    `CREATE TABLE conflicts (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      workspace_id text NOT NULL REFERENCES workspaces (id),
      record_id text NOT NULL,
      object text NOT NULL,
      email text,
      field text NOT NULL,
      direction text NOT NULL,
      platform_value jsonb,
      salesforce_value jsonb,
      platform_changed_at timestamptz NOT NULL,
      salesforce_changed_at timestamptz NOT NULL,
      winner text NOT NULL CHECK (winner IN ('platform', 'salesforce')),
      detected_by text NOT NULL CHECK (detected_by IN ('sync', 'reverse')),
      event_id text,
      fingerprint text NOT NULL,
      detected_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT conflicts_once UNIQUE (workspace_id, record_id, field, fingerprint)
    )`,
    `CREATE INDEX conflicts_recent ON conflicts (workspace_id, detected_at, id)`,
  ],
};

export const conflictMigrations: readonly Migration[] = [migration600];
