// What to tell the platform about the records a poll read: pure rules, no I/O, so each one is unit
// tested on its own.
//
// Relay's own writes are not echoed. getUpdated cannot say who made a change (Change Data Capture's
// `changeOrigin` could, but CDC needs an org-side subscription, counts against a daily event
// allocation and covers 5 entities without the add-on), so the rule reads the record instead:
//  - the record was last modified by the user Relay signs in as (LastModifiedById = the integration
//    user of the session) → Relay's own write: nothing is sent, and the record's current values
//    become its baseline, because the platform caused them (prospect sync, PATCH);
//  - values the platform wrote with PATCH are merged into the baseline the moment Salesforce accepts
//    them (rememberPlatformWrite), so they never appear in a later event's changedFields, whoever
//    edits the record next;
//  - values the platform sent through prospect and list events, which the engine wrote, are left out
//    of changedFields when a person edits the record before the next poll (echo.ts).
// Limits: a person's edit that lands between two polls *before* a Relay write to the same record is
// absorbed with it (the latest modifier is Relay); anything else signed in as the integration user
// (another tool sharing that user, a flow running in Relay's transaction) counts as Relay.
//
// Bulk imports are skipped unless IncludeBulkImports. Salesforce records no "imported" flag, and the
// API client that made a change (Data Loader, Data Import Wizard) is only visible to CDC, so the rule
// is a burst heuristic: a record the platform was never sent whose last change belongs to a burst —
// at least `bulkThreshold` (50) records last modified by one user within one minute, or the minute
// next to such a minute — is treated as imported. Records already sent are always followed (the
// platform knows them and must stay current), whatever the burst. Limits: a slow import (a throttled
// Data Loader run below 50 records a minute) is not recognised; a busy integration that creates many
// records under one user (web-to-lead floods, marketing sync) is taken for an import.
import { pick, readableFields, type PersonObject } from './fields.js';
import { MINUTE_MS, floorMinute, parseSalesforceDate, rfc3339 } from './window.js';
import type { ChangeType, RecordChange } from './cloudevent.js';
import type { Baseline, BaselineWrite, PendingRecord } from './store.js';
import type { OrgConfiguration } from '../sync/settings.js';
import { sameAsSent } from './echo.js';

/** A Contact or Lead as the reverse read returns it (queryAll: deleted ones included). */
export interface ChangedRow {
  Id: string;
  IsDeleted?: boolean;
  CreatedDate?: string;
  CreatedById?: string;
  LastModifiedDate?: string;
  LastModifiedById?: string;
  SystemModstamp?: string;
  Email?: string | null;
  [field: string]: unknown;
}

export interface DecideInput {
  pending: readonly PendingRecord[];
  /** Rows read, by 18-character id. */
  rows: ReadonlyMap<string, ChangedRow>;
  baselines: ReadonlyMap<string, Baseline>;
  config: OrgConfiguration;
  integrationUserId: string;
  watchStartedAt: number;
  /** User id → last burst minute (ms) seen by earlier polls. */
  bulkMinutes: Readonly<Record<string, number>>;
  bulkThreshold: number;
  /** Per record: values the platform itself sent since its baseline (echo.ts). */
  sent?: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
  /** Fallback time (ms) for a change without a date. */
  now: number;
}

/**
 * Why a change was not sent: Relay's own write, a bulk import, nothing mapped changed, already
 * evaluated, gone without a deletion, or the deletion of a record the platform was never told about.
 */
export type SkipReason = 'own' | 'bulk' | 'unchanged' | 'seen' | 'gone' | 'unannounced';

export const NO_SKIPS: Readonly<Record<SkipReason, number>> = {
  own: 0,
  bulk: 0,
  unchanged: 0,
  seen: 0,
  gone: 0,
  unannounced: 0,
};

export interface Decision {
  /** Changes to send (tags still to be filled in). */
  changes: (RecordChange & { email: string | null })[];
  baselines: BaselineWrite[];
  skipped: Record<SkipReason, number>;
  bulkMinutes: Record<string, number>;
}

const isBlank = (v: unknown) => v === null || v === undefined || v === '';

/** JSON-level equality of two field values (Salesforce answers primitives). */
function same(a: unknown, b: unknown): boolean {
  return (a ?? null) === (b ?? null) || JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * Fields whose value differs from what the platform was given. A field the baseline does not know
 * (never sent, newly mapped) counts as changed when it holds a value.
 */
export function changedFields(
  fields: Record<string, unknown>,
  baseline: Record<string, unknown> | undefined,
): string[] {
  return Object.keys(fields).filter((f) =>
    baseline && f in baseline ? !same(fields[f], baseline[f]) : !isBlank(fields[f]),
  );
}

/** Minutes (ms) in which each user changed at least `threshold` of these rows. */
export function burstMinutes(rows: readonly ChangedRow[], threshold: number): Map<string, Set<number>> {
  const counts = new Map<string, number>();
  for (const r of rows) {
    const t = parseSalesforceDate(r.LastModifiedDate);
    if (!r.LastModifiedById || !Number.isFinite(t)) continue;
    const key = `${r.LastModifiedById}|${floorMinute(t)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const bursts = new Map<string, Set<number>>();
  for (const [key, n] of counts) {
    if (n < threshold) continue;
    const [user, minute] = key.split('|') as [string, string];
    if (!bursts.has(user)) bursts.set(user, new Set());
    bursts.get(user)!.add(Number(minute));
  }
  return bursts;
}

function inBurst(
  row: ChangedRow,
  bursts: Map<string, Set<number>>,
  earlier: Readonly<Record<string, number>>,
): boolean {
  const user = row.LastModifiedById;
  const t = parseSalesforceDate(row.LastModifiedDate);
  if (!user || !Number.isFinite(t)) return false;
  const minute = floorMinute(t);
  const mine = bursts.get(user);
  const near = (m: number) => m === minute || m === minute - MINUTE_MS || m === minute + MINUTE_MS;
  if (mine && [...mine].some(near)) return true;
  const last = earlier[user];
  return last !== undefined && near(last);
}

export function decide(input: DecideInput): Decision {
  const skipped: Record<SkipReason, number> = { ...NO_SKIPS };
  const changes: Decision['changes'] = [];
  const baselines: BaselineWrite[] = [];
  const readable: Record<PersonObject, string[]> = {
    Contact: readableFields(input.config, 'Contact'),
    Lead: readableFields(input.config, 'Lead'),
  };
  const own = (r: ChangedRow) => r.LastModifiedById === input.integrationUserId;

  // Alive rows that are not Relay's own and not already evaluated: candidates for the burst rule.
  const alive: { p: PendingRecord; row: ChangedRow }[] = [];
  for (const p of input.pending) {
    const row = input.rows.get(p.recordId);
    const base = input.baselines.get(p.recordId);
    if (row && !row.IsDeleted) {
      const fields = pick(row, readable[p.object]);
      const email = typeof row.Email === 'string' ? row.Email.trim().toLowerCase() : null;
      if (base?.modstamp && row.SystemModstamp && base.modstamp === row.SystemModstamp) {
        skipped.seen += 1;
        continue;
      }
      if (own(row)) {
        skipped.own += 1;
        baselines.push({
          recordId: p.recordId,
          object: p.object,
          fields,
          email,
          sent: false,
          modstamp: row.SystemModstamp ?? null,
          skipped: 'own',
        });
        continue;
      }
      alive.push({ p, row });
      continue;
    }
    // Deleted (queryAll still shows it), or gone from view (purged, hard-deleted): a deletion when
    // getDeleted reported one.
    if ((row && row.IsDeleted) || (!row && p.deletedAt !== null)) {
      if (row && own(row)) {
        skipped.own += 1;
        continue;
      }
      if (base?.skipped === 'bulk' && base.sentAt === null) {
        skipped.bulk += 1;
        continue;
      }
      // A deletion is news only to a platform that was sent the record: anything else (imported,
      // created and deleted between two polls, older than the watch) would arrive as an unknown id
      // with empty fields. Dropped, counted, and the reason kept with the record.
      if (!base || base.sentAt === null) {
        skipped.unannounced += 1;
        baselines.push({
          recordId: p.recordId,
          object: p.object,
          fields: {},
          sent: false,
          modstamp: row?.SystemModstamp ?? null,
          skipped: 'unannounced',
        });
        continue;
      }
      const known = base.fields;
      const fields: Record<string, unknown> = {};
      for (const f of readable[p.object]) if (f in known) fields[f] = known[f] ?? null;
      changes.push({
        object: p.object,
        kind: 'deleted',
        recordId: p.recordId,
        time: p.deletedAt !== null ? new Date(p.deletedAt).toISOString() : rfc3339(row?.LastModifiedDate, input.now),
        fields,
        changedFields: [],
        tags: [],
        email: base.email,
      });
      baselines.push({
        recordId: p.recordId,
        object: p.object,
        fields: {},
        sent: true,
        modstamp: row?.SystemModstamp ?? null,
        skipped: null,
      });
      continue;
    }
    skipped.gone += 1;
  }

  const bursts = burstMinutes(
    alive.map((a) => a.row),
    input.bulkThreshold,
  );
  const bulkMinutes: Record<string, number> = {};
  // Keep an hour of burst memory: enough for the next poll to see an import that spans its start.
  for (const [user, minute] of Object.entries(input.bulkMinutes))
    if (minute >= floorMinute(input.now) - 60 * MINUTE_MS) bulkMinutes[user] = minute;
  for (const [user, minutes] of bursts) bulkMinutes[user] = Math.max(bulkMinutes[user] ?? 0, ...minutes);

  for (const { p, row } of alive) {
    const base = input.baselines.get(p.recordId);
    const fields = pick(row, readable[p.object]);
    const email = typeof row.Email === 'string' ? row.Email.trim().toLowerCase() : null;
    const neverSent = !base || base.sentAt === null;
    if (neverSent && !input.config.settings.IncludeBulkImports && inBurst(row, bursts, input.bulkMinutes)) {
      skipped.bulk += 1;
      baselines.push({
        recordId: p.recordId,
        object: p.object,
        fields,
        email,
        sent: false,
        modstamp: row.SystemModstamp ?? null,
        skipped: 'bulk',
      });
      continue;
    }
    let kind: ChangeType = 'updated';
    const created = parseSalesforceDate(row.CreatedDate);
    if (
      neverSent &&
      Number.isFinite(created) &&
      created >= input.watchStartedAt &&
      row.CreatedById !== input.integrationUserId
    )
      kind = 'created';
    // A new record is announced with every field that has a value; otherwise what differs from the
    // values the platform was last given (a bulk-skipped record's import values were never given).
    const known = base && base.skipped !== 'bulk' ? base.fields : undefined;
    const sent = input.sent?.get(p.recordId);
    const changed =
      kind === 'created'
        ? changedFields(fields, undefined)
        : changedFields(fields, known).filter((f) => !(sent && f in sent && sameAsSent(f, fields[f], sent[f])));
    if (kind !== 'created' && changed.length === 0) {
      skipped.unchanged += 1;
      baselines.push({
        recordId: p.recordId,
        object: p.object,
        fields,
        email,
        sent: false,
        modstamp: row.SystemModstamp ?? null,
        skipped: base?.skipped ?? null,
      });
      continue;
    }
    changes.push({
      object: p.object,
      kind,
      recordId: p.recordId,
      time: rfc3339(row.SystemModstamp ?? row.LastModifiedDate, input.now),
      fields,
      changedFields: changed,
      tags: [],
      email,
    });
    baselines.push({
      recordId: p.recordId,
      object: p.object,
      fields,
      email,
      sent: true,
      modstamp: row.SystemModstamp ?? null,
      skipped: null,
    });
  }
  return { changes, baselines, skipped, bulkMinutes };
}
