// The sidebar's timeline: Relay activities newest first, under one heading per day, filtered by
// kind (visits, links and spaces, messages and touchpoints). Each entry is one line that opens on
// demand (c-engagement-timeline-item), so a page of twenty fits above "Why this record matched".
import { LightningElement, api } from 'lwc';
import type { EngagementItem } from 'c/relayTypes';
import { TIMELINE_FILTERS, dayHeading, dayKey, matchesFilter, type TimelineFilter } from 'c/engagementFormat';

interface DayGroup {
  key: string;
  heading: string;
  label: string;
  items: EngagementItem[];
}

export default class EngagementTimeline extends LightningElement {
  /** Timeline entries, newest first (getEngagement's `items`, pages appended). */
  @api items: EngagementItem[] = [];

  /** Passed to each entry: message content is shown only when the org allows it. */
  @api allowContent = false;

  filter: TimelineFilter = 'all';

  get hasItems(): boolean {
    return (this.items ?? []).length > 0;
  }

  /** The filter's options, each with how many of the loaded activities it holds. */
  get filters() {
    const items = this.items ?? [];
    return TIMELINE_FILTERS.map((f) => ({
      ...f,
      label: `${f.label} (${items.filter((i) => matchesFilter(i.type, f.value)).length})`,
      selected: f.value === this.filter,
    }));
  }

  get shownItems(): EngagementItem[] {
    return (this.items ?? []).filter((i) => matchesFilter(i.type, this.filter));
  }

  /** Consecutive entries of one local day share a heading; the items come newest first. */
  get groups(): DayGroup[] {
    const now = new Date();
    const groups: DayGroup[] = [];
    for (const item of this.shownItems) {
      const key = dayKey(new Date(item.occurredAt));
      let group = groups[groups.length - 1];
      if (!group || group.key !== key) {
        const heading = dayHeading(item.occurredAt, now);
        group = { key, heading, label: `Relay activity of ${heading}, newest first`, items: [] };
        groups.push(group);
      }
      group.items.push(item);
    }
    return groups;
  }

  get filteredEmpty(): boolean {
    return this.hasItems && this.shownItems.length === 0;
  }

  handleFilter(event: Event): void {
    this.filter = (event.target as HTMLSelectElement).value as TimelineFilter;
  }
}
