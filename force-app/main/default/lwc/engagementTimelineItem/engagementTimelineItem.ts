// One entry of the sidebar's timeline, one line high: icon, short title and how long ago, plus the
// sync state only when it needs attention (pending, retrying, failed). The title is a button that
// opens the details: for a document visit the document, duration, share viewed and the link to the
// full statistics; for a link or space its visitors; for a message or touchpoint the channel,
// subject and the content only when the org allows it. Twenty synced lines fit one screen.
import { LightningElement, api } from 'lwc';
import { relativeTime } from 'c/engagementFormat';
import type { EngagementItem } from 'c/relayTypes';
import {
  activityIcon,
  activityKind,
  activityLabel,
  channelLabel,
  formatDuration,
  syncStatusBadgeClass,
  syncStatusLabel,
} from 'c/relayFormat';

const TIMELINE_CLASS = {
  visit: 'slds-timeline__item_task',
  link: 'slds-timeline__item_event',
  space: 'slds-timeline__item_event',
  message: 'slds-timeline__item_email',
  other: 'slds-timeline__item_task',
};

// statsUrl is the engagement platform's data; a javascript: or data: URI must never become a link.
const WEB_URL = /^https?:\/\//i;

export default class EngagementTimelineItem extends LightningElement {
  /** The timeline entry (one of getEngagement's `items`). */
  @api item: EngagementItem | null = null;

  /** The org's "include message content" switch: message bodies are shown only when true. */
  @api allowContent = false;

  expanded = false;

  handleToggle(): void {
    this.expanded = !this.expanded;
  }

  get collapsed(): boolean {
    return !this.expanded;
  }

  /** aria-expanded takes the strings "true" and "false". */
  get ariaExpanded(): string {
    return String(this.expanded);
  }

  get toggleIcon(): string {
    return this.expanded ? 'utility:chevrondown' : 'utility:chevronright';
  }

  get when(): string {
    return relativeTime(this.item?.occurredAt);
  }

  get kind() {
    return activityKind(this.item?.type);
  }

  get containerClass(): string {
    const open = this.expanded ? ' slds-is-open' : '';
    return `slds-timeline__item_expandable relay-item ${TIMELINE_CLASS[this.kind]}${open}`;
  }

  get iconName(): string {
    return activityIcon(this.item?.type, this.item?.channel);
  }

  get typeLabel(): string {
    if (this.kind === 'message' && this.item?.channel) {
      return `${activityLabel(this.item.type)} by ${channelLabel(this.item.channel)}`;
    }
    return activityLabel(this.item?.type);
  }

  get heading(): string {
    const item = this.item;
    return item?.title || item?.subject || item?.documentName || this.typeLabel;
  }

  get occurredAt(): string | null {
    return this.item?.occurredAt ?? null;
  }

  get isVisit(): boolean {
    return this.kind === 'visit';
  }

  get isCreation(): boolean {
    return this.kind === 'link' || this.kind === 'space';
  }

  get isMessage(): boolean {
    return this.kind === 'message';
  }

  get documentName(): string | null {
    return this.item?.documentName ?? null;
  }

  get duration(): string | null {
    return formatDuration(this.item?.durationSeconds);
  }

  get hasPercentViewed(): boolean {
    return typeof this.item?.percentViewed === 'number';
  }

  /** lightning-formatted-number's percent style takes a fraction. */
  get viewedFraction(): number {
    return (this.item?.percentViewed ?? 0) / 100;
  }

  /** The platform's statistics link, only when it is a web address: it goes into an href. */
  get statsUrl(): string | null {
    const url = this.item?.statsUrl;
    return url && WEB_URL.test(url) ? url : null;
  }

  get statsAssistiveText(): string {
    return ` for ${this.documentName || this.heading} (opens in a new tab)`;
  }

  get visitors(): string[] {
    return this.item?.visitors ?? [];
  }

  get hasVisitors(): boolean {
    return this.visitors.length > 0;
  }

  get visitorsHeading(): string {
    return this.visitors.length === 1 ? '1 visitor' : `${this.visitors.length} visitors`;
  }

  get channel(): string {
    return channelLabel(this.item?.channel);
  }

  get subject(): string | null {
    return this.item?.subject || null;
  }

  get showContent(): boolean {
    return this.allowContent && !!this.item?.content;
  }

  get content(): string | null {
    return this.showContent ? (this.item?.content ?? null) : null;
  }

  /** "Synced" is the normal state: only the others are shown on the line. */
  get showSync(): boolean {
    return !!this.item && this.item.syncStatus !== 'synced';
  }

  get syncLabel(): string {
    return syncStatusLabel(this.item?.syncStatus);
  }

  get syncBadgeClass(): string {
    return `relay-sync-status ${syncStatusBadgeClass(this.item?.syncStatus)}`;
  }

  get syncAssistiveText(): string {
    return `Sync status: ${this.syncLabel}`;
  }

  get taskUrl(): string | null {
    return this.item?.taskId ? `/lightning/r/Task/${this.item.taskId}/view` : null;
  }
}
