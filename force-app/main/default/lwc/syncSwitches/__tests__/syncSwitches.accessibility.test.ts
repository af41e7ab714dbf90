import { createElement } from 'lwc';
import SyncSwitches from 'c/syncSwitches';
import getSettings from '@salesforce/apex/SyncSettingsController.getSettings';
import type { SyncSetting } from 'c/relayTypes';
import mockSettings from './data/getSettings.json';
import { flushPromises } from '../../__tests__/lwcTestUtils';

jest.mock('@salesforce/apex/SyncSettingsController.getSettings', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/SyncSettingsController.saveSettings', () => ({ default: jest.fn() }), { virtual: true });

async function render(settings: SyncSetting[]): Promise<HTMLElement> {
  jest.mocked(getSettings).mockResolvedValue(settings);
  const element = createElement('c-sync-switches', { is: SyncSwitches });
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

describe('c-sync-switches accessibility', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
  });

  it('is accessible with every kind of input, a disabled dependent switch and a choice', async () => {
    const settings = mockSettings as SyncSetting[];
    const choice = settings.find((s) => s.developerName === 'RecordMode')!;
    const element = await render([
      ...settings,
      { ...settings[1]!, developerName: 'SyncMessages', label: 'Sync messages', value: false },
      { ...choice, developerName: 'ExampleChoice', label: 'Example choice' },
    ]);
    expect(element.shadowRoot?.querySelector('input[role="switch"][disabled]')).not.toBeNull();
    expect(element.shadowRoot?.querySelector('select')).not.toBeNull();
    await expect(element).toBeAccessible();
  });

  it('is accessible with the problems a save found', async () => {
    const element = await render(mockSettings as SyncSetting[]);
    const percent = element.shadowRoot?.querySelector<HTMLInputElement>('li[data-setting="QuotaWarningPercent"] input');
    percent!.value = '120';
    percent!.dispatchEvent(new CustomEvent('input'));
    await flushPromises();
    element.shadowRoot?.querySelector<HTMLElement>('.relay-save')?.click();
    await flushPromises();
    expect(element.shadowRoot?.querySelector('.relay-setting__problem')).not.toBeNull();
    await expect(element).toBeAccessible();
  });
});
