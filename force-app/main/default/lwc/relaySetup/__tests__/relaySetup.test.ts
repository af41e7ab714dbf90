import { createElement } from 'lwc';
import RelaySetup from 'c/relaySetup';
import getConnection from '@salesforce/apex/SetupController.getConnection';
import getMappingEditor from '@salesforce/apex/FieldMappingController.getMappingEditor';
import getSettings from '@salesforce/apex/SyncSettingsController.getSettings';
import getHealth from '@salesforce/apex/SyncHealthController.getHealth';
import { flushPromises, shadow } from '../../__tests__/lwcTestUtils';

jest.mock('@salesforce/customPermission/ManageRelay', () => ({ default: true }), { virtual: true });
jest.mock('@salesforce/apex/SetupController.getConnection', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/SetupController.testConnection', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/FieldMappingController.getMappingEditor', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex/FieldMappingController.getTargetFields', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex/FieldMappingController.saveMappings', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/SyncSettingsController.getSettings', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/SyncSettingsController.saveSettings', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/SyncHealthController.getHealth', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/SyncHealthController.retry', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/SyncHealthController.retryAll', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/SyncHealthController.exportCsv', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/SyncHealthController.retryCause', () => ({ default: jest.fn() }), { virtual: true });

const pending = () => new Promise<never>(() => undefined);

describe('c-relay-setup', () => {
  beforeEach(() => {
    jest.mocked(getConnection).mockReturnValue(pending());
    jest.mocked(getMappingEditor).mockReturnValue(pending());
    jest.mocked(getSettings).mockReturnValue(pending());
    jest.mocked(getHealth).mockReturnValue(pending());
  });

  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
  });

  const tabsOf = (root: ShadowRoot) => [...root.querySelectorAll<HTMLAnchorElement>('[role="tab"]')];
  const selectedTab = (root: ShadowRoot) => root.querySelector('[role="tab"][aria-selected="true"]')?.textContent;
  const visiblePanel = (root: ShadowRoot) => root.querySelector('[role="tabpanel"].slds-show');
  const press = async (root: ShadowRoot, key: string) => {
    root.querySelector('[role="tablist"]')?.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
    await flushPromises();
  };

  it('shows the four setup tabs to a user with Manage Relay, and loads only the first panel', async () => {
    const element = createElement('c-relay-setup', { is: RelaySetup });
    document.body.appendChild(element);
    await flushPromises();
    const root = shadow(element);

    expect(root.querySelector('h1')?.textContent).toBe('Relay Setup');
    expect(root.querySelector('[role="tablist"]')?.getAttribute('aria-label')).toBe('Relay Setup');
    expect(
      tabsOf(root).map((t) => [t.textContent, t.getAttribute('aria-selected'), t.getAttribute('tabindex')]),
    ).toEqual([
      ['Connection', 'true', '0'],
      ['Field mappings', 'false', '-1'],
      ['Sync switches', 'false', '-1'],
      ['Sync health', 'false', '-1'],
    ]);
    // Each tab names its panel and each panel its tab.
    const panels = [...root.querySelectorAll('[role="tabpanel"]')];
    for (const tab of tabsOf(root)) {
      const panel = panels.find((p) => p.id === tab.getAttribute('aria-controls'));
      expect(panel?.getAttribute('aria-labelledby')).toBe(tab.id);
    }
    expect(visiblePanel(root)?.querySelector('c-connection-panel')).not.toBeNull();
    expect(root.querySelector('c-field-mapping-editor')).toBeNull();
    expect(root.querySelector('c-sync-health')).toBeNull();
    expect(getHealth).not.toHaveBeenCalled();
    expect(root.querySelector('.relay-setup__no-access')).toBeNull();
  });

  it('opens the tab asked for', async () => {
    const element = createElement('c-relay-setup', { is: RelaySetup });
    Object.assign(element, { initialTab: 'health' });
    document.body.appendChild(element);
    await flushPromises();
    const root = shadow(element);
    expect(selectedTab(root)).toBe('Sync health');
    expect(visiblePanel(root)?.querySelector('c-sync-health')).not.toBeNull();
  });

  it.each([
    [
      { tab: 'switches', setting: 'CreateLeadsForUnmatched', field: null },
      'Sync switches',
      'c-sync-switches',
      'focusSetting',
      'CreateLeadsForUnmatched',
    ],
    [
      { tab: 'mappings', setting: null, field: 'FirstName' },
      'Field mappings',
      'c-field-mapping-editor',
      'focusField',
      'FirstName',
    ],
  ])(
    'opens the tab of a Sync health fix and hands the page what to focus: %o',
    async (detail, label, panel, property, name) => {
      const element = createElement('c-relay-setup', { is: RelaySetup });
      Object.assign(element, { initialTab: 'health' });
      document.body.appendChild(element);
      await flushPromises();
      const root = shadow(element);
      const open = () =>
        root.querySelector('c-sync-health')?.dispatchEvent(new CustomEvent('relayopen', { detail: { ...detail } }));
      open();
      await flushPromises();
      expect(selectedTab(root)).toBe(label);
      const page = visiblePanel(root)?.querySelector(panel) as unknown as Record<string, unknown> | null;
      expect(page).not.toBeNull();
      const first = page?.[property];
      expect(first).toEqual({ name });
      // The page focuses the switch or mapping itself, so the tab does not take the focus.
      expect(root.activeElement?.textContent).not.toBe(label);
      // The same fix clicked again is a new request.
      open();
      await flushPromises();
      expect(page?.[property]).toEqual({ name });
      expect(page?.[property]).not.toBe(first);
      // Sync health is kept, hidden, with its filters and what the admin opened.
      expect(root.querySelector('c-sync-health')?.closest('[role="tabpanel"]')?.classList.contains('slds-hide')).toBe(
        true,
      );
    },
  );

  it('a fix that names no mapping opens Field mappings and focuses its tab', async () => {
    const element = createElement('c-relay-setup', { is: RelaySetup });
    Object.assign(element, { initialTab: 'health' });
    document.body.appendChild(element);
    await flushPromises();
    const root = shadow(element);
    root
      .querySelector('c-sync-health')
      ?.dispatchEvent(new CustomEvent('relayopen', { detail: { tab: 'mappings', setting: null, field: null } }));
    await flushPromises();
    expect(selectedTab(root)).toBe('Field mappings');
    expect(root.activeElement?.textContent).toBe('Field mappings');
  });

  it('ignores an open request for a tab it does not have', async () => {
    const element = createElement('c-relay-setup', { is: RelaySetup });
    Object.assign(element, { initialTab: 'health' });
    document.body.appendChild(element);
    await flushPromises();
    const root = shadow(element);
    root.querySelector('c-sync-health')?.dispatchEvent(new CustomEvent('relayopen', { detail: { tab: 'nowhere' } }));
    await flushPromises();
    expect(selectedTab(root)).toBe('Sync health');
  });

  it('a click shows its tab; the panels shown before are kept, hidden', async () => {
    const element = createElement('c-relay-setup', { is: RelaySetup });
    document.body.appendChild(element);
    await flushPromises();
    const root = shadow(element);
    tabsOf(root)[2]!.click();
    await flushPromises();
    expect(selectedTab(root)).toBe('Sync switches');
    expect(visiblePanel(root)?.querySelector('c-sync-switches')).not.toBeNull();
    expect(visiblePanel(root)?.querySelector('c-list-campaign-links')).not.toBeNull();
    const connection = root.querySelector('c-connection-panel');
    expect(connection?.closest('[role="tabpanel"]')?.classList.contains('slds-hide')).toBe(true);
  });

  it('keyboard: arrows move and wrap, Home and End go to the first and last tab, focus follows', async () => {
    const element = createElement('c-relay-setup', { is: RelaySetup });
    document.body.appendChild(element);
    await flushPromises();
    const root = shadow(element);
    await press(root, 'ArrowRight');
    expect(selectedTab(root)).toBe('Field mappings');
    expect(root.activeElement?.textContent).toBe('Field mappings');
    await press(root, 'End');
    expect(selectedTab(root)).toBe('Sync health');
    expect(root.activeElement?.textContent).toBe('Sync health');
    await press(root, 'ArrowRight');
    expect(selectedTab(root)).toBe('Connection');
    await press(root, 'ArrowLeft');
    expect(selectedTab(root)).toBe('Sync health');
    await press(root, 'Home');
    expect(selectedTab(root)).toBe('Connection');
    expect(root.activeElement?.textContent).toBe('Connection');
    expect(tabsOf(root).filter((t) => t.getAttribute('tabindex') === '0')).toHaveLength(1);
    await press(root, 'a');
    expect(selectedTab(root)).toBe('Connection');
  });
});
