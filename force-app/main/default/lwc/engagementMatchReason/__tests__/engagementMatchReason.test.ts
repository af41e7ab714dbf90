import { createElement } from 'lwc';
import EngagementMatchReason from 'c/engagementMatchReason';
import { matchSentence } from '../matchSentence';
import { flushPromises } from '../../__tests__/lwcTestUtils';

async function render(match: unknown, objectApiName = 'Contact'): Promise<HTMLElement> {
  const element = createElement('c-engagement-match-reason', { is: EngagementMatchReason });
  Object.assign(element, { match, objectApiName });
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

const text = (element: HTMLElement, selector: string) => element.shadowRoot?.querySelector(selector)?.textContent;

describe('c-engagement-match-reason', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
  });

  it('says how the record matched in one sentence, and is accessible', async () => {
    const element = await render({ reason: 'matched Contact by email', matchedBy: 'email', value: 'ava@acme.example' });
    expect(text(element, '.relay-match__reason')).toBe('Matched by email ava@acme.example to this Contact.');
    await expect(element).toBeAccessible();
  });

  it('on an Account, names the person as one of the account', async () => {
    const element = await render(
      { reason: 'matched Contact by email', matchedBy: 'email', value: 'ava@acme.example' },
      'Account',
    );
    expect(text(element, '.relay-match__reason')).toBe(
      'Matched by email ava@acme.example to a Contact of this account.',
    );
  });

  it('says so when nothing matched, naming the page’s record, and is accessible', async () => {
    const element = await render(null, 'Account');
    expect(text(element, '.relay-match__none')).toBe('No Relay event has matched this account yet.');
    await expect(element).toBeAccessible();
  });
});

describe('matchSentence', () => {
  it.each([
    [
      { reason: 'matched Lead by phone', matchedBy: 'phone', value: '+1 555 0100' },
      'Lead',
      'Matched by phone +1 555 0100 to this Lead.',
    ],
    [
      { reason: "matched Account by name 'Acme Inc'", matchedBy: 'accountName', value: 'Acme Inc' },
      'Account',
      'Matched by account name Acme Inc to this account.',
    ],
    [
      { reason: 'matched Contact via converted Lead 00Q000000000001AAA', matchedBy: 'email', value: 'a@b.example' },
      'Contact',
      'Matched by email a@b.example to this Contact, through the converted Lead 00Q000000000001AAA.',
    ],
    [
      {
        reason: 'created Lead for unmatched a@b.example (CreateLeadsForUnmatched)',
        matchedBy: 'email',
        value: 'a@b.example',
      },
      'Lead',
      'Relay created this Lead for a@b.example: no Contact or Lead had that email.',
    ],
    [
      {
        reason: "attached to duplicate Contact 003000000000001AAA found by Salesforce's duplicate rule",
        matchedBy: 'email',
        value: 'a@b.example',
      },
      'Contact',
      "Matched by email a@b.example to this Contact, found by Salesforce's duplicate rule.",
    ],
    [{ reason: 'some future reason', matchedBy: null, value: null }, 'Contact', 'Some future reason'],
  ])('%j on a %s page', (match, objectApiName, sentence) => {
    expect(matchSentence(match, objectApiName)).toBe(sentence);
  });
});
