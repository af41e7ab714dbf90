import { createElement } from 'lwc';
import RelaySetup from 'c/relaySetup';
import getConnection from '@salesforce/apex/SetupController.getConnection';
import getMappingEditor from '@salesforce/apex/FieldMappingController.getMappingEditor';
import getTargetFields from '@salesforce/apex/FieldMappingController.getTargetFields';
import getSettings from '@salesforce/apex/SyncSettingsController.getSettings';
import getHealth from '@salesforce/apex/SyncHealthController.getHealth';
import type { Mapping, MappingEditorData, TargetField } from 'c/relayTypes';
// The panels' own fixtures, so the whole page is checked with real data in every tab.
import mockConnection from '../../connectionPanel/__tests__/data/getConnection.json';
import mockEditorJson from '../../fieldMappingEditor/__tests__/data/getMappingEditor.json';
import mockFieldsJson from '../../fieldMappingEditor/__tests__/data/getTargetFields.json';
import mockSettings from '../../syncSwitches/__tests__/data/getSettings.json';
import mockHealth from '../../syncHealth/__tests__/data/getHealth.json';
import { flushPromises } from '../../__tests__/lwcTestUtils';

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

const mockEditor: MappingEditorData = {
  ...mockEditorJson,
  recordMode: 'Lead',
  mappings: mockEditorJson.mappings.map((m) => ({ ...m, direction: m.direction as Mapping['direction'] })),
};
const mockFields: Record<string, TargetField[]> = mockFieldsJson;

describe('c-relay-setup accessibility', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
  });

  it('is accessible with every panel loaded', async () => {
    jest.mocked(getConnection).mockResolvedValue(mockConnection);
    jest.mocked(getMappingEditor).mockResolvedValue(mockEditor);
    jest.mocked(getTargetFields).mockImplementation(({ objectName }) => Promise.resolve(mockFields[objectName] ?? []));
    jest.mocked(getSettings).mockResolvedValue(mockSettings);
    jest.mocked(getHealth).mockResolvedValue(mockHealth);
    const element = createElement('c-relay-setup', { is: RelaySetup });
    document.body.appendChild(element);
    await flushPromises();
    expect(
      element.shadowRoot?.querySelector('c-field-mapping-editor')?.shadowRoot?.querySelector('table'),
    ).not.toBeNull();
    await expect(element).toBeAccessible();
  });

  it('is accessible while the panels load', async () => {
    const pending = () => new Promise<never>(() => undefined);
    jest.mocked(getConnection).mockReturnValue(pending());
    jest.mocked(getMappingEditor).mockReturnValue(pending());
    jest.mocked(getSettings).mockReturnValue(pending());
    jest.mocked(getHealth).mockReturnValue(pending());
    const element = createElement('c-relay-setup', { is: RelaySetup });
    document.body.appendChild(element);
    await flushPromises();
    await expect(element).toBeAccessible();
  });
});
