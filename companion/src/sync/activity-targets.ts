// Step 3 of the activity sync: who the Task is about, what it is on and who owns it. The batch's
// own match decisions (batch-matches.ts: the cache read once, and the lookups' answers) answer: a
// Contact or Lead by the person's email or phone, else the Account by name. The unmatched become a
// Lead (CreateLeadsForUnmatched, created as person-create.ts creates every person), an open
// follow-up Task for the owner (FollowUpTasksForUnmatched), or a skip listed under `unmatched`.
// "Unmatched" needs a decision: a value no lookup of the batch covered is retried
// (LOOKUP_INCOMPLETE), never skipped.
import { accountNameOf, linkIdOf, personEmail, personName, personPhone, platformUserEmail } from './activities.js';
import type { Activity } from './activities.js';
import type { Candidate } from './activity-candidates.js';
import type { BatchContext } from './batch.js';
import type { PersonMatch } from './matching.js';
import { createPeople, type PersonWrite } from './person-create.js';
import { truncate, type TaskTarget } from './tasks.js';
import { fieldOf, primaryError, type SalesforceErrorItem } from '../errors.js';

/** Sets each candidate's target; the unmatched get a Lead, a follow-up Task or a skip. */
export async function resolveTargets(bc: BatchContext, candidates: Candidate[]): Promise<void> {
  const leadsFor = new Map<string, Candidate[]>();
  for (const c of candidates) {
    rememberWho(c);
    const found = matchTarget(bc, c);
    if (found === 'undecided') lookupIncomplete(bc, c);
    else if (!found) unmatchedTarget(bc, c, leadsFor);
  }
  if (leadsFor.size > 0) await createLeads(bc, leadsFor);
}

/** What the activity's state remembers of whom it is about. */
function rememberWho(c: Candidate): void {
  c.state.personEmail = personEmail(c.activity) ?? null;
  c.state.accountName = accountNameOf(c.activity) ?? null;
  const linkId = linkIdOf(c.activity);
  if (linkId) c.state.linkId = linkId;
}

function ownerOf(bc: BatchContext, a: Activity): string | null {
  const userEmail = platformUserEmail(a);
  return userEmail ? (bc.matches.user(userEmail)?.id ?? null) : null;
}

function targetFromMatch(m: PersonMatch, ownerId: string | null): TaskTarget {
  const isLead = m.kind === 'Lead';
  return {
    whoId: m.whoId,
    whoIsLead: isLead,
    whatId: isLead ? null : m.accountId,
    ownerId,
    followUp: false,
    reason: m.reason,
  };
}

/**
 * The person by email or phone, else the Account by name; false when provably neither matches,
 * 'undecided' when the batch's lookups did not cover what decides it.
 */
function matchTarget(bc: BatchContext, c: Candidate): boolean | 'undecided' {
  const email = personEmail(c.activity);
  const phone = personPhone(c.activity);
  const person = email ? bc.matches.person(email) : phone ? bc.matches.phone(phone) : null;
  if (person === undefined) return 'undecided';
  if (person) {
    c.target = targetFromMatch(person, ownerOf(bc, c.activity));
    c.match = { reason: person.reason, matchedBy: person.matchedBy, value: person.value };
    return true;
  }
  const accountName = accountNameOf(c.activity);
  const account = accountName ? bc.matches.account(accountName) : null;
  if (account === undefined) return 'undecided';
  if (!account) return false;
  const ownerId = ownerOf(bc, c.activity);
  c.target = { whoId: null, whoIsLead: false, whatId: account.id, ownerId, followUp: false, reason: account.reason };
  c.match = { reason: account.reason, matchedBy: 'accountName', value: account.name };
  return true;
}

/** No lookup of this batch covered the person (or Account): tried again, never skipped. */
function lookupIncomplete(bc: BatchContext, c: Candidate): void {
  const a = c.activity;
  const who = personEmail(a) ?? personPhone(a) ?? `Account '${accountNameOf(a) ?? ''}'`;
  bc.out.retry(
    a.event.seq,
    'LOOKUP_INCOMPLETE',
    `LOOKUP_INCOMPLETE: no lookup of this batch covered ${who}; matched again on the next attempt`,
  );
}

/** No match: a Lead to create, a follow-up Task, or a skip, as the switches say. */
function unmatchedTarget(bc: BatchContext, c: Candidate, leadsFor: Map<string, Candidate[]>): void {
  const { settings } = bc.config;
  const a = c.activity;
  const email = personEmail(a);
  const accountName = accountNameOf(a);
  const who = email ?? personPhone(a) ?? (accountName ? `Account '${accountName}'` : 'this activity');
  const lookedFor =
    email || personPhone(a)
      ? `no Contact, Lead${accountName ? ' or Account' : ''} matches ${who}`
      : `no Account is named '${accountName}'`;
  if (settings.CreateLeadsForUnmatched && email) {
    leadsFor.set(email, [...(leadsFor.get(email) ?? []), c]);
    c.needsLead = email;
  } else if (settings.FollowUpTasksForUnmatched) {
    const reason = `${lookedFor}; follow-up Task for the owner (FollowUpTasksForUnmatched)`;
    c.target = { whoId: null, whoIsLead: false, whatId: null, ownerId: ownerOf(bc, a), followUp: true, reason };
    c.match = { reason, matchedBy: null, value: null };
  } else {
    const reason = `unmatched: ${lookedFor} (CreateLeadsForUnmatched and FollowUpTasksForUnmatched are off)`;
    c.state.matchReason = reason;
    bc.out.skipped(a.event.seq, reason, {
      category: 'unmatched',
      errorCode: 'NO_MATCH',
      subject: who,
      externalKey: c.state.externalKey,
    });
  }
}

/** Lead for an unmatched person: Company from the account name or the email domain, LastName from the name or the email's local part. */
function leadForUnmatched(email: string, a: Activity, leadSource: string): Record<string, unknown> {
  const parts = (personName(a) ?? '').trim().split(/\s+/).filter(Boolean);
  const [local = email, domain = ''] = email.split('@');
  const lastName = parts.length > 1 ? parts.slice(-1)[0]! : (parts[0] ?? local);
  const firstName = parts.length > 1 ? parts.slice(0, -1).join(' ') : undefined;
  const company = accountNameOf(a) ?? domain ?? local;
  return {
    attributes: { type: 'Lead' },
    // Lead field lengths (Object Reference): FirstName 40, LastName 80, Company 255.
    ...(firstName ? { FirstName: truncate(firstName, 40) } : {}),
    LastName: truncate(lastName, 80),
    Company: truncate(company || local, 255),
    Email: email,
    LeadSource: truncate(leadSource, 255),
  };
}

async function createLeads(bc: BatchContext, leadsFor: Map<string, Candidate[]>): Promise<void> {
  const emails = [...leadsFor.keys()];
  const { LeadSource } = bc.config.settings;
  const records = emails.map((email) => leadForUnmatched(email, leadsFor.get(email)![0]!.activity, LeadSource));
  const writes = await createPeople(bc, records, 'create.Lead');
  emails.forEach((email, i) => settleLead(bc, email, leadsFor.get(email)!, writes[i]));
}

/** The created Lead, or the duplicate Salesforce found, becomes the candidates' target. */
function settleLead(bc: BatchContext, email: string, candidates: Candidate[], w: PersonWrite | undefined): void {
  if (!w) return; // not attempted (limit pause): the engine defers it
  const match = leadMatch(email, w);
  if (!match) {
    const error = w.status === 'failed' ? w.error : primaryError([]);
    for (const c of candidates) recordLeadFailure(bc, c, error);
    return;
  }
  bc.cache.setPerson(email, match);
  bc.matches.people.set(email, match);
  for (const c of candidates) {
    c.target = targetFromMatch(match, ownerOf(bc, c.activity));
    c.match = { reason: match.reason, matchedBy: 'email', value: email };
  }
}

function leadMatch(email: string, w: PersonWrite): PersonMatch | null {
  const found = { accountId: null, ownerId: null, matchedBy: 'email' as const, value: email };
  if (w.status === 'saved' && w.id)
    return {
      kind: 'Lead',
      whoId: w.id,
      reason: `created Lead for unmatched ${email} (CreateLeadsForUnmatched)`,
      ...found,
    };
  if (w.status === 'duplicate') return { kind: w.type, whoId: w.id, reason: w.reason, ...found };
  return null;
}

function recordLeadFailure(bc: BatchContext, c: Candidate, err: SalesforceErrorItem): void {
  const item: SalesforceErrorItem = { ...err, message: `creating a Lead for ${c.needsLead}: ${err.message}` };
  if (!item.fields.length) {
    const f = fieldOf(err);
    if (f) item.fields = [f];
  }
  bc.out.recordError(c.activity.event.seq, item);
}
