import { createElement } from 'lwc';
import EngagementMatchReason from 'c/engagementMatchReason';
import { flushPromises } from '../../__tests__/lwcTestUtils';

async function render(match: unknown): Promise<ShadowRoot> {
  const element = createElement('c-engagement-match-reason', { is: EngagementMatchReason });
  Object.assign(element, { match });
  document.body.appendChild(element);
  await flushPromises();
  if (!element.shadowRoot) {
    throw new Error('no shadow root');
  }
  return element.shadowRoot;
}

describe('c-engagement-match-reason', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
  });

  it('explains the match with the property and value', async () => {
    const root = await render({ reason: 'matched Contact by email', matchedBy: 'email', value: 'ada@example.com' });
    expect(root.querySelector('.relay-match__reason')?.textContent).toBe('matched Contact by email');
    expect(root.querySelector('.relay-match__by')?.textContent).toBe('Email');
    expect(root.querySelector('.relay-match__value')?.textContent).toBe('ada@example.com');
  });

  it('shows the reason alone when there is no value', async () => {
    const root = await render({ reason: 'matched Account by name', matchedBy: 'accountName', value: null });
    expect(root.querySelector('.relay-match__reason')?.textContent).toBe('matched Account by name');
    expect(root.querySelector('.relay-match__by')).toBeNull();
  });

  it('says so when nothing matched', async () => {
    const root = await render(null);
    expect(root.querySelector('.relay-match__none')?.textContent).toBe('No Relay event has matched this record yet.');
  });
});
