import { createElement } from 'lwc';
import SyncSwitches, { effectiveValue, numberProblem } from 'c/syncSwitches';
import getSettings from '@salesforce/apex/SyncSettingsController.getSettings';
import saveSettings from '@salesforce/apex/SyncSettingsController.saveSettings';
import { subscribe } from 'lightning/empApi';
import type { SyncSetting } from 'c/relayTypes';
import mockSettings from './data/getSettings.json';
import { flushPromises, shadow, prop } from '../../__tests__/lwcTestUtils';
import { RULE_CASES } from '../../__tests__/ruleCases';

jest.mock('@salesforce/apex/SyncSettingsController.getSettings', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/SyncSettingsController.saveSettings', () => ({ default: jest.fn() }), { virtual: true });

const mockGetSettings = jest.mocked(getSettings);
const mockSaveSettings = jest.mocked(saveSettings);
const mockSubscribe = jest.mocked(subscribe);

async function render(): Promise<ShadowRoot> {
  const element = createElement('c-sync-switches', { is: SyncSwitches });
  document.body.appendChild(element);
  await flushPromises();
  return shadow(element);
}

function input(root: ShadowRoot, developerName: string): HTMLElement {
  const found = root.querySelector<HTMLElement>(`li[data-setting="${developerName}"] .relay-setting__input`);
  if (!found) {
    throw new Error(`no input for ${developerName}`);
  }
  return found;
}

/** Types into (or toggles) a native input as a user would: its property, then its events. */
function change(target: Element, detail: { checked?: boolean; value?: string }): void {
  if (target instanceof HTMLInputElement && detail.checked !== undefined) {
    target.checked = detail.checked;
  }
  if ((target instanceof HTMLInputElement || target instanceof HTMLSelectElement) && detail.value !== undefined) {
    target.value = detail.value;
  }
  if (target instanceof HTMLInputElement && target.type !== 'checkbox') {
    target.dispatchEvent(new CustomEvent('input'));
  }
  target.dispatchEvent(new CustomEvent('change'));
}

/** The text of the elements an idref attribute (aria-describedby, aria-labelledby) names. */
function referenced(root: ShadowRoot, element: Element, attribute: string): string {
  return (element.getAttribute(attribute) ?? '')
    .split(/\s+/)
    .filter((id) => id !== '')
    .map((id) => {
      const found = root.querySelector(`[id="${id}"]`);
      if (!found) {
        throw new Error(`${attribute} names ${id}, which is not on the page`);
      }
      return found.textContent?.replace(/\s+/g, ' ').trim() ?? '';
    })
    .join(' ');
}

/** An input's accessible name: its label (wrapping it, or pointing at it with for=). */
function accessibleName(element: HTMLElement): string {
  const labels = element instanceof HTMLInputElement || element instanceof HTMLSelectElement ? element.labels : null;
  return [...(labels ?? [])]
    .map((label) => label.querySelector('.relay-setting__label')?.textContent?.trim() ?? '')
    .join(' ');
}

function saveButton(root: ShadowRoot): HTMLElement {
  const found = root.querySelector<HTMLElement>('.relay-save');
  if (!found) {
    throw new Error('no save button');
  }
  return found;
}

describe('c-sync-switches', () => {
  beforeEach(() => {
    mockGetSettings.mockResolvedValue(mockSettings);
  });

  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
  });

  it('lists every setting in its section, by sort order within it, with description and default', async () => {
    const root = await render();
    const sections = [...root.querySelectorAll('section[data-section]')].map((section) => [
      section.querySelector('h3')?.textContent,
      [...section.querySelectorAll('li[data-setting]')].map((li) => li.getAttribute('data-setting')),
    ]);
    expect(sections).toEqual([
      ['What Relay syncs', ['RelayActive', 'IncludeMessageContent', 'SyncProspects', 'SyncListSignups']],
      ['People Relay creates', ['LeadSource']],
      ['Limits', ['MonthlyTaskQuota', 'QuotaWarningPercent']],
    ]);
    // Each list is named by its section's heading.
    for (const section of root.querySelectorAll('section[data-section]'))
      expect(section.querySelector('ul')?.getAttribute('aria-labelledby')).toBe(section.querySelector('h3')?.id);
    const active = root.querySelector('li[data-setting="RelayActive"]');
    expect(active?.querySelector('.relay-setting__description')?.textContent).toContain('stores incoming events');
    expect(active?.querySelector('.relay-setting__default')?.textContent?.trim()).toBe('Default: On');
    // Record mode is edited in one place, the Field mappings tab; here a line says what it is and where.
    expect(root.querySelector('li[data-setting="RecordMode"]')).toBeNull();
    expect(root.querySelector('[data-setting-elsewhere="RecordMode"]')?.textContent?.trim()).toBe(
      'Record mode: Lead. Change it on the Field mappings tab, with the mappings it decides.',
    );
  });

  it('shows the people switches as toggles with their state and default, and saves a change', async () => {
    mockSaveSettings.mockResolvedValue({ jobId: '0Af000000000011AAA' });
    const root = await render();
    expect(prop(input(root, 'SyncProspects'), 'type')).toBe('checkbox');
    expect(input(root, 'SyncProspects').getAttribute('role')).toBe('switch');
    expect(prop(input(root, 'SyncProspects'), 'checked')).toBe(false);
    expect(prop(input(root, 'SyncListSignups'), 'checked')).toBe(true);
    expect(
      root.querySelector('li[data-setting="SyncProspects"] .relay-setting__default')?.textContent?.trim(),
    ).toContain('Default: On');
    change(input(root, 'SyncProspects'), { checked: true });
    change(input(root, 'SyncListSignups'), { checked: false });
    await flushPromises();
    saveButton(root).click();
    await flushPromises();
    expect(mockSaveSettings).toHaveBeenCalledWith({
      valuesJson: JSON.stringify({ SyncProspects: 'true', SyncListSignups: 'false' }),
    });
  });

  it('a setting that needs another switch is disabled, saying which, while that switch is off', async () => {
    const settings: SyncSetting[] = [
      ...(mockSettings as SyncSetting[]),
      { ...(mockSettings as SyncSetting[])[1]!, developerName: 'SyncMessages', label: 'Sync messages', value: false },
      {
        ...(mockSettings as SyncSetting[])[1]!,
        developerName: 'CreatePlatformContacts',
        label: 'Create platform contacts',
        value: true,
      },
      { ...(mockSettings as SyncSetting[])[1]!, developerName: 'TagAutoCreated', label: 'Tag contacts', value: false },
      {
        ...(mockSettings as SyncSetting[])[4]!,
        developerName: 'AutoCreatedTagText',
        label: 'Tag text',
        value: 'From CRM',
      },
    ];
    mockGetSettings.mockResolvedValue(settings);
    const root = await render();
    const needs = (name: string) =>
      root.querySelector(`li[data-setting="${name}"] .relay-setting__needs`)?.textContent?.trim() ?? null;
    expect(prop(input(root, 'IncludeMessageContent'), 'disabled')).toBe(true);
    expect(needs('IncludeMessageContent')).toBe('Turn on "Sync messages" to use this.');
    expect(prop(input(root, 'AutoCreatedTagText'), 'disabled')).toBe(true);
    expect(needs('AutoCreatedTagText')).toBe('Turn on "Tag contacts" to use this.');
    expect(prop(input(root, 'TagAutoCreated'), 'disabled')).toBe(false);
    // Turned on, the switches enable what depends on them; turned off at the root, the whole chain waits for it.
    change(input(root, 'SyncMessages'), { checked: true });
    change(input(root, 'TagAutoCreated'), { checked: true });
    await flushPromises();
    expect(prop(input(root, 'IncludeMessageContent'), 'disabled')).toBe(false);
    expect(needs('IncludeMessageContent')).toBeNull();
    expect(prop(input(root, 'AutoCreatedTagText'), 'disabled')).toBe(false);
    change(input(root, 'CreatePlatformContacts'), { checked: false });
    await flushPromises();
    expect(needs('AutoCreatedTagText')).toBe('Turn on "Create platform contacts" to use this.');
    expect(needs('TagAutoCreated')).toBe('Turn on "Create platform contacts" to use this.');
    expect(root.querySelector('section[data-section="reverse"] h3')?.textContent).toBe('Salesforce to the platform');
  });

  it('uses the input each type calls for', async () => {
    // A Choice setting this page edits (record mode, the package's one, is edited with the mappings).
    const choice = (mockSettings as SyncSetting[]).find((x) => x.developerName === 'RecordMode')!;
    mockGetSettings.mockResolvedValue([
      ...(mockSettings as SyncSetting[]),
      { ...choice, developerName: 'ExampleChoice', label: 'Example choice' },
    ]);
    const root = await render();
    expect(prop(input(root, 'RelayActive'), 'type')).toBe('checkbox');
    expect(input(root, 'RelayActive').getAttribute('role')).toBe('switch');
    expect(prop(input(root, 'RelayActive'), 'checked')).toBe(true);
    expect(prop(input(root, 'IncludeMessageContent'), 'checked')).toBe(false);
    expect(prop(input(root, 'MonthlyTaskQuota'), 'type')).toBe('number');
    expect(prop(input(root, 'MonthlyTaskQuota'), 'value')).toBe('100000');
    expect(prop(input(root, 'QuotaWarningPercent'), 'min')).toBe('1');
    expect(prop(input(root, 'QuotaWarningPercent'), 'max')).toBe('100');
    expect(input(root, 'ExampleChoice').tagName.toLowerCase()).toBe('select');
    expect(
      [...input(root, 'ExampleChoice').querySelectorAll('option')].map((o) => ({
        label: o.textContent?.trim(),
        value: o.value,
      })),
    ).toEqual([
      { label: 'Lead', value: 'Lead' },
      { label: 'ContactAccount', value: 'ContactAccount' },
    ]);
    expect(prop(input(root, 'ExampleChoice'), 'value')).toBe('Lead');
    expect(prop(input(root, 'LeadSource'), 'type')).toBe('text');
    expect(accessibleName(input(root, 'LeadSource'))).toBe('Lead source');
    expect(accessibleName(input(root, 'RelayActive'))).toBe('Relay active');
  });

  it('saves only the changed values and follows the deployment', async () => {
    mockSaveSettings.mockResolvedValue({ jobId: '0Af000000000007AAA' });
    const root = await render();
    expect(prop(saveButton(root), 'disabled')).toBe(true);

    change(input(root, 'IncludeMessageContent'), { checked: true });
    change(input(root, 'MonthlyTaskQuota'), { value: '5000' });
    await flushPromises();
    expect(prop(saveButton(root), 'label')).toBe('Save 2 changes');
    expect(root.querySelectorAll('.relay-setting__changed')).toHaveLength(2);

    saveButton(root).click();
    await flushPromises();
    expect(mockSaveSettings).toHaveBeenCalledWith({
      valuesJson: JSON.stringify({ IncludeMessageContent: 'true', MonthlyTaskQuota: '5000' }),
    });
    const status = root.querySelector('c-deployment-status');
    expect(prop(status, 'jobId')).toBe('0Af000000000007AAA');
    expect(prop(saveButton(root), 'disabled')).toBe(true);

    mockSubscribe.mock.calls[0][2]({
      channel: '/event/relay__MetadataDeployment__e',
      data: { payload: { relay__JobId__c: '0Af000000000007AAA', relay__Status__c: 'Succeeded' } },
    });
    await flushPromises();
    expect(shadow(status).querySelector('.relay-deployment__text')?.textContent).toBe(
      'Saved. Salesforce deployed the changes.',
    );
    expect(root.querySelectorAll('.relay-setting__changed')).toHaveLength(0);
    expect(prop(saveButton(root), 'label')).toBe('Save');
  });

  it('blocks an invalid number with the reason and no Apex call', async () => {
    const root = await render();
    change(input(root, 'QuotaWarningPercent'), { value: '120' });
    change(input(root, 'MonthlyTaskQuota'), { value: '12.5' });
    await flushPromises();
    saveButton(root).click();
    await flushPromises();
    expect(mockSaveSettings).not.toHaveBeenCalled();
    expect(
      root.querySelector('li[data-setting="QuotaWarningPercent"] .relay-setting__problem')?.textContent?.trim(),
    ).toBe('Enter a whole number from 1 to 100.');
    const panel = root.querySelector('c-error-panel.relay-problems');
    expect([...shadow(panel).querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      'Monthly Task quota: Enter a whole number from 0 to 100000000.',
      'Quota warning percent: Enter a whole number from 1 to 100.',
    ]);
  });

  it('states the range under each number input, and in its description', async () => {
    const root = await render();
    const range = (name: string) =>
      root.querySelector(`li[data-setting="${name}"] .relay-setting__range`)?.textContent?.trim();
    expect(range('QuotaWarningPercent')).toBe('Enter a whole number from 1 to 100.');
    expect(range('MonthlyTaskQuota')).toBe('Enter a whole number from 0 to 100000000.');
    expect(referenced(root, input(root, 'QuotaWarningPercent'), 'aria-describedby')).toContain(
      'Enter a whole number from 1 to 100.',
    );
  });

  it("links every input to its setting's description, for screen readers", async () => {
    const root = await render();
    for (const setting of (mockSettings as SyncSetting[]).filter((x) => x.developerName !== 'RecordMode')) {
      const element = input(root, setting.developerName);
      // On the input itself (not a wrapper), so its accessible description is the setting's text.
      expect(['input', 'select']).toContain(element.tagName.toLowerCase());
      const description = referenced(root, element, 'aria-describedby');
      expect(description).toContain(setting.description);
      expect(description).toMatch(/Default: /);
      expect(accessibleName(element)).toBe(setting.label);
    }
  });

  it('adds the dependency and the problem to the description, and marks the value invalid', async () => {
    const settings: SyncSetting[] = [
      ...(mockSettings as SyncSetting[]),
      { ...(mockSettings as SyncSetting[])[1]!, developerName: 'SyncMessages', label: 'Sync messages', value: false },
    ];
    mockGetSettings.mockResolvedValue(settings);
    const root = await render();
    expect(referenced(root, input(root, 'IncludeMessageContent'), 'aria-describedby')).toContain(
      'Turn on "Sync messages" to use this.',
    );
    change(input(root, 'QuotaWarningPercent'), { value: '120' });
    await flushPromises();
    saveButton(root).click();
    await flushPromises();
    const percent = input(root, 'QuotaWarningPercent');
    expect(percent.getAttribute('aria-invalid')).toBe('true');
    expect(referenced(root, percent, 'aria-describedby')).toMatch(
      /Enter a whole number from 1 to 100\. Enter a whole number from 1 to 100\./,
    );
    expect(input(root, 'MonthlyTaskQuota').getAttribute('aria-invalid')).toBe('false');
  });

  it('refuses 1e3 and 1.0 for a whole-number setting, as Apex does', async () => {
    const root = await render();
    change(input(root, 'MonthlyTaskQuota'), { value: '1e3' });
    change(input(root, 'QuotaWarningPercent'), { value: '1.0' });
    await flushPromises();
    saveButton(root).click();
    await flushPromises();
    expect(mockSaveSettings).not.toHaveBeenCalled();
    expect(root.querySelector('li[data-setting="MonthlyTaskQuota"] .relay-setting__problem')?.textContent?.trim()).toBe(
      'Enter a whole number from 0 to 100000000.',
    );
    expect(
      root.querySelector('li[data-setting="QuotaWarningPercent"] .relay-setting__problem')?.textContent?.trim(),
    ).toBe('Enter a whole number from 1 to 100.');
  });

  it('blocks a blank text value', async () => {
    const root = await render();
    change(input(root, 'LeadSource'), { value: '' });
    await flushPromises();
    saveButton(root).click();
    await flushPromises();
    expect(mockSaveSettings).not.toHaveBeenCalled();
    expect(root.querySelector('li[data-setting="LeadSource"] .relay-setting__problem')?.textContent?.trim()).toBe(
      'Enter a value.',
    );
  });

  it("holds a text setting to its record's longest value (Maximum__c)", async () => {
    const tagText: SyncSetting = {
      developerName: 'AutoCreatedTagText',
      label: 'Auto-created tag text',
      type: 'Text',
      value: 'Auto-created: Salesforce',
      defaultValue: 'Auto-created: Salesforce',
      description: 'The tag put on contacts created from Salesforce.',
      choices: [],
      minimum: null,
      maximum: 64,
      sortOrder: 144,
    };
    mockGetSettings.mockResolvedValue([...mockSettings, tagText] as SyncSetting[]);
    const root = await render();
    expect(prop(input(root, 'AutoCreatedTagText'), 'maxLength')).toBe(64);
    expect(prop(input(root, 'LeadSource'), 'maxLength')).toBe(255);
    change(input(root, 'AutoCreatedTagText'), { value: 'x'.repeat(65) });
    await flushPromises();
    saveButton(root).click();
    await flushPromises();
    expect(mockSaveSettings).not.toHaveBeenCalled();
    expect(
      root.querySelector('li[data-setting="AutoCreatedTagText"] .relay-setting__problem')?.textContent?.trim(),
    ).toBe('Enter at most 64 characters.');
  });

  it('discards changes', async () => {
    const root = await render();
    change(input(root, 'RelayActive'), { checked: false });
    await flushPromises();
    expect(root.querySelectorAll('.relay-setting__changed')).toHaveLength(1);
    root.querySelector<HTMLElement>('.relay-reset')?.click();
    await flushPromises();
    expect(root.querySelectorAll('.relay-setting__changed')).toHaveLength(0);
    expect(prop(input(root, 'RelayActive'), 'checked')).toBe(true);
  });

  it('shows the Apex error when saving is refused', async () => {
    mockSaveSettings.mockRejectedValue({ body: { message: 'The settings were not saved: Lead source is too long.' } });
    const root = await render();
    change(input(root, 'LeadSource'), { value: 'Relay 2' });
    await flushPromises();
    saveButton(root).click();
    await flushPromises();
    const panel = [...root.querySelectorAll('c-error-panel')].find(
      (p) => prop(p, 'friendlyMessage') === "The switches weren't saved.",
    );
    expect(shadow(panel).querySelector('li')?.textContent).toBe(
      'The settings were not saved: Lead source is too long.',
    );
  });

  it('shows an error when the settings cannot be loaded', async () => {
    mockGetSettings.mockRejectedValue({ body: { message: 'You need the Manage Relay permission.' } });
    const root = await render();
    expect(prop(root.querySelector('c-error-panel'), 'friendlyMessage')).toBe("The sync switches couldn't be loaded.");
    expect(root.querySelector('li[data-setting]')).toBeNull();
  });

  it('reads effective values and checks numbers', () => {
    const setting = (extra: Partial<SyncSetting>): SyncSetting => ({
      developerName: 'X',
      label: 'X',
      type: 'Number',
      value: null,
      defaultValue: null,
      description: null,
      choices: null,
      sortOrder: null,
      ...extra,
    });
    expect(effectiveValue(setting({ value: '', defaultValue: 10 }))).toBe('10');
    expect(effectiveValue(setting({ type: 'Boolean', value: 'TRUE' }))).toBe('true');
    // Apex takes digits only ("whole numbers only: no sign"), so the page refuses a sign too.
    expect(numberProblem(setting({}), '-1')).toBe('Enter a whole number.');
    // The bounds are the setting's Minimum__c and Maximum__c, which getSettings returns with it.
    expect(numberProblem(setting({ developerName: 'VisitResyncMinutes', minimum: 1, maximum: 1440 }), '0')).toBe(
      'Enter a whole number from 1 to 1440.',
    );
    expect(numberProblem(setting({}), 'abc')).toBe('Enter a number.');
    expect(numberProblem(setting({ developerName: 'MaxApiSharePercent', minimum: 1, maximum: 100 }), '100')).toBeNull();
  });

  it('refuses exactly the numbers Apex refuses (the shared cases of RelayRuleCases.json)', () => {
    for (const { setting, cases } of RULE_CASES.settings.filter((g) => g.setting.type === 'Number')) {
      const shown: SyncSetting = {
        ...setting,
        value: null,
        defaultValue: null,
        description: null,
        choices: null,
        sortOrder: null,
      };
      for (const c of cases.filter((x) => x.input.trim() !== '')) {
        expect([setting.developerName, c.input, numberProblem(shown, c.input) === null]).toEqual([
          setting.developerName,
          c.input,
          c.refused === undefined,
        ]);
      }
    }
  });

  it('brings a switch another page asked for into view and focuses its input once loaded', async () => {
    const scrolled = jest.fn();
    Object.defineProperty(Element.prototype, 'scrollIntoView', { value: scrolled, configurable: true });
    const element = createElement('c-sync-switches', { is: SyncSwitches });
    Object.assign(element, { focusSetting: { name: 'MonthlyTaskQuota' } });
    document.body.appendChild(element);
    await flushPromises();
    const root = shadow(element);
    const quota = root.querySelector('[data-name="MonthlyTaskQuota"]');
    expect(quota).not.toBeNull();
    expect(root.activeElement).toBe(quota);
    expect(scrolled.mock.contexts).toEqual([quota]);
    // Taken once: a later render does not pull the focus back.
    (root.querySelector('[data-name="RelayActive"]') as HTMLElement).focus();
    Object.assign(element, { focusSetting: null });
    await flushPromises();
    expect(root.activeElement).toBe(root.querySelector('[data-name="RelayActive"]'));
    delete (Element.prototype as { scrollIntoView?: unknown }).scrollIntoView;
  });
});
