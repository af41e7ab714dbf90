// The conflict log's rows: written by both syncs, read by the package and platform APIs. Every
// statement is scoped by workspace.
import type { Db } from '../db/types.js';
import type { MappingDirection } from '../sync/settings.js';
import { fingerprint, type Side } from './rule.js';

export interface Conflict {
  recordId: string;
  object: 'Contact' | 'Lead';
  email: string | null;
  field: string;
  direction: MappingDirection;
  platformValue: unknown;
  salesforceValue: unknown;
  /** When each side changed it (ms). */
  platformChangedAt: number;
  salesforceChangedAt: number;
  winner: Side;
  /** `sync`: found writing the platform's change; `reverse`: found announcing Salesforce's. */
  detectedBy: 'sync' | 'reverse';
  /** The platform's CloudEvent id that carried its value. */
  eventId: string | null;
}

/** Logs conflicts; one already logged for the same record, field and values is kept as it was. */
export async function recordConflicts(db: Db, workspaceId: string, entries: readonly Conflict[]): Promise<void> {
  if (entries.length === 0) return;
  await db.query(
    `INSERT INTO conflicts (workspace_id, record_id, object, email, field, direction, platform_value, salesforce_value,
                            platform_changed_at, salesforce_changed_at, winner, detected_by, event_id, fingerprint)
     SELECT $1, u.record_id, u.object, u.email, u.field, u.direction, u.pv, u.sv, u.pat, u.sat, u.winner, u.by, u.event_id, u.fp
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::jsonb[],
                   $9::timestamptz[], $10::timestamptz[], $11::text[], $12::text[], $13::text[], $14::text[])
         AS u(record_id, object, email, field, direction, pv, sv, pat, sat, winner, by, event_id, fp)
     ON CONFLICT (workspace_id, record_id, field, fingerprint) DO NOTHING`,
    [
      workspaceId,
      entries.map((e) => e.recordId),
      entries.map((e) => e.object),
      entries.map((e) => e.email),
      entries.map((e) => e.field),
      entries.map((e) => e.direction),
      entries.map((e) => JSON.stringify(e.platformValue ?? null)),
      entries.map((e) => JSON.stringify(e.salesforceValue ?? null)),
      entries.map((e) => new Date(e.platformChangedAt)),
      entries.map((e) => new Date(e.salesforceChangedAt)),
      entries.map((e) => e.winner),
      entries.map((e) => e.detectedBy),
      entries.map((e) => e.eventId),
      entries.map((e) => fingerprint(e.platformValue, e.salesforceValue)),
    ],
  );
}

/** The key of a decision already logged: record, field and the pair of values. */
export const decisionKey = (recordId: string, field: string, platformValue: unknown, salesforceValue: unknown) =>
  `${recordId}|${field.toLowerCase()}|${fingerprint(platformValue, salesforceValue)}`;

/** What the log already decided for some records. */
export interface LoggedDecisions {
  /** By decisionKey: the winner logged for that record, field and pair of values. */
  winners: Map<string, Side>;
  /** By settledKey: the value a field settled on when Salesforce beat that platform value. */
  settled: Map<string, unknown>;
}

/** The key of a platform value Salesforce beat: record, field and the platform's value. */
export const settledKey = (recordId: string, field: string, platformValue: unknown) =>
  `${recordId}|${field.toLowerCase()}|${fingerprint(platformValue, null)}`;

/**
 * The decisions already logged for these records: a conflict the reverse poller decided is honoured
 * when the platform's value reaches the sync, instead of being decided again against a baseline that
 * has moved on; and a platform value Salesforce beat was never written, so it is not the value last
 * synced — Salesforce's is.
 */
export async function loggedDecisions(
  db: Db,
  workspaceId: string,
  recordIds: readonly string[],
): Promise<LoggedDecisions> {
  const out: LoggedDecisions = { winners: new Map(), settled: new Map() };
  if (recordIds.length === 0) return out;
  const { rows } = await db.query<{
    record_id: string;
    field: string;
    fingerprint: string;
    winner: Side;
    platform_value: unknown;
    salesforce_value: unknown;
  }>(
    `SELECT record_id, field, fingerprint, winner, platform_value, salesforce_value FROM conflicts
      WHERE workspace_id = $1 AND record_id = ANY($2::text[]) ORDER BY id`,
    [workspaceId, [...recordIds]],
  );
  for (const r of rows) {
    out.winners.set(`${r.record_id}|${r.field.toLowerCase()}|${r.fingerprint}`, r.winner);
    if (r.winner === 'salesforce')
      out.settled.set(settledKey(r.record_id, r.field, r.platform_value), r.salesforce_value);
  }
  return out;
}

/**
 * The values last synced to a record: its baseline, with the values the platform sent through the
 * sync since on top — except those Salesforce beat (never written), which settled on Salesforce's.
 */
export function lastSynced(
  recordId: string,
  baseline: Record<string, unknown> | undefined,
  sent: Record<string, unknown> | undefined,
  settled: ReadonlyMap<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(baseline ?? {}) };
  for (const [field, value] of Object.entries(sent ?? {})) {
    const key = settledKey(recordId, field, value);
    out[field] = settled.has(key) ? settled.get(key) : value;
  }
  return out;
}

/** A logged conflict as both APIs answer it. */
export interface ConflictEntry {
  id: string;
  workspace: string;
  recordId: string;
  object: string;
  email: string | null;
  field: string;
  direction: string;
  platformValue: unknown;
  salesforceValue: unknown;
  platformChangedAt: string;
  salesforceChangedAt: string;
  winner: Side;
  detectedBy: string;
  eventId: string | null;
  detectedAt: string;
}

interface Row {
  [key: string]: unknown;
  id: string;
  workspace_id: string;
  record_id: string;
  object: string;
  email: string | null;
  field: string;
  direction: string;
  platform_value: unknown;
  salesforce_value: unknown;
  platform_changed_at: Date;
  salesforce_changed_at: Date;
  winner: Side;
  detected_by: string;
  event_id: string | null;
  detected_at: Date;
}

const COLUMNS = `id::text AS id, workspace_id, record_id, object, email, field, direction, platform_value, salesforce_value,
  platform_changed_at, salesforce_changed_at, winner, detected_by, event_id, detected_at`;

function entryOf(r: Row): ConflictEntry {
  return {
    id: r.id,
    workspace: r.workspace_id,
    recordId: r.record_id,
    object: r.object,
    email: r.email,
    field: r.field,
    direction: r.direction,
    platformValue: r.platform_value ?? null,
    salesforceValue: r.salesforce_value ?? null,
    platformChangedAt: r.platform_changed_at.toISOString(),
    salesforceChangedAt: r.salesforce_changed_at.toISOString(),
    winner: r.winner,
    detectedBy: r.detected_by,
    eventId: r.event_id,
    detectedAt: r.detected_at.toISOString(),
  };
}

/** The newest conflicts of these workspaces first (the package's Sync health list). */
export async function newestConflicts(
  db: Db,
  workspaceIds: readonly string[],
  limit: number,
): Promise<ConflictEntry[]> {
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM conflicts WHERE workspace_id = ANY($1::text[]) ORDER BY detected_at DESC, id DESC LIMIT $2`,
    [[...workspaceIds], limit],
  );
  return rows.map(entryOf);
}

/**
 * One workspace's conflicts detected at or after `since`, oldest first, continuing after the entry
 * id `after` (the platform API's pages).
 */
export async function conflictsSince(
  db: Db,
  workspaceId: string,
  since: Date,
  after: string | null,
  limit: number,
): Promise<ConflictEntry[]> {
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM conflicts
      WHERE workspace_id = $1 AND detected_at >= $2 AND ($3::bigint IS NULL OR id > $3::bigint)
      ORDER BY id LIMIT $4`,
    [workspaceId, since, after, limit],
  );
  return rows.map(entryOf);
}
