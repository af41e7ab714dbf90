// Setup → Sync switches → List campaign links: which platform list joins which Campaign, and with
// which member status (ListCampaignLink__mdt). A Campaign is picked by searching Campaigns by name
// (Apex, user mode); links are checked with c/campaignLinkRules — the rules Apex applies on save —
// before anything is sent, and Save deploys every link shown (links removed here are deactivated)
// and follows the deployment to its result.
import { LightningElement } from 'lwc';
import getLinks from '@salesforce/apex/ListCampaignLinkController.getLinks';
import searchCampaigns from '@salesforce/apex/ListCampaignLinkController.searchCampaigns';
import saveLinks from '@salesforce/apex/ListCampaignLinkController.saveLinks';
import type { CampaignOption, ListCampaignLinkRow, PicklistValue } from 'c/relayTypes';
import type { DeploymentCompleteDetail } from 'c/deploymentStatus';
import {
  DEFAULT_MEMBER_STATUS,
  MAX_LIST_ID,
  MAX_MEMBER_STATUS,
  linkProblems,
  linksProblems,
} from 'c/campaignLinkRules';

/** A link on screen: the saved row, with a key that stays put while the list changes. */
interface LinkRow extends ListCampaignLinkRow {
  key: string;
}

function valueOf(event: Event): string {
  const detail = (event as CustomEvent<{ value?: unknown }>).detail;
  return detail?.value === null || detail?.value === undefined ? '' : String(detail.value);
}

function payloadOf(links: LinkRow[]): string {
  return JSON.stringify(
    links.map(({ developerName, listId, campaignId, memberStatus, active }) => ({
      developerName,
      listId,
      campaignId,
      memberStatus,
      active,
    })),
  );
}

export default class ListCampaignLinks extends LightningElement {
  links: LinkRow[] = [];
  /** The links as loaded (or last saved), to tell whether anything changed. */
  savedPayload = '[]';
  defaultMemberStatus = DEFAULT_MEMBER_STATUS;
  isLoading = false;
  loadError: unknown = null;

  // The "add a link" form.
  newListId = '';
  newCampaignId = '';
  newMemberStatus = '';
  campaigns: CampaignOption[] = [];
  searching = false;
  searchError: unknown = null;
  addProblems: string[] = [];

  saving = false;
  saveError: unknown = null;
  saveProblems: string[] = [];
  jobId: string | null = null;
  deploymentChannel: string | null = null;
  deploying = false;
  private pendingPayload = '[]';
  private nextKey = 0;
  /** Only the answer of the latest search is shown (an earlier one may arrive later). */
  private searchSeq = 0;

  readonly maxListId = MAX_LIST_ID;
  readonly maxMemberStatus = MAX_MEMBER_STATUS;

  override connectedCallback(): void {
    this.load();
  }

  async load(): Promise<void> {
    this.isLoading = true;
    this.loadError = null;
    try {
      const answer = await getLinks();
      this.defaultMemberStatus = answer?.defaultMemberStatus || DEFAULT_MEMBER_STATUS;
      // Inactive links are kept in the org only as a trace; the page shows the links in force.
      this.links = (answer?.links ?? []).filter((l) => l.active).map((l) => this.row(l));
      this.savedPayload = payloadOf(this.links);
    } catch (error) {
      this.loadError = error;
    } finally {
      this.isLoading = false;
    }
  }

  private row(link: ListCampaignLinkRow): LinkRow {
    this.nextKey += 1;
    return { ...link, key: `link-${this.nextKey}` };
  }

  get hasData(): boolean {
    return !this.isLoading && !this.loadError;
  }

  get hasLinks(): boolean {
    return this.links.length > 0;
  }

  get rows() {
    return this.links.map((l) => ({
      ...l,
      campaignLabel: l.campaignName ?? `Campaign ${l.campaignId} (not found or not visible to you)`,
      removeLabel: `Remove the link of list ${l.listId}`,
    }));
  }

  get campaignOptions(): PicklistValue[] {
    return this.campaigns.map((c) => ({ label: c.isActive ? c.name : `${c.name} (inactive)`, value: c.id }));
  }

  get hasCampaignOptions(): boolean {
    return this.campaigns.length > 0;
  }

  get statusPlaceholder(): string {
    return this.defaultMemberStatus;
  }

  get hasAddProblems(): boolean {
    return this.addProblems.length > 0;
  }

  get hasSaveProblems(): boolean {
    return this.saveProblems.length > 0;
  }

  get changed(): boolean {
    return payloadOf(this.links) !== this.savedPayload;
  }

  get saveDisabled(): boolean {
    return this.saving || this.deploying || !this.changed;
  }

  get saveLabel(): string {
    return this.saving ? 'Saving…' : 'Save links';
  }

  handleListId(event: Event): void {
    this.newListId = valueOf(event);
  }

  handleMemberStatus(event: Event): void {
    this.newMemberStatus = valueOf(event);
  }

  handleCampaign(event: Event): void {
    this.newCampaignId = valueOf(event);
  }

  async handleSearch(event: Event): Promise<void> {
    const term = valueOf(event).trim();
    const seq = ++this.searchSeq;
    this.searching = true;
    this.searchError = null;
    try {
      const found = await searchCampaigns({ searchTerm: term });
      if (seq !== this.searchSeq) {
        return;
      }
      this.campaigns = found ?? [];
      // Keep the chosen Campaign only while the results still offer it.
      if (!this.campaigns.some((c) => c.id === this.newCampaignId)) {
        this.newCampaignId = this.campaigns.length === 1 ? this.campaigns[0].id : '';
      }
    } catch (error) {
      if (seq === this.searchSeq) {
        this.searchError = error;
      }
    } finally {
      if (seq === this.searchSeq) {
        this.searching = false;
      }
    }
  }

  /**
   * Why the form's link can't be added (c/campaignLinkRules, as Apex will check it on save), with
   * "no Campaign chosen" said in the picker's words rather than as an id rule.
   */
  private addFormProblems(link: ListCampaignLinkRow): string[] {
    const noCampaign = link.campaignId === '';
    const own = linkProblems(link).filter((p) => !(noCampaign && p.includes('campaignId')));
    const twice = linksProblems([...this.links, link]).filter((p) => p.includes('more than once'));
    return [...(noCampaign ? ['Choose a Campaign: search for it by name.'] : []), ...own, ...twice];
  }

  handleAdd(): void {
    const link: ListCampaignLinkRow = {
      developerName: null,
      listId: this.newListId.trim(),
      campaignId: this.newCampaignId,
      campaignName: this.campaigns.find((c) => c.id === this.newCampaignId)?.name ?? null,
      memberStatus: this.newMemberStatus.trim() || this.defaultMemberStatus,
      active: true,
    };
    this.addProblems = this.addFormProblems(link);
    if (this.addProblems.length > 0) {
      return;
    }
    this.links = [...this.links, this.row(link)];
    this.newListId = '';
    this.newCampaignId = '';
    this.newMemberStatus = '';
    this.campaigns = [];
  }

  handleRemove(event: Event): void {
    const target = event.currentTarget;
    const key = target instanceof HTMLElement ? target.dataset.key : undefined;
    this.links = this.links.filter((l) => l.key !== key);
  }

  async handleSave(): Promise<void> {
    this.saveError = null;
    this.saveProblems = linksProblems(this.links);
    if (this.saveProblems.length > 0 || !this.changed) {
      return;
    }
    this.saving = true;
    try {
      const payload = payloadOf(this.links);
      const { jobId, channel } = await saveLinks({ linksJson: payload });
      this.deploymentChannel = channel ?? null;
      this.pendingPayload = payload;
      this.jobId = jobId;
      this.deploying = true;
    } catch (error) {
      this.saveError = error;
    } finally {
      this.saving = false;
    }
  }

  handleDeploymentComplete(event: CustomEvent<DeploymentCompleteDetail>): void {
    if (event.detail?.jobId !== this.jobId) {
      return;
    }
    this.deploying = false;
    if (event.detail.status === 'Succeeded') {
      // Reload: new links now have the names Apex gave them, which the next save must send.
      this.savedPayload = this.pendingPayload;
      this.load();
    }
  }
}
