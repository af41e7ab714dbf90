// The `demo` seed: a small sales org that looks real and is the same on every start (a fixed
// pseudo-random sequence), so tests can rely on its records: 5 sales users, 60 Accounts, 150
// Contacts, 300 Leads of which 20 are converted (to a Contact and its Account), and one Campaign
// with the statuses "Sent" (default) and "Responded" (responded) and a few members.
import type { Org } from '../org.js';
import { must } from './base.js';

const FIRST = [
  'Ava',
  'Liam',
  'Mia',
  'Noah',
  'Emma',
  'Lucas',
  'Olivia',
  'Ethan',
  'Sofia',
  'Mason',
  'Chloe',
  'Leo',
  'Grace',
  'Owen',
  'Zoe',
  'Henry',
  'Nora',
  'Jack',
  'Ruby',
  'Theo',
];
const LAST = [
  'Reed',
  'Patel',
  'Garcia',
  'Nguyen',
  'Kim',
  'Okafor',
  'Schmidt',
  'Rossi',
  'Dubois',
  'Silva',
  'Cohen',
  'Larsen',
  'Novak',
  'Tanaka',
  'Murphy',
  'Haddad',
  'Moreau',
  'Kowalski',
  'Brennan',
  'Yilmaz',
];
const WORDS = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Stark',
  'Wayne',
  'Hooli',
  'Vandelay',
  'Soylent',
  'Tyrell',
  'Cyberdyne',
  'Wonka',
  'Aperture',
  'Gringotts',
  'Oscorp',
  'Pied Piper',
  'Massive Dynamic',
  'Dunder',
  'Prestige',
  'Nakatomi',
];
const SUFFIX = ['Inc', 'Labs', 'Systems', 'Group'];
const TITLES = [
  'VP Sales',
  'CTO',
  'Head of Marketing',
  'Account Executive',
  'Procurement Manager',
  'CEO',
  'Sales Director',
  'Engineer',
];
const INDUSTRIES = ['Technology', 'Finance', 'Healthcare', 'Manufacturing', 'Retail', 'Education'];
const SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
const STATUSES = ['Open - Not Contacted', 'Working - Contacted', 'Closed - Not Converted'];

/** mulberry32: a tiny fixed PRNG so the demo is identical on every start. */
export function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const DEMO_USERS = [
  { FirstName: 'Ava', LastName: 'Reed', Email: 'ava.reed@relay.test', Title: 'Account Executive' },
  { FirstName: 'Liam', LastName: 'Patel', Email: 'liam.patel@relay.test', Title: 'Account Executive' },
  { FirstName: 'Mia', LastName: 'Garcia', Email: 'mia.garcia@relay.test', Title: 'Sales Development Rep' },
  { FirstName: 'Noah', LastName: 'Nguyen', Email: 'noah.nguyen@relay.test', Title: 'Sales Development Rep' },
  { FirstName: 'Emma', LastName: 'Kim', Email: 'emma.kim@relay.test', Title: 'Sales Manager' },
];

export const DEMO_CAMPAIGN_NAME = 'Relay Demo Campaign';

export function seedDemo(org: Org): void {
  const rand = prng(20261122);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const system = { system: true } as const;

  const userIds = must(
    org.insert(
      'User',
      DEMO_USERS.map((u) => ({
        ...u,
        Username: u.Email,
        Alias: (u.FirstName[0]! + u.LastName).slice(0, 8).toLowerCase(),
        TimeZoneSidKey: 'America/Los_Angeles',
        LocaleSidKey: 'en_US',
        EmailEncodingKey: 'UTF-8',
        LanguageLocaleKey: 'en_US',
      })),
      system,
    ),
  );

  const accounts = Array.from({ length: 60 }, (_, i) => {
    const word = WORDS[i % WORDS.length]!;
    const name = `${word} ${SUFFIX[Math.floor(i / WORDS.length)]}`;
    const domain = `${word.toLowerCase().replace(/\s+/g, '')}${i >= WORDS.length ? Math.floor(i / WORDS.length) : ''}.example`;
    return { name, domain };
  });
  const accountIds = must(
    org.insert(
      'Account',
      accounts.map((a) => ({
        Name: a.name,
        Website: `https://www.${a.domain}`,
        Industry: pick(INDUSTRIES),
        Phone: `+1 415 555 ${String(1000 + Math.floor(rand() * 9000))}`,
        BillingCity: pick(['San Francisco', 'New York', 'London', 'Paris', 'Berlin', 'Austin']),
        OwnerId: pick(userIds),
      })),
      system,
    ),
  );

  const contacts = Array.from({ length: 150 }, (_, i) => {
    const a = i % accounts.length;
    const first = FIRST[i % FIRST.length]!;
    const last = LAST[(i * 7) % LAST.length]!;
    return {
      AccountId: accountIds[a],
      FirstName: first,
      LastName: last,
      Email: `${first}.${last}${i}@${accounts[a]!.domain}`.toLowerCase(),
      Title: pick(TITLES),
      Phone: `+1 212 555 ${String(1000 + i)}`,
      LeadSource: pick(SOURCES),
      OwnerId: pick(userIds),
    };
  });
  const contactIds = must(org.insert('Contact', contacts, system));

  const leads = Array.from({ length: 300 }, (_, i) => {
    const first = FIRST[(i * 3) % FIRST.length]!;
    const last = LAST[(i * 11 + 5) % LAST.length]!;
    const company = `${pick(WORDS)} ${pick(['Partners', 'Studio', 'Ventures', 'Works', 'Co'])}`;
    const lead: Record<string, unknown> = {
      FirstName: first,
      LastName: last,
      Company: company,
      Email: `${first}.${last}.lead${i}@prospects.example`.toLowerCase(),
      Title: pick(TITLES),
      Phone: `+1 646 555 ${String(1000 + i)}`,
      LeadSource: pick(SOURCES),
      Status: pick(STATUSES),
      OwnerId: pick(userIds),
    };
    // Every 15th lead was converted into one of the demo contacts.
    if (i % 15 === 0) {
      const c = (i / 15) % contactIds.length;
      Object.assign(lead, {
        IsConverted: true,
        Status: 'Closed - Converted',
        ConvertedContactId: contactIds[c],
        ConvertedAccountId: contacts[c]!.AccountId,
        ConvertedDate: '2026-01-15',
        Email: contacts[c]!.Email,
      });
    }
    return lead;
  });
  const leadIds = must(org.insert('Lead', leads, system));

  const [campaignId] = must(
    org.insert(
      'Campaign',
      [{ Name: DEMO_CAMPAIGN_NAME, Type: 'Email', Status: 'In Progress', IsActive: true, StartDate: '2026-01-01' }],
      system,
    ),
  );
  must(
    org.insert(
      'CampaignMember',
      [
        ...leadIds.slice(1, 6).map((LeadId) => ({ CampaignId: campaignId, LeadId })),
        ...contactIds
          .slice(0, 5)
          .map((ContactId, i) => ({ CampaignId: campaignId, ContactId, Status: i === 0 ? 'Responded' : 'Sent' })),
      ],
      system,
    ),
  );
}
