// The benchmark's dataset: the people loaded into the emulated org on top of its `demo` seed, and a
// deterministic stream of visit and message CloudEvents over them. Both the Relay run and the
// baseline regenerate the same events from the same seed, so they sync exactly the same work.
//
// The mix aims at what a document-sharing or outreach platform sends for a mid-sized customer: most
// activity comes from people the CRM knows (Contacts, then Leads), a few from converted Leads whose
// email moved to a new Contact record, some from visitors only known by their company (Account by
// name, DocSend's fallback), and a fair share from strangers; a handful of people cause a large
// share of the events (popular prospects re-opening a deck), and some visits are delivered twice
// (webhook redeliveries, updates of a finished visit) under new CloudEvent ids.

/** mulberry32: small, fast and the same on every machine, so the dataset is reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const DATASET_SEED = 20261122;

/** Sizes of the population loaded into the org (on top of the demo seed's own records). */
export const POPULATION = {
  accounts: 200,
  contactsPerAccount: 9,
  leads: 2700,
  convertedLeads: 100,
  /** Strangers: emails nobody in the org has. */
  strangers: 15_000,
} as const;

/** Shares of the events by the kind of match they should get (Relay's rules, sync README). */
export const CATEGORY_WEIGHTS = {
  contact: 0.4,
  lead: 0.25,
  converted: 0.05,
  account: 0.12,
  unmatched: 0.18,
} as const;
export type Category = keyof typeof CATEGORY_WEIGHTS;

export const VISIT_SHARE = 0.75;
/** Share of visits that re-deliver an earlier visit's final state under a new CloudEvent id. */
export const REDELIVERY_SHARE = 0.02;

export interface AccountSeed {
  Name: string;
  Website: string;
  Industry: string;
}
export interface PersonSeed {
  FirstName: string;
  LastName: string;
  Email: string;
}
export interface ContactSeed extends PersonSeed {
  account: number;
}
export interface LeadSeed extends PersonSeed {
  Company: string;
}
export interface ConvertedSeed extends LeadSeed {
  /** Index of the Contact it was converted into (whose email differs: the person moved on). */
  contact: number;
}
export interface Population {
  accounts: AccountSeed[];
  contacts: ContactSeed[];
  leads: LeadSeed[];
  converted: ConvertedSeed[];
}

const FIRST = ['Ada', 'Ben', 'Cleo', 'Dev', 'Eli', 'Fay', 'Gus', 'Hana', 'Ivo', 'Jin', 'Kai', 'Lena', 'Milo', 'Nia'];
const LAST = ['Abbott', 'Berg', 'Costa', 'Diaz', 'Ekman', 'Fox', 'Gallo', 'Hart', 'Ito', 'Juarez', 'Klein', 'Lund'];
const STEMS = ['Northwind', 'Bluebird', 'Ironwood', 'Quantum', 'Silverline', 'Redwood', 'Brightpath', 'Cobalt'];
const SUFFIXES = ['Ltd', 'GmbH', 'Corp', 'Partners', 'Analytics'];
const INDUSTRIES = ['Technology', 'Finance', 'Healthcare', 'Manufacturing', 'Retail', 'Education'];
const DOCUMENTS = ['Pitch deck', 'Pricing 2027', 'Security overview', 'Case study: logistics', 'Product tour', 'MSA'];
const SUBJECTS = ['Following up', 'Quick question', 'Your trial', 'Intro', 'Pricing you asked for', 'Next steps'];
/** Senders: the demo seed's sales users (Task owner by email) and reps Salesforce does not know. */
const SENDERS = [
  'ava.reed@relay.test',
  'liam.patel@relay.test',
  'mia.garcia@relay.test',
  'noah.nguyen@relay.test',
  'emma.kim@relay.test',
  'sdr.one@vendor.example',
  'sdr.two@vendor.example',
];

const nameOf = (i: number) => ({ FirstName: FIRST[i % FIRST.length]!, LastName: LAST[(i * 7) % LAST.length]! });
const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '');

export function population(): Population {
  const accounts = Array.from({ length: POPULATION.accounts }, (_, i) => {
    const name = `${STEMS[i % STEMS.length]} ${SUFFIXES[i % SUFFIXES.length]} ${i + 1}`;
    return { Name: name, Website: `https://${slug(name)}.bench.example`, Industry: INDUSTRIES[i % INDUSTRIES.length]! };
  });
  const contacts: ContactSeed[] = [];
  for (let a = 0; a < accounts.length; a++) {
    for (let k = 0; k < POPULATION.contactsPerAccount; k++) {
      const i = contacts.length;
      const n = nameOf(i);
      const domain = `${slug(accounts[a]!.Name)}.bench.example`;
      contacts.push({ ...n, Email: `${slug(n.FirstName)}.${slug(n.LastName)}${i}@${domain}`, account: a });
    }
  }
  const leads = Array.from({ length: POPULATION.leads }, (_, i) => {
    const n = nameOf(i + 3);
    return {
      ...n,
      Email: `${slug(n.FirstName)}.${slug(n.LastName)}${i}@prospect${i % 900}.bench.example`,
      Company: `Prospect ${i % 900}`,
    };
  });
  const converted = Array.from({ length: POPULATION.convertedLeads }, (_, i) => {
    const n = nameOf(i + 5);
    return {
      ...n,
      Email: `${slug(n.FirstName)}${i}@former-employer${i}.bench.example`,
      Company: `Former Employer ${i}`,
      contact: (i * 17) % contacts.length,
    };
  });
  return { accounts, contacts, leads, converted };
}

export interface CloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time: string;
  data: Record<string, unknown>;
}

export interface GeneratedEvent {
  event: CloudEvent;
  category: Category;
  /** The Task's external key without the workspace prefix (`visitId` or `messageId`). */
  key: string;
}

/**
 * Picks an index in [0, n) with a heavy head: person 0 of a kind gets ~5 % of that kind's events,
 * the first 1 % of people about a third, the long tail one or two each.
 */
function skewed(rand: () => number, n: number): number {
  return Math.min(n - 1, Math.floor(n * rand() ** 2.5));
}

function pickCategory(rand: () => number, message: boolean): Category {
  // Messages carry no account name, so their "account" share goes to strangers.
  let u = rand();
  for (const [category, weight] of Object.entries(CATEGORY_WEIGHTS) as [Category, number][]) {
    if (u < weight) return message && category === 'account' ? 'unmatched' : category;
    u -= weight;
  }
  return 'unmatched';
}

const BASE_TIME = Date.parse('2026-11-19T00:00:00Z');

/** The first `count` events of the stream (the 1,000 dataset is the start of the 100,000 one). */
export function generateEvents(count: number, pop: Population = population()): GeneratedEvent[] {
  const rand = rng(DATASET_SEED);
  const out: GeneratedEvent[] = [];
  const visits: GeneratedEvent[] = [];
  for (let i = 0; i < count; i++) {
    const time = new Date(BASE_TIME + i * 1000).toISOString();
    const id = `bench-${i}`;
    if (rand() < VISIT_SHARE) {
      if (visits.length > 0 && rand() < REDELIVERY_SHARE) {
        // An earlier visit delivered again, longer and later: the same Task must be updated.
        const earlier = visits[visits.length - 1 - Math.floor(rand() * Math.min(visits.length, 3000))]!;
        const data = earlier.event.data;
        const redelivered = { ...data, durationSeconds: (data.durationSeconds as number) + 60, percentViewed: 100 };
        out.push({ ...earlier, event: { ...earlier.event, id, time, data: redelivered } });
        continue;
      }
      const category = pickCategory(rand, false);
      const person = personFor(rand, category, pop);
      const visitId = `visit-${i}`;
      const generated: GeneratedEvent = {
        category,
        key: visitId,
        event: {
          specversion: '1.0',
          id,
          source: 'bench.docsend',
          type: 'relay.visit',
          time,
          data: {
            visitId,
            visitor: { email: person.email, name: person.name },
            document: { name: DOCUMENTS[i % DOCUMENTS.length], url: `https://docsend.example/view/d${i % 40}` },
            ...(person.accountName ? { accountName: person.accountName } : {}),
            durationSeconds: 5 + Math.floor(rand() * 1800),
            percentViewed: Math.floor(rand() * 101),
            // Finished visits: an active one is re-synced on its 10-minute cadence, which a throughput
            // run would only wait for (sync README, visit cadence).
            active: false,
            statsUrl: `https://docsend.example/stats/visit-${i}`,
          },
        },
      };
      visits.push(generated);
      out.push(generated);
    } else {
      const category = pickCategory(rand, true);
      const person = personFor(rand, category, pop);
      const messageId = `message-${i}`;
      out.push({
        category,
        key: messageId,
        event: {
          specversion: '1.0',
          id,
          source: 'bench.andsend',
          type: 'relay.message.sent',
          time,
          data: {
            messageId,
            channel: rand() < 0.8 ? 'email' : 'linkedin',
            from: { email: SENDERS[Math.floor(rand() * SENDERS.length)] },
            to: { email: person.email, name: person.name },
            subject: SUBJECTS[i % SUBJECTS.length],
            body: `Hi ${person.name.split(' ')[0]}, following up on our conversation. Best regards`,
          },
        },
      });
    }
  }
  return out;
}

interface Person {
  email: string;
  name: string;
  accountName?: string;
}

function personFor(rand: () => number, category: Category, pop: Population): Person {
  // Some platforms send emails as typed: Salesforce's email match is case-insensitive.
  const shout = (email: string) => (rand() < 0.03 ? email.toUpperCase() : email);
  switch (category) {
    case 'contact': {
      const c = pop.contacts[skewed(rand, pop.contacts.length)]!;
      const withAccount = rand() < 0.5;
      return {
        email: shout(c.Email),
        name: `${c.FirstName} ${c.LastName}`,
        ...(withAccount ? { accountName: pop.accounts[c.account]!.Name } : {}),
      };
    }
    case 'lead': {
      const l = pop.leads[skewed(rand, pop.leads.length)]!;
      return { email: shout(l.Email), name: `${l.FirstName} ${l.LastName}` };
    }
    case 'converted': {
      const l = pop.converted[skewed(rand, pop.converted.length)]!;
      return { email: l.Email, name: `${l.FirstName} ${l.LastName}` };
    }
    case 'account': {
      const a = pop.accounts[skewed(rand, pop.accounts.length)]!;
      const k = Math.floor(rand() * 5000);
      return { email: `visitor${k}@guest${k % 400}.example`, name: `Guest ${k}`, accountName: a.Name };
    }
    case 'unmatched': {
      const k = skewed(rand, POPULATION.strangers);
      const withCompany = rand() < 0.5;
      return {
        email: `stranger${k}@unknown${k % 1000}.example`,
        name: `Stranger ${k}`,
        ...(withCompany ? { accountName: `Unknown Company ${k % 1000}` } : {}),
      };
    }
  }
}

/** What a correct sync of `events` must leave in the org. */
export interface Expectations {
  events: number;
  visits: number;
  messages: number;
  redeliveries: number;
  byCategory: Record<Category, number>;
  distinctEmails: number;
  /** Distinct external keys of matched events: one Task each. */
  tasks: number;
  /** Of those, Tasks whose WhoId is a Contact, a Lead, or with only an Account WhatId. */
  tasksOnContacts: number;
  tasksOnLeads: number;
  tasksOnAccountsOnly: number;
  /** Events left unsynced on purpose (no match, default switches: skipped with the reason). */
  unmatchedEvents: number;
}

export function expectations(events: readonly GeneratedEvent[]): Expectations {
  const byCategory: Record<Category, number> = { contact: 0, lead: 0, converted: 0, account: 0, unmatched: 0 };
  const keys = new Map<string, Category>();
  const emails = new Set<string>();
  const seenIds = new Set<string>();
  let visits = 0;
  let redeliveries = 0;
  for (const g of events) {
    byCategory[g.category] += 1;
    if (g.event.type === 'relay.visit') {
      visits += 1;
      if (seenIds.has(g.key)) redeliveries += 1;
      emails.add(String((g.event.data.visitor as { email: string }).email).toLowerCase());
    } else emails.add(String((g.event.data.to as { email: string }).email).toLowerCase());
    seenIds.add(g.key);
    if (g.category !== 'unmatched') keys.set(g.key, g.category);
  }
  const count = (...cs: Category[]) => [...keys.values()].filter((c) => cs.includes(c)).length;
  return {
    events: events.length,
    visits,
    messages: events.length - visits,
    redeliveries,
    byCategory,
    distinctEmails: emails.size,
    tasks: keys.size,
    tasksOnContacts: count('contact', 'converted'),
    tasksOnLeads: count('lead'),
    tasksOnAccountsOnly: count('account'),
    unmatchedEvents: byCategory.unmatched,
  };
}
