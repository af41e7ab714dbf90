// "Why this record matched": which event property tied the platform's person to this Lead,
// Contact or Account, in one sentence, so a rep can trust (or question) what the sidebar shows.
import { LightningElement, api } from 'lwc';
import type { MatchReason } from 'c/relayTypes';
import { matchSentence, thisRecord } from './matchSentence';

export default class EngagementMatchReason extends LightningElement {
  /** getEngagement's `match`; null when no event has matched the record. */
  @api match: MatchReason | null = null;

  /** The page's object (Lead, Contact, Account): the sentence names "this Contact", "this account". */
  @api objectApiName: string | undefined;

  get hasMatch(): boolean {
    return !!this.match;
  }

  get sentence(): string {
    return matchSentence(this.match, this.objectApiName);
  }

  get noneText(): string {
    return `No Relay event has matched ${thisRecord(this.objectApiName)} yet.`;
  }
}
