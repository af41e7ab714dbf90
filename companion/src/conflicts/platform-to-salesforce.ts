// Conflicts found while the people sync writes a prospect's values on a person Salesforce already
// has: a both-ways field (rule.ts) the prospect changes that Salesforce also changed since Relay last
// synced it. No call of its own: Salesforce's values and LastModifiedDate come from the people
// lookup the sync makes anyway.
//
// "Last synced" is what reverse sync already keeps — the record's baseline (reverse_records: what the
// platform was last given) with the values the platform sent through the sync since (echo.ts) on
// top — never a second copy. A field Salesforce alone changed (the prospect still sends the value
// last synced) keeps Salesforce's value, unlogged: the most recent change is Salesforce's, and only
// one side changed. A record last modified by Relay's integration user holds Relay's own
// write (the platform's values): nothing there conflicts. List sign-ups never overwrite a known
// person (Salesforce always wins them), so only prospects are compared.
import type { BatchContext } from '../sync/batch.js';
import type { BatchPerson, MatchKey, PersonEvent } from '../sync/people-events.js';
import { platformSent } from '../reverse/echo.js';
import { loadBaselines } from '../reverse/store.js';
import { parseSalesforceDate } from '../reverse/window.js';
import {
  conflictFields,
  conflictWinner,
  fieldValue,
  mapped,
  onlySalesforceChanged,
  type ConflictField,
} from './rule.js';
import { decisionKey, lastSynced, loggedDecisions, type Conflict } from './store.js';

type Values = Record<string, unknown>;

/** What the sync does about conflicts: fields left as Salesforce has them, and the log entries. */
export interface SyncConflicts {
  /** Per person: fields whose Salesforce value won, left out of the update. */
  keep: Map<BatchPerson, Set<string>>;
  /** Per person: the entries to log once the person's write succeeded. */
  entries: Map<BatchPerson, Conflict[]>;
}

/** The prospect event that last set the field (events are in intake order). */
function lastProspectSetting(p: BatchPerson, platformField: string): PersonEvent | undefined {
  return p.events.filter((e) => !e.isListMember && platformField in e.fields).at(-1);
}

/** Known people of this batch whose prospects might conflict with Salesforce's values. */
function candidates(bc: BatchContext, people: Map<string, BatchPerson>): BatchPerson[] {
  const relay = bc.client.session?.userId;
  return [...people.values()].filter(
    (p) =>
      p.target?.current &&
      !p.target.created &&
      p.target.current.LastModifiedById !== relay &&
      p.events.some((e) => !e.isListMember && !bc.out.has(e.event.seq)),
  );
}

export async function platformToSalesforce(
  bc: BatchContext,
  people: Map<string, BatchPerson>,
  key: MatchKey,
): Promise<SyncConflicts> {
  const result: SyncConflicts = { keep: new Map(), entries: new Map() };
  const found = candidates(bc, people);
  if (found.length === 0) return result;
  const records = found.map((p) => ({ recordId: p.target!.id, object: p.target!.type }));
  const ids = records.map((r) => r.recordId);
  const [baselines, sent, logged] = await Promise.all([
    loadBaselines(bc.db, bc.workspaceId, ids),
    platformSent(bc.db, bc.workspaceId, bc.config, records),
    loggedDecisions(bc.db, bc.workspaceId, ids),
  ]);
  for (const p of found) {
    const id = p.target!.id;
    const synced = lastSynced(id, baselines.get(id)?.fields, sent.get(id), logged.settled);
    for (const f of conflictFields(bc.config, p.target!.type, key.platformField)) {
      const entry = compare(p, f, synced, logged.winners);
      if (!entry) continue;
      if (entry.winner === 'salesforce') result.keep.set(p, (result.keep.get(p) ?? new Set()).add(f.field));
      if (entry.log) result.entries.set(p, [...(result.entries.get(p) ?? []), entry.log]);
    }
  }
  return result;
}

/** One field of one person: the winner, and the entry to log unless the conflict is logged already. */
function compare(
  p: BatchPerson,
  f: ConflictField,
  synced: Values,
  logged: Map<string, 'platform' | 'salesforce'>,
): { winner: 'platform' | 'salesforce'; log?: Conflict } | null {
  const event = lastProspectSetting(p, f.platformField);
  if (!event) return null;
  const target = p.target!;
  const platform = { value: mapped(f, event.fields[f.platformField]), at: Date.parse(event.event.time) };
  const salesforce = {
    value: fieldValue(target.current, f.field).value,
    at: parseSalesforceDate(target.current!.LastModifiedDate),
  };
  if (!Number.isFinite(platform.at) || !Number.isFinite(salesforce.at)) return null;
  const decided = logged.get(decisionKey(target.id, f.field, platform.value, salesforce.value));
  if (decided) return { winner: decided };
  const baseline = fieldValue(synced, f.field);
  if (onlySalesforceChanged(f, baseline, platform.value, salesforce.value)) return { winner: 'salesforce' };
  const winner = conflictWinner(f, baseline, platform, salesforce);
  if (!winner) return null;
  const email = typeof target.current!.Email === 'string' ? target.current!.Email.toLowerCase() : null;
  return {
    winner,
    log: {
      recordId: target.id,
      object: target.type,
      email,
      field: f.field,
      direction: f.direction,
      platformValue: platform.value,
      salesforceValue: salesforce.value,
      platformChangedAt: platform.at,
      salesforceChangedAt: salesforce.at,
      winner,
      detectedBy: 'sync',
      eventId: event.event.id,
    },
  };
}
