// Relay's Setup app page: connection, field mappings, sync switches and sync health as tabs, for
// users with the Manage Relay custom permission (Relay Admin). Without it the page explains what is
// missing and makes no data call: the tabs' components are never created.
//
// The tabs are our own SLDS tab bar following the WAI-ARIA tabs pattern rather than
// lightning-tabset, whose keyboard handling knows the arrow keys only: Left/Right move to the
// previous/next tab (wrapping), Home and End to the first and last; the focused tab is shown at once
// (automatic activation); only the selected tab is in the Tab order. A panel's component is created
// the first time its tab is shown (as lightning-tabset did), so opening the page loads one panel,
// and kept afterwards, so switching back keeps what the admin was editing. Sync health's fix actions
// ("Open the FirstName mapping", "Open \"Create Leads for unmatched people\"") open their tab here.
import { LightningElement, api } from 'lwc';
import hasManageRelay from '@salesforce/customPermission/ManageRelay';
import type { FocusRequest } from 'c/focusTarget';

type TabValue = 'connection' | 'mappings' | 'switches' | 'health';

const TABS: ReadonlyArray<{ value: TabValue; label: string }> = [
  { value: 'connection', label: 'Connection' },
  { value: 'mappings', label: 'Field mappings' },
  { value: 'switches', label: 'Sync switches' },
  { value: 'health', label: 'Sync health' },
];

const isTab = (value: unknown): value is TabValue => TABS.some((t) => t.value === value);

export default class RelaySetup extends LightningElement {
  active: TabValue = 'connection';
  visited: Record<TabValue, boolean> = { connection: false, mappings: false, switches: false, health: false };
  private focusAfterRender = false;
  /** The switch and the mapping a fix action asked for, handed to their pages. */
  focusSetting: FocusRequest | null = null;
  focusField: FocusRequest | null = null;

  /** Tab shown first: connection, mappings, switches or health. */
  @api
  get initialTab(): string {
    return this.active;
  }
  set initialTab(value: string) {
    this.show(isTab(value) ? value : 'connection');
  }

  override connectedCallback(): void {
    this.show(this.active);
  }

  override renderedCallback(): void {
    if (!this.focusAfterRender) return;
    this.focusAfterRender = false;
    this.template?.querySelector<HTMLElement>(`a[data-value="${this.active}"]`)?.focus();
  }

  get canManage(): boolean {
    return hasManageRelay === true;
  }

  get tabs() {
    return TABS.map((t) => {
      const selected = t.value === this.active;
      return {
        ...t,
        tabId: `tab-${t.value}`,
        panelId: `panel-${t.value}`,
        ariaSelected: selected ? 'true' : 'false',
        tabindex: selected ? '0' : '-1',
        itemClass: `slds-tabs_default__item${selected ? ' slds-is-active' : ''}`,
      };
    });
  }

  get panelClass(): Record<TabValue, string> {
    const of = (value: TabValue) => `slds-tabs_default__content ${value === this.active ? 'slds-show' : 'slds-hide'}`;
    return { connection: of('connection'), mappings: of('mappings'), switches: of('switches'), health: of('health') };
  }

  handleTabClick(event: MouseEvent): void {
    event.preventDefault();
    const value = (event.currentTarget as HTMLElement).dataset.value;
    if (isTab(value)) this.show(value);
  }

  handleTabKeydown(event: KeyboardEvent): void {
    const index = TABS.findIndex((t) => t.value === this.active);
    const last = TABS.length - 1;
    const next: Record<string, number> = {
      ArrowRight: index === last ? 0 : index + 1,
      ArrowLeft: index === 0 ? last : index - 1,
      Home: 0,
      End: last,
    };
    if (!(event.key in next)) return;
    event.preventDefault();
    this.show(TABS[next[event.key]!]!.value);
    this.focusAfterRender = true;
  }

  /**
   * Sync health's fix actions (`relayopen`, detail `{ tab, setting, field }`): the tab that holds the
   * switch or the mapping is shown and its tab focused; the page then brings the named switch or
   * mapping into view and focuses it once loaded (a new request object each time, so the same fix
   * clicked twice works twice).
   */
  handleOpen(event: CustomEvent<{ tab?: string; setting?: string | null; field?: string | null }>): void {
    const tab = event.detail?.tab;
    if (!isTab(tab)) return;
    const { setting, field } = event.detail;
    if (tab === 'switches' && setting) this.focusSetting = { name: setting };
    if (tab === 'mappings' && field) this.focusField = { name: field };
    this.show(tab);
    // The page focuses the named switch or mapping itself; otherwise the keyboard goes on from the tab.
    this.focusAfterRender = !((tab === 'switches' && setting) || (tab === 'mappings' && field));
  }

  private show(value: TabValue): void {
    this.active = value;
    if (!this.visited[value]) this.visited = { ...this.visited, [value]: true };
  }
}
