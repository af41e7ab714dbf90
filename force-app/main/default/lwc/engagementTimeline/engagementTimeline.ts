// The sidebar's timeline: Relay activities newest first, as an SLDS timeline list.
import { LightningElement, api } from 'lwc';
import type { EngagementItem } from 'c/relayTypes';

export default class EngagementTimeline extends LightningElement {
  /** Timeline entries, newest first (getEngagement's `items`, pages appended). */
  @api items: EngagementItem[] = [];

  /** Passed to each entry: message content is shown only when the org allows it. */
  @api allowContent = false;

  get hasItems(): boolean {
    return (this.items ?? []).length > 0;
  }
}
