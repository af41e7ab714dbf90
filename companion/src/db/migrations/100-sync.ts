// The sync engine's tables (migration ids 100–199). Never edit an applied migration: add a new one.
import type { Migration } from '../migrate.js';

// Relay's own Salesforce calls per org and hour, shared by every worker through the database, so
// that the MaxApiSharePercent budget holds over Salesforce's rolling 24-hour window however many
// workers sync the org. The org's own usage as Salesforce last reported it (Sforce-Limit-Info)
// sits beside it.
const migration100: Migration = {
  id: 100,
  name: 'sync_api_usage',
  statements: [
    `CREATE TABLE sync_api_usage (
      org_id text NOT NULL,
      hour timestamptz NOT NULL,
      calls integer NOT NULL DEFAULT 0,
      refused integer NOT NULL DEFAULT 0,
      PRIMARY KEY (org_id, hour)
    )`,
    `CREATE TABLE sync_org_limits (
      org_id text PRIMARY KEY,
      used integer NOT NULL,
      max integer NOT NULL,
      observed_at timestamptz NOT NULL DEFAULT now()
    )`,
  ],
};

// Per workspace: the org it is connected to, the configuration last read from the org's custom
// metadata (so a restart or another worker need not read it again within the minute), the last
// connection error for the status page.
const migration101: Migration = {
  id: 101,
  name: 'sync_org_state',
  statements: [
    `CREATE TABLE sync_org_state (
      workspace_id text PRIMARY KEY REFERENCES workspaces (id),
      org_id text,
      instance_url text,
      integration_user_id text,
      is_sandbox boolean,
      connected boolean NOT NULL DEFAULT false,
      last_error text,
      last_error_at timestamptz,
      settings jsonb,
      settings_read_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`,
  ],
};

// One row per activity Task (its external key): which Task it is, who it was matched to and why,
// when it was last written and from which event (the visit cadence and superseded events), the
// link's visitors, and what the package's engagement timeline shows.
const migration102: Migration = {
  id: 102,
  name: 'sync_activities',
  statements: [
    `CREATE TABLE sync_activities (
      workspace_id text NOT NULL REFERENCES workspaces (id),
      external_key text NOT NULL,
      activity_id text NOT NULL,
      type text NOT NULL,
      task_id text,
      who_id text,
      what_id text,
      owner_id text,
      person_email text,
      account_name text,
      match_reason text,
      matched_by text,
      match_value text,
      follow_up boolean NOT NULL DEFAULT false,
      occurred_at timestamptz NOT NULL,
      last_event_seq bigint,
      last_event_time timestamptz,
      last_written_at timestamptz,
      last_written_seq bigint,
      writes integer NOT NULL DEFAULT 0,
      active boolean,
      link_id text,
      visitors jsonb,
      details jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (workspace_id, external_key)
    )`,
    `CREATE INDEX sync_activities_who ON sync_activities (workspace_id, who_id, occurred_at DESC) WHERE who_id IS NOT NULL`,
    `CREATE INDEX sync_activities_what ON sync_activities (workspace_id, what_id, occurred_at DESC) WHERE what_id IS NOT NULL`,
    `CREATE INDEX sync_activities_email ON sync_activities (workspace_id, person_email, occurred_at DESC) WHERE person_email IS NOT NULL`,
    `CREATE INDEX sync_activities_link ON sync_activities (workspace_id, link_id) WHERE link_id IS NOT NULL`,
  ],
};

// Tasks created per workspace and calendar month (UTC): the MonthlyTaskQuota counter. Only
// upserts that created a Task count (`created: true`); re-syncs of the same Task do not.
const migration103: Migration = {
  id: 103,
  name: 'sync_task_quota',
  statements: [
    `CREATE TABLE sync_task_quota (
      workspace_id text NOT NULL REFERENCES workspaces (id),
      month text NOT NULL,
      created integer NOT NULL DEFAULT 0,
      PRIMARY KEY (workspace_id, month)
    )`,
  ],
};

// What the platform told Relay about a person (lists joined, tags, last seen) and which Salesforce
// record Relay matched them to — the "person" block and the email lookup of the engagement API.
const migration104: Migration = {
  id: 104,
  name: 'sync_people',
  statements: [
    `CREATE TABLE sync_people (
      workspace_id text NOT NULL REFERENCES workspaces (id),
      email text NOT NULL,
      record_id text,
      record_type text,
      account_id text,
      match_reason text,
      matched_by text,
      lists jsonb NOT NULL DEFAULT '[]'::jsonb,
      tags jsonb NOT NULL DEFAULT '[]'::jsonb,
      last_seen_at timestamptz,
      prospect_id text,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (workspace_id, email)
    )`,
    `CREATE INDEX sync_people_record ON sync_people (workspace_id, record_id) WHERE record_id IS NOT NULL`,
  ],
};

export const syncMigrations: readonly Migration[] = [
  migration100,
  migration101,
  migration102,
  migration103,
  migration104,
];
