import { createElement } from 'lwc';
import EngagementPeople from 'c/engagementPeople';
import { flushPromises } from '../../__tests__/lwcTestUtils';

async function render(people: unknown): Promise<HTMLElement> {
  const element = createElement('c-engagement-people', { is: EngagementPeople });
  Object.assign(element, { people });
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

describe('c-engagement-people', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
  });

  it('lists who engaged with a link to each record and their latest activity, accessibly', async () => {
    const element = await render([
      {
        recordId: '003000000000001AAA',
        name: 'Ava Reed',
        objectName: 'Contact',
        email: 'ava@acme.example',
        lastActivityAt: hoursAgo(0.5),
        lastActivityType: 'relay.visit',
        activities: 4,
      },
      {
        recordId: '00Q000000000002AAA',
        objectName: 'Lead',
        email: null,
        lastActivityAt: hoursAgo(0.9),
        lastActivityType: 'relay.message.sent',
        activities: 1,
      },
    ]);
    const root = element.shadowRoot!;
    const links = [...root.querySelectorAll<HTMLAnchorElement>('a.relay-people__link')];
    expect(links.map((a) => [a.textContent, a.getAttribute('href')])).toEqual([
      ['Ava Reed', '/lightning/r/003000000000001AAA/view'],
      ['00Q000000000002AAA', '/lightning/r/00Q000000000002AAA/view'],
    ]);
    expect([...root.querySelectorAll('.relay-people__object')].map((s) => s.textContent)).toEqual([
      'Contact · ava@acme.example',
      'Lead',
    ]);
    const latest = [...root.querySelectorAll('.relay-people__latest')].map((p) => p.textContent?.trim());
    expect(latest).toEqual([
      'Document visit, 30 min ago · 4 activities in 90 days',
      'Message, 54 min ago · 1 activity in 90 days',
    ]);
    await expect(element).toBeAccessible();
  });

  it('says "this account" when nobody engaged, accessibly', async () => {
    const element = await render([]);
    expect(element.shadowRoot!.querySelector('.relay-people__none')?.textContent?.trim()).toBe(
      'Nobody at this account has engaged in the last 90 days.',
    );
    await expect(element).toBeAccessible();
  });
});
