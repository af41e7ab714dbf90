// Realistic CloudEvents for the demo stream, the way DocSend- and Andsend-like platforms send
// them: visits that start active and are updated as the reader goes on (same visitId, growing
// duration and percent, then inactive), emails and LinkedIn messages from reps, links and spaces
// created for accounts, the odd prospect. Most people match Contacts or Leads of the org; a few
// match only an Account by name or nothing at all.
import { randomUUID } from 'node:crypto';
import type { Cast, Person } from './people.js';

export interface DemoEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time: string;
  data: Record<string, unknown>;
}

interface ActiveVisit {
  visitId: string;
  person: Person;
  document: { name: string; url: string };
  durationSeconds: number;
  percentViewed: number;
  updates: number;
  startedAt: string;
}

const DOCUMENTS = [
  'Pitch deck',
  'Pricing 2026',
  'Security whitepaper',
  'Case study: Acme',
  'Product roadmap',
  'Master services agreement',
];
const SUBJECTS = [
  'Following up on our call',
  'Quick question',
  'The deck you asked for',
  'Next steps',
  'Intro: Relay x {account}',
];

export class DemoEventGenerator {
  readonly #run = randomUUID().slice(0, 8);
  #n = 0;
  readonly #active: ActiveVisit[] = [];

  constructor(
    private readonly cast: Cast,
    private readonly random: () => number = Math.random,
  ) {}

  #pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  #person(): Person {
    const r = this.random();
    if (r < 0.55 && this.cast.contacts.length) return this.#pick(this.cast.contacts);
    if (r < 0.8 && this.cast.leads.length) return this.#pick(this.cast.leads);
    if (r < 0.92 && this.cast.accounts.length) {
      // Someone new at a known company: matched to the Account by name.
      const accountName = this.#pick(this.cast.accounts);
      const first = this.#pick(['robin', 'kai', 'alex', 'jamie', 'taylor']);
      return {
        email: `${first}.${this.#n}@${accountName.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example`,
        name: first,
        accountName,
      };
    }
    return this.#pick(this.cast.unknown.length ? this.cast.unknown : this.cast.contacts);
  }

  #event(source: string, type: string, data: Record<string, unknown>): DemoEvent {
    this.#n += 1;
    return {
      specversion: '1.0',
      id: `demo-${this.#run}-${this.#n}`,
      source,
      type,
      time: new Date().toISOString(),
      data,
    };
  }

  #visitEvent(v: ActiveVisit, active: boolean): DemoEvent {
    return this.#event('demo.docsend', 'relay.visit', {
      visitId: v.visitId,
      visitor: { email: v.person.email, name: v.person.name },
      document: v.document,
      ...(v.person.accountName ? { accountName: v.person.accountName } : {}),
      durationSeconds: v.durationSeconds,
      percentViewed: v.percentViewed,
      active,
      statsUrl: `https://docsend.example/stats/${v.visitId}`,
      startedAt: v.startedAt,
    });
  }

  next(): DemoEvent {
    const r = this.random();
    if (this.#active.length > 0 && r < 0.3) {
      const i = Math.floor(this.random() * this.#active.length);
      const v = this.#active[i]!;
      v.updates += 1;
      v.durationSeconds += 15 + Math.floor(this.random() * 90);
      v.percentViewed = Math.min(100, v.percentViewed + 10 + Math.floor(this.random() * 30));
      const done = v.updates >= 3 || v.percentViewed >= 100;
      if (done) this.#active.splice(i, 1);
      return this.#visitEvent(v, !done);
    }
    if (r < 0.6) {
      const name = this.#pick(DOCUMENTS);
      const v: ActiveVisit = {
        visitId: `visit-${this.#run}-${this.#n}`,
        person: this.#person(),
        document: { name, url: `https://docsend.example/view/${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}` },
        durationSeconds: 5 + Math.floor(this.random() * 30),
        percentViewed: 5 + Math.floor(this.random() * 20),
        updates: 0,
        startedAt: new Date().toISOString(),
      };
      if (this.#active.length < 20) this.#active.push(v);
      return this.#visitEvent(v, true);
    }
    if (r < 0.85) {
      const person = this.#person();
      const channel = this.random() < 0.75 ? 'email' : 'linkedin';
      const subject = this.#pick(SUBJECTS).replace('{account}', person.accountName ?? 'you');
      return this.#event('demo.andsend', 'relay.message.sent', {
        messageId: `msg-${this.#run}-${this.#n}`,
        channel,
        from: { email: this.#pick(this.cast.reps) },
        to: { email: person.email, name: person.name },
        subject,
        body: `Hi ${person.name.split(' ')[0] || 'there'},\n\n${subject}. Let me know what you think.\n`,
        sentAt: new Date().toISOString(),
        campaign: 'Relay demo sequence',
      });
    }
    const accountName = this.#pick(this.cast.accounts);
    if (r < 0.95) {
      const name = this.#pick(DOCUMENTS);
      return this.#event('demo.docsend', 'relay.link.created', {
        linkId: `link-${this.#run}-${this.#n}`,
        document: { name },
        externalUrl: `https://docsend.example/view/${this.#run}${this.#n}`,
        accountName,
        createdBy: { email: this.#pick(this.cast.reps) },
        visitors: [],
      });
    }
    return this.#event('demo.docsend', 'relay.space.created', {
      spaceId: `space-${this.#run}-${this.#n}`,
      name: `${accountName} deal room`,
      url: `https://docsend.example/space/${this.#run}${this.#n}`,
      accountName,
      createdBy: { email: this.#pick(this.cast.reps) },
    });
  }
}
