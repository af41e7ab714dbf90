// The platform API's tables (migration ids 400–499). Never edit an applied migration: add a new one.
import type { Migration } from '../migrate.js';

// Per record and field: the value a platform PATCH replaced (`previous`) and the value it wrote
// (`written`), so that `POST /v1/contacts/<id>/revert` can put the old value back and can tell when
// someone changed the field in Salesforce since Relay's write. Only the latest PATCH of a field is
// kept; a revert removes the row (the previous value is back, there is nothing left to undo).
const migration400: Migration = {
  id: 400,
  name: 'platform_previous_values',
  statements: [
    `CREATE TABLE platform_previous_values (
      workspace_id text NOT NULL REFERENCES workspaces (id),
      record_id text NOT NULL,
      field text NOT NULL,
      object text NOT NULL,
      previous jsonb NOT NULL,
      written jsonb NOT NULL,
      written_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (workspace_id, record_id, field)
    )`,
  ],
};

export const platformApiMigrations: readonly Migration[] = [migration400];
