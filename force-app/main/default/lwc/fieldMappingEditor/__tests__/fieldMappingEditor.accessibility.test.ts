import { createElement } from 'lwc';
import FieldMappingEditor from 'c/fieldMappingEditor';
import getMappingEditor from '@salesforce/apex/FieldMappingController.getMappingEditor';
import getTargetFields from '@salesforce/apex/FieldMappingController.getTargetFields';
import type { Mapping, MappingEditorData, TargetField } from 'c/relayTypes';
import mockEditorJson from './data/getMappingEditor.json';
import mockFieldsJson from './data/getTargetFields.json';
import { flushPromises } from '../../__tests__/lwcTestUtils';

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

async function render(): Promise<HTMLElement> {
  const element = createElement('c-field-mapping-editor', { is: FieldMappingEditor });
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

describe('c-field-mapping-editor accessibility', () => {
  beforeEach(() => {
    jest.mocked(getMappingEditor).mockResolvedValue(mockEditor);
    jest.mocked(getTargetFields).mockImplementation(({ objectName }) => Promise.resolve(mockFields[objectName] ?? []));
  });

  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
  });

  it('is accessible with the mappings grouped by object', async () => {
    const element = await render();
    expect(element.shadowRoot?.querySelectorAll('section.relay-group')).toHaveLength(4);
    await expect(element).toBeAccessible();
  });

  it('is accessible with a new row and the reasons a save was refused', async () => {
    const element = await render();
    element.shadowRoot?.querySelector<HTMLElement>('section[data-object="Task"] .relay-add')?.click();
    await flushPromises();
    element.shadowRoot?.querySelector<HTMLElement>('.relay-save')?.click();
    await flushPromises();
    expect(element.shadowRoot?.querySelector('.relay-row__error')).not.toBeNull();
    await expect(element).toBeAccessible();
  });

  it('is accessible with no mapping at all', async () => {
    jest.mocked(getMappingEditor).mockResolvedValue({ ...mockEditor, mappings: [] });
    const element = await render();
    expect(element.shadowRoot?.querySelectorAll('.relay-group__empty')).toHaveLength(4);
    await expect(element).toBeAccessible();
  });
});
