import { createElement } from 'lwc';
import SyncHealth from 'c/syncHealth';
import getHealth from '@salesforce/apex/SyncHealthController.getHealth';
import retry from '@salesforce/apex/SyncHealthController.retry';
import retryAll from '@salesforce/apex/SyncHealthController.retryAll';
import exportCsv from '@salesforce/apex/SyncHealthController.exportCsv';
import checkBudget from '@salesforce/apex/SyncHealthController.checkBudget';
import getConflicts from '@salesforce/apex/SyncHealthController.getConflicts';
import mockHealth from './data/getHealth.json';
import mockNextPage from './data/getHealthNextPage.json';
import mockHealthy from './data/getHealthHealthy.json';
import mockCsv from './data/exportCsv.json';
import mockConflictsJson from './data/getConflicts.json';
import type { ConflictsPage } from 'c/relayTypes';
import { flushPromises, shadow, prop } from '../../__tests__/lwcTestUtils';

jest.mock('@salesforce/apex/SyncHealthController.getHealth', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/SyncHealthController.retry', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/SyncHealthController.retryAll', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/SyncHealthController.exportCsv', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/SyncHealthController.checkBudget', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/SyncHealthController.getConflicts', () => ({ default: jest.fn() }), { virtual: true });

const mockGetHealth = jest.mocked(getHealth);
const mockRetry = jest.mocked(retry);
const mockRetryAll = jest.mocked(retryAll);
const mockExportCsv = jest.mocked(exportCsv);
const mockCheckBudget = jest.mocked(checkBudget);
const mockGetConflicts = jest.mocked(getConflicts);
const mockConflicts = mockConflictsJson as ConflictsPage;

async function render(): Promise<{ element: HTMLElement; root: ShadowRoot }> {
  const element = createElement('c-sync-health', { is: SyncHealth });
  document.body.appendChild(element);
  await flushPromises();
  return { element, root: shadow(element) };
}

function text(root: ShadowRoot, selector: string): string {
  return (root.querySelector(selector)?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function click(root: ShadowRoot, selector: string): void {
  const found = root.querySelector<HTMLElement>(selector);
  if (!found) {
    throw new Error(`no ${selector}`);
  }
  found.click();
}

function tableRows(root: ShadowRoot): Array<{ eventId: string }> {
  return (prop(root.querySelector('lightning-datatable'), 'data') as Array<{ eventId: string }>) ?? [];
}

describe('c-sync-health', () => {
  beforeEach(() => {
    mockGetHealth.mockResolvedValue(mockHealth);
    mockGetConflicts.mockResolvedValue({ conflicts: [] });
  });

  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
    jest.restoreAllMocks();
  });

  it('loads every category first and shows quota, budget and backlog', async () => {
    const { root } = await render();
    expect(mockGetHealth).toHaveBeenCalledWith({ category: null, cursor: null });
    expect(text(root, '.relay-quota__text')).toBe('85,000 of 100,000 Tasks in 2026-11 (85%)');
    expect(prop(root.querySelector('.relay-quota lightning-progress-bar'), 'value')).toBe(85);
    expect(text(root, '.relay-budget__text')).toBe(
      "Relay used 41 of its 3,000-request daily allowance (20 % of the org's 15,000-request limit)",
    );
    const counts = [...root.querySelectorAll('.relay-backlog__count')].map((dd) => [
      dd.getAttribute('data-count'),
      dd.textContent?.trim(),
    ]);
    // One vocabulary with the status, the console and the docs: each event counted once.
    expect(counts).toEqual([
      ['waiting', '3'],
      ['retrying', '1'],
      ['failed', '2'],
      ['skipped', '5'],
      ['paused', '4'],
    ]);
    expect([...root.querySelectorAll('.relay-backlog > dl > dt')].map((dt) => dt.textContent?.trim())).toEqual([
      'Waiting',
      'Retrying',
      'Failed (needs action)',
      'Skipped (by a rule)',
      'Paused',
    ]);
    expect(text(root, '.relay-backlog__skipped')).toBe('Skipped by rule: unmatched 4, SyncVisits off 1.');
    expect(text(root, '.relay-backlog__paused')).toBe("Syncing is paused: the org's daily API limit is reached.");
  });

  it.each([
    [
      'API_BUDGET',
      "Syncing is paused: Relay has used its share of today's API requests (Max share of daily API limit).",
    ],
    ['RELAY_INACTIVE', 'Syncing is paused: Relay is switched off (Relay active); events are kept.'],
    ['NOT_CONNECTED', 'Syncing is paused: the workspace is not connected to this org.'],
    ['SOMETHING_NEW', 'Syncing is paused: SOMETHING_NEW.'],
  ])('says why syncing is paused in words: %s', async (pausedReason, expected) => {
    mockGetHealth.mockResolvedValue({
      ...mockHealth,
      status: { ...mockHealth.status, backlog: { ...mockHealth.status.backlog, pausedReason } },
    });
    const { root } = await render();
    expect(text(root, '.relay-backlog__paused')).toBe(expected);
  });

  it('shows what waits to reach the platform, and a receiver that is not answering', async () => {
    mockGetHealth.mockResolvedValue({
      ...mockHealth,
      status: {
        ...mockHealth.status,
        outbound: {
          enabled: true,
          pending: 5,
          retrying: 2,
          failed: 1,
          lastDeliveredAt: '2026-11-22T07:30:00.000Z',
          receiverBackoffUntil: '2026-11-22T07:40:00.000Z',
        },
      },
    });
    const { root } = await render();
    const counts = [...root.querySelectorAll('.relay-outbound__count')].map((dd) => [
      dd.getAttribute('data-count'),
      dd.textContent?.trim(),
    ]);
    expect(counts).toEqual([
      ['pending', '5'],
      ['retrying', '2'],
      ['failed', '1'],
    ]);
    expect(text(root, '.relay-outbound__down')).toBe(
      "The platform's receiver is not answering. Relay keeps the changes and tries again.",
    );
    expect(prop(root.querySelector('.relay-outbound__last lightning-formatted-date-time'), 'value')).toBe(
      '2026-11-22T07:30:00.000Z',
    );
  });

  it('counts values the platform refused and says where they are named', async () => {
    const outbound = {
      enabled: true,
      pending: 0,
      retrying: 0,
      failed: 0,
      lastDeliveredAt: null,
      receiverBackoffUntil: null,
      rejected: 2,
    };
    mockGetHealth.mockResolvedValue({ ...mockHealth, status: { ...mockHealth.status, outbound } });
    const { root } = await render();
    expect(root.querySelector('.relay-outbound__count[data-count="rejected"]')?.textContent?.trim()).toBe('2');
    expect(text(root, '.relay-outbound__rejected')).toBe(
      '2 values were not sent because the platform\'s rules refuse them; each is listed with its field, value and rule under "Not delivered to the platform" below, and is sent once corrected in Salesforce.',
    );
  });

  it('leaves the platform out when nothing is sent to it', async () => {
    const off = {
      enabled: false,
      pending: 0,
      retrying: 0,
      failed: 0,
      lastDeliveredAt: null,
      receiverBackoffUntil: null,
    };
    mockGetHealth.mockResolvedValue({ ...mockHealth, status: { ...mockHealth.status, outbound: off } });
    const { element, root } = await render();
    expect(root.querySelector('.relay-outbound')).toBeNull();
    document.body.removeChild(element);

    mockGetHealth.mockResolvedValue(mockHealthy);
    const healthy = await render();
    expect(healthy.root.querySelector('.relay-outbound')).toBeNull();
  });

  it('keeps events that failed on their way to the platform in view after sending is switched off', async () => {
    const off = {
      enabled: false,
      pending: 0,
      retrying: 0,
      failed: 2,
      lastDeliveredAt: null,
      receiverBackoffUntil: null,
    };
    mockGetHealth.mockResolvedValue({ ...mockHealth, status: { ...mockHealth.status, outbound: off } });
    const { root } = await render();
    expect(root.querySelector('.relay-outbound__count[data-count="failed"]')?.textContent?.trim()).toBe('2');
    expect(text(root, '.relay-outbound__off')).toBe(
      'Sending Salesforce changes to the platform is off (Create platform contacts from Salesforce).',
    );
    expect(root.querySelector('.relay-outbound__down')).toBeNull();
  });

  it('warns from the quota warning threshold', async () => {
    const { root } = await render();
    expect(text(root, '.relay-quota__warning')).toContain(
      "Relay has used 85% of this month's Task quota (warning at 80%)",
    );
  });

  it('does not warn below the threshold and says when there are no errors', async () => {
    mockGetHealth.mockResolvedValue(mockHealthy);
    const { root } = await render();
    expect(root.querySelector('.relay-quota__warning')).toBeNull();
    expect(root.querySelector('lightning-datatable')).toBeNull();
    expect(text(root, '.relay-errors__empty')).toBe(
      'No sync errors. Everything Relay received has been synced or is on its way.',
    );
    expect(prop(root.querySelector('.relay-retry-all'), 'disabled')).toBe(true);
  });

  it('stops with an error state when the quota is exhausted', async () => {
    mockGetHealth.mockResolvedValue({
      ...mockHealth,
      status: { ...mockHealth.status, quota: { ...mockHealth.status.quota, used: 100000, state: 'exhausted' } },
    });
    const { root } = await render();
    expect(root.querySelector('.relay-quota__warning')).toBeNull();
    expect(prop(root.querySelector('.relay-quota__exhausted c-error-panel'), 'friendlyMessage')).toBe(
      "This month's Task quota is used up: syncing has stopped until the quota allows.",
    );
  });

  it('groups errors by category with counts and filters on a choice', async () => {
    const { root } = await render();
    const items = [...root.querySelectorAll('lightning-vertical-navigation-item-badge')];
    expect(items.map((i) => [prop(i, 'label'), prop(i, 'name'), prop(i, 'badgeCount')])).toEqual([
      ['All categories', 'all', 3],
      ['Rejected by Salesforce validation', 'validation', 2],
      ['Access or field-level security', 'permission', 1],
    ]);
    expect(tableRows(root).map((r) => r.eventId)).toEqual(['evt_1', 'evt_2', 'evt_3']);
    const columns = (prop(root.querySelector('lightning-datatable'), 'columns') as Array<{ label: string }>).map(
      (c) => c.label,
    );
    // What went wrong and what to do first; identifiers and times after them.
    expect(columns).toEqual([
      'Message',
      'How to fix',
      'Field',
      'Subject',
      'Error code',
      'When',
      'Attempts',
      'Type',
      'Event',
    ]);

    const validationOnly = {
      ...mockHealth,
      errors: { ...mockHealth.errors, items: mockHealth.errors.items.slice(0, 2), nextCursor: null },
    };
    mockGetHealth.mockResolvedValue(validationOnly);
    root
      .querySelector('lightning-vertical-navigation')
      ?.dispatchEvent(new CustomEvent('select', { detail: { name: 'validation' } }));
    await flushPromises();
    expect(mockGetHealth).toHaveBeenLastCalledWith({ category: 'validation', cursor: null });
    expect(tableRows(root).map((r) => r.eventId)).toEqual(['evt_1', 'evt_2']);
    expect(text(root, '.relay-errors__title')).toBe('Errors: Rejected by Salesforce validation');
    expect(prop(root.querySelector('.relay-retry-all'), 'label')).toBe(
      'Retry all in Rejected by Salesforce validation',
    );
  });

  it('says what fixes each cause and where, from the one table of fixes, accessibly', async () => {
    const refused = {
      ...mockHealth,
      errors: {
        ...mockHealth.errors,
        items: [
          {
            ...mockHealth.errors.items[0],
            eventId: 'evt_pick',
            type: 'relay.prospect.upserted',
            errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
            field: 'Industry',
            message:
              "Industry: 'Spaceflight' is not one of the values this org allows (restricted picklist); map a value for Industry",
          },
          ...mockHealth.errors.items,
        ],
      },
    };
    mockGetHealth.mockResolvedValue(refused);
    const { element, root } = await render();
    const fixes = (
      prop(root.querySelector('lightning-datatable'), 'data') as Array<{ eventId: string; fix: string }>
    ).map((r) => [r.eventId, r.fix]);
    expect(fixes).toEqual([
      [
        'evt_pick',
        "Map a value for Industry: add a value mapping from the platform's value to one this org allows (Relay Setup → Field mappings)",
      ],
      ['evt_1', 'Shorten Company on the platform, or map another field to it (Relay Setup → Field mappings)'],
      ['evt_2', 'Correct the email address on the platform (the engagement platform)'],
      // No advice rather than a guess for a cause the table does not know.
      ['evt_3', ''],
    ]);
    await expect(element).toBeAccessible();
  });

  it('marks unmatched events as skipped by a rule, not failed', async () => {
    mockGetHealth.mockResolvedValue({
      ...mockHealth,
      errors: {
        ...mockHealth.errors,
        groups: [
          ...mockHealth.errors.groups,
          { category: 'unmatched', label: 'No matching Salesforce record', count: 4, kind: 'skipped' },
        ],
      },
    });
    const { root } = await render();
    const items = [...root.querySelectorAll('lightning-vertical-navigation-item-badge')];
    expect(items.map((i) => [prop(i, 'label'), prop(i, 'assistiveText')])).toEqual([
      ['All categories', '3 failed, 4 skipped'],
      ['Rejected by Salesforce validation', '2 failed'],
      ['Access or field-level security', '1 failed'],
      ['No matching Salesforce record (skipped)', '4 skipped'],
    ]);
  });

  it('retries the selected events, toasts and reloads', async () => {
    mockRetry.mockResolvedValue({ queued: 2, left: [], message: 'Re-queued 2 events.' });
    const { element, root } = await render();
    const toasts = jest.fn();
    element.addEventListener('lightning__showtoast', toasts);
    expect(prop(root.querySelector('.relay-retry-selected'), 'disabled')).toBe(true);

    root
      .querySelector('lightning-datatable')
      ?.dispatchEvent(
        new CustomEvent('rowselection', { detail: { selectedRows: mockHealth.errors.items.slice(0, 2) } }),
      );
    await flushPromises();
    expect(prop(root.querySelector('.relay-retry-selected'), 'label')).toBe('Retry selected (2)');
    expect(prop(root.querySelector('lightning-datatable'), 'selectedRows')).toEqual(['evt_1', 'evt_2']);

    click(root, '.relay-retry-selected');
    await flushPromises();
    expect(mockRetry).toHaveBeenCalledWith({ eventIds: ['evt_1', 'evt_2'] });
    expect(toasts).toHaveBeenCalledTimes(1);
    expect(toasts.mock.calls[0][0].detail).toMatchObject({
      variant: 'success',
      title: 'Retry',
      message: 'Re-queued 2 events.',
    });
    expect(mockGetHealth).toHaveBeenCalledTimes(2);
    // The reload clears the selection.
    expect(prop(root.querySelector('lightning-datatable'), 'selectedRows')).toEqual([]);
  });

  it('retries every event of the chosen category once confirmed', async () => {
    mockRetryAll.mockResolvedValue({ queued: 1, left: [], message: 'Re-queued 1 event.' });
    const { element, root } = await render();
    const toasts = jest.fn();
    element.addEventListener('lightning__showtoast', toasts);
    root
      .querySelector('lightning-vertical-navigation')
      ?.dispatchEvent(new CustomEvent('select', { detail: { name: 'permission' } }));
    await flushPromises();
    click(root, '.relay-retry-all');
    await flushPromises();
    expect(text(root, '.relay-retry-confirm__text')).toBe(
      'Retry all 1 event in Access or field-level security? They all go back to the queue: do this once their cause is fixed.',
    );
    click(root, '.relay-retry-confirm__yes');
    await flushPromises();
    expect(mockRetryAll).toHaveBeenCalledWith({ category: 'permission' });
    expect(toasts.mock.calls[0][0].detail.message).toBe('Re-queued 1 event.');
  });

  it('asks before a bulk retry, and a cancel sends nothing', async () => {
    const { root } = await render();
    click(root, '.relay-retry-all');
    await flushPromises();
    expect(mockRetryAll).not.toHaveBeenCalled();
    expect(text(root, '.relay-retry-confirm__text')).toBe(
      'Retry all 3 events in all categories? Only what a retry can fix goes back to the queue: timeouts and limits, and unmatched events whose person exists now or a switch now creates. The rest stay listed with the reason.',
    );
    click(root, '.relay-retry-confirm__no');
    await flushPromises();
    expect(root.querySelector('.relay-retry-confirm')).toBeNull();
    expect(mockRetryAll).not.toHaveBeenCalled();
  });

  it('reports what a bulk retry re-queued and what it left, with the reason', async () => {
    const message =
      'Re-queued 1 event. Left 2 events: still unmatched, not retried: no Contact, Lead or Account matches them now.';
    mockRetryAll.mockResolvedValue({
      queued: 1,
      left: [
        {
          category: 'unmatched',
          count: 2,
          reason: 'still unmatched, not retried: no Contact, Lead or Account matches them now',
        },
      ],
      message,
    });
    const { element, root } = await render();
    const toasts = jest.fn();
    element.addEventListener('lightning__showtoast', toasts);
    click(root, '.relay-retry-all');
    await flushPromises();
    click(root, '.relay-retry-confirm__yes');
    await flushPromises();
    expect(mockRetryAll).toHaveBeenCalledWith({ category: null });
    expect(text(root, '.relay-retry-result')).toBe(message);
    expect(toasts.mock.calls[0][0].detail).toMatchObject({ variant: 'warning', title: 'Retry', message });
    expect(mockGetHealth).toHaveBeenCalledTimes(2);
  });

  it('checks the API budget on demand and says whether syncing resumed', async () => {
    mockCheckBudget.mockResolvedValue({
      resumed: false,
      paused: true,
      message: "Still paused: Relay has used 151 of 150 calls today (1 % of the org's 15000).",
    });
    const { root } = await render();
    expect(prop(root.querySelector('.relay-budget-check'), 'label')).toBe('Check API budget now');
    click(root, '.relay-budget-check');
    await flushPromises();
    expect(mockCheckBudget).toHaveBeenCalledTimes(1);
    expect(text(root, '.relay-budget__result')).toBe(
      "Still paused: Relay has used 151 of 150 calls today (1 % of the org's 15000).",
    );
    expect(mockGetHealth).toHaveBeenCalledTimes(2);

    mockCheckBudget.mockResolvedValue({
      resumed: true,
      paused: false,
      message: "The API budget allows syncing: 12 of 50000 calls today (25 % of the org's 200000); syncing resumed.",
    });
    click(root, '.relay-budget-check');
    await flushPromises();
    expect(text(root, '.relay-budget__result')).toMatch(/syncing resumed\.$/);
  });

  it('shows the error when a retry fails', async () => {
    mockRetryAll.mockRejectedValue({ body: { message: 'The companion answered 503.' } });
    const { root } = await render();
    click(root, '.relay-retry-all');
    await flushPromises();
    click(root, '.relay-retry-confirm__yes');
    await flushPromises();
    const panel = root.querySelector('c-error-panel');
    expect(prop(panel, 'friendlyMessage')).toBe("That didn't work.");
    expect(shadow(panel).querySelector('li')?.textContent).toBe('The companion answered 503.');
  });

  it('exports the CSV of the category as a dated download', async () => {
    mockExportCsv.mockResolvedValue(mockCsv);
    const clicked: HTMLAnchorElement[] = [];
    jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
    const { root } = await render();
    click(root, '.relay-export');
    await flushPromises();
    expect(mockExportCsv).toHaveBeenCalledWith({ category: null });
    expect(clicked).toHaveLength(1);
    expect(clicked[0].download).toMatch(/^relay-sync-errors-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(decodeURIComponent(clicked[0].href.replace('data:text/csv;charset=utf-8,', ''))).toBe(mockCsv);
    expect(mockGetHealth).toHaveBeenCalledTimes(1);
  });

  it('pages through the errors with "Show more errors"', async () => {
    const { root } = await render();
    mockGetHealth.mockResolvedValue(mockNextPage);
    click(root, '.relay-show-more');
    await flushPromises();
    expect(mockGetHealth).toHaveBeenLastCalledWith({ category: null, cursor: 'c2Vjb25kLXBhZ2U=' });
    expect(tableRows(root).map((r) => r.eventId)).toEqual(['evt_1', 'evt_2', 'evt_3', 'evt_4']);
    expect(root.querySelector('.relay-show-more')).toBeNull();
  });

  it('says whose each error and backlog is when several workspaces serve the org', async () => {
    const status = {
      ...mockHealth.status,
      workspaces: [
        {
          id: 'demo',
          name: 'Demo workspace',
          active: true,
          connection: 'connected',
          quota: null,
          lastSyncAt: null,
          backlog: { ...mockHealth.status.backlog, paused: 0, pausedReason: null },
        },
        {
          id: 'eu',
          name: 'EU team',
          active: true,
          connection: 'needs_reconnect',
          quota: null,
          lastSyncAt: null,
          backlog: {
            waiting: 0,
            retrying: 0,
            failed: 0,
            skipped: 0,
            skippedBy: {},
            paused: 7,
            pausedReason: 'NEEDS_RECONNECT',
            pausedUntil: null,
          },
        },
      ],
    };
    mockGetHealth.mockResolvedValue({ ...mockHealth, status } as typeof mockHealth);
    const { root } = await render();
    const columns = prop(root.querySelector('lightning-datatable'), 'columns') as Array<{ fieldName: string }>;
    expect(columns[0]!.fieldName).toBe('workspaceId');
    const rows = [...root.querySelectorAll('.relay-backlog__workspace')].map((li) =>
      li.textContent?.replace(/\s+/g, ' ').trim(),
    );
    expect(rows).toEqual([
      'Demo workspace (demo): 3 waiting, 1 retrying, 2 failed, 5 skipped',
      'EU team (eu): 0 waiting, 0 retrying, 0 failed, 0 skipped · 7 paused: Salesforce refused the connection (revoked or expired); ask the platform to connect the workspace again',
    ]);
  });

  it('shows no workspace column for an org served by one workspace', async () => {
    const { root } = await render();
    const columns = prop(root.querySelector('lightning-datatable'), 'columns') as Array<{ fieldName: string }>;
    expect(columns.map((c) => c.fieldName)).not.toContain('workspaceId');
    expect(root.querySelector('.relay-backlog__workspaces')).toBeNull();
  });

  it('shows the error panel when sync health cannot be loaded', async () => {
    mockGetHealth.mockRejectedValue({ body: { message: 'Unauthorized endpoint' } });
    const { root } = await render();
    const panel = root.querySelector('c-error-panel');
    expect(prop(panel, 'friendlyMessage')).toBe("Sync health couldn't be loaded.");
    expect(shadow(panel).querySelector('li')?.textContent).toBe('Unauthorized endpoint');
    expect(root.querySelector('lightning-datatable')).toBeNull();
  });

  it('lists the conflicts with both values, both times and the side that won, and why', async () => {
    mockGetConflicts.mockResolvedValue(mockConflicts);
    const { element, root } = await render();
    expect(mockGetConflicts).toHaveBeenCalledTimes(1);
    const table = root.querySelector('.relay-conflicts__table');
    const rows = prop(table, 'data') as Array<Record<string, string>>;
    expect(rows).toEqual([
      {
        id: '7',
        workspaceId: 'demo',
        person: 'ada.lovelace@engine.example',
        field: 'Contact.Title',
        platformValue: 'Enchantress of Numbers',
        platformChangedAt: '2026-11-22T09:00:00.000Z',
        salesforceValue: 'Mathematician',
        salesforceChangedAt: '2026-11-22T10:00:00.000Z',
        winner: 'Salesforce (preferred unless blank)',
      },
      {
        id: '6',
        workspaceId: 'demo',
        person: '00Q5g000000001AAAQ',
        field: 'Lead.FirstName',
        platformValue: 'Ada',
        platformChangedAt: '2026-11-22T10:00:00.000Z',
        salesforceValue: '(blank)',
        salesforceChangedAt: '2026-11-22T09:30:00.000Z',
        winner: 'Platform (the later change)',
      },
    ]);
    const columns = prop(table, 'columns') as Array<{ label: string }>;
    expect(columns.map((c) => c.label)).toEqual([
      'Person',
      'Field',
      'Platform value',
      'Platform changed',
      'Salesforce value',
      'Salesforce changed',
      'Winner',
    ]);
    await expect(element).toBeAccessible();
  });

  it('says when no field was changed on both sides', async () => {
    const { element, root } = await render();
    expect(root.querySelector('.relay-conflicts__table')).toBeNull();
    expect(text(root, '.relay-conflicts__empty')).toBe(
      'No conflicts: no field was changed on both sides between two syncs.',
    );
    await expect(element).toBeAccessible();
  });

  it('keeps sync health in view when only the conflicts cannot be loaded', async () => {
    mockGetConflicts.mockRejectedValue({ body: { message: 'Read timed out' } });
    const { root } = await render();
    const panel = root.querySelector('.relay-conflicts c-error-panel');
    expect(prop(panel, 'friendlyMessage')).toBe('The conflicts could not be loaded.');
    expect(shadow(panel).querySelector('li')?.textContent).toBe('Read timed out');
    expect(text(root, '.relay-quota__text')).toBe('85,000 of 100,000 Tasks in 2026-11 (85%)');
  });

  it('loads the conflicts again on refresh', async () => {
    const { root } = await render();
    mockGetConflicts.mockResolvedValue(mockConflicts);
    click(root, '.relay-refresh');
    await flushPromises();
    expect(mockGetConflicts).toHaveBeenCalledTimes(2);
    expect((prop(root.querySelector('.relay-conflicts__table'), 'data') as unknown[]).length).toBe(2);
  });
});
