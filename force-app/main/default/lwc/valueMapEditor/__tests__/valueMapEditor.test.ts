import { createElement } from 'lwc';
import ValueMapEditor from 'c/valueMapEditor';
import { flushPromises, shadow } from '../../__tests__/lwcTestUtils';

function render(props: Record<string, unknown>): HTMLElement {
  const element = createElement('c-value-map-editor', { is: ValueMapEditor });
  Object.assign(element, { fieldLabel: 'Lead.Rating', options: [{ value: 'Hot', label: 'Hot' }], ...props });
  document.body.appendChild(element);
  return element;
}

function change(target: Element | null, detail: Record<string, unknown>): void {
  target?.dispatchEvent(new CustomEvent('change', { detail }));
}

describe('c-value-map-editor', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
  });

  it('shows one labelled row per mapped value', async () => {
    const element = render({ valueMap: { hot: 'Hot', warm: 'Warm' } });
    await flushPromises();
    const inputs = shadow(element).querySelectorAll('.relay-value-map__platform');
    expect([...inputs].map((i) => Reflect.get(i, 'value'))).toEqual(['hot', 'warm']);
    expect(Reflect.get(inputs[1], 'label')).toBe('Platform value 2 for Lead.Rating');
    const combo = shadow(element).querySelector('.relay-value-map__salesforce');
    expect(Reflect.get(combo ?? {}, 'options')).toEqual([{ value: 'Hot', label: 'Hot' }]);
    expect(Reflect.get(combo ?? {}, 'label')).toBe('Salesforce value 1 for Lead.Rating');
  });

  it('reports the whole map when a row is added, edited and removed', async () => {
    const element = render({ valueMap: null });
    const changes = jest.fn();
    element.addEventListener('change', changes);
    await flushPromises();
    expect(shadow(element).querySelector('.relay-value-map__empty')).not.toBeNull();

    shadow(element).querySelector<HTMLElement>('.relay-value-map__add')?.click();
    await flushPromises();
    change(shadow(element).querySelector('.relay-value-map__platform'), { value: 'hot' });
    change(shadow(element).querySelector('.relay-value-map__salesforce'), { value: 'Hot' });
    await flushPromises();
    expect(changes.mock.calls.map((call) => call[0].detail.valueMap)).toEqual([
      { '': '' },
      { hot: '' },
      { hot: 'Hot' },
    ]);

    shadow(element).querySelector<HTMLElement>('.relay-value-map__remove')?.click();
    expect(changes.mock.calls[3][0].detail.valueMap).toEqual({});
  });

  it('flags a platform value listed twice', async () => {
    const element = render({ valueMap: { hot: 'Hot' } });
    await flushPromises();
    shadow(element).querySelector<HTMLElement>('.relay-value-map__add')?.click();
    await flushPromises();
    change(shadow(element).querySelectorAll('.relay-value-map__platform')[1], { value: 'hot' });
    await flushPromises();
    expect(shadow(element).textContent).toContain('This platform value is listed twice; the last row wins.');
  });
});
