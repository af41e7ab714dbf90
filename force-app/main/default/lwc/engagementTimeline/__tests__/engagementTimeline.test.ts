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

const item = (id: string, type = 'relay.visit', occurredAt = '2026-11-20T10:00:00.000Z') => ({
  id,
  type,
  occurredAt,
  syncStatus: 'synced',
});

// Local times, so the day headings hold in any time zone the tests run in.
const local = (day: number, hour: number) => new Date(2026, 10, day, hour).toISOString();
const mixed = [
  item('v2', 'relay.visit', local(20, 15)),
  item('m1', 'relay.message.sent', local(20, 9)),
  item('l1', 'relay.link.created', local(19, 18)),
  item('v1', 'relay.visit', local(18, 8)),
];

const ids = (root: ShadowRoot) =>
  [...root.querySelectorAll('c-engagement-timeline-item')].map((e) => (Reflect.get(e, 'item') as { id: string }).id);

async function choose(root: ShadowRoot, value: string): Promise<void> {
  const select = root.querySelector<HTMLSelectElement>('select.relay-timeline__kind')!;
  select.value = value;
  select.dispatchEvent(new CustomEvent('change'));
  await flushPromises();
}

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

  it('groups the entries under one heading per day, newest first', async () => {
    const root = await render({ items: mixed });
    const days = [...root.querySelectorAll('.relay-timeline__day')];
    expect(days.map((d) => d.getAttribute('data-day'))).toEqual(['2026-11-20', '2026-11-19', '2026-11-18']);
    expect(days[0]?.querySelectorAll('li')).toHaveLength(2);
    expect(days[0]?.querySelector('h4')?.textContent).toMatch(/Friday/);
    expect(ids(root)).toEqual(['v2', 'm1', 'l1', 'v1']);
  });

  it('filters by kind, with the count of each kind in its option', async () => {
    const root = await render({ items: [...mixed, item('t1', 'relay.touchpoint.logged', local(17, 8))] });
    const options = [...root.querySelectorAll('option')].map((o) => o.textContent?.trim());
    expect(options).toEqual(['All activity (5)', 'Visits (2)', 'Links and spaces (1)', 'Messages and touchpoints (2)']);
    await choose(root, 'visits');
    expect(ids(root)).toEqual(['v2', 'v1']);
    await choose(root, 'messages');
    expect(ids(root)).toEqual(['m1', 't1']);
    await choose(root, 'shares');
    expect(ids(root)).toEqual(['l1']);
  });

  it('says so when no loaded activity is of the chosen kind', async () => {
    const root = await render({ items: [item('a')] });
    await choose(root, 'messages');
    expect(root.querySelector('ul')).toBeNull();
    expect(root.querySelector('.relay-timeline__none')?.textContent).toContain('None of the loaded activity');
  });

  it('is accessible with day groups and the filter', async () => {
    await render({ items: mixed });
    await expect(document.body.firstChild as HTMLElement).toBeAccessible();
  });

  it('shows the empty state without items', async () => {
    const root = await render({ items: [] });
    expect(root.querySelector('ul')).toBeNull();
    expect(root.querySelector('.relay-timeline__empty')?.textContent).toContain(
      'No Relay activity for this record yet',
    );
  });
});
