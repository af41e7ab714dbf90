import { createElement } from 'lwc';
import EngagementSummary from 'c/engagementSummary';
import { flushPromises } from '../../__tests__/lwcTestUtils';

async function render(summary: unknown, signal: unknown = null): Promise<ShadowRoot> {
  const element = createElement('c-engagement-summary', { is: EngagementSummary });
  Object.assign(element, { summary, signal });
  document.body.appendChild(element);
  await flushPromises();
  if (!element.shadowRoot) {
    throw new Error('no shadow root');
  }
  return element.shadowRoot;
}

function counts(root: ShadowRoot): string[][] {
  return [...root.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((cell) => cell.textContent ?? ''));
}

describe('c-engagement-summary', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
  });

  it('shows the last activity and the 30 and 90 day counts', async () => {
    const root = await render({
      lastActivityAt: '2026-11-20T10:00:00.000Z',
      last30Days: { visits: 3, documents: 2, messages: 5 },
      last90Days: { visits: 7, documents: 4, messages: 9 },
    });
    // lightning-relative-date-time takes a timestamp or a Date, not an ISO string.
    expect(Reflect.get(root.querySelector('lightning-relative-date-time') ?? {}, 'value')).toBe(
      Date.parse('2026-11-20T10:00:00.000Z'),
    );
    expect(counts(root)).toEqual([
      ['Visits', '3', '7'],
      ['Documents viewed', '2', '4'],
      ['Messages', '5', '9'],
    ]);
    expect(Reflect.get(root.querySelector('lightning-formatted-date-time') ?? {}, 'value')).toBe(
      '2026-11-20T10:00:00.000Z',
    );
  });

  it('says "none yet" and shows zeros without a summary', async () => {
    const root = await render(null);
    expect(root.querySelector('.relay-summary__none')?.textContent).toBe('none yet');
    expect(counts(root).map((row) => row.slice(1))).toEqual([
      ['0', '0'],
      ['0', '0'],
      ['0', '0'],
    ]);
  });

  it('shows the engagement signal: level, score, reason in words and the trend, accessibly', async () => {
    const root = await render(null, {
      score: 72,
      level: 'hot',
      trend: 'rising',
      reason: 'Viewed “Pricing deck” 3 times this week',
    });
    const badge = root.querySelector('lightning-badge.relay-signal__level');
    expect(Reflect.get(badge ?? {}, 'label')).toBe('Hot');
    expect(badge?.classList.contains('slds-theme_error')).toBe(true);
    expect(root.querySelector('.relay-signal__score')?.textContent).toBe('Score 72 of 100');
    expect(root.querySelector('.relay-signal__reason')?.textContent).toBe('Viewed “Pricing deck” 3 times this week');
    expect(root.querySelector('.relay-signal__trend')?.textContent?.trim()).toMatch(/^Rising: more activity/);
    await expect(document.body.firstChild as HTMLElement).toBeAccessible();
  });

  it('shows no trend line when there is nothing to compare, and no signal box without a signal', async () => {
    let root = await render(null, {
      score: 0,
      level: 'none',
      trend: 'none',
      reason: 'No activity in the last 90 days',
    });
    expect(Reflect.get(root.querySelector('lightning-badge') ?? {}, 'label')).toBe('No recent activity');
    expect(root.querySelector('.relay-signal__trend')).toBeNull();
    document.body.removeChild(document.body.firstChild as Node);
    root = await render(null);
    expect(root.querySelector('.relay-signal')).toBeNull();
    await expect(document.body.firstChild as HTMLElement).toBeAccessible();
  });
});
