import { createElement } from 'lwc';
import EngagementTimelineItem from 'c/engagementTimelineItem';
import type { EngagementItem } from 'c/relayTypes';
import { flushPromises, prop } from '../../__tests__/lwcTestUtils';

const base: EngagementItem = {
  id: 'demo:x',
  type: 'relay.visit',
  occurredAt: '2026-11-20T10:00:00.000Z',
  title: null,
  documentName: null,
  durationSeconds: null,
  percentViewed: null,
  statsUrl: null,
  channel: null,
  subject: null,
  content: null,
  visitors: null,
  taskId: null,
  syncStatus: 'synced',
};

async function render(item: Partial<EngagementItem>, allowContent = false): Promise<ShadowRoot> {
  const element = createElement('c-engagement-timeline-item', { is: EngagementTimelineItem });
  Object.assign(element, { item: { ...base, ...item }, allowContent });
  document.body.appendChild(element);
  await flushPromises();
  if (!element.shadowRoot) {
    throw new Error('no shadow root');
  }
  return element.shadowRoot;
}

describe('c-engagement-timeline-item', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
  });

  it('shows a visit with document, formatted duration, share viewed and the statistics link', async () => {
    const root = await render({
      title: 'Viewed: Pitch deck',
      documentName: 'Pitch deck',
      durationSeconds: 3725,
      percentViewed: 80,
      statsUrl: 'https://app.example.com/stats/1',
      taskId: '00T000000000042AAA',
    });
    expect(root.querySelector('.relay-item__title')?.textContent).toBe('Viewed: Pitch deck');
    expect(root.querySelector('.relay-item__document')?.textContent).toBe('Pitch deck');
    expect(root.querySelector('.relay-item__duration')?.textContent).toBe('1 h 2 min');
    expect(prop(root.querySelector('.relay-item__viewed lightning-formatted-number'), 'value')).toBe(0.8);
    const stats = root.querySelector<HTMLAnchorElement>('a.relay-item__stats');
    expect(stats?.href).toBe('https://app.example.com/stats/1');
    expect(stats?.target).toBe('_blank');
    expect(stats?.rel).toBe('noopener noreferrer');
    expect(stats?.textContent).toBe('Full statistics for Pitch deck (opens in a new tab)');
    expect(root.querySelector<HTMLAnchorElement>('a.relay-item__task')?.getAttribute('href')).toBe(
      '/lightning/r/Task/00T000000000042AAA/view',
    );
    expect(prop(root.querySelector('.relay-item__icon lightning-icon'), 'iconName')).toBe('utility:preview');
    expect(prop(root.querySelector('.relay-item__icon lightning-icon'), 'alternativeText')).toBe('Document visit');
  });

  // The script URI is the input under test, not code this test runs.
  // eslint-disable-next-line no-script-url
  it.each([['javascript:alert(document.domain)'], ['data:text/html,<script>1</script>'], ['//x.example']])(
    'does not link statistics at %s: only web addresses go into the href',
    async (statsUrl) => {
      // statsUrl comes from the engagement platform; a script or data URI in an href would run in
      // the record page when a rep clicks it.
      const root = await render({ documentName: 'Pitch deck', statsUrl });
      expect(root.querySelector('a.relay-item__stats')).toBeNull();
    },
  );

  it('links statistics at an http address whatever the scheme case', async () => {
    const root = await render({ documentName: 'Pitch deck', statsUrl: 'HTTP://app.example.com/stats/2' });
    expect(root.querySelector<HTMLAnchorElement>('a.relay-item__stats')?.getAttribute('href')).toBe(
      'HTTP://app.example.com/stats/2',
    );
  });

  it('shows a message with its channel icon and subject, and hides the content unless allowed', async () => {
    const message = {
      type: 'relay.message.sent',
      title: 'Email: Following up',
      channel: 'linkedin',
      subject: 'Following up',
      content: 'Hi Ada',
    };
    let root = await render(message, false);
    expect(root.querySelector('.relay-item__channel')?.textContent).toBe('LinkedIn');
    expect(root.querySelector('.relay-item__subject')?.textContent).toBe('Following up');
    expect(prop(root.querySelector('.relay-item__icon lightning-icon'), 'iconName')).toBe('utility:socialshare');
    expect(prop(root.querySelector('.relay-item__icon lightning-icon'), 'alternativeText')).toBe('Message by LinkedIn');
    expect(root.querySelector('.relay-item__content')).toBeNull();

    document.body.removeChild(document.body.firstChild as Node);
    root = await render(message, true);
    expect(prop(root.querySelector('.relay-item__content lightning-formatted-text'), 'value')).toBe('Hi Ada');
  });

  it('lists the visitors of a created link', async () => {
    const root = await render({
      type: 'relay.link.created',
      title: 'Link created: Pricing',
      documentName: 'Pricing',
      visitors: ['ada@example.com', 'grace@example.com'],
    });
    expect(root.querySelector('.relay-item__visitors .slds-text-title')?.textContent).toBe('2 visitors');
    expect([...root.querySelectorAll('.relay-item__visitor')].map((li) => li.textContent)).toEqual([
      'ada@example.com',
      'grace@example.com',
    ]);
    expect(root.querySelector('.relay-item__duration')).toBeNull();
  });

  it('is one line until its title button is pressed: aria-expanded and the details follow', async () => {
    const root = await render({ title: 'Viewed: Pitch deck', documentName: 'Pitch deck', durationSeconds: 60 });
    const toggle = root.querySelector<HTMLButtonElement>('button.relay-item__toggle');
    const details = root.querySelector<HTMLElement>('.relay-item__details');
    expect(toggle?.getAttribute('aria-expanded')).toBe('false');
    expect(details?.hidden).toBe(true);
    expect(root.querySelector('.relay-item__when')?.textContent).not.toBe('');
    toggle?.click();
    await flushPromises();
    expect(toggle?.getAttribute('aria-expanded')).toBe('true');
    expect(details?.hidden).toBe(false);
    expect(prop(root.querySelector('.relay-item__chevron'), 'iconName')).toBe('utility:chevrondown');
    toggle?.click();
    await flushPromises();
    expect(details?.hidden).toBe(true);
  });

  it('is accessible collapsed and expanded', async () => {
    await render({ title: 'Viewed: Pitch deck', documentName: 'Pitch deck', statsUrl: 'https://a.example/s' });
    const element = document.body.firstChild as HTMLElement;
    await expect(element).toBeAccessible();
    element.shadowRoot?.querySelector<HTMLButtonElement>('button.relay-item__toggle')?.click();
    await flushPromises();
    await expect(element).toBeAccessible();
  });

  it('shows no sync badge for a synced activity: only states that need attention are drawn', async () => {
    const root = await render({ type: 'relay.space.created', title: 'Space created', syncStatus: 'synced' });
    expect(root.querySelector('lightning-badge.relay-sync-status')).toBeNull();
  });

  it.each([
    ['pending', 'Pending', 'slds-badge_lightest'],
    ['retrying', 'Retrying', 'slds-theme_warning'],
    ['failed', 'Failed', 'slds-theme_error'],
  ])('shows sync status %s as a badge', async (syncStatus, label, themeClass) => {
    const root = await render({ type: 'relay.space.created', title: 'Space created', syncStatus });
    const badge = root.querySelector('lightning-badge.relay-sync-status');
    expect(prop(badge, 'label')).toBe(label);
    expect(badge?.classList.contains(themeClass)).toBe(true);
  });

  it('falls back to the subject or the type when there is no title', async () => {
    const root = await render({ type: 'relay.touchpoint.logged', channel: 'call', subject: null, title: null });
    expect(root.querySelector('.relay-item__title')?.textContent).toBe('Touchpoint by Call');
  });
});
