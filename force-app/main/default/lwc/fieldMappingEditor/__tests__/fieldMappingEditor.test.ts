import { createElement } from 'lwc';
import FieldMappingEditor from 'c/fieldMappingEditor';
import getMappingEditor from '@salesforce/apex/FieldMappingController.getMappingEditor';
import getTargetFields from '@salesforce/apex/FieldMappingController.getTargetFields';
import saveMappings from '@salesforce/apex/FieldMappingController.saveMappings';
import { subscribe } from 'lightning/empApi';
import type { Mapping, MappingEditorData, TargetField } from 'c/relayTypes';
import { DIRECTIONS } from 'c/mappingCatalog';
import mockEditorJson from './data/getMappingEditor.json';
import mockFieldsJson from './data/getTargetFields.json';
import { flushPromises, shadow, prop } from '../../__tests__/lwcTestUtils';

jest.mock('@salesforce/apex/FieldMappingController.getMappingEditor', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex/FieldMappingController.getTargetFields', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex/FieldMappingController.saveMappings', () => ({ default: jest.fn() }), { virtual: true });

const mockEditor: MappingEditorData = {
  ...mockEditorJson,
  recordMode: 'Lead',
  mappings: mockEditorJson.mappings.map((m) => ({ ...m, direction: m.direction as Mapping['direction'] })),
};
const mockFields: Record<string, TargetField[]> = mockFieldsJson;

const mockGetMappingEditor = jest.mocked(getMappingEditor);
const mockGetTargetFields = jest.mocked(getTargetFields);
const mockSaveMappings = jest.mocked(saveMappings);
const mockSubscribe = jest.mocked(subscribe);

async function render(): Promise<ShadowRoot> {
  const element = createElement('c-field-mapping-editor', { is: FieldMappingEditor });
  document.body.appendChild(element);
  await flushPromises();
  return shadow(element);
}

/** The input of one column (relay-row__platform, __field, __direction, __active, __match-key) of a row. */
function cell(root: ShadowRoot, row: number, column: string): HTMLElement {
  const found = root.querySelector<HTMLElement>(`tr[data-row="${row}"] .relay-row__${column}`);
  if (!found) {
    throw new Error(`row ${row} has no ${column}`);
  }
  return found;
}

/** The section of an object's mappings. */
function group(root: ShadowRoot, objectName: string): HTMLElement {
  const found = root.querySelector<HTMLElement>(`section[data-object="${objectName}"]`);
  if (!found) {
    throw new Error(`no ${objectName} group`);
  }
  return found;
}

async function addTo(root: ShadowRoot, objectName: string): Promise<void> {
  group(root, objectName).querySelector<HTMLElement>('.relay-add')?.click();
  await flushPromises();
}

function change(target: Element, detail: Record<string, unknown>): void {
  target.dispatchEvent(new CustomEvent('change', { detail }));
}

function rowErrors(root: ShadowRoot, row: number): string[] {
  return [...root.querySelectorAll(`tr[data-detail="${row}"] .relay-row__error`)].map((li) => li.textContent ?? '');
}

async function save(root: ShadowRoot): Promise<void> {
  root.querySelector<HTMLElement>('.relay-save')?.click();
  await flushPromises();
}

function savedMappings(): Mapping[] {
  return JSON.parse(mockSaveMappings.mock.calls[0][0].mappingsJson);
}

describe('c-field-mapping-editor', () => {
  beforeEach(() => {
    mockGetMappingEditor.mockResolvedValue(mockEditor);
    mockGetTargetFields.mockImplementation(({ objectName }) => Promise.resolve(mockFields[objectName] ?? []));
  });

  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
  });

  it('loads the mappings and the describe of every object they use', async () => {
    const root = await render();
    expect(mockGetMappingEditor).toHaveBeenCalledTimes(1);
    expect(mockGetTargetFields.mock.calls.map((c) => c[0].objectName).sort()).toEqual([
      'Account',
      'Contact',
      'Lead',
      'Task',
    ]);
    expect(root.querySelectorAll('tr[data-row]')).toHaveLength(9);
    expect(prop(root.querySelector('.relay-mode'), 'value')).toBe('Lead');
    expect(prop(cell(root, 1, 'platform'), 'value')).toBe('email');
    expect(prop(cell(root, 1, 'field'), 'value')).toBe('Email');
    expect(prop(cell(root, 1, 'field'), 'label')).toBe('Target field, row 1');
    expect(prop(cell(root, 1, 'direction'), 'value')).toBe('TwoWay');
    expect(prop(cell(root, 1, 'match-key'), 'checked')).toBe(true);
    // Target pickers list the org's own fields, by label.
    const options = prop(cell(root, 1, 'field'), 'options') as Array<{ label: string; value: string }>;
    expect(options.map((o) => o.value)).toContain('Nickname__c');
    expect(options[0]).toEqual({ label: 'Company (Company)', value: 'Company' });
    // Contact and Account mappings are kept but not used in Lead mode.
    expect(prop(group(root, 'Contact').querySelector('.relay-group__not-in-mode'), 'label')).toBe(
      'Not used with Leads',
    );
    expect(group(root, 'Lead').querySelector('.relay-group__not-in-mode')).toBeNull();
    expect(group(root, 'Task').querySelector('.relay-group__not-in-mode')).toBeNull();
  });

  it('groups the mappings by object, Task mappings included, each under a heading', async () => {
    const root = await render();
    const sections = [...root.querySelectorAll('section.relay-group')];
    expect(sections.map((s) => s.querySelector('h3')?.textContent?.trim())).toEqual([
      'Lead mappings',
      'Contact mappings',
      'Account mappings',
      'Task mappings',
    ]);
    // Each section is named by its heading, and so is its table.
    for (const section of sections) {
      const heading = section.querySelector('h3');
      expect(section.getAttribute('aria-labelledby')).toBe(heading?.id);
      expect(section.querySelector('table')?.getAttribute('aria-labelledby')).toBe(heading?.id);
    }
    const developerNames = (objectName: string) =>
      [...group(root, objectName).querySelectorAll('tr[data-row]')].map((tr) => tr.getAttribute('data-developer-name'));
    expect(developerNames('Lead')).toEqual([
      'Lead_Email',
      'Lead_FirstName',
      'Lead_LastName',
      'Lead_Company',
      'Lead_Title',
    ]);
    expect(developerNames('Contact')).toEqual(['Contact_Email', 'Contact_LastName']);
    expect(developerNames('Account')).toEqual(['Account_Name']);
    expect(developerNames('Task')).toEqual(['Task_DocumentName']);
    expect(prop(cell(root, 9, 'field'), 'value')).toBe('relay__DocumentName__c');
    expect(prop(cell(root, 9, 'active'), 'checked')).toBe(false);
    expect(group(root, 'Task').querySelector('.relay-group__note')?.textContent).toContain('Task field');
    // Every group's table has the same columns, so they line up.
    const columns = sections.map((s) => [...s.querySelectorAll('col')].map((c) => c.className));
    expect(new Set(columns.map((c) => c.join(' '))).size).toBe(1);
    expect(columns[0]).toHaveLength(6);
    expect(sections.map((s) => s.querySelectorAll('thead th').length)).toEqual([6, 6, 6, 6]);
  });

  it('explains every direction and the match key in help text', async () => {
    const root = await render();
    const help = (cls: string) => root.querySelector(`section[data-object="Lead"] thead .${cls}`);
    const direction = prop(help('relay-help_direction'), 'content') as string;
    for (const { label } of DIRECTIONS) {
      expect(direction).toContain(`${label}:`);
    }
    expect(direction).toContain('the later change wins');
    expect(direction).toContain('only while it is blank');
    expect(prop(help('relay-help_direction'), 'alternativeText')).toBe('About directions');
    const matchKey = prop(help('relay-help_match-key'), 'content') as string;
    expect(matchKey).toContain('how Relay finds the person');
    expect(matchKey).toContain('email (or phone)');
  });

  it('offers a match key on Lead and Contact mappings only', async () => {
    const root = await render();
    expect(root.querySelector('tr[data-row="6"] .relay-row__match-key')).not.toBeNull();
    expect(root.querySelector('tr[data-row="8"] .relay-row__match-key')).toBeNull();
    expect(root.querySelector('tr[data-row="8"] .relay-row__no-match-key')?.textContent).toContain(
      'Account mappings have no match key',
    );
    expect(root.querySelector('tr[data-row="9"] .relay-row__match-key')).toBeNull();
  });

  it('saves every mapping with the record mode and follows the deployment', async () => {
    mockSaveMappings.mockResolvedValue({ jobId: '0Af000000000042AAA' });
    const root = await render();
    await save(root);

    expect(mockSaveMappings).toHaveBeenCalledTimes(1);
    expect(mockSaveMappings.mock.calls[0][0].recordMode).toBe('Lead');
    expect(savedMappings()).toEqual(mockEditor.mappings);

    const status = root.querySelector('c-deployment-status');
    expect(prop(status, 'jobId')).toBe('0Af000000000042AAA');
    expect(shadow(status).querySelector('.relay-deployment__text')?.textContent).toContain('Deploying…');
    expect(prop(root.querySelector('.relay-save'), 'disabled')).toBe(true);

    mockSubscribe.mock.calls[0][2]({
      channel: '/event/relay__MetadataDeployment__e',
      data: { payload: { JobId__c: '0Af000000000042AAA', Status__c: 'Failed', Message__c: 'Lead_Title: bad value' } },
    });
    await flushPromises();
    expect(shadow(shadow(status).querySelector('c-error-panel')).querySelector('li')?.textContent).toBe(
      'Lead_Title: bad value',
    );
    expect(prop(root.querySelector('.relay-save'), 'disabled')).toBe(false);
  });

  it('blocks a formula field with the reason on its row and no Apex call', async () => {
    const root = await render();
    change(cell(root, 5, 'field'), { value: 'Score__c' });
    await flushPromises();
    await save(root);

    expect(mockSaveMappings).not.toHaveBeenCalled();
    expect(rowErrors(root, 5)).toEqual([
      'Lead.Score__c is a formula or roll-up field: Salesforce computes it and rejects writes, and the platform takes no calculated values. Pick another field.',
    ]);
    expect(prop(root.querySelector('.relay-summary-errors c-error-panel'), 'friendlyMessage')).toBe(
      'Not saved: fix 1 mapping first.',
    );
  });

  it('blocks a target too short and a type mismatch', async () => {
    const root = await render();
    change(cell(root, 2, 'field'), { value: 'Nickname__c' });
    change(cell(root, 5, 'field'), { value: 'NumberOfEmployees' });
    await flushPromises();
    await save(root);

    expect(mockSaveMappings).not.toHaveBeenCalled();
    expect(rowErrors(root, 2)).toEqual([
      "Lead.Nickname__c holds at most 20 characters but the platform's First name can be 40 long. Pick a longer field.",
    ]);
    expect(rowErrors(root, 5)).toEqual([
      "Type mismatch: Lead.NumberOfEmployees is a number field; the platform's Title sends text values. Pick a field of a matching type.",
    ]);
  });

  it('blocks a required field left unmapped and a missing match key', async () => {
    const root = await render();
    change(cell(root, 4, 'active'), { checked: false });
    change(cell(root, 1, 'match-key'), { checked: false });
    await flushPromises();
    await save(root);

    expect(mockSaveMappings).not.toHaveBeenCalled();
    expect([...root.querySelectorAll('.relay-object-errors li')].map((li) => li.textContent)).toEqual([
      'Lead.Company (Company) is required to create a Lead; map an active platform field to it.',
      "No active Lead mapping is a match key, so Relay couldn't find people among Leads; mark the email (or phone) mapping as the match key.",
    ]);
  });

  it('saves again once the admin fixed the row', async () => {
    mockSaveMappings.mockResolvedValue({ jobId: '0Af000000000043AAA' });
    const root = await render();
    change(cell(root, 5, 'field'), { value: 'Score__c' });
    await flushPromises();
    await save(root);
    expect(mockSaveMappings).not.toHaveBeenCalled();

    change(cell(root, 5, 'field'), { value: 'Title' });
    await flushPromises();
    expect(rowErrors(root, 5)).toEqual([]);
    await save(root);
    expect(mockSaveMappings).toHaveBeenCalledTimes(1);
  });

  it('adds a checkbox mapping with a value map and names it on save', async () => {
    mockSaveMappings.mockResolvedValue({ jobId: '0Af000000000044AAA' });
    const root = await render();
    await addTo(root, 'Lead');
    expect(root.querySelectorAll('tr[data-row]')).toHaveLength(10);
    // The new row ends the Lead group: it is row 6, and the Contact rows follow it.
    expect(group(root, 'Lead').querySelectorAll('tr[data-row]')).toHaveLength(6);
    expect(group(root, 'Lead').querySelector('tr[data-row="6"]')).not.toBeNull();
    expect(root.querySelector('tr[data-row="6"] .relay-row__remove')).not.toBeNull();
    expect(root.querySelector('tr[data-row="1"] .relay-row__remove')).toBeNull();

    change(cell(root, 6, 'platform'), { value: 'leadStatus' });
    change(cell(root, 6, 'field'), { value: 'Status' });
    await flushPromises();
    const valueMap = root.querySelector('tr[data-detail="6"] c-value-map-editor');
    expect(prop(valueMap, 'options')).toEqual([
      { value: 'Open - Not Contacted', label: 'Open - Not Contacted' },
      { value: 'Working - Contacted', label: 'Working - Contacted' },
      { value: 'Closed - Converted', label: 'Closed - Converted' },
    ]);
    valueMap?.dispatchEvent(new CustomEvent('change', { detail: { valueMap: { new: 'Open - Not Contacted' } } }));
    await flushPromises();
    await save(root);

    expect(mockSaveMappings).toHaveBeenCalledTimes(1);
    expect(savedMappings()[5]).toEqual({
      developerName: 'Lead_Status',
      platformField: 'leadStatus',
      targetObject: 'Lead',
      targetField: 'Status',
      direction: 'PlatformToSalesforce',
      valueMap: { new: 'Open - Not Contacted' },
      active: true,
      isMatchField: false,
    });
  });

  it('removes a new row', async () => {
    const root = await render();
    await addTo(root, 'Account');
    expect(group(root, 'Account').querySelectorAll('tr[data-row]')).toHaveLength(2);
    root.querySelector<HTMLElement>('tr[data-row="9"] .relay-row__remove')?.click();
    await flushPromises();
    expect(root.querySelectorAll('tr[data-row]')).toHaveLength(9);
    expect(group(root, 'Account').querySelectorAll('tr[data-row]')).toHaveLength(1);
  });

  it('switches to Contact + Account mode and saves it', async () => {
    mockSaveMappings.mockResolvedValue({ jobId: '0Af000000000045AAA' });
    const root = await render();
    change(root.querySelector('.relay-mode') as Element, { value: 'ContactAccount' });
    await flushPromises();
    expect(group(root, 'Contact').querySelector('.relay-group__not-in-mode')).toBeNull();
    expect(prop(group(root, 'Lead').querySelector('.relay-group__not-in-mode'), 'label')).toBe(
      'Not used with Contacts and Accounts',
    );
    await save(root);
    expect(mockSaveMappings.mock.calls[0][0].recordMode).toBe('ContactAccount');
  });

  it("adds a Task mapping that offers the Task's fields", async () => {
    mockSaveMappings.mockResolvedValue({ jobId: '0Af000000000046AAA' });
    const root = await render();
    await addTo(root, 'Task');
    expect(group(root, 'Task').querySelectorAll('tr[data-row]')).toHaveLength(2);
    expect(prop(cell(root, 10, 'field'), 'value')).toBe('');
    expect(prop(cell(root, 10, 'field'), 'label')).toBe('Target field, row 10');
    change(cell(root, 10, 'platform'), { value: 'visit.durationSeconds' });
    change(cell(root, 10, 'field'), { value: 'relay__DurationSeconds__c' });
    await flushPromises();
    await save(root);
    expect(savedMappings()[9]).toMatchObject({
      developerName: 'Task_relay_DurationSeconds',
      targetObject: 'Task',
      targetField: 'relay__DurationSeconds__c',
      active: true,
      isMatchField: false,
    });
    const options = prop(cell(root, 9, 'field'), 'options') as Array<{ value: string }>;
    expect(options.map((o) => o.value)).toEqual(['relay__DocumentName__c', 'relay__DurationSeconds__c', 'Subject']);
  });

  it("shows Apex's refusal when the save is rejected", async () => {
    mockSaveMappings.mockRejectedValue({ body: { message: 'Lead_Title (title → Lead.Title): too short [TOO_SHORT]' } });
    const root = await render();
    await save(root);
    const panel = [...root.querySelectorAll('c-error-panel')].find(
      (p) => prop(p, 'friendlyMessage') === "The mappings weren't saved.",
    );
    expect(shadow(panel).querySelector('li')?.textContent).toBe(
      'Lead_Title (title → Lead.Title): too short [TOO_SHORT]',
    );
  });

  it('shows an error for an object whose fields cannot be described', async () => {
    mockGetTargetFields.mockImplementation(({ objectName }) => {
      if (objectName === 'Account') {
        return Promise.reject({ body: { message: 'Insufficient access' } });
      }
      return Promise.resolve(mockFields[objectName] ?? []);
    });
    const root = await render();
    const panel = [...root.querySelectorAll('c-error-panel')].find(
      (p) => prop(p, 'friendlyMessage') === "The fields of Account couldn't be loaded.",
    );
    expect(shadow(panel).querySelector('li')?.textContent).toBe('Insufficient access');
  });

  it('shows an error when the mappings cannot be loaded', async () => {
    mockGetMappingEditor.mockRejectedValue({ body: { message: 'You need the Manage Relay permission.' } });
    const root = await render();
    expect(prop(root.querySelector('c-error-panel'), 'friendlyMessage')).toBe("The field mappings couldn't be loaded.");
    expect(root.querySelector('table')).toBeNull();
    expect(mockGetTargetFields).not.toHaveBeenCalled();
  });

  it('brings the mapping of a field another page named into view, matching the name in any case', async () => {
    const scrolled = jest.fn();
    Object.defineProperty(Element.prototype, 'scrollIntoView', { value: scrolled, configurable: true });
    const element = createElement('c-field-mapping-editor', { is: FieldMappingEditor });
    Object.assign(element, { focusField: { name: 'firstname' } });
    document.body.appendChild(element);
    await flushPromises();
    const root = shadow(element);
    const row = root.querySelector('tr[data-developer-name="Lead_FirstName"]');
    expect(scrolled.mock.contexts).toEqual([row?.querySelector('lightning-combobox[data-field="targetField"]')]);
    delete (Element.prototype as { scrollIntoView?: unknown }).scrollIntoView;
  });
});
