// The admin's links between platform lists and Salesforce Campaigns (relay__ListCampaignLink__mdt),
// read with the rest of the org's configuration: a sign-up to a linked list joins the Campaign with
// the link's member status. The rules a link must meet are the package's (the LWC module
// campaignLinkRules, which the Setup page and Apex's ListCampaignLinkController follow too), so a
// link the Setup page refused is never honoured here either; it is reported instead.
import { packageModule } from './package-module.js';

/** What the companion uses of force-app/main/default/lwc/campaignLinkRules. */
export interface CampaignLinkRulesModule {
  readonly DEFAULT_MEMBER_STATUS: string;
  linkProblems(link: {
    listId?: string;
    campaignId?: string;
    memberStatus?: string | null;
    active?: boolean;
  }): string[];
  memberStatusOf(link: { memberStatus?: string | null }): string;
  linksProblems(
    links: ReadonlyArray<{ listId?: string; campaignId?: string; memberStatus?: string | null; active?: boolean }>,
  ): string[];
  nextDeveloperName(taken: ReadonlyArray<string>): string;
}

export const campaignLinkRules = await packageModule<CampaignLinkRulesModule>('campaignLinkRules');

/** An active link, as the people sync uses it. */
export interface ListCampaignLink {
  developerName: string;
  listId: string;
  campaignId: string;
  memberStatus: string;
}

/** One relay__ListCampaignLink__mdt record as SOQL returns it. */
export interface ListCampaignLinkRecord {
  DeveloperName: string;
  relay__PlatformListId__c?: string | null;
  relay__CampaignId__c?: string | null;
  relay__MemberStatus__c?: string | null;
  relay__Active__c?: boolean | null;
}

export const LIST_CAMPAIGN_LINK_SOQL =
  'SELECT DeveloperName, relay__PlatformListId__c, relay__CampaignId__c, relay__MemberStatus__c, relay__Active__c FROM relay__ListCampaignLink__mdt';

/**
 * The active links that meet the rules, plus a problem per record that does not (shown on the status
 * page). A list linked twice keeps the link whose DeveloperName sorts first, so every reading agrees.
 */
export function resolveLinks(records: readonly ListCampaignLinkRecord[]): {
  links: ListCampaignLink[];
  problems: string[];
} {
  const links: ListCampaignLink[] = [];
  const problems: string[] = [];
  const sorted = [...records].sort((a, b) => a.DeveloperName.localeCompare(b.DeveloperName));
  for (const r of sorted) {
    if (r.relay__Active__c === false) continue;
    const link = {
      listId: (r.relay__PlatformListId__c ?? '').trim(),
      campaignId: (r.relay__CampaignId__c ?? '').trim(),
      memberStatus: r.relay__MemberStatus__c ?? null,
    };
    const wrong = campaignLinkRules.linkProblems(link);
    if (wrong.length > 0) {
      problems.push(...wrong.map((p) => `list campaign link ${r.DeveloperName}: ${p}`));
      continue;
    }
    if (links.some((l) => l.listId === link.listId)) {
      problems.push(`list campaign link ${r.DeveloperName}: list "${link.listId}" is linked by an earlier record`);
      continue;
    }
    links.push({ ...link, developerName: r.DeveloperName, memberStatus: campaignLinkRules.memberStatusOf(link) });
  }
  return { links, problems };
}

/** The link of a platform list, if the admin made one. */
export function linkOfList(
  links: readonly ListCampaignLink[],
  listId: string | undefined,
): ListCampaignLink | undefined {
  return listId === undefined ? undefined : links.find((l) => l.listId === listId);
}
