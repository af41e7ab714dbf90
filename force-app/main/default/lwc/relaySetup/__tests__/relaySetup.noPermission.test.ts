import { createElement } from 'lwc';
import RelaySetup from 'c/relaySetup';
import getConnection from '@salesforce/apex/SetupController.getConnection';
import getMappingEditor from '@salesforce/apex/FieldMappingController.getMappingEditor';
import getSettings from '@salesforce/apex/SyncSettingsController.getSettings';
import getHealth from '@salesforce/apex/SyncHealthController.getHealth';
import { flushPromises } from '../../__tests__/lwcTestUtils';

// The custom permission import is read once per module load, so the user without it gets a test
// file of their own. (`undefined` is what the platform gives a user without the permission.)
jest.mock('@salesforce/customPermission/ManageRelay', () => ({ default: undefined }), { virtual: true });
jest.mock('@salesforce/apex/SetupController.getConnection', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/FieldMappingController.getMappingEditor', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex/SyncSettingsController.getSettings', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/SyncHealthController.getHealth', () => ({ default: jest.fn() }), { virtual: true });

function render(): HTMLElement {
  const element = createElement('c-relay-setup', { is: RelaySetup });
  document.body.appendChild(element);
  return element;
}

describe('c-relay-setup without Manage Relay', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
  });

  it('explains what is missing and makes no data call', async () => {
    const element = render();
    await flushPromises();
    const root = element.shadowRoot;
    expect(root?.querySelector('lightning-tabset')).toBeNull();
    expect(root?.querySelector('.relay-setup__no-access h2')?.textContent).toBe("You don't have access to Relay Setup");
    expect(root?.querySelector('.relay-setup__no-access')?.textContent).toContain(
      'Ask your Salesforce admin to assign you the Relay Admin permission set',
    );
    expect(getConnection).not.toHaveBeenCalled();
    expect(getMappingEditor).not.toHaveBeenCalled();
    expect(getSettings).not.toHaveBeenCalled();
    expect(getHealth).not.toHaveBeenCalled();
  });

  it('is accessible', async () => {
    const element = render();
    await flushPromises();
    await expect(element).toBeAccessible();
  });
});
