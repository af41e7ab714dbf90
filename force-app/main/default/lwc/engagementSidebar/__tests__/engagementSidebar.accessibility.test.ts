import { createElement } from 'lwc';
import EngagementSidebar from 'c/engagementSidebar';
import getEngagement from '@salesforce/apex/RecordSidebarController.getEngagement';
import type { createApexTestWireAdapter } from '@salesforce/sfdx-lwc-jest';
import mockEngagement from './data/getEngagement.json';
import mockEmpty from './data/getEngagementEmpty.json';
import mockAccount from './data/getEngagementAccount.json';
import { flushPromises } from '../../__tests__/lwcTestUtils';

jest.mock(
  '@salesforce/apex/RecordSidebarController.getEngagement',
  () => {
    const { createApexTestWireAdapter: createAdapter } = jest.requireActual('@salesforce/sfdx-lwc-jest');
    return { default: createAdapter(jest.fn()) };
  },
  { virtual: true },
);

type WireMock = ReturnType<typeof createApexTestWireAdapter> & jest.Mock;
const getEngagementAdapter = getEngagement as unknown as WireMock;

function render(recordId = '003000000000001AAA', objectApiName = 'Contact'): HTMLElement {
  const element = createElement('c-engagement-sidebar', { is: EngagementSidebar });
  Object.assign(element, { recordId, objectApiName });
  document.body.appendChild(element);
  return element;
}

describe('c-engagement-sidebar accessibility', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
  });

  it('is accessible while loading', async () => {
    const element = render();
    await flushPromises();
    await expect(element).toBeAccessible();
  });

  it('is accessible with a full timeline, message content shown', async () => {
    const element = render();
    getEngagementAdapter.emit({ ...mockEngagement, allowContent: true });
    await flushPromises();
    await expect(element).toBeAccessible();
  });

  it('is accessible on an Account with its people and an expanded activity', async () => {
    const element = render('001000000000001AAA', 'Account');
    getEngagementAdapter.emit(mockAccount);
    await flushPromises();
    const timeline = element.shadowRoot?.querySelector('c-engagement-timeline');
    const item = timeline?.shadowRoot?.querySelector('c-engagement-timeline-item');
    item?.shadowRoot?.querySelector<HTMLButtonElement>('button.relay-item__toggle')?.click();
    await flushPromises();
    expect(item?.shadowRoot?.querySelector('button')?.getAttribute('aria-expanded')).toBe('true');
    await expect(element).toBeAccessible();
  });

  it('is accessible when empty', async () => {
    const element = render();
    getEngagementAdapter.emit(mockEmpty);
    await flushPromises();
    await expect(element).toBeAccessible();
  });

  it('is accessible with an error', async () => {
    const element = render();
    getEngagementAdapter.error({ message: 'Relay could not reach the companion.' });
    await flushPromises();
    await expect(element).toBeAccessible();
  });
});
