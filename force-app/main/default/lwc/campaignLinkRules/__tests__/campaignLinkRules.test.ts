import {
  DEFAULT_MEMBER_STATUS,
  MAX_LIST_ID,
  linkProblems,
  linksProblems,
  memberStatusOf,
  nextDeveloperName,
} from 'c/campaignLinkRules';
import { RULE_CASES } from '../../__tests__/ruleCases';

const campaignId = '701000000000001AAA';

describe('c/campaignLinkRules', () => {
  it.each(RULE_CASES.campaignLinks.map((c) => [c.description, c] as const))(
    'the shared case (RelayRuleCases.json, also run by Apex): %s',
    (_description, shared) => {
      expect(linksProblems(shared.links)).toEqual(shared.problems);
    },
  );

  it('accepts a link with a list id and a 15- or 18-character Campaign id', () => {
    expect(linkProblems({ listId: 'newsletter', campaignId, active: true })).toEqual([]);
    expect(linkProblems({ listId: 'newsletter', campaignId: '701000000000001', active: true })).toEqual([]);
  });

  it('names the list, the field and the rule of each problem', () => {
    expect(linkProblems({ listId: '', campaignId: '001000000000001AAA', memberStatus: 'x'.repeat(41) })).toEqual([
      'A link: listId is required.',
      'A link: campaignId must be a Campaign id (15 or 18 characters starting with 701).',
      'A link: memberStatus must be at most 40 characters.',
    ]);
    expect(linkProblems({ listId: 'l'.repeat(MAX_LIST_ID + 1), campaignId })).toEqual([
      `The link of list "${'l'.repeat(MAX_LIST_ID + 1)}": listId must be at most ${MAX_LIST_ID} characters.`,
    ]);
  });

  it('refuses a list linked twice among active links only', () => {
    const link = { listId: 'newsletter', campaignId, active: true };
    expect(linksProblems([link, link])).toEqual([
      'List "newsletter" is linked more than once; a list joins one Campaign.',
    ]);
    expect(linksProblems([link, { ...link, active: false }])).toEqual([]);
  });

  it('reads a blank member status as the default', () => {
    expect(memberStatusOf({ memberStatus: '  ' })).toBe(DEFAULT_MEMBER_STATUS);
    expect(DEFAULT_MEMBER_STATUS).toBe('Sent');
    expect(memberStatusOf({ memberStatus: ' Responded ' })).toBe('Responded');
  });

  it('names a new link Link_<n> with the lowest free n, whatever the case of the names taken', () => {
    expect(nextDeveloperName([])).toBe('Link_1');
    expect(nextDeveloperName(['link_1', 'Link_3'])).toBe('Link_2');
  });
});
