// Relay's record sidebar for Lead, Contact and Account pages: the engagement signal and summary, a
// compact timeline of visits, shared links and spaces, messages and touchpoints, why the record
// matched, and on a Lead or Contact what the platform knows of the person, on an Account who of
// its people engaged.
//
// The first render costs one Apex call (RecordSidebarController.getEngagement, one callout to the
// companion): everything on screen comes from that answer. "Show more" asks the same method for
// the next cursor and appends; Refresh re-runs the wired call.
import { LightningElement, api, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import getEngagement from '@salesforce/apex/RecordSidebarController.getEngagement';
import type { Engagement, EngagementItem, WireResult } from 'c/relayTypes';

const DEFAULT_PAGE_SIZE = 20;

export default class EngagementSidebar extends LightningElement {
  /** Id of the Lead, Contact or Account; the record page sets it. */
  @api recordId: string | undefined;

  /** API name of the record's object (Lead, Contact, Account); the record page sets it. */
  @api objectApiName: string | undefined;

  /** Timeline entries loaded per page, 1–100 (Lightning App Builder property). */
  @api pageSize = DEFAULT_PAGE_SIZE;

  engagement: Engagement | null = null;
  /** Entries of the pages loaded with "Show more", after the first page. */
  laterItems: EngagementItem[] = [];
  nextCursor: string | null = null;
  error: unknown = null;
  loadingMore = false;
  moreError: unknown = null;
  refreshing = false;
  private wiredEngagement: WireResult<Engagement> | undefined;

  @wire(getEngagement, { recordId: '$recordId', cursor: null, pageSize: '$pageSize' })
  handleEngagement(result: WireResult<Engagement>): void {
    this.wiredEngagement = result;
    if (result.data) {
      this.engagement = result.data;
      this.laterItems = [];
      this.nextCursor = result.data.nextCursor ?? null;
      this.error = null;
      this.moreError = null;
    } else if (result.error) {
      this.engagement = null;
      this.error = result.error;
    }
  }

  get isLoading(): boolean {
    return !this.engagement && !this.error;
  }

  get hasEngagement(): boolean {
    return !!this.engagement;
  }

  get hasError(): boolean {
    return !this.engagement && !!this.error;
  }

  get items(): EngagementItem[] {
    return [...(this.engagement?.items ?? []), ...this.laterItems];
  }

  get allowContent(): boolean {
    return this.engagement?.allowContent === true;
  }

  get hasMore(): boolean {
    return !!this.nextCursor;
  }

  get cardTitle(): string {
    const name = this.engagement?.recordName;
    return name ? `Relay engagement: ${name}` : 'Relay engagement';
  }

  get summary() {
    return this.engagement?.summary ?? null;
  }

  get match() {
    return this.engagement?.match ?? null;
  }

  get person() {
    return this.engagement?.person ?? null;
  }

  get signal() {
    return this.engagement?.signal ?? null;
  }

  get people() {
    return this.engagement?.people ?? null;
  }

  /** An Account has people, not person facts; the record page's object says which page this is. */
  get isAccount(): boolean {
    return this.objectApiName === 'Account' || (this.recordId ?? '').startsWith('001');
  }

  get isPerson(): boolean {
    return !this.isAccount;
  }

  get refreshDisabled(): boolean {
    return this.refreshing || this.isLoading;
  }

  async handleShowMore(): Promise<void> {
    if (!this.nextCursor || this.loadingMore) {
      return;
    }
    this.loadingMore = true;
    this.moreError = null;
    try {
      const page = await getEngagement({ recordId: this.recordId, cursor: this.nextCursor, pageSize: this.pageSize });
      const known = new Set(this.items.map((i) => i.id));
      this.laterItems = [...this.laterItems, ...(page.items ?? []).filter((i) => !known.has(i.id))];
      this.nextCursor = page.nextCursor ?? null;
    } catch (error) {
      this.moreError = error;
    } finally {
      this.loadingMore = false;
    }
  }

  async handleRefresh(): Promise<void> {
    if (!this.wiredEngagement) {
      return;
    }
    this.refreshing = true;
    try {
      await refreshApex(this.wiredEngagement);
    } catch (error) {
      this.error = error;
      this.engagement = null;
    } finally {
      this.refreshing = false;
    }
  }
}
