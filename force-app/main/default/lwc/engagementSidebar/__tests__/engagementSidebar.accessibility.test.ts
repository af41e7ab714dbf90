import { createElement } from 'lwc';
import EngagementSidebar from 'c/engagementSidebar';
import getEngagement from '@salesforce/apex/RecordSidebarController.getEngagement';
import type { createApexTestWireAdapter } from '@salesforce/sfdx-lwc-jest';
import mockEngagement from './data/getEngagement.json';
import mockEmpty from './data/getEngagementEmpty.json';
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

function render(): HTMLElement {
  const element = createElement('c-engagement-sidebar', { is: EngagementSidebar });
  Object.assign(element, { recordId: '003000000000001AAA', objectApiName: 'Contact' });
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
