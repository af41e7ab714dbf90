import { createElement } from 'lwc';
import ListCampaignLinks from 'c/listCampaignLinks';
import getLinks from '@salesforce/apex/ListCampaignLinkController.getLinks';
import searchCampaigns from '@salesforce/apex/ListCampaignLinkController.searchCampaigns';
import mockLinks from './data/getLinks.json';
import mockCampaigns from './data/searchCampaigns.json';
import { flushPromises } from '../../__tests__/lwcTestUtils';

jest.mock('@salesforce/apex/ListCampaignLinkController.getLinks', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/ListCampaignLinkController.searchCampaigns', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex/ListCampaignLinkController.saveLinks', () => ({ default: jest.fn() }), { virtual: true });

async function render(): Promise<HTMLElement> {
  const element = createElement('c-list-campaign-links', { is: ListCampaignLinks });
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

describe('c-list-campaign-links accessibility', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
  });

  it('is accessible with links listed and Campaigns found', async () => {
    jest.mocked(getLinks).mockResolvedValue(mockLinks);
    jest.mocked(searchCampaigns).mockResolvedValue(mockCampaigns);
    const element = await render();
    const search = element.shadowRoot?.querySelector('.relay-add__search');
    search?.dispatchEvent(new CustomEvent('change', { detail: { value: 'Webinar' } }));
    await flushPromises();
    expect(element.shadowRoot?.querySelector('table')).not.toBeNull();
    await expect(element).toBeAccessible();
  });

  it('is accessible with no link and with a refused link', async () => {
    jest.mocked(getLinks).mockResolvedValue({ defaultMemberStatus: 'Sent', links: [] });
    const element = await render();
    (element.shadowRoot?.querySelector('.relay-add__button') as HTMLElement).click();
    await flushPromises();
    expect(element.shadowRoot?.querySelector('.relay-add__problems')).not.toBeNull();
    await expect(element).toBeAccessible();
  });
});
