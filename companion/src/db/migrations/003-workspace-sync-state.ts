// Per-workspace worker state. The workspace lease makes one worker at a time sync a workspace
// (so a visit's successive events reach Salesforce in order, and one org is not hammered by
// several workers); the pause holds the whole workspace (REQUEST_LIMIT_EXCEEDED, quota) until a
// time; next_wake_at remembers the earliest wake-up already scheduled, so a backlog of deferred
// events schedules one wake-up rather than one per batch.
import type { Migration } from '../migrate.js';

export const migration003: Migration = {
  id: 3,
  name: 'workspace_sync_state',
  statements: [
    `CREATE TABLE workspace_sync_state (
      workspace_id text PRIMARY KEY REFERENCES workspaces (id),
      lease_token uuid,
      lease_owner text,
      lease_expires_at timestamptz,
      paused_until timestamptz,
      paused_reason text,
      next_wake_at timestamptz,
      last_batch_at timestamptz,
      last_sync_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`,
  ],
};
