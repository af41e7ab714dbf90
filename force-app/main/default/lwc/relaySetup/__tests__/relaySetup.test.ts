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

  it('shows the four setup tabs to a user with Manage Relay', async () => {
    const element = createElement('c-relay-setup', { is: RelaySetup });
    document.body.appendChild(element);
    await flushPromises();
    const root = shadow(element);

    expect(root.querySelector('h1')?.textContent).toBe('Relay Setup');
    const tabs = [...root.querySelectorAll('lightning-tab')];
    expect(tabs.map((t) => [Reflect.get(t, 'label'), Reflect.get(t, 'value')])).toEqual([
      ['Connection', 'connection'],
      ['Field mappings', 'mappings'],
      ['Sync switches', 'switches'],
      ['Sync health', 'health'],
    ]);
    expect(tabs[0].querySelector('c-connection-panel')).not.toBeNull();
    expect(tabs[1].querySelector('c-field-mapping-editor')).not.toBeNull();
    expect(tabs[2].querySelector('c-sync-switches')).not.toBeNull();
    expect(tabs[3].querySelector('c-sync-health')).not.toBeNull();
    expect(Reflect.get(root.querySelector('lightning-tabset') ?? {}, 'activeTabValue')).toBe('connection');
    expect(root.querySelector('.relay-setup__no-access')).toBeNull();
  });

  it('opens the tab asked for', async () => {
    const element = createElement('c-relay-setup', { is: RelaySetup });
    Object.assign(element, { initialTab: 'health' });
    document.body.appendChild(element);
    await flushPromises();
    expect(Reflect.get(shadow(element).querySelector('lightning-tabset') ?? {}, 'activeTabValue')).toBe('health');
  });
});
