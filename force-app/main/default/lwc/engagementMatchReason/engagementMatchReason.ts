// "Why this record matched": which event property tied the platform's person to this Lead,
// Contact or Account, so a rep can trust (or question) what the sidebar shows.
import { LightningElement, api } from 'lwc';
import type { MatchReason } from 'c/relayTypes';

const MATCHED_BY_LABELS: Record<string, string> = {
  email: 'Email',
  phone: 'Phone',
  accountName: 'Account name',
  account: 'Account name',
  domain: 'Email domain',
  recordId: 'Record id',
};

export default class EngagementMatchReason extends LightningElement {
  /** getEngagement's `match`; null when no event has matched the record. */
  @api match: MatchReason | null = null;

  get hasMatch(): boolean {
    return !!this.match;
  }

  get reason(): string {
    return this.match?.reason ?? '';
  }

  get matchedByLabel(): string | null {
    const by = this.match?.matchedBy;
    return by ? (MATCHED_BY_LABELS[by] ?? by) : null;
  }

  get matchedValue(): string | null {
    return this.match?.value ?? null;
  }

  get hasMatchedValue(): boolean {
    return !!this.matchedByLabel && !!this.matchedValue;
  }
}
