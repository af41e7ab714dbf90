// Values the platform's rules refused (reverse/platform-rules.ts): per record and field, the latest
// refused value and the rule it broke, until a later value of that field passes. Listed among the
// package's sync errors (category `delivery`) and counted on Sync health's "To the platform".
import type { Migration } from '../migrate.js';

export const migration220: Migration = {
  id: 220,
  name: 'reverse_rejections',
  statements: [
    `CREATE TABLE reverse_rejections (
      seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      workspace_id text NOT NULL REFERENCES workspaces (id),
      record_id text NOT NULL,
      object text NOT NULL,
      field text NOT NULL,
      value text NOT NULL,
      rule text NOT NULL,
      email text,
      event_id text,
      event_type text NOT NULL,
      source text NOT NULL,
      rejected_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT reverse_rejections_field UNIQUE (workspace_id, record_id, field)
    )`,
  ],
};
