import { createElement } from 'lwc';
import ConnectionPanel from 'c/connectionPanel';
import getConnection from '@salesforce/apex/SetupController.getConnection';
import testConnection from '@salesforce/apex/SetupController.testConnection';
import mockConnection from './data/getConnection.json';
import mockUnreachable from './data/getConnectionUnreachable.json';
import mockTest from './data/testConnection.json';
import { flushPromises, shadow, prop } from '../../__tests__/lwcTestUtils';

jest.mock('@salesforce/apex/SetupController.getConnection', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/SetupController.testConnection', () => ({ default: jest.fn() }), { virtual: true });

const mockGetConnection = jest.mocked(getConnection);
const mockTestConnection = jest.mocked(testConnection);

async function render(): Promise<ShadowRoot> {
  const element = createElement('c-connection-panel', { is: ConnectionPanel });
  document.body.appendChild(element);
  await flushPromises();
  return shadow(element);
}

function text(root: ShadowRoot, selector: string): string {
  return (root.querySelector(selector)?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

describe('c-connection-panel', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
  });

  const steps = (root: ShadowRoot) =>
    [...root.querySelectorAll('.relay-checklist__step')].map((li) => [
      li.getAttribute('data-step'),
      li.getAttribute('data-state'),
      li.querySelector('.relay-checklist__fix')?.textContent?.trim() ?? null,
    ]);

  it('a set-up org shows no checklist', async () => {
    mockGetConnection.mockResolvedValue(mockConnection);
    const root = await render();
    expect(root.querySelector('.relay-checklist')).toBeNull();
  });

  it('first run: the failing step says how to fix it and the later ones wait for it', async () => {
    mockGetConnection.mockResolvedValue(mockUnreachable);
    const root = await render();
    expect(text(root, '.relay-checklist h3')).toBe('Set up Relay: 1 of 5 done');
    expect(steps(root)).toEqual([
      ['package', 'done', null],
      [
        'companion',
        'todo',
        "In Setup → Named Credentials, set relay__Companion's URL to the companion's address your platform gave you. The companion check said: Unauthorized endpoint: enter the companion URL in the Named Credential.",
      ],
      ['orgKey', 'waiting', null],
      ['workspace', 'waiting', null],
      ['firstSync', 'waiting', null],
    ]);
    expect(prop(root.querySelector('[data-step="orgKey"] lightning-icon'), 'alternativeText')).toBe(
      'Waiting for the step above',
    );
    await expect(root.host).toBeAccessible();
  });

  it('connected but nothing synced yet: only the first sync is left', async () => {
    mockGetConnection.mockResolvedValue({ ...mockConnection, lastSyncAt: null });
    const root = await render();
    expect(steps(root).map(([key, state]) => [key, state])).toEqual([
      ['package', 'done'],
      ['companion', 'done'],
      ['orgKey', 'done'],
      ['workspace', 'done'],
      ['firstSync', 'todo'],
    ]);
    expect(text(root, '[data-step="firstSync"] .relay-checklist__fix')).toMatch(/^Send an event from your platform/);
  });

  it('shows a spinner until the status arrives', async () => {
    mockGetConnection.mockReturnValue(new Promise(() => undefined));
    const root = await render();
    expect(prop(root.querySelector('lightning-spinner'), 'alternativeText')).toBe('Loading connection status');
  });

  it('lists every workspace connected to this org, with its state', async () => {
    mockGetConnection.mockResolvedValue({
      ...mockConnection,
      workspaces: [
        {
          id: 'demo',
          name: 'Demo workspace',
          active: true,
          connection: 'connected',
          quota: null,
          backlog: null,
          lastSyncAt: null,
        },
        {
          id: 'eu',
          name: 'EU team',
          active: false,
          connection: 'needs_reconnect',
          quota: null,
          backlog: null,
          lastSyncAt: null,
        },
      ],
    } as typeof mockConnection);
    const root = await render();
    expect(text(root, '.relay-connection dt:nth-of-type(2)')).toBe('Workspaces (2)');
    const items = [...root.querySelectorAll('.relay-connection__workspace-item')];
    expect(items.map((li) => li.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      'Demo workspace (demo)',
      'EU team (eu)',
    ]);
    expect(items.map((li) => prop(li.querySelector('lightning-badge'), 'label'))).toEqual([
      'Active · Connected',
      'Inactive · Needs to be connected again',
    ]);
  });

  it('shows org, environment, workspace, companion, API use and last sync', async () => {
    mockGetConnection.mockResolvedValue(mockConnection);
    const root = await render();
    expect(mockGetConnection).toHaveBeenCalledTimes(1);
    expect(text(root, '.relay-connection__org')).toBe('Acme Corp (00D000000000001EAA) on CS42');
    expect(prop(root.querySelector('.relay-connection__org lightning-badge'), 'label')).toBe('Sandbox');
    expect(text(root, '.relay-connection__workspace')).toBe('Demo workspace (demo)');
    expect(prop(root.querySelector('.relay-connection__workspace lightning-badge'), 'label')).toBe('Active');
    expect(text(root, '.relay-connection__companion-text')).toBe('Reachable (version 0.1.0)');
    expect(text(root, '.relay-connection__api-org')).toBe('Org: 1,203 of 15,000 requests today (8%)');
    expect(prop(root.querySelector('.relay-connection__api-org-bar'), 'value')).toBe(8);
    expect(text(root, '.relay-connection__api-relay')).toBe(
      "Relay used 41 of its 3,000-request daily allowance (20 % of the org's limit)",
    );
    expect(prop(root.querySelector('.relay-connection__api-relay-bar'), 'value')).toBe(1);
    expect(prop(root.querySelector('.relay-connection__last-sync lightning-formatted-date-time'), 'value')).toBe(
      '2026-11-22T07:35:59.000Z',
    );
    // lightning-relative-date-time takes a timestamp or a Date, not an ISO string.
    expect(prop(root.querySelector('.relay-connection__last-sync lightning-relative-date-time'), 'value')).toBe(
      Date.parse('2026-11-22T07:35:59.000Z'),
    );
  });

  it('explains an unreachable companion and still shows the org', async () => {
    mockGetConnection.mockResolvedValue(mockUnreachable);
    const root = await render();
    expect(prop(root.querySelector('.relay-connection__org lightning-badge'), 'label')).toBe('Production');
    expect(text(root, '.relay-connection__companion-text')).toBe(
      'Not reachable: Unauthorized endpoint: enter the companion URL in the Named Credential.',
    );
    expect(prop(root.querySelector('.relay-connection__companion lightning-icon'), 'iconName')).toBe('utility:error');
    expect(root.querySelector('.relay-connection__api')).toBeNull();
    expect(text(root, '.relay-connection__last-sync')).toBe('Never');
  });

  it('shows the error panel when the status cannot be loaded', async () => {
    mockGetConnection.mockRejectedValue({ body: { message: 'You need the Manage Relay permission.' } });
    const root = await render();
    const panel = root.querySelector('c-error-panel');
    expect(prop(panel, 'friendlyMessage')).toBe("The connection status couldn't be loaded.");
    expect(shadow(panel).querySelector('li')?.textContent).toBe('You need the Manage Relay permission.');
  });

  it('tests the connection and shows the latency', async () => {
    mockGetConnection.mockResolvedValue(mockConnection);
    mockTestConnection.mockResolvedValue(mockTest);
    const root = await render();
    root.querySelector<HTMLElement>('.relay-test')?.click();
    await flushPromises();
    expect(mockTestConnection).toHaveBeenCalledTimes(1);
    expect(text(root, '.relay-test__ok')).toBe('Connected: the companion answered in 42 ms.');
  });

  it('shows a failed test with its reason', async () => {
    mockGetConnection.mockResolvedValue(mockConnection);
    mockTestConnection.mockResolvedValue({ ok: false, latencyMs: 5003, message: 'Read timed out' });
    const root = await render();
    root.querySelector<HTMLElement>('.relay-test')?.click();
    await flushPromises();
    const panel = root.querySelector('.relay-test__failed');
    expect(prop(panel, 'friendlyMessage')).toBe('The connection test failed.');
    expect(shadow(panel).querySelector('li')?.textContent).toBe('Read timed out');
  });

  it('shows an error when the test cannot run', async () => {
    mockGetConnection.mockResolvedValue(mockConnection);
    mockTestConnection.mockRejectedValue({ body: { message: 'Insufficient access' } });
    const root = await render();
    root.querySelector<HTMLElement>('.relay-test')?.click();
    await flushPromises();
    expect(shadow(root.querySelector('.relay-test__error')).querySelector('li')?.textContent).toBe(
      'Insufficient access',
    );
  });

  it('reloads on refresh', async () => {
    mockGetConnection.mockResolvedValue(mockConnection);
    const root = await render();
    root.querySelector<HTMLElement>('.relay-refresh')?.click();
    await flushPromises();
    expect(mockGetConnection).toHaveBeenCalledTimes(2);
  });
});
