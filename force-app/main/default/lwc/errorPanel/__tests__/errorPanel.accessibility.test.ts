import { createElement } from 'lwc';
import ErrorPanel from 'c/errorPanel';
import { flushPromises } from '../../__tests__/lwcTestUtils';

// Lets LWC re-render: its updates are microtasks, so one resolved promise is enough.

describe('c-error-panel accessibility', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
  });

  it('is accessible with details', async () => {
    const element = createElement('c-error-panel', { is: ErrorPanel });
    Object.assign(element, { friendlyMessage: 'Save failed.', errors: [new Error('Company is required')] });
    document.body.appendChild(element);
    await flushPromises();
    await expect(element).toBeAccessible();
  });
});
