// Prospects and list members → Leads, or Contacts + Accounts (placeholder until item 9 lands).
import type { BatchContext } from './batch.js';
import type { LookupNeeds, MatchCache } from './matching.js';
import type { OrgConfiguration } from './settings.js';
import type { StoredEvent } from './types.js';

export const PEOPLE_TYPES: ReadonlySet<string> = new Set(['relay.prospect.upserted', 'relay.list.member.added']);

export function peopleNeeds(
  _cache: MatchCache,
  _events: StoredEvent[],
  _config: OrgConfiguration,
  _needs: LookupNeeds,
  _now: number,
): void {}

export async function syncPeople(bc: BatchContext, events: StoredEvent[]): Promise<void> {
  for (const e of events)
    bc.out.deferred(
      e.seq,
      'NOT_YET_SUPPORTED: prospects and list members are synced by a later version',
      new Date(bc.now + 3_600_000),
    );
}
