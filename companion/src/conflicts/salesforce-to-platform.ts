// Conflicts found while the reverse poller announces a Salesforce change: a both-ways field (rule.ts)
// a person changed in Salesforce that the platform changed too, in a prospect event for that person
// the sync has not written yet (waiting, retrying, deferred). A prospect the sync already wrote was
// compared with Salesforce's value when it was written (platform-to-salesforce.ts), or came before
// the person's edit, which then simply overrides it. No call of its own: the values are the ones the
// poll read.
//
// The winner is honoured here too: a field the platform wins is left out of the event's
// changedFields and its baseline keeps the last value the platform was given, so the platform does
// not overwrite its newer value with Salesforce's older one; its own value reaches Salesforce when
// its event syncs. A field Salesforce wins is announced, and the conflict's entry makes the sync
// leave Salesforce's value alone when the platform's event comes through.
//
// People are found by email here (the match key's platform field in the event): with a phone match
// key, this direction finds none.
import type { Db } from '../db/types.js';
import type { ChangedRow, Decision } from '../reverse/decide.js';
import type { Baseline } from '../reverse/store.js';
import { parseSalesforceDate } from '../reverse/window.js';
import { matchKey } from '../sync/people-events.js';
import type { OrgConfiguration } from '../sync/settings.js';
import { conflictFields, conflictWinner, fieldValue, mapped, type ConflictField } from './rule.js';
import { decisionKey, lastSynced, loggedDecisions, type Conflict } from './store.js';

type Values = Record<string, unknown>;

interface PendingProspect {
  eventId: string;
  at: number;
  email: string;
  fields: Values;
}

export interface ReverseInput {
  changes: Decision['changes'];
  rows: ReadonlyMap<string, ChangedRow>;
  baselines: ReadonlyMap<string, Baseline>;
  /** Per record: values the platform sent through the sync since its baseline (echo.ts). */
  sent: ReadonlyMap<string, Values>;
}

export interface ReverseConflicts {
  /** Per record: fields the platform won, not announced. */
  platformWon: Map<string, Set<string>>;
  entries: Conflict[];
}

/** Prospects for these emails the sync has not written yet, in intake order. */
async function pendingProspects(
  db: Db,
  workspaceId: string,
  emailField: string,
  emails: string[],
): Promise<PendingProspect[]> {
  if (emails.length === 0) return [];
  const { rows } = await db.query<{ event_id: string; time: Date; email: string; fields: Values | null }>(
    `SELECT event_id, time, lower(trim(data->'fields'->>$3)) AS email, data->'fields' AS fields FROM events
      WHERE workspace_id = $1 AND type = 'relay.prospect.upserted'
        AND status IN ('pending', 'processing', 'retrying', 'deferred')
        AND lower(trim(data->'fields'->>$3)) = ANY($2::text[])
      ORDER BY seq`,
    [workspaceId, emails, emailField],
  );
  return rows.map((r) => ({ eventId: r.event_id, at: r.time.getTime(), email: r.email, fields: r.fields ?? {} }));
}

const lower = (fields: readonly string[]) => new Set(fields.map((f) => f.toLowerCase()));

export async function salesforceToPlatform(
  db: Db,
  workspaceId: string,
  config: OrgConfiguration,
  input: ReverseInput,
): Promise<ReverseConflicts> {
  const result: ReverseConflicts = { platformWon: new Map(), entries: [] };
  const key = matchKey(config);
  if (key.kind !== 'email') return result;
  const changes = input.changes.filter((c) => c.kind === 'updated' && c.email && input.baselines.has(c.recordId));
  const prospects = await pendingProspects(db, workspaceId, key.platformField, [
    ...new Set(changes.map((c) => c.email!)),
  ]);
  if (prospects.length === 0) return result;
  const logged = await loggedDecisions(
    db,
    workspaceId,
    changes.map((c) => c.recordId),
  );
  for (const change of changes) {
    const mine = prospects.filter((p) => p.email === change.email);
    const changed = lower(change.changedFields);
    const synced = lastSynced(
      change.recordId,
      input.baselines.get(change.recordId)!.fields,
      input.sent.get(change.recordId),
      logged.settled,
    );
    const row = input.rows.get(change.recordId);
    const salesforceAt = parseSalesforceDate(row?.LastModifiedDate);
    for (const f of conflictFields(config, change.object, key.platformField)) {
      if (!changed.has(f.field.toLowerCase())) continue;
      const prospect = mine.filter((p) => f.platformField in p.fields).at(-1);
      if (!prospect || !Number.isFinite(salesforceAt)) continue;
      const found = compare(f, change, prospect, fieldValue(synced, f.field), salesforceAt, logged.winners);
      if (!found) continue;
      if (found.winner === 'platform')
        result.platformWon.set(change.recordId, (result.platformWon.get(change.recordId) ?? new Set()).add(f.field));
      if (found.log) result.entries.push(found.log);
    }
  }
  return result;
}

function compare(
  f: ConflictField,
  change: Decision['changes'][number],
  prospect: PendingProspect,
  baseline: { known: boolean; value: unknown },
  salesforceAt: number,
  logged: Map<string, 'platform' | 'salesforce'>,
): { winner: 'platform' | 'salesforce'; log?: Conflict } | null {
  const platform = { value: mapped(f, prospect.fields[f.platformField]), at: prospect.at };
  const salesforce = { value: fieldValue(change.fields, f.field).value, at: salesforceAt };
  const decided = logged.get(decisionKey(change.recordId, f.field, platform.value, salesforce.value));
  if (decided) return { winner: decided };
  const winner = conflictWinner(f, baseline, platform, salesforce);
  if (!winner) return null;
  return {
    winner,
    log: {
      recordId: change.recordId,
      object: change.object,
      email: change.email,
      field: f.field,
      direction: f.direction,
      platformValue: platform.value,
      salesforceValue: salesforce.value,
      platformChangedAt: platform.at,
      salesforceChangedAt: salesforce.at,
      winner,
      detectedBy: 'reverse',
      eventId: prospect.eventId,
    },
  };
}

/**
 * The decision without the fields the platform won: out of changedFields (a change left with none
 * is not sent) and out of the baseline write (the baseline keeps what the platform was last given).
 */
export function withoutPlatformWins(
  decision: Decision,
  platformWon: ReadonlyMap<string, ReadonlySet<string>>,
): Decision {
  if (platformWon.size === 0) return decision;
  const dropped = new Set<string>();
  const changes = decision.changes.flatMap((c) => {
    const won = platformWon.get(c.recordId);
    if (!won) return [c];
    const changedFields = c.changedFields.filter((f) => !won.has(f));
    if (changedFields.length === 0) dropped.add(c.recordId);
    return changedFields.length === 0 ? [] : [{ ...c, changedFields }];
  });
  const baselines = decision.baselines.map((b) => {
    const won = platformWon.get(b.recordId);
    if (!won) return b;
    const fields = Object.fromEntries(Object.entries(b.fields).filter(([f]) => !won.has(f)));
    return { ...b, fields, sent: b.sent && !dropped.has(b.recordId) };
  });
  return { ...decision, changes, baselines };
}
