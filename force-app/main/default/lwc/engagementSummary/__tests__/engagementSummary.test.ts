import { createElement } from 'lwc';
import EngagementSummary from 'c/engagementSummary';
import { flushPromises } from '../../__tests__/lwcTestUtils';

async function render(summary: unknown): Promise<ShadowRoot> {
  const element = createElement('c-engagement-summary', { is: EngagementSummary });
  Object.assign(element, { summary });
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
});
