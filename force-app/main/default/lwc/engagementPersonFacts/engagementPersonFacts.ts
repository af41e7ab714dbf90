// What the engagement platform knows of this person, as the companion received it: lists, tags and
// when they were last seen. Read-only: the platform owns these values.
import { LightningElement, api } from 'lwc';
import { toTimestamp } from 'c/relayFormat';
import type { PersonFacts } from 'c/relayTypes';

export default class EngagementPersonFacts extends LightningElement {
  /** getEngagement's `person`; null when the platform sent nothing about the person. */
  @api person: PersonFacts | null = null;

  get hasPerson(): boolean {
    return !!this.person;
  }

  get email(): string | null {
    return this.person?.email ?? null;
  }

  get lists(): string[] {
    return this.person?.lists ?? [];
  }

  get tags(): string[] {
    return this.person?.tags ?? [];
  }

  get hasLists(): boolean {
    return this.lists.length > 0;
  }

  get hasTags(): boolean {
    return this.tags.length > 0;
  }

  get lastSeenAt(): string | null {
    return this.person?.lastSeenAt ?? null;
  }

  /** lastSeenAt as a timestamp, the only form lightning-relative-date-time accepts. */
  get lastSeenAtTimestamp(): number | null {
    return toTimestamp(this.lastSeenAt);
  }
}
