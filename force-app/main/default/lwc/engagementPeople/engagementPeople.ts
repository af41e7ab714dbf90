// "Who engaged" on an Account page: the Contacts and Leads of the account Relay has activity for,
// most recently active first, each with their latest activity and a link to their record, so a rep
// knows whom to call. The list comes in the same getEngagement answer as the rest of the sidebar.
import { LightningElement, api } from 'lwc';
import { activityLabel } from 'c/relayFormat';
import { relativeTime } from 'c/engagementFormat';
import type { EngagedPerson } from 'c/relayTypes';

interface PersonRow {
  key: string;
  url: string;
  name: string;
  detail: string;
  latest: string;
  count: string;
}

export default class EngagementPeople extends LightningElement {
  /** getEngagement's `people` (Account pages only); null or empty says nobody engaged yet. */
  @api people: EngagedPerson[] | null = null;

  get hasPeople(): boolean {
    return (this.people ?? []).length > 0;
  }

  get rows(): PersonRow[] {
    const now = new Date();
    return (this.people ?? []).map((p) => ({
      key: p.recordId,
      url: `/lightning/r/${p.recordId}/view`,
      // The name comes from Salesforce (the Apex reads it with the user's access), the email from
      // the platform; either may be missing.
      name: p.name || p.email || p.recordId,
      detail: [p.objectName ?? 'Record', p.name ? p.email : null].filter(Boolean).join(' · '),
      latest: `${activityLabel(p.lastActivityType)}, ${relativeTime(p.lastActivityAt, now)}`,
      count: p.activities === 1 ? '1 activity' : `${p.activities} activities`,
    }));
  }
}
