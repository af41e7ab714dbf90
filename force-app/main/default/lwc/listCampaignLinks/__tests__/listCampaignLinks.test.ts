import { createElement } from 'lwc';
import ListCampaignLinks from 'c/listCampaignLinks';
import getLinks from '@salesforce/apex/ListCampaignLinkController.getLinks';
import searchCampaigns from '@salesforce/apex/ListCampaignLinkController.searchCampaigns';
import saveLinks from '@salesforce/apex/ListCampaignLinkController.saveLinks';
import { subscribe } from 'lightning/empApi';
import mockLinks from './data/getLinks.json';
import mockCampaigns from './data/searchCampaigns.json';
import { flushPromises, prop, shadow } from '../../__tests__/lwcTestUtils';

jest.mock('@salesforce/apex/ListCampaignLinkController.getLinks', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/ListCampaignLinkController.searchCampaigns', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex/ListCampaignLinkController.saveLinks', () => ({ default: jest.fn() }), { virtual: true });

const mockGetLinks = jest.mocked(getLinks);
const mockSearch = jest.mocked(searchCampaigns);
const mockSave = jest.mocked(saveLinks);
const mockSubscribe = jest.mocked(subscribe);

async function render(): Promise<ShadowRoot> {
  const element = createElement('c-list-campaign-links', { is: ListCampaignLinks });
  document.body.appendChild(element);
  await flushPromises();
  return shadow(element);
}

function el(root: ShadowRoot, selector: string): HTMLElement {
  const found = root.querySelector<HTMLElement>(selector);
  if (!found) {
    throw new Error(`no ${selector}`);
  }
  return found;
}

function change(target: Element, value: string): void {
  target.dispatchEvent(new CustomEvent('change', { detail: { value } }));
}

function listedLinks(root: ShadowRoot): string[][] {
  return [...root.querySelectorAll('tr.relay-link')].map((tr) =>
    ['.relay-link__list', '.relay-link__campaign', '.relay-link__status'].map(
      (s) => tr.querySelector(s)?.textContent?.trim() ?? '',
    ),
  );
}

async function addLink(root: ShadowRoot, listId: string, search: string, status = ''): Promise<void> {
  change(el(root, '.relay-add__list'), listId);
  change(el(root, '.relay-add__search'), search);
  await flushPromises();
  change(el(root, '.relay-add__campaign'), '701000000000003AAA');
  change(el(root, '.relay-add__status'), status);
  await flushPromises();
  el(root, '.relay-add__button').click();
  await flushPromises();
}

describe('c-list-campaign-links', () => {
  beforeEach(() => {
    mockGetLinks.mockResolvedValue(mockLinks);
    mockSearch.mockResolvedValue(mockCampaigns);
  });

  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
  });

  it('lists the links in force with their Campaign and member status', async () => {
    const root = await render();
    expect(listedLinks(root)).toEqual([['newsletter', 'Relay Demo Campaign', 'Sent']]);
    expect(prop(el(root, '.relay-save'), 'disabled')).toBe(true);
  });

  it('picks a Campaign found by name and saves every link, then follows the deployment', async () => {
    mockSave.mockResolvedValue({ jobId: '0Af000000000009AAA', channel: '/event/relay__MetadataDeployment__e' });
    const root = await render();
    change(el(root, '.relay-add__search'), ' Webinar ');
    await flushPromises();
    expect(mockSearch).toHaveBeenCalledWith({ searchTerm: 'Webinar' });
    expect(prop(el(root, '.relay-add__campaign'), 'options')).toEqual([
      { label: 'Webinar December', value: '701000000000003AAA' },
      { label: 'Webinar 2025 (inactive)', value: '701000000000004AAA' },
    ]);
    await addLink(root, 'webinar-list', 'Webinar', 'Responded');
    expect(listedLinks(root)).toEqual([
      ['newsletter', 'Relay Demo Campaign', 'Sent'],
      ['webinar-list', 'Webinar December', 'Responded'],
    ]);

    el(root, '.relay-save').click();
    await flushPromises();
    expect(mockSave).toHaveBeenCalledTimes(1);
    expect(JSON.parse(mockSave.mock.calls[0][0].linksJson)).toEqual([
      {
        developerName: 'Link_1',
        listId: 'newsletter',
        campaignId: '701000000000001AAA',
        memberStatus: 'Sent',
        active: true,
      },
      {
        developerName: null,
        listId: 'webinar-list',
        campaignId: '701000000000003AAA',
        memberStatus: 'Responded',
        active: true,
      },
    ]);
    const status = root.querySelector('c-deployment-status');
    expect(prop(status, 'jobId')).toBe('0Af000000000009AAA');

    mockSubscribe.mock.calls[0][2]({
      channel: '/event/relay__MetadataDeployment__e',
      data: { payload: { relay__JobId__c: '0Af000000000009AAA', relay__Status__c: 'Succeeded' } },
    });
    await flushPromises();
    expect(mockGetLinks).toHaveBeenCalledTimes(2);
  });

  it('a link without a status gets the default member status', async () => {
    const root = await render();
    await addLink(root, 'webinar-list', 'Webinar');
    expect(listedLinks(root)[1]).toEqual(['webinar-list', 'Webinar December', 'Sent']);
  });

  it('refuses a link with no Campaign, or a list linked twice, naming the rule, with no Apex call', async () => {
    const root = await render();
    change(el(root, '.relay-add__list'), 'other-list');
    el(root, '.relay-add__button').click();
    await flushPromises();
    expect(prop(el(root, '.relay-add__problems'), 'errors')).toEqual(['Choose a Campaign: search for it by name.']);

    await addLink(root, 'newsletter', 'Webinar');
    expect(prop(el(root, '.relay-add__problems'), 'errors')).toEqual([
      'List "newsletter" is linked more than once; a list joins one Campaign.',
    ]);
    expect(listedLinks(root)).toHaveLength(1);
    expect(mockSave).not.toHaveBeenCalled();
  });

  it('removing a link sends the rest, so Apex deactivates the removed one', async () => {
    mockSave.mockResolvedValue({ jobId: '0Af000000000010AAA' });
    const root = await render();
    el(root, '.relay-link__remove').click();
    await flushPromises();
    expect(listedLinks(root)).toEqual([]);
    expect(root.querySelector('.relay-links__empty')).not.toBeNull();
    el(root, '.relay-save').click();
    await flushPromises();
    expect(mockSave).toHaveBeenCalledWith({ linksJson: '[]' });
  });

  it('shows why the links could not be loaded', async () => {
    mockGetLinks.mockRejectedValue({ body: { message: 'You need the Manage Relay permission.' } });
    const root = await render();
    const panel = el(root, 'c-error-panel');
    expect(prop(panel, 'friendlyMessage')).toBe("The list campaign links couldn't be loaded.");
    expect(root.querySelector('table')).toBeNull();
  });
});
