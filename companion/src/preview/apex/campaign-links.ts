// ListCampaignLinkController for the preview: the org's relay__ListCampaignLink__mdt records with
// their Campaigns' names, Campaigns searched by name, and saving the links shown as the Apex does
// (checked with the package's campaignLinkRules, new links named Link_<n>, links no longer shown
// deactivated, deployed through the Metadata API).
import type { CampaignOption, ListCampaignLinkRow } from 'c/relayTypes';
import { campaignLinkRules } from '../../sync/campaign-links.js';
import { soqlString } from '../../salesforce/soql.js';
import { DEPLOYMENT_CHANNEL } from '../events.js';
import type { CustomMetadataRecord, PreviewOrg } from '../org.js';
import { AuraHandledException, toAuraError } from './aura-error.js';
import type { ApexAdapter } from './context.js';
import { enqueueDeployment, SUBJECT_CAMPAIGN_LINKS } from './deploy.js';

const MAX_RESULTS = 20;
const MAX_SEARCH = 80;
const MAX_LABEL = 40;

interface LinkRecord extends Record<string, unknown> {
  DeveloperName: string;
  QualifiedApiName: string;
  MasterLabel: string;
  relay__PlatformListId__c: string | null;
  relay__CampaignId__c: string | null;
  relay__MemberStatus__c: string | null;
  relay__Active__c: boolean;
}

interface Link {
  developerName: string | null;
  listId: string;
  campaignId: string;
  memberStatus: string | null;
  active: boolean;
}

function linkRecords(org: PreviewOrg): Promise<LinkRecord[]> {
  return org.query<LinkRecord>(
    'SELECT DeveloperName, QualifiedApiName, MasterLabel, relay__PlatformListId__c, relay__CampaignId__c, ' +
      'relay__MemberStatus__c, relay__Active__c FROM relay__ListCampaignLink__mdt ORDER BY DeveloperName',
  );
}

function linkOf(r: LinkRecord): Link {
  return {
    developerName: r.DeveloperName,
    listId: r.relay__PlatformListId__c ?? '',
    campaignId: r.relay__CampaignId__c ?? '',
    memberStatus: r.relay__MemberStatus__c,
    active: r.relay__Active__c !== false,
  };
}

async function campaignNames(org: PreviewOrg, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await org.query<{ Id: string; Name: string }>(
    `SELECT Id, Name FROM Campaign WHERE Id IN (${ids.map(soqlString).join(', ')})`,
  );
  // Ids compare by their first 15 characters (a link may hold either form).
  return new Map(rows.map((r) => [r.Id.slice(0, 15), r.Name]));
}

export const getLinks: ApexAdapter = async ({ org }) => {
  try {
    const links = (await linkRecords(org)).map(linkOf);
    const valid = links.filter((l) => campaignLinkRules.linkProblems(l).length === 0);
    const names = await campaignNames(
      org,
      valid.map((l) => l.campaignId),
    );
    const rows: ListCampaignLinkRow[] = links.map((l) => ({
      developerName: l.developerName,
      listId: l.listId,
      campaignId: l.campaignId,
      campaignName: names.get(l.campaignId.slice(0, 15)) ?? null,
      memberStatus: campaignLinkRules.memberStatusOf(l),
      active: l.active,
    }));
    return { links: rows, defaultMemberStatus: campaignLinkRules.DEFAULT_MEMBER_STATUS };
  } catch (error) {
    throw toAuraError(error, 'load the list campaign links');
  }
};

export const searchCampaigns: ApexAdapter = async ({ org }, params): Promise<CampaignOption[]> => {
  try {
    const term = typeof params.searchTerm === 'string' ? params.searchTerm.trim().slice(0, MAX_SEARCH) : '';
    // % and _ a person types are searched for as themselves, as the Apex does: escaped inside the
    // literal, after its quotes and backslashes are.
    const escaped = soqlString(term)
      .slice(1, -1)
      .replace(/[%_]/g, (c) => `\\${c}`);
    const pattern = `'%${escaped}%'`;
    const rows = await org.query<{ Id: string; Name: string; IsActive: boolean }>(
      `SELECT Id, Name, IsActive FROM Campaign WHERE Name LIKE ${pattern} ORDER BY Name LIMIT ${MAX_RESULTS}`,
    );
    return rows.map((r) => ({ id: r.Id, name: r.Name, isActive: r.IsActive }));
  } catch (error) {
    throw toAuraError(error, 'search the Campaigns');
  }
};

function parseLinks(linksJson: unknown): Link[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof linksJson === 'string' ? linksJson : '');
  } catch (error) {
    throw new AuraHandledException(`The links are not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new AuraHandledException('The links must be a JSON list.');
  return parsed.map((item: unknown) => {
    if (!item || typeof item !== 'object' || Array.isArray(item))
      throw new AuraHandledException('Each link must be a JSON object.');
    const e = item as Record<string, unknown>;
    const text = (v: unknown) => (v === null || v === undefined ? null : String(v).trim());
    return {
      developerName: text(e.developerName),
      listId: text(e.listId) ?? '',
      campaignId: text(e.campaignId) ?? '',
      memberStatus: text(e.memberStatus),
      active: e.active !== false,
    };
  });
}

function linkRecord(link: Link, existing: LinkRecord | undefined): CustomMetadataRecord {
  return {
    fullName: `relay__ListCampaignLink.${existing ? existing.QualifiedApiName : link.developerName}`,
    label: existing ? existing.MasterLabel : `List ${link.listId}`.slice(0, MAX_LABEL).trim(),
    protected: false,
    values: [
      { field: 'relay__PlatformListId__c', value: link.listId },
      { field: 'relay__CampaignId__c', value: link.campaignId },
      { field: 'relay__MemberStatus__c', value: campaignLinkRules.memberStatusOf(link) },
      { field: 'relay__Active__c', value: link.active },
    ],
  };
}

/** MetadataDeployService.buildCampaignLinkContainer. */
function container(links: Link[], records: LinkRecord[]): CustomMetadataRecord[] {
  const existing = new Map(records.map((r) => [r.DeveloperName.toLowerCase(), r]));
  const taken = [...existing.keys()];
  const out: CustomMetadataRecord[] = [];
  for (const link of links) {
    const record = link.developerName ? existing.get(link.developerName.toLowerCase()) : undefined;
    if (record) existing.delete(record.DeveloperName.toLowerCase());
    else {
      link.developerName = campaignLinkRules.nextDeveloperName(taken);
      taken.push(link.developerName.toLowerCase());
    }
    out.push(linkRecord(link, record));
  }
  for (const dropped of existing.values())
    if (dropped.relay__Active__c) out.push(linkRecord({ ...linkOf(dropped), active: false }, dropped));
  return out;
}

export const saveLinks: ApexAdapter = async (ctx, params) => {
  try {
    const links = parseLinks(params.linksJson);
    let problems = campaignLinkRules.linksProblems(links);
    if (problems.length === 0) {
      const active = links.filter((l) => l.active);
      const names = await campaignNames(
        ctx.org,
        active.map((l) => l.campaignId),
      );
      problems = active
        .filter((l) => !names.has(l.campaignId.slice(0, 15)))
        .map((l) => `The link of list "${l.listId}": campaignId ${l.campaignId} is not a Campaign you can see.`);
    }
    if (problems.length) throw new AuraHandledException(`The links were not saved:\n• ${problems.join('\n• ')}`);
    const records = container(links, await linkRecords(ctx.org));
    return { jobId: enqueueDeployment(ctx, SUBJECT_CAMPAIGN_LINKS, records), channel: DEPLOYMENT_CHANNEL };
  } catch (error) {
    throw toAuraError(error, 'save the list campaign links');
  }
};
