import { createElement } from 'lwc';
import SyncHealth from 'c/syncHealth';
import getHealth from '@salesforce/apex/SyncHealthController.getHealth';
import retry from '@salesforce/apex/SyncHealthController.retry';
import retryAll from '@salesforce/apex/SyncHealthController.retryAll';
import retryCause from '@salesforce/apex/SyncHealthController.retryCause';
import exportCsv from '@salesforce/apex/SyncHealthController.exportCsv';
import checkBudget from '@salesforce/apex/SyncHealthController.checkBudget';
import getConflicts from '@salesforce/apex/SyncHealthController.getConflicts';
import mockHealth from './data/getHealth.json';
import mockNextPage from './data/getHealthNextPage.json';
import mockHealthy from './data/getHealthHealthy.json';
import mockCsv from './data/exportCsv.json';
import mockConflictsJson from './data/getConflicts.json';
import type { ConflictsPage, ErrorCause } from 'c/relayTypes';
import { flushPromises, shadow, prop } from '../../__tests__/lwcTestUtils';

jest.mock('@salesforce/apex/SyncHealthController.getHealth', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/SyncHealthController.retry', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/SyncHealthController.retryAll', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/SyncHealthController.retryCause', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/SyncHealthController.exportCsv', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/SyncHealthController.checkBudget', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/SyncHealthController.getConflicts', () => ({ default: jest.fn() }), { virtual: true });

const mockGetHealth = jest.mocked(getHealth);
const mockRetry = jest.mocked(retry);
const mockRetryAll = jest.mocked(retryAll);
const mockRetryCause = jest.mocked(retryCause);
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

/** The events listed under the causes, in page order (each cause opened first). */
async function listedEvents(root: ShadowRoot): Promise<string[]> {
  for (const toggle of root.querySelectorAll<HTMLButtonElement>('button.relay-cause__toggle')) {
    if (toggle.getAttribute('aria-expanded') === 'false') {
      toggle.click();
    }
  }
  await flushPromises();
  return [...root.querySelectorAll('.relay-event')].map((li) => li.getAttribute('data-event') ?? '');
}

function causeTexts(root: ShadowRoot): string[][] {
  return [...root.querySelectorAll('.relay-cause')].map((card) => [
    card.getAttribute('data-cause') ?? '',
    (card.querySelector('.relay-cause__summary')?.textContent ?? '').trim(),
    (card.querySelector('.relay-cause__count')?.textContent ?? '').trim(),
  ]);
}

function chooseFilter(root: ShadowRoot, selector: string, value: string): void {
  root.querySelector(selector)?.dispatchEvent(new CustomEvent('change', { detail: { value } }));
}

const NO_FILTERS = { category: null, workspace: null, since: null };

/** What the companion answers with causes: the unmatched people and the long first names. */
const CAUSES: ErrorCause[] = [
  {
    cause: 'unmatched:NO_MATCH:',
    category: 'unmatched',
    label: 'No matching Salesforce record',
    kind: 'skipped',
    errorCode: 'NO_MATCH',
    field: null,
    count: 35,
    firstSeen: '2026-11-21T09:00:00.000Z',
    lastSeen: '2026-11-21T12:00:00.000Z',
    summary: "Nobody in Salesforce has these people's email or phone, and the switches say to skip them.",
    fix: {
      code: 'NO_MATCH',
      text: 'Add the person in Salesforce and retry, or turn on "Create Leads for unmatched people" or "Follow-up Tasks for unmatched people"',
      place: 'switches',
      placeLabel: 'Relay Setup → Sync switches',
    },
    action: { kind: 'switch', setting: 'CreateLeadsForUnmatched', label: 'Open "Create Leads for unmatched people"' },
    retry: 'matching',
    message: 'No Contact, Lead or Account has this email',
  },
  {
    cause: 'validation:STRING_TOO_LONG:FirstName',
    category: 'validation',
    label: 'Rejected by Salesforce validation',
    kind: 'failed',
    errorCode: 'STRING_TOO_LONG',
    field: 'FirstName',
    count: 15,
    firstSeen: '2026-11-21T08:00:00.000Z',
    lastSeen: '2026-11-21T11:00:00.000Z',
    summary: 'The platform sent a value for FirstName longer than the Salesforce field holds.',
    fix: {
      code: 'STRING_TOO_LONG',
      text: 'Shorten FirstName on the platform, or map another field to it',
      place: 'mappings',
      placeLabel: 'Relay Setup → Field mappings',
    },
    action: { kind: 'mapping', field: 'FirstName', label: 'Open the FirstName mapping' },
    retry: 'after-fix',
    message: 'FirstName: data value too large (max length=40)',
  },
  {
    cause: 'delivery:PLATFORM_RULE:phone',
    category: 'delivery',
    label: 'Not delivered to the platform',
    kind: 'failed',
    errorCode: 'PLATFORM_RULE',
    field: 'phone',
    count: 1,
    firstSeen: '2026-11-21T07:00:00.000Z',
    lastSeen: '2026-11-21T07:00:00.000Z',
    summary: "The platform's rules refused phone as Salesforce holds it, so the change was not sent.",
    fix: null,
    action: { kind: 'none', label: '' },
    retry: 'none',
    message: 'Contact.phone = "12" was not sent: 7 to 15 digits',
  },
];

function withCauses() {
  const item = (i: number, cause: ErrorCause) => ({
    ...mockHealth.errors.items[0],
    eventId: `evt_${cause.category}_${i}`,
    category: cause.category,
    errorCode: cause.errorCode,
    field: cause.field,
    message: cause.message,
    subject: `person${i}@example.com`,
    recordId: cause.category === 'delivery' ? '003000000000002AAA' : null,
    cause: cause.cause,
  });
  return {
    ...mockHealth,
    errors: {
      groups: [
        { category: 'delivery', label: 'Not delivered to the platform', count: 1, kind: 'failed' },
        { category: 'unmatched', label: 'No matching Salesforce record', count: 35, kind: 'skipped' },
        { category: 'validation', label: 'Rejected by Salesforce validation', count: 15, kind: 'failed' },
      ],
      causes: CAUSES,
      items: [item(1, CAUSES[0]!), item(2, CAUSES[1]!), item(3, CAUSES[0]!), item(4, CAUSES[2]!)],
      nextCursor: 'bW9yZQ==',
    },
  };
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
    expect(mockGetHealth).toHaveBeenCalledWith({ ...NO_FILTERS, cursor: null });
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
    expect(root.querySelector('.relay-cause')).toBeNull();
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

  it('groups the errors by cause: the sentence first, the count, the message, the fix and its action', async () => {
    mockGetHealth.mockResolvedValue(withCauses());
    const { root } = await render();
    expect(causeTexts(root)).toEqual([
      [
        'unmatched:NO_MATCH:',
        "Nobody in Salesforce has these people's email or phone, and the switches say to skip them.",
        '35 events skipped',
      ],
      [
        'validation:STRING_TOO_LONG:FirstName',
        'The platform sent a value for FirstName longer than the Salesforce field holds.',
        '15 events failed',
      ],
      [
        'delivery:PLATFORM_RULE:phone',
        "The platform's rules refused phone as Salesforce holds it, so the change was not sent.",
        '1 event failed',
      ],
    ]);
    const [unmatched, tooLong, refused] = [...root.querySelectorAll('.relay-cause')];
    // No API names in what the admin reads first: the switch by its label.
    expect(unmatched!.querySelector('.relay-cause__summary')?.textContent).not.toMatch(/CreateLeadsForUnmatched/);
    expect(text(unmatched as unknown as ShadowRoot, '.relay-cause__fix')).toBe(
      'How to fix: Add the person in Salesforce and retry, or turn on "Create Leads for unmatched people" or "Follow-up Tasks for unmatched people" Where: Relay Setup → Sync switches.',
    );
    expect(prop(unmatched!.querySelector('.relay-cause__open'), 'label')).toBe(
      'Open "Create Leads for unmatched people"',
    );
    expect(prop(unmatched!.querySelector('.relay-cause__retry'), 'label')).toBe('Retry those that match now');
    expect(text(tooLong as unknown as ShadowRoot, '.relay-cause__message')).toBe(
      'FirstName: data value too large (max length=40)',
    );
    expect(prop(tooLong!.querySelector('.relay-cause__open'), 'label')).toBe('Open the FirstName mapping');
    expect(prop(tooLong!.querySelector('.relay-cause__retry'), 'label')).toBe('Retry the 15 events once fixed');
    expect(text(tooLong as unknown as ShadowRoot, '.relay-cause__details')).toMatch(
      /^Rejected by Salesforce validation · STRING_TOO_LONG · field FirstName · last/,
    );
    // Nothing to open in Relay and nothing to retry: the page says why instead of offering a button.
    expect(refused!.querySelector('.relay-cause__open')).toBeNull();
    expect(refused!.querySelector('.relay-cause__retry')).toBeNull();
    expect(text(refused as unknown as ShadowRoot, '.relay-cause__no-retry')).toBe(
      "Nothing to retry: the record's next change in Salesforce carries the corrected value.",
    );
    expect(text(root, '.relay-errors__title')).toBe('Errors by cause: 3 causes in all categories');
  });

  it('groups the loaded errors itself when the companion sends no causes', async () => {
    const { root } = await render();
    expect(causeTexts(root)).toEqual([
      [
        'validation:STRING_TOO_LONG:Company',
        'The platform sent a value for Company longer than the Salesforce field holds.',
        '1 event failed',
      ],
      [
        'validation:INVALID_EMAIL_ADDRESS:Email',
        'The platform sent an email address Salesforce does not accept.',
        '1 event failed',
      ],
      [
        'permission:INSUFFICIENT_ACCESS_OR_READONLY:',
        "Relay's integration user lacks access to an object or field.",
        '1 event failed',
      ],
    ]);
    expect(await listedEvents(root)).toEqual(['evt_1', 'evt_2', 'evt_3']);
  });

  it('opens the switch or the mapping a fix names through Relay Setup', async () => {
    mockGetHealth.mockResolvedValue(withCauses());
    const { element, root } = await render();
    const opened = jest.fn();
    element.addEventListener('relayopen', opened);
    click(root, '[data-cause="unmatched:NO_MATCH:"] .relay-cause__open');
    click(root, '[data-cause="validation:STRING_TOO_LONG:FirstName"] .relay-cause__open');
    expect(opened.mock.calls.map((c) => c[0].detail)).toEqual([
      { tab: 'switches', setting: 'CreateLeadsForUnmatched', field: null },
      { tab: 'mappings', setting: null, field: 'FirstName' },
    ]);
  });

  it("lists a cause's events on demand, each whole: subject, time, attempts, event id and the record", async () => {
    mockGetHealth.mockResolvedValue(withCauses());
    const { element, root } = await render();
    const toggle = root.querySelector<HTMLButtonElement>(
      '[data-cause="delivery:PLATFORM_RULE:phone"] .relay-cause__toggle',
    )!;
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(toggle.textContent?.trim()).toBe('Show the event');
    expect(root.querySelector('.relay-events')).toBeNull();
    toggle.click();
    await flushPromises();
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(toggle.textContent?.trim()).toBe('Hide the events');
    const event = root.querySelector('.relay-event')!;
    expect(event.querySelector('.relay-event__id')?.textContent).toBe('evt_delivery_4');
    expect(event.querySelector('.relay-event__subject')?.textContent).toBe('person4@example.com');
    expect(event.querySelector('.relay-event__attempts')?.textContent).toBe('3 attempts');
    expect(prop(event.querySelector('.relay-event__when'), 'value')).toBe('2026-11-21T10:05:00.000Z');
    expect(event.querySelector('a.relay-event__record')?.getAttribute('href')).toBe(
      '/lightning/r/003000000000002AAA/view',
    );
    // The cause says the message once; an event repeats it only when its own says more.
    expect(event.querySelector('.relay-event__message')).toBeNull();
    expect(event.querySelector('.relay-event__subject')?.getAttribute('title')).toBe('relay.visit from docsend');
    // Fewer loaded than counted: the page says so and where the rest are.
    click(root, '[data-cause="unmatched:NO_MATCH:"] .relay-cause__toggle');
    await flushPromises();
    expect(text(root, '[data-cause="unmatched:NO_MATCH:"] .relay-cause__partial')).toBe(
      '2 of 35 loaded; "Show more errors" below loads the rest.',
    );
    await expect(element).toBeAccessible();
  });

  it('filters by category, time and workspace on the companion, and says when nothing matches', async () => {
    const { root } = await render();
    const options = prop(root.querySelector('.relay-filter_category'), 'options') as Array<{ label: string }>;
    expect(options.map((o) => o.label)).toEqual([
      'All categories: 3',
      'Rejected by Salesforce validation: 2',
      'Access or field-level security: 1',
    ]);
    expect(
      (prop(root.querySelector('.relay-filter_since'), 'options') as Array<{ value: string }>).map((o) => o.value),
    ).toEqual(['all', '1h', '24h', '7d', '30d']);
    mockGetHealth.mockResolvedValue(mockHealthy);
    chooseFilter(root, '.relay-filter_category', 'validation');
    await flushPromises();
    expect(mockGetHealth).toHaveBeenLastCalledWith({ ...NO_FILTERS, category: 'validation', cursor: null });
    chooseFilter(root, '.relay-filter_since', '24h');
    await flushPromises();
    expect(mockGetHealth).toHaveBeenLastCalledWith({
      category: 'validation',
      workspace: null,
      since: '24h',
      cursor: null,
    });
    expect(prop(root.querySelector('.relay-filter_since'), 'value')).toBe('24h');
    // The chosen category stays in the menu with its zero, so the filter reads true.
    expect(prop(root.querySelector('.relay-filter_category'), 'value')).toBe('validation');
    expect(text(root, '.relay-errors__empty')).toBe('No sync errors match these filters.');
    chooseFilter(root, '.relay-filter_since', 'all');
    await flushPromises();
    expect(mockGetHealth).toHaveBeenLastCalledWith({ ...NO_FILTERS, category: 'validation', cursor: null });
    // The workspace filter is offered only when several workspaces serve the org.
    expect(root.querySelector('.relay-filter_workspace')).toBeNull();
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
    const options = prop(root.querySelector('.relay-filter_category'), 'options') as Array<{ label: string }>;
    expect(options.map((o) => o.label)).toEqual([
      'All categories: 7',
      'Rejected by Salesforce validation: 2',
      'Access or field-level security: 1',
      'No matching Salesforce record (skipped): 4',
    ]);
  });

  it('retries the selected events, toasts and reloads', async () => {
    mockRetry.mockResolvedValue({ queued: 2, left: [], message: 'Re-queued 2 events.' });
    const { element, root } = await render();
    const toasts = jest.fn();
    element.addEventListener('lightning__showtoast', toasts);
    expect(prop(root.querySelector('.relay-retry-selected'), 'disabled')).toBe(true);

    await listedEvents(root);
    for (const id of ['evt_1', 'evt_2']) {
      const box = root.querySelector<HTMLInputElement>(`input.relay-event__select[data-id="${id}"]`)!;
      expect(box.getAttribute('aria-label')).toMatch(new RegExp(`\\(event ${id}\\)$`));
      box.checked = true;
      box.dispatchEvent(new CustomEvent('change'));
    }
    await flushPromises();
    expect(prop(root.querySelector('.relay-retry-selected'), 'label')).toBe('Retry selected (2)');

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
    expect(prop(root.querySelector('.relay-retry-selected'), 'label')).toBe('Retry selected');
  });

  it('retries one cause once confirmed, says what happened, and a cancel sends nothing', async () => {
    mockGetHealth.mockResolvedValue(withCauses());
    const message =
      'Re-queued 0 events. Left 35 events (unmatched): still unmatched, not retried: no Contact, Lead or Account matches them now.';
    mockRetryCause.mockResolvedValue({
      queued: 0,
      left: [{ category: 'unmatched', count: 35, reason: 'still unmatched' }],
      message,
    });
    const { element, root } = await render();
    const toasts = jest.fn();
    element.addEventListener('lightning__showtoast', toasts);
    const card = '[data-cause="validation:STRING_TOO_LONG:FirstName"]';
    click(root, `${card} .relay-cause__retry`);
    await flushPromises();
    expect(text(root, `${card} .relay-cause-confirm__text`)).toBe(
      'Retry 15 events of this cause? They all go back to the queue and fail again unless the cause is fixed first.',
    );
    await expect(element).toBeAccessible();
    click(root, `${card} .relay-cause-confirm__no`);
    await flushPromises();
    expect(root.querySelector('.relay-cause-confirm')).toBeNull();
    expect(mockRetryCause).not.toHaveBeenCalled();

    click(root, '[data-cause="unmatched:NO_MATCH:"] .relay-cause__retry');
    await flushPromises();
    expect(text(root, '.relay-cause-confirm__text')).toBe(
      'Retry 35 events of this cause? Only those whose person exists now in Salesforce, or that a switch now creates, go back to the queue; the rest stay listed.',
    );
    click(root, '.relay-cause-confirm__yes');
    await flushPromises();
    expect(mockRetryCause).toHaveBeenCalledWith({ cause: 'unmatched:NO_MATCH:' });
    expect(text(root, '.relay-retry-result')).toBe(message);
    expect(toasts.mock.calls[0][0].detail).toMatchObject({ variant: 'warning', title: 'Retry', message });
    expect(mockGetHealth).toHaveBeenCalledTimes(2);
  });

  it('retries every event of the chosen category once confirmed', async () => {
    mockRetryAll.mockResolvedValue({ queued: 1, left: [], message: 'Re-queued 1 event.' });
    const { element, root } = await render();
    const toasts = jest.fn();
    element.addEventListener('lightning__showtoast', toasts);
    chooseFilter(root, '.relay-filter_category', 'permission');
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
    expect(mockExportCsv).toHaveBeenCalledWith(NO_FILTERS);
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
    expect(mockGetHealth).toHaveBeenLastCalledWith({ ...NO_FILTERS, cursor: 'c2Vjb25kLXBhZ2U=' });
    expect((await listedEvents(root)).sort()).toEqual(['evt_1', 'evt_2', 'evt_3', 'evt_4']);
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
    const items = mockHealth.errors.items.map((i) => ({ ...i, workspaceId: 'eu' }));
    mockGetHealth.mockResolvedValue({
      ...mockHealth,
      status,
      errors: { ...mockHealth.errors, items },
    } as typeof mockHealth);
    const { root } = await render();
    const workspaces = prop(root.querySelector('.relay-filter_workspace'), 'options') as Array<{ value: string }>;
    expect(workspaces.map((o) => o.value)).toEqual(['all', 'demo', 'eu']);
    await listedEvents(root);
    expect(text(root, '.relay-event__workspace')).toBe('Workspace eu');
    chooseFilter(root, '.relay-filter_workspace', 'eu');
    await flushPromises();
    expect(mockGetHealth).toHaveBeenLastCalledWith({ ...NO_FILTERS, workspace: 'eu', cursor: null });
    const rows = [...root.querySelectorAll('.relay-backlog__workspace')].map((li) =>
      li.textContent?.replace(/\s+/g, ' ').trim(),
    );
    expect(rows).toEqual([
      'Demo workspace (demo): 3 waiting, 1 retrying, 2 failed, 5 skipped',
      'EU team (eu): 0 waiting, 0 retrying, 0 failed, 0 skipped · 7 paused: Salesforce refused the connection (revoked or expired); ask the platform to connect the workspace again',
    ]);
  });

  it('offers no workspace filter for an org served by one workspace', async () => {
    const { root } = await render();
    expect(root.querySelector('.relay-filter_workspace')).toBeNull();
    await listedEvents(root);
    expect(root.querySelector('.relay-event__workspace')).toBeNull();
    expect(root.querySelector('.relay-backlog__workspaces')).toBeNull();
  });

  it('shows the error panel when sync health cannot be loaded', async () => {
    mockGetHealth.mockRejectedValue({ body: { message: 'Unauthorized endpoint' } });
    const { root } = await render();
    const panel = root.querySelector('c-error-panel');
    expect(prop(panel, 'friendlyMessage')).toBe("Sync health couldn't be loaded.");
    expect(shadow(panel).querySelector('li')?.textContent).toBe('Unauthorized endpoint');
    expect(root.querySelector('.relay-cause')).toBeNull();
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

  it("names switches by their labels in messages, and repeats an event's message only when it says more", async () => {
    const health = withCauses();
    const unmatched = (subject: string, note = '') => ({
      ...health.errors.items[0]!,
      eventId: `evt_${subject}`,
      subject,
      message: `unmatched: no Contact, Lead matches ${subject} (CreateLeadsForUnmatched is off)${note}`,
    });
    const items = [unmatched('a@x.example'), unmatched('b@x.example'), unmatched('c@x.example', '; phone tried too')];
    const causes = [{ ...CAUSES[0]!, count: 3, message: items[0]!.message }];
    mockGetHealth.mockResolvedValue({ ...health, errors: { ...health.errors, causes, items, nextCursor: null } });
    const { root } = await render();
    expect(text(root, '.relay-cause__message')).toBe(
      'unmatched: no Contact, Lead matches a@x.example ("Create Leads for unmatched people" is off)',
    );
    await listedEvents(root);
    expect([...root.querySelectorAll('.relay-event')].map((li) => !!li.querySelector('.relay-event__message'))).toEqual(
      [false, false, true],
    );
  });
});
