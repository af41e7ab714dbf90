// Reverse sync's tables (migration ids 200–299). Never edit an applied migration: add a new one.
import type { Migration } from '../migrate.js';

// Per workspace: whether reverse sync is on (CreatePlatformContacts as last seen), when Relay started
// watching (records created before are never announced as `created`), the getUpdated/getDeleted
// cursors per object (the `latestDateCovered` Salesforce answered last), the poll lease (one poller
// per workspace across processes), a limit pause, recent bulk bursts per user, and the delivery
// lease and receiver back-off.
const migration200: Migration = {
  id: 200,
  name: 'reverse_state',
  statements: [
    `CREATE TABLE reverse_state (
      workspace_id text PRIMARY KEY REFERENCES workspaces (id),
      enabled boolean NOT NULL DEFAULT false,
      watch_started_at timestamptz,
      cursors jsonb NOT NULL DEFAULT '{}'::jsonb,
      bulk_minutes jsonb NOT NULL DEFAULT '{}'::jsonb,
      poll_token text,
      poll_until timestamptz,
      paused_until timestamptz,
      paused_reason text,
      last_poll_at timestamptz,
      last_poll_calls integer,
      last_poll_error text,
      deliver_token text,
      deliver_until timestamptz,
      deliver_failures integer NOT NULL DEFAULT 0,
      deliver_after timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`,
  ],
};

// Per Salesforce record: the values the platform was last given (sent in an event, or written by the
// platform itself through PATCH), from which `changedFields` is computed; when it was last sent; the
// SystemModstamp last evaluated (a window read twice changes nothing); and why its last change was
// not sent (`own`: Relay's write, `bulk`: a data import).
const migration201: Migration = {
  id: 201,
  name: 'reverse_records',
  statements: [
    `CREATE TABLE reverse_records (
      workspace_id text NOT NULL REFERENCES workspaces (id),
      record_id text NOT NULL,
      object text NOT NULL,
      fields jsonb NOT NULL DEFAULT '{}'::jsonb,
      email text,
      sent_at timestamptz,
      modstamp text,
      skipped text,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (workspace_id, record_id)
    )`,
  ],
};

// Ids getUpdated/getDeleted reported and not read yet. Detection and reading are separate steps so
// that a poll cycle reads a bounded number of records (bounded API calls) while the cursor still
// moves on: a burst of 50,000 changes is read over several cycles and nothing is skipped.
const migration202: Migration = {
  id: 202,
  name: 'reverse_pending',
  statements: [
    `CREATE TABLE reverse_pending (
      workspace_id text NOT NULL REFERENCES workspaces (id),
      record_id text NOT NULL,
      object text NOT NULL,
      deleted_at timestamptz,
      detected_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (workspace_id, record_id)
    )`,
    `CREATE INDEX reverse_pending_order ON reverse_pending (workspace_id, detected_at, record_id)`,
  ],
};

// The outbox: every CloudEvent Relay owes the platform, with the exact bytes that are signed and sent,
// until the receiver answered 2xx (`delivered`) or the attempts ran out (`dead`: listed among the
// package's sync errors, category `delivery`, and retryable from there). Nothing is dropped.
const migration203: Migration = {
  id: 203,
  name: 'reverse_outbox',
  statements: [
    `CREATE TABLE reverse_outbox (
      seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      workspace_id text NOT NULL REFERENCES workspaces (id),
      event_id text NOT NULL,
      type text NOT NULL,
      record_id text NOT NULL,
      body text NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      last_attempt_at timestamptz,
      last_status integer,
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      delivered_at timestamptz,
      CONSTRAINT reverse_outbox_event UNIQUE (workspace_id, event_id)
    )`,
    `CREATE INDEX reverse_outbox_pending ON reverse_outbox (workspace_id, seq) WHERE status = 'pending'`,
    `CREATE INDEX reverse_outbox_record ON reverse_outbox (workspace_id, record_id, seq) WHERE status = 'pending'`,
    `CREATE INDEX reverse_outbox_dead ON reverse_outbox (workspace_id, seq) WHERE status = 'dead'`,
  ],
};

// The people events the engine synced to a record, for the echo filter (echo.ts): what the platform
// itself sent is never announced back as a change. A partial index, so activity events (the bulk of
// the table) cost nothing.
const migration204: Migration = {
  id: 204,
  name: 'reverse_people_events_index',
  statements: [
    `CREATE INDEX reverse_people_events ON events (workspace_id, (result->>'recordId'))
      WHERE status = 'synced' AND type IN ('relay.prospect.upserted', 'relay.list.member.added')`,
  ],
};

export const reverseMigrations: readonly Migration[] = [
  migration200,
  migration201,
  migration202,
  migration203,
  migration204,
];
