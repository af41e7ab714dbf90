// Prospects (`relay.prospect.upserted`) and list members (`relay.list.member.added`) → Leads, or
// Contacts with their Accounts (RecordMode), through the org's active field mappings. A known
// person is updated, never duplicated. The steps, each in its own module:
//  1. read the events and group them by person, by the match key (people-events.ts);
//  2. one lookup Composite: people by key, Accounts by company, Campaigns by name (people-lookup.ts);
//  3. the known people matched as activities match them (people-lookup.ts);
//  3b. every record about to be written checked against the org's describe; a person Salesforce
//     would refuse is quarantined with the field and the rule, before any write (people-validate.ts);
//  4. ContactAccount mode: Accounts for the new Contacts (people-writes.ts);
//  5. the person writes — updates, then creates, honouring the duplicate rules (people-writes.ts,
//     person-create.ts);
//  6. CampaignMembers for list members of a linked list (campaign-members.ts);
//  7. outcomes, and the people facts the sidebar reads (people-store.ts).
// Before the writes, conflicts: a both-ways field the platform and Salesforce both changed since
// Relay last synced it is logged, and left as Salesforce has it when Salesforce wins
// (src/conflicts/).
//
// Calls per batch of people: one lookup Composite, one for new Accounts (ContactAccount mode
// only), one Composite for the person writes, one for new campaign memberships; a write of more new
// records than RELAY_PEOPLE_BULK_THRESHOLD is a Bulk API 2.0 job instead (people-bulk.ts).
import type { StoredEvent } from '../queue/batch.js';
import type { BatchContext } from './batch.js';
import { addCampaignMembers } from './campaign-members.js';
import { groupPeople, matchKey, type BatchPerson, type MatchKey } from './people-events.js';
import { lookUpPeople } from './people-lookup.js';
import { recordPeople, type PersonFact } from './people-store.js';
import { noteWriteErrors, prevalidatePeople } from './people-validate.js';
import { createAccounts, writePeople } from './people-writes.js';
import { platformToSalesforce, type SyncConflicts } from '../conflicts/platform-to-salesforce.js';
import { recordConflicts } from '../conflicts/store.js';

export async function syncPeople(bc: BatchContext, events: StoredEvent[]): Promise<void> {
  if (events.length === 0) return;
  const key = matchKey(bc.config);
  const people = groupPeople(bc, events, key);
  if (people.size === 0) return;
  const campaigns = await lookUpPeople(bc, people, key);
  const checked = await prevalidatePeople(bc, people, key);
  if (bc.pause) return;
  if (bc.config.settings.RecordMode === 'ContactAccount') await createAccounts(bc, people);
  if (bc.pause) return;
  const conflicts = await platformToSalesforce(bc, people, key);
  await writePeople(bc, people, key, conflicts.keep);
  noteWriteErrors(bc, people, checked);
  await logConflicts(bc, conflicts);
  const memberships = await addCampaignMembers(bc, people, campaigns);
  recordSynced(bc, people, memberships);
  await recordPeople(bc.db, bc.workspaceId, peopleFacts(people, key.kind));
}

/** The conflicts of the people whose write went through (a failed one is found again on retry). */
async function logConflicts(bc: BatchContext, conflicts: SyncConflicts): Promise<void> {
  if (bc.pause) return;
  const written = [...conflicts.entries].filter(([p]) => p.target && !p.events.some((e) => bc.out.has(e.event.seq)));
  await recordConflicts(
    bc.db,
    bc.workspaceId,
    written.flatMap(([, entries]) => entries),
  );
}

/** Every event of a person with a record and no outcome yet is synced to that record (and its new membership). */
function recordSynced(bc: BatchContext, people: Map<string, BatchPerson>, memberships: Map<string, string>): void {
  for (const p of people.values()) {
    for (const e of p.events) {
      if (bc.out.has(e.event.seq) || !p.target) continue;
      bc.out.synced(e.event.seq, {
        recordId: p.target.id,
        recordType: p.target.type,
        created: p.target.created,
        matchReason: p.target.reason,
        ...(p.accountId ? { accountId: p.accountId } : {}),
        ...(memberships.has(e.event.seq) ? { campaignMemberId: memberships.get(e.event.seq) } : {}),
      });
    }
  }
}

function tagsOf(p: BatchPerson): string[] {
  return p.events.flatMap((e) => {
    const t = e.fields.tags;
    return typeof t === 'string'
      ? t
          .split(/[,;]/)
          .map((x) => x.trim())
          .filter(Boolean)
      : [];
  });
}

/** What the sidebar knows of each person (by email: people matched by phone are not listed). */
function peopleFacts(people: Map<string, BatchPerson>, kind: MatchKey['kind']): PersonFact[] {
  if (kind !== 'email') return [];
  return [...people.values()].map((p) => {
    const tags = tagsOf(p);
    const lastSeen = p.events
      .map((e) => e.fields.lastSeenAt)
      .find((v): v is string => typeof v === 'string' && !Number.isNaN(Date.parse(v)));
    const prospectId = p.events.find((e) => e.prospectId)?.prospectId;
    return {
      email: p.key,
      ...(p.target
        ? { recordId: p.target.id, recordType: p.target.type, matchReason: p.target.reason, matchedBy: kind }
        : {}),
      ...(p.accountId ? { accountId: p.accountId } : {}),
      lists: p.events.flatMap((e) => (e.listName ? [e.listName] : [])),
      ...(tags.length ? { tags: [...new Set(tags)] } : {}),
      ...(lastSeen ? { lastSeenAt: new Date(lastSeen).toISOString() } : {}),
      ...(prospectId ? { prospectId } : {}),
    };
  });
}
