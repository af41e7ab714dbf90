import { createElement } from 'lwc';
import EngagementTimeline from 'c/engagementTimeline';
import { flushPromises } from '../../__tests__/lwcTestUtils';

async function render(props: Record<string, unknown>): Promise<ShadowRoot> {
  const element = createElement('c-engagement-timeline', { is: EngagementTimeline });
  Object.assign(element, props);
  document.body.appendChild(element);
  await flushPromises();
  if (!element.shadowRoot) {
    throw new Error('no shadow root');
  }
  return element.shadowRoot;
}

const item = (id: string) => ({
  id,
  type: 'relay.visit',
  occurredAt: '2026-11-20T10:00:00.000Z',
  syncStatus: 'synced',
});

describe('c-engagement-timeline', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
  });

  it('renders one list entry per item, passing allowContent on', async () => {
    const root = await render({ items: [item('a'), item('b')], allowContent: true });
    const entries = root.querySelectorAll('ul.slds-timeline > li > c-engagement-timeline-item');
    expect(entries).toHaveLength(2);
    expect(Reflect.get(entries[0], 'allowContent')).toBe(true);
    expect(Reflect.get(entries[1], 'item')).toMatchObject({ id: 'b' });
  });

  it('shows the empty state without items', async () => {
    const root = await render({ items: [] });
    expect(root.querySelector('ul')).toBeNull();
    expect(root.querySelector('.relay-timeline__empty')?.textContent).toContain(
      'No Relay activity for this record yet',
    );
  });
});
