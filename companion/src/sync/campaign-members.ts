// Step 6 of the people sync: a list is linked to a Campaign by the event — `data.campaignId` (a
// Campaign id) or `data.campaignName` (looked up by Name with the people) — and each member becomes
// a CampaignMember with Status "Sent"; an existing membership (DUPLICATE_VALUE) counts as done.
import type { BatchContext } from './batch.js';
import { normalizeName } from './matching.js';
import { createNewRecords, memberKey } from './people-bulk.js';
import type { BatchPerson, PersonEvent } from './people-events.js';
import { withContext } from './people-writes.js';
import { primaryError } from '../errors.js';

interface Member {
  p: BatchPerson;
  record: Record<string, unknown>;
}

export async function addCampaignMembers(
  bc: BatchContext,
  people: Map<string, BatchPerson>,
  campaigns: Map<string, string>,
): Promise<void> {
  if (bc.pause) return;
  const members = [...people.values()].flatMap((p) => membersOf(bc, p, campaigns));
  if (members.length === 0) return;
  const written = await createNewRecords(
    bc,
    members.map((m) => m.record),
    { label: 'create.CampaignMember', keyOf: memberKey },
  );
  if (written.pause) bc.pause = written.pause;
  members.forEach((m, i) => {
    const r = written.results[i];
    if (!r || r.success) return;
    const err = primaryError(r.errors);
    if (err.code === 'DUPLICATE_VALUE') return; // already a member of the campaign
    for (const e of m.p.events)
      if (e.isListMember && !bc.out.has(e.event.seq))
        bc.out.recordError(e.event.seq, withContext(err, 'adding the campaign member'));
  });
}

/** One membership per Campaign a person's list events link to; an unknown Campaign name fails its event. */
function membersOf(bc: BatchContext, p: BatchPerson, campaigns: Map<string, string>): Member[] {
  if (!p.target) return [];
  const members: Member[] = [];
  const seen = new Set<string>();
  for (const e of p.events) {
    if (!e.isListMember || bc.out.has(e.event.seq)) continue;
    const campaignId = campaignOf(bc, e, campaigns);
    if (!campaignId || seen.has(campaignId)) continue;
    seen.add(campaignId);
    const who = p.target.type === 'Lead' ? 'LeadId' : 'ContactId';
    members.push({
      p,
      record: { attributes: { type: 'CampaignMember' }, CampaignId: campaignId, [who]: p.target.id, Status: 'Sent' },
    });
  }
  return members;
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
