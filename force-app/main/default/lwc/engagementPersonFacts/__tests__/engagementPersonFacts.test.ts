import { createElement } from 'lwc';
import EngagementPersonFacts from 'c/engagementPersonFacts';
import { flushPromises } from '../../__tests__/lwcTestUtils';

async function render(person: unknown): Promise<ShadowRoot> {
  const element = createElement('c-engagement-person-facts', { is: EngagementPersonFacts });
  Object.assign(element, { person });
  document.body.appendChild(element);
  await flushPromises();
  if (!element.shadowRoot) {
    throw new Error('no shadow root');
  }
  return element.shadowRoot;
}

function labels(root: ShadowRoot, selector: string): unknown[] {
  return [...root.querySelectorAll(selector)].map((badge) => Reflect.get(badge, 'label'));
}

describe('c-engagement-person-facts', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
  });

  it('lists lists and tags as badges and the last visit, read-only', async () => {
    const root = await render({
      email: 'ada@example.com',
      lists: ['Webinar November', 'Newsletter'],
      tags: ['hot'],
      lastSeenAt: '2026-11-20T10:00:00.000Z',
    });
    expect(root.querySelector('.relay-person__email')?.textContent).toBe('ada@example.com');
    expect(labels(root, '.relay-person__list lightning-badge')).toEqual(['Webinar November', 'Newsletter']);
    expect(labels(root, '.relay-person__tag lightning-badge')).toEqual(['hot']);
    // lightning-relative-date-time takes a timestamp or a Date, not an ISO string.
    expect(Reflect.get(root.querySelector('lightning-relative-date-time') ?? {}, 'value')).toBe(
      Date.parse('2026-11-20T10:00:00.000Z'),
    );
    expect(root.querySelector('lightning-input, lightning-combobox, button')).toBeNull();
  });

  it('says None and Never for empty facts', async () => {
    const root = await render({ email: null, lists: [], tags: null, lastSeenAt: null });
    expect(root.querySelector('.relay-person__lists')?.textContent).toBe('None');
    expect(root.querySelector('.relay-person__tags')?.textContent).toBe('None');
    expect(root.querySelector('.relay-person__last-seen')?.textContent).toBe('Never');
  });

  it('says so when the platform sent nothing', async () => {
    const root = await render(null);
    expect(root.querySelector('.relay-person__none')?.textContent?.trim()).toBe(
      "The platform hasn't shared anything about this person yet.",
    );
  });
});
