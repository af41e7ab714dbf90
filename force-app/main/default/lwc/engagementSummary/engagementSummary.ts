// The sidebar's headline numbers: when the person last engaged, and how many visits, documents
// and messages Relay saw in the last 30 and 90 days.
import { LightningElement, api } from 'lwc';
import { toTimestamp } from 'c/relayFormat';
import type { EngagementSummary as Summary } from 'c/relayTypes';

interface CountRow {
  key: string;
  label: string;
  last30: number;
  last90: number;
}

export default class EngagementSummary extends LightningElement {
  /** The `summary` of RecordSidebarController.getEngagement; null shows zeros. */
  @api summary: Summary | null = null;

  get lastActivityAt(): string | null {
    return this.summary?.lastActivityAt ?? null;
  }

  /** lastActivityAt as a timestamp, the only form lightning-relative-date-time accepts. */
  get lastActivityAtTimestamp(): number | null {
    return toTimestamp(this.lastActivityAt);
  }

  get hasActivity(): boolean {
    return !!this.lastActivityAt;
  }

  get rows(): CountRow[] {
    const last30 = this.summary?.last30Days;
    const last90 = this.summary?.last90Days;
    return [
      { key: 'visits', label: 'Visits', last30: last30?.visits ?? 0, last90: last90?.visits ?? 0 },
      { key: 'documents', label: 'Documents viewed', last30: last30?.documents ?? 0, last90: last90?.documents ?? 0 },
      { key: 'messages', label: 'Messages', last30: last30?.messages ?? 0, last90: last90?.messages ?? 0 },
    ];
  }
}
