// Backfills' tables (migration ids 700–799). Never edit an applied migration: add a new one.
import type { Migration } from '../migrate.js';

// One row per backfill: its direction, what started it, the plan it was started with (the figures a
// dry run prints), where it stands (the cursor: object, last Id read, an open Bulk query job and its
// results locator) and what it spent so far. A re-run of the same command finds the unfinished row
// (same workspace, direction and key) and goes on from its cursor, so a killed backfill never starts
// over and never announces a record twice.
const migration700: Migration = {
  id: 700,
  name: 'backfill_runs',
  statements: [
    `CREATE TABLE backfill_runs (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      workspace_id text NOT NULL REFERENCES workspaces (id),
      direction text NOT NULL CHECK (direction IN ('to-platform', 'to-salesforce')),
      run_key text NOT NULL,
      origin text NOT NULL,
      state text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'done')),
      plan jsonb,
      cursor jsonb NOT NULL DEFAULT '{}'::jsonb,
      spent jsonb NOT NULL DEFAULT '{}'::jsonb,
      done_count integer NOT NULL DEFAULT 0,
      announced integer NOT NULL DEFAULT 0,
      already_sent integer NOT NULL DEFAULT 0,
      last_error text,
      started_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz
    )`,
    `CREATE UNIQUE INDEX backfill_runs_open ON backfill_runs (workspace_id, direction, run_key) WHERE state = 'running'`,
  ],
};

// The events a to-salesforce backfill stored or found stored (by their queue seq), so its progress is
// read from the events' own status however many processes sync them.
const migration701: Migration = {
  id: 701,
  name: 'backfill_items',
  statements: [
    `CREATE TABLE backfill_items (
      workspace_id text NOT NULL REFERENCES workspaces (id),
      run_id bigint NOT NULL,
      seq bigint NOT NULL,
      PRIMARY KEY (run_id, seq)
    )`,
  ],
};

export const backfillMigrations: readonly Migration[] = [migration700, migration701];
