import { createElement } from 'lwc';
import EngagementSidebar from 'c/engagementSidebar';
import getEngagement from '@salesforce/apex/RecordSidebarController.getEngagement';
import { refreshApex } from '@salesforce/apex';
import type { createApexTestWireAdapter } from '@salesforce/sfdx-lwc-jest';
import mockEngagement from './data/getEngagement.json';
import mockNextPage from './data/getEngagementNextPage.json';
import mockEmpty from './data/getEngagementEmpty.json';
import mockAccount from './data/getEngagementAccount.json';
import { flushPromises, shadow, prop } from '../../__tests__/lwcTestUtils';

// getEngagement is used both ways: @wire for the first render, imperatively for "Show more".
jest.mock(
  '@salesforce/apex/RecordSidebarController.getEngagement',
  () => {
    const { createApexTestWireAdapter: createAdapter } = jest.requireActual('@salesforce/sfdx-lwc-jest');
    return { default: createAdapter(jest.fn()) };
  },
  { virtual: true },
);

jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });

type WireMock = ReturnType<typeof createApexTestWireAdapter> & jest.Mock;
const getEngagementAdapter = getEngagement as unknown as WireMock;

const RECORD_ID = '003000000000001AAA';

// Lets chained promises settle and LWC re-render: ten microtask turns, enough for an Apex answer
// followed by a re-render (LWC's updates are microtasks too).

function render(props: Record<string, unknown> = {}): HTMLElement {
  const element = createElement('c-engagement-sidebar', { is: EngagementSidebar });
  Object.assign(element, { recordId: RECORD_ID, objectApiName: 'Contact', ...props });
  document.body.appendChild(element);
  return element;
}

function timelineItems(element: HTMLElement): HTMLElement[] {
  const timeline = shadow(element).querySelector('c-engagement-timeline');
  return [...shadow(timeline).querySelectorAll<HTMLElement>('c-engagement-timeline-item')];
}

function itemHeadings(element: HTMLElement): string[] {
  return timelineItems(element).map((item) => shadow(item).querySelector('.relay-item__title')?.textContent ?? '');
}

/** A public property of a base component stub (or any element), read without a type cast. */

function button(element: HTMLElement, selector: string): HTMLElement {
  const found = shadow(element).querySelector<HTMLElement>(selector);
  if (!found) {
    throw new Error(`no ${selector}`);
  }
  return found;
}

describe('c-engagement-sidebar', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
  });

  it('asks for the first page of this record with one wired call and no imperative call', async () => {
    render({ pageSize: 5 });
    await flushPromises();
    expect(getEngagementAdapter.getLastConfig()).toEqual({ recordId: RECORD_ID, cursor: null, pageSize: 5 });
    expect(getEngagementAdapter).not.toHaveBeenCalled();
  });

  it('uses 20 entries per page by default', async () => {
    render();
    await flushPromises();
    expect(getEngagementAdapter.getLastConfig()).toEqual({ recordId: RECORD_ID, cursor: null, pageSize: 20 });
  });

  it('shows a spinner with assistive text while loading', () => {
    const element = render();
    const spinner = shadow(element).querySelector('lightning-spinner');
    expect(spinner).not.toBeNull();
    expect(prop(spinner, 'alternativeText')).toBe('Loading Relay engagement');
    expect(shadow(element).querySelector('c-engagement-summary')).toBeNull();
  });

  it('renders the summary, timeline, match reason and person facts from one answer', async () => {
    const element = render();
    getEngagementAdapter.emit(mockEngagement);
    await flushPromises();

    expect(prop(shadow(element).querySelector('lightning-card'), 'title')).toBe('Relay engagement: Ada Lovelace');
    expect(shadow(element).querySelector('lightning-spinner')).toBeNull();

    const summary = shadow(shadow(element).querySelector('c-engagement-summary'));
    const visits = summary.querySelector('tr[data-row="visits"]');
    expect(visits?.querySelector('.relay-summary__last30')?.textContent).toBe('3');
    expect(visits?.querySelector('.relay-summary__last90')?.textContent).toBe('7');

    expect(itemHeadings(element)).toEqual(['Viewed: Pitch deck', 'Email: Following up', 'Link created: Pricing']);

    const match = shadow(shadow(element).querySelector('c-engagement-match-reason'));
    expect(match.querySelector('.relay-match__reason')?.textContent).toBe(
      'Matched by email ada@example.com to this Contact.',
    );
    expect(summary.querySelector('.relay-signal__reason')?.textContent).toBe('Viewed “Pitch deck” 3 times this week');
    expect(shadow(element).querySelector('c-engagement-people')).toBeNull();

    const person = shadow(shadow(element).querySelector('c-engagement-person-facts'));
    const tags = [...person.querySelectorAll('.relay-person__tag lightning-badge')].map((b) => prop(b, 'label'));
    expect(tags).toEqual(['hot', 'enterprise']);
  });

  it('on an Account: who engaged with links, the match naming this account, no person facts', async () => {
    const element = render({ recordId: '001000000000001AAA', objectApiName: 'Account' });
    getEngagementAdapter.emit(mockAccount);
    await flushPromises();
    const people = shadow(shadow(element).querySelector('c-engagement-people'));
    expect([...people.querySelectorAll('a.relay-people__link')].map((a) => a.getAttribute('href'))).toEqual([
      '/lightning/r/003000000000001AAA/view',
      '/lightning/r/00Q000000000009AAA/view',
    ]);
    const match = shadow(shadow(element).querySelector('c-engagement-match-reason'));
    expect(match.querySelector('.relay-match__reason')?.textContent).toBe(
      'Matched by email ada@example.com to a Contact of this account.',
    );
    expect(shadow(element).querySelector('c-engagement-person-facts')).toBeNull();
    expect(shadow(element).textContent).not.toContain('this person');
  });

  it('passes allowContent down so message bodies stay hidden unless allowed', async () => {
    const element = render();
    getEngagementAdapter.emit(mockEngagement);
    await flushPromises();
    const message = timelineItems(element)[1];
    expect(shadow(message).querySelector('.relay-item__content')).toBeNull();

    getEngagementAdapter.emit({ ...mockEngagement, allowContent: true });
    await flushPromises();
    const allowed = timelineItems(element)[1];
    const content = shadow(allowed).querySelector('.relay-item__content lightning-formatted-text');
    expect(prop(content, 'value')).toBe('Hi Ada, here is the deck we discussed.');
  });

  it('shows the empty state when the record has no activity', async () => {
    const element = render();
    getEngagementAdapter.emit(mockEmpty);
    await flushPromises();
    const timeline = shadow(shadow(element).querySelector('c-engagement-timeline'));
    expect(timeline.querySelector('.relay-timeline__empty')?.textContent).toContain(
      'No Relay activity for this record yet',
    );
    expect(shadow(element).querySelector('.relay-show-more')).toBeNull();
    const match = shadow(shadow(element).querySelector('c-engagement-match-reason'));
    expect(match.querySelector('.relay-match__none')?.textContent).toBe('No Relay event has matched this Contact yet.');
  });

  it('shows the error panel with the reduced message when the call fails', async () => {
    const element = render();
    getEngagementAdapter.error({ message: 'Relay could not reach the companion.' });
    await flushPromises();
    const panel = shadow(element).querySelector('c-error-panel');
    expect(prop(panel, 'friendlyMessage')).toBe("Relay engagement couldn't be loaded.");
    expect(shadow(panel).querySelector('li')?.textContent).toBe('Relay could not reach the companion.');
    expect(shadow(element).querySelector('c-engagement-timeline')).toBeNull();
  });

  it('loads the next page with the cursor on "Show more" and appends it', async () => {
    getEngagementAdapter.mockResolvedValue(mockNextPage);
    const element = render({ pageSize: 3 });
    getEngagementAdapter.emit(mockEngagement);
    await flushPromises();

    button(element, '.relay-show-more').click();
    await flushPromises();

    expect(getEngagementAdapter).toHaveBeenCalledTimes(1);
    expect(getEngagementAdapter).toHaveBeenCalledWith({
      recordId: RECORD_ID,
      cursor: 'eyJ0IjoiMjAyNi0xMS0xOCJ9',
      pageSize: 3,
    });
    expect(itemHeadings(element)).toEqual([
      'Viewed: Pitch deck',
      'Email: Following up',
      'Link created: Pricing',
      'Space created: Acme deal room',
    ]);
    // The last page has no cursor: no more "Show more".
    expect(shadow(element).querySelector('.relay-show-more')).toBeNull();
  });

  it('keeps the loaded entries and shows an error when the next page fails', async () => {
    getEngagementAdapter.mockRejectedValue({ body: { message: 'Read timed out' } });
    const element = render();
    getEngagementAdapter.emit(mockEngagement);
    await flushPromises();

    button(element, '.relay-show-more').click();
    await flushPromises();

    expect(itemHeadings(element)).toHaveLength(3);
    const panel = shadow(element).querySelector('c-error-panel');
    expect(shadow(panel).querySelector('li')?.textContent).toBe('Read timed out');
    expect(shadow(element).querySelector('.relay-show-more')).not.toBeNull();
  });

  it('refreshes the wired answer and drops the appended pages', async () => {
    getEngagementAdapter.mockResolvedValue(mockNextPage);
    const element = render();
    getEngagementAdapter.emit(mockEngagement);
    await flushPromises();
    button(element, '.relay-show-more').click();
    await flushPromises();
    expect(itemHeadings(element)).toHaveLength(4);

    button(element, '.relay-refresh').click();
    await flushPromises();
    expect(refreshApex).toHaveBeenCalledTimes(1);

    // The platform re-provisions the wire after refreshApex.
    getEngagementAdapter.emit(mockEngagement);
    await flushPromises();
    expect(itemHeadings(element)).toHaveLength(3);
  });
});
