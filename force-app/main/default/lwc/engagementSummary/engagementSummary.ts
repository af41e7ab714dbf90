// The sidebar's headline: the engagement signal (hot, warm or cool, the score, the 30-day trend and
// the reason in words, computed by the companion), when the record last engaged, and how many
// visits, documents and messages Relay saw in the last 30 and 90 days.
import { LightningElement, api } from 'lwc';
import { toTimestamp } from 'c/relayFormat';
import { TREND_ICONS, signalBadgeClass, signalLevelLabel, signalTrendText } from 'c/engagementFormat';
import type { EngagementSignal, EngagementSummary as Summary } from 'c/relayTypes';

interface CountRow {
  key: string;
  label: string;
  last30: number;
  last90: number;
}

export default class EngagementSummary extends LightningElement {
  /** The `summary` of RecordSidebarController.getEngagement; null shows zeros. */
  @api summary: Summary | null = null;

  /** The `signal` of RecordSidebarController.getEngagement; null hides the signal line. */
  @api signal: EngagementSignal | null = null;

  get hasSignal(): boolean {
    return !!this.signal;
  }

  get levelLabel(): string {
    return signalLevelLabel(this.signal?.level);
  }

  get levelClass(): string {
    return `relay-signal__level ${signalBadgeClass(this.signal?.level)}`;
  }

  get scoreText(): string {
    return `Score ${this.signal?.score ?? 0} of 100`;
  }

  get trendText(): string | null {
    return signalTrendText(this.signal?.trend);
  }

  get trendIcon(): string {
    return TREND_ICONS[this.signal?.trend ?? ''] ?? 'utility:right';
  }

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
