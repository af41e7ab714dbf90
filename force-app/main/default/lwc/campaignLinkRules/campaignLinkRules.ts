// What a link between a platform list and a Salesforce Campaign (ListCampaignLink__mdt) may hold:
// the Setup page (listCampaignLinks), the preview and the companion read a link with these rules,
// and Apex (ListCampaignLinkController) checks a save with the same ones — the same limits, the
// same messages. `npm run check:parity` compares the constants with the Apex ones and with the
// field lengths of the metadata.
//
// No imports: the companion loads this file as it is, at run time.

/** CampaignMember Status given when a link names none (the status a new campaign member usually starts with). */
export const DEFAULT_MEMBER_STATUS = 'Sent';

/** Longest platform list id (PlatformListId__c is a Text(255) field). */
export const MAX_LIST_ID = 255;

/** Longest member status (MemberStatus__c is a Text(40) field, as CampaignMember.Status). */
export const MAX_MEMBER_STATUS = 40;

/** A Campaign id: key prefix 701, 15 or 18 characters. */
export const CAMPAIGN_ID_PATTERN = '^701[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$';

/** Most links a save may hold: far above what an org needs, a bound on one deployment. */
export const MAX_LINKS = 200;

/** DeveloperNames of new links: `Link_1`, `Link_2`, … (the lowest numbers not taken). */
export const DEVELOPER_NAME_PREFIX = 'Link_';

/** A link as the Setup page, Apex and the companion exchange it. */
export interface CampaignLink {
  /** The record's DeveloperName; blank for a link not saved yet. */
  developerName?: string | null;
  listId: string;
  campaignId: string;
  /** Blank: DEFAULT_MEMBER_STATUS. */
  memberStatus?: string | null;
  active: boolean;
}

const CAMPAIGN_ID = new RegExp(CAMPAIGN_ID_PATTERN);

function trimmed(value: unknown): string {
  return value === null || value === undefined ? '' : String(value).trim();
}

/** The member status a link gives: its own, or DEFAULT_MEMBER_STATUS when blank. */
export function memberStatusOf(link: { memberStatus?: string | null }): string {
  const status = trimmed(link.memberStatus);
  return status === '' ? DEFAULT_MEMBER_STATUS : status;
}

/** What is wrong with one link, each message naming the list, the field and the rule; empty when fine. */
export function linkProblems(link: Partial<CampaignLink>): string[] {
  const listId = trimmed(link.listId);
  const name = listId === '' ? 'A link' : `The link of list "${listId}"`;
  const problems: string[] = [];
  if (listId === '') problems.push(`${name}: listId is required.`);
  else if (listId.length > MAX_LIST_ID) problems.push(`${name}: listId must be at most ${MAX_LIST_ID} characters.`);
  if (!CAMPAIGN_ID.test(trimmed(link.campaignId)))
    problems.push(`${name}: campaignId must be a Campaign id (15 or 18 characters starting with 701).`);
  if (trimmed(link.memberStatus).length > MAX_MEMBER_STATUS)
    problems.push(`${name}: memberStatus must be at most ${MAX_MEMBER_STATUS} characters.`);
  return problems;
}

/** What is wrong with a set of links to save: each link's problems, and a list linked twice. */
export function linksProblems(links: ReadonlyArray<Partial<CampaignLink>>): string[] {
  const problems = links.flatMap(linkProblems);
  if (links.length > MAX_LINKS) problems.push(`At most ${MAX_LINKS} links can be saved; there are ${links.length}.`);
  const seen = new Set<string>();
  for (const link of links) {
    const listId = trimmed(link.listId);
    if (link.active === false || listId === '') continue;
    if (seen.has(listId)) problems.push(`List "${listId}" is linked more than once; a list joins one Campaign.`);
    seen.add(listId);
  }
  return problems;
}

/** The next DeveloperName for a new link: `Link_<n>` with the lowest n no existing name holds. */
export function nextDeveloperName(taken: ReadonlyArray<string>): string {
  const names = new Set(taken.map((n) => n.toLowerCase()));
  let n = 1;
  while (names.has(`${DEVELOPER_NAME_PREFIX}${n}`.toLowerCase())) n += 1;
  return `${DEVELOPER_NAME_PREFIX}${n}`;
}
