import { createElement } from 'lwc';
import ErrorPanel from 'c/errorPanel';
import { flushPromises } from '../../__tests__/lwcTestUtils';

// Lets LWC re-render: its updates are microtasks, so one resolved promise is enough.

function render(props: Record<string, unknown>): HTMLElement {
  const element = createElement('c-error-panel', { is: ErrorPanel });
  Object.assign(element, props);
  document.body.appendChild(element);
  return element;
}

describe('c-error-panel', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
  });

  it('shows the friendly message as an alert', async () => {
    const element = render({ friendlyMessage: 'Could not load engagement.' });
    await flushPromises();
    const alert = element.shadowRoot!.querySelector('[role="alert"]');
    expect(alert).not.toBeNull();
    expect(element.shadowRoot!.querySelector('h2')!.textContent).toBe('Could not load engagement.');
  });

  it('lists every reduced message in the details', async () => {
    const element = render({
      friendlyMessage: 'Save failed.',
      errors: [{ body: { message: 'First problem' } }, new Error('Second problem')],
    });
    await flushPromises();
    const items = [...element.shadowRoot!.querySelectorAll('li')].map((li) => li.textContent);
    expect(items).toEqual(['First problem', 'Second problem']);
    expect(element.shadowRoot!.querySelector('summary')!.textContent).toBe('Show details (2)');
  });

  it('shows no details section when there is nothing to detail', async () => {
    const element = render({ friendlyMessage: 'Nothing else to say.' });
    await flushPromises();
    expect(element.shadowRoot!.querySelector('details')).toBeNull();
  });

  it('updates when the errors change', async () => {
    const element = render({ errors: 'one' }) as HTMLElement & { errors: unknown };
    await flushPromises();
    element.errors = ['one', 'two'];
    await flushPromises();
    expect(element.shadowRoot!.querySelectorAll('li')).toHaveLength(2);
  });
});
