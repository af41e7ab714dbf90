// Why the record matched, as a sentence a rep reads ("Matched by email ava@acme.example to this
// Contact."), from the reason the companion stored with the activity or the person. The stored
// reasons are short log phrases (companion/src/sync/matching.ts and activity-targets.ts); each
// known one gets its sentence, anything else is shown as it came, capitalised.
import type { MatchReason } from 'c/relayTypes';

const BY_WORDS: Record<string, string> = {
  email: 'email',
  phone: 'phone',
  accountName: 'account name',
  account: 'account name',
  domain: 'email domain',
  recordId: 'record id',
};

/** "this Contact", "this Lead", "this account": the page's own record. */
export function thisRecord(objectApiName: string | null | undefined): string {
  if (objectApiName === 'Account') {
    return 'this account';
  }
  return objectApiName ? `this ${objectApiName}` : 'this record';
}

/** Who the activity was tied to, seen from the page: on an Account, one of its people. */
function target(matchedObject: string, objectApiName: string | null | undefined): string {
  if (objectApiName === 'Account' && matchedObject !== 'Account') {
    return `a ${matchedObject} of this account`;
  }
  return thisRecord(objectApiName ?? matchedObject);
}

function capitalise(text: string): string {
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

function byValue(match: MatchReason): string {
  const by = match.matchedBy ? (BY_WORDS[match.matchedBy] ?? match.matchedBy) : null;
  if (!by) {
    return '';
  }
  return match.value ? ` by ${by} ${match.value}` : ` by ${by}`;
}

export function matchSentence(match: MatchReason | null, objectApiName?: string | null): string {
  if (!match) {
    return '';
  }
  const reason = match.reason ?? '';
  const matched = /^matched (Contact|Lead|Account) (?:by|via)/.exec(reason);
  const converted = /converted Lead (\w+)/.exec(reason);
  if (matched) {
    const through = converted ? `, through the converted Lead ${converted[1]}` : '';
    return `Matched${byValue(match)} to ${target(matched[1]!, objectApiName)}${through}.`;
  }
  const created = /^created (Contact|Lead)/.exec(reason);
  if (created) {
    const who = match.value ? ` for ${match.value}` : '';
    return `Relay created ${target(created[1]!, objectApiName)}${who}: no Contact or Lead had that email.`;
  }
  const duplicate = /^attached to duplicate (Contact|Lead)/.exec(reason);
  if (duplicate) {
    return `Matched${byValue(match)} to ${target(duplicate[1]!, objectApiName)}, found by Salesforce's duplicate rule.`;
  }
  return capitalise(reason);
}
