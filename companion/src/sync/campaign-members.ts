// Step 6 of the people sync: a list is linked to a Campaign by the event — `data.campaignId` (a
// Campaign id) or `data.campaignName` (looked up by Name with the people) — and each member becomes
// a CampaignMember with Status "Sent"; an existing membership (DUPLICATE_VALUE) counts as done.
// The id of each membership created is answered per list event (its outcome names it; an existing
// membership's id is not known without another call, so none is named then).
import type { BatchContext } from './batch.js';
import { normalizeName } from './matching.js';
import { createNewRecords, memberKey } from './people-bulk.js';
import type { BatchPerson, PersonEvent } from './people-events.js';
import { withContext } from './people-writes.js';
import { primaryError } from '../errors.js';

interface Member {
  p: BatchPerson;
  record: Record<string, unknown>;
  /** The list events that asked for this membership. */
  seqs: string[];
}

/** The CampaignMember ids created, by the seq of the list event that asked for each. */
export async function addCampaignMembers(
  bc: BatchContext,
  people: Map<string, BatchPerson>,
  campaigns: Map<string, string>,
): Promise<Map<string, string>> {
  const created = new Map<string, string>();
  if (bc.pause) return created;
  const members = [...people.values()].flatMap((p) => membersOf(bc, p, campaigns));
  if (members.length === 0) return created;
  const written = await createNewRecords(
    bc,
    members.map((m) => m.record),
    { label: 'create.CampaignMember', keyOf: memberKey },
  );
  if (written.pause) bc.pause = written.pause;
  members.forEach((m, i) => {
    const r = written.results[i];
    if (r?.success && r.id) for (const seq of m.seqs) created.set(seq, r.id);
    if (!r || r.success) return;
    const err = primaryError(r.errors);
    if (err.code === 'DUPLICATE_VALUE') return; // already a member of the campaign
    for (const e of m.p.events)
      if (e.isListMember && !bc.out.has(e.event.seq))
        bc.out.recordError(e.event.seq, withContext(err, 'adding the campaign member'));
  });
  return created;
}

/** One membership per Campaign a person's list events link to; an unknown Campaign name fails its event. */
function membersOf(bc: BatchContext, p: BatchPerson, campaigns: Map<string, string>): Member[] {
  if (!p.target) return [];
  const members = new Map<string, Member>();
  for (const e of p.events) {
    if (!e.isListMember || bc.out.has(e.event.seq)) continue;
    const campaignId = campaignOf(bc, e, campaigns);
    if (!campaignId) continue;
    const known = members.get(campaignId);
    if (known) {
      known.seqs.push(e.event.seq);
      continue;
    }
    const who = p.target.type === 'Lead' ? 'LeadId' : 'ContactId';
    members.set(campaignId, {
      p,
      record: { attributes: { type: 'CampaignMember' }, CampaignId: campaignId, [who]: p.target.id, Status: 'Sent' },
      seqs: [e.event.seq],
    });
  }
  return [...members.values()];
}

function campaignOf(bc: BatchContext, e: PersonEvent, campaigns: Map<string, string>): string | undefined {
  const campaignId = e.campaignId ?? (e.campaignName ? campaigns.get(normalizeName(e.campaignName)) : undefined);
  if (e.campaignName && !campaignId)
    bc.out.failed(
      e.event.seq,
      'configuration',
      'CAMPAIGN_NOT_FOUND',
      `no Campaign is named '${e.campaignName}' (the list's campaignName)`,
      'campaignName',
    );
  return campaignId;
}
