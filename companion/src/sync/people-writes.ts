// Steps 4 and 5 of the people sync: Accounts for new Contacts (ContactAccount mode), then the
// person writes — known people updated, never duplicated (a list sign-up only fills their blank
// fields: people-fields.ts); unknown ones created as the RecordMode says. Both honour the org's
// duplicate rules the one way every person write does (person-create.ts): saved anyway with
// AllowSaveDuplicates, else attached to the duplicate Salesforce found. A new person's Account and
// owner are the batch's decisions (batch-matches.ts), never a second read of the shared cache: an
// entry expiring mid-batch must not turn a known Account or rep into "none".
import type { BatchContext } from './batch.js';
import { accountKey, createNewRecords } from './people-bulk.js';
import { normalizeName } from './matching.js';
import { lookupIncomplete, ownerEmailOf, type BatchPerson, type MatchKey } from './people-events.js';
import { fieldsFor, knownPersonUpdate, newPersonRecord } from './people-fields.js';
import { createPeople, duplicateRuleHeaders, personWrite, type PersonWrite } from './person-create.js';
import { truncate } from './tasks.js';
import { withoutSalesforceWins } from '../conflicts/rule.js';
import { primaryError, type SalesforceErrorItem } from '../errors.js';
import { writeCollections } from '../salesforce/calls.js';
import { objectOfId } from '../salesforce/ids.js';

export function withContext(err: SalesforceErrorItem, doing: string): SalesforceErrorItem {
  return { ...err, message: `${doing}: ${err.message}` };
}

/**
 * The owner of a new record: the User the batch decided for the owner email its events name, null
 * for none (the integration user owns it); 'undecided' when no lookup of the batch covered it.
 */
function ownerIdOf(bc: BatchContext, people: BatchPerson[]): string | null | 'undecided' {
  const owner = ownerEmailOf(people.flatMap((p) => p.events));
  if (!owner) return null;
  const user = bc.matches.user(owner);
  return user === undefined ? 'undecided' : (user?.id ?? null);
}

/** Whether a new Contact's Account and owner are decided; if not, their events are retried. */
function accountAndOwnerDecided(bc: BatchContext, p: BatchPerson): boolean {
  const undecided =
    bc.matches.account(p.accountName!) === undefined
      ? `Account '${p.accountName!}'`
      : ownerIdOf(bc, [p]) === 'undecided'
        ? `owner ${ownerEmailOf(p.events)!}`
        : null;
  if (undecided) lookupIncomplete(bc, p, undecided);
  return undecided === null;
}

const answered = (bc: BatchContext, p: BatchPerson): boolean => p.events.every((e) => bc.out.has(e.event.seq));

/** One Account per company of the new people, unless the batch decided the company has one. */
export async function createAccounts(bc: BatchContext, people: Map<string, BatchPerson>): Promise<void> {
  const missing = new Map<string, BatchPerson[]>();
  for (const p of people.values()) {
    if (p.target || answered(bc, p) || !accountAndOwnerDecided(bc, p)) continue;
    const known = bc.matches.account(p.accountName!);
    if (known) p.accountId = known.id;
    else missing.set(normalizeName(p.accountName!), [...(missing.get(normalizeName(p.accountName!)) ?? []), p]);
  }
  if (missing.size === 0) return;
  const groups = [...missing.values()];
  const records = groups.map((ps) => {
    const ownerId = ownerIdOf(bc, ps); // decided: undecided owners were retried above
    return {
      attributes: { type: 'Account' },
      ...fieldsFor(bc.config, 'Account', ps[0]!.fields, undefined),
      Name: truncate(ps[0]!.accountName!, 255),
      ...(ownerId && ownerId !== 'undecided' ? { OwnerId: ownerId } : {}),
    };
  });
  const written = await createNewRecords(bc, records, { label: 'create.Account', keyOf: accountKey });
  if (written.pause) bc.pause = written.pause;
  groups.forEach((ps, i) => {
    const r = written.results[i];
    if (r?.success && r.id) {
      const name = ps[0]!.accountName!;
      const created = { id: r.id, name, ownerId: null, reason: 'created Account' };
      bc.cache.setAccount(name, created);
      bc.matches.setAccount(name, created);
      for (const p of ps) p.accountId = r.id;
    } else if (r)
      for (const p of ps)
        for (const e of p.events)
          bc.out.recordError(e.event.seq, withContext(primaryError(r.errors), 'creating the Account'));
  });
}

/**
 * Updates of the known people, then creates of the others; each person's target follows. `keep`:
 * per person, fields whose Salesforce value won a conflict (src/conflicts/), left out of the update.
 */
export async function writePeople(
  bc: BatchContext,
  people: Map<string, BatchPerson>,
  key: MatchKey,
  keep: ReadonlyMap<BatchPerson, ReadonlySet<string>> = new Map(),
): Promise<void> {
  const updates: { p: BatchPerson; record: Record<string, unknown> }[] = [];
  const creates: { p: BatchPerson; record: Record<string, unknown> }[] = [];
  const object = bc.config.settings.RecordMode === 'ContactAccount' ? 'Contact' : 'Lead';
  for (const p of people.values()) {
    if (answered(bc, p)) continue;
    if (!p.target) {
      const ownerId = ownerIdOf(bc, [p]);
      if (ownerId === 'undecided') lookupIncomplete(bc, p, `owner ${ownerEmailOf(p.events)!}`);
      else creates.push({ p, record: newPersonRecord(bc.config, object, p, key, ownerId) });
      continue;
    }
    const fields = withoutSalesforceWins(knownPersonUpdate(bc.config, p, p.target), keep.get(p), p.target.current);
    if (Object.keys(fields).length > 0)
      updates.push({ p, record: { attributes: { type: p.target.type }, Id: p.target.id, ...fields } });
  }
  const updated = await updatePeople(
    bc,
    updates.map((u) => u.record),
  );
  const created = await createPeople(
    bc,
    creates.map((c) => c.record),
    'create.person',
  );
  updates.forEach((u, i) => settle(bc, u.p, updated[i], false));
  creates.forEach((c, i) => settle(bc, c.p, created[i], true));
}

async function updatePeople(
  bc: BatchContext,
  records: Record<string, unknown>[],
): Promise<(PersonWrite | undefined)[]> {
  if (bc.pause || records.length === 0) return records.map(() => undefined);
  const written = await writeCollections(
    bc.client,
    {
      method: 'PATCH',
      path: '/composite/sobjects',
      label: 'update.person',
      ...duplicateRuleHeaders(bc.config.settings),
    },
    records,
    bc.signal,
  );
  if (written.pause) bc.pause = written.pause;
  return records.map((_, i) => personWrite(written.results[i]));
}

/** The person's target after a write: the record created, the duplicate attached to, or an error. */
function settle(bc: BatchContext, p: BatchPerson, w: PersonWrite | undefined, creating: boolean): void {
  if (!w) return;
  if (w.status === 'saved') {
    if (creating && w.id) {
      const type = objectOfId(w.id) === 'Contact' ? 'Contact' : 'Lead';
      const reason = `created ${type} (RecordMode ${bc.config.settings.RecordMode})`;
      p.target = { type, id: w.id, reason, created: true };
    }
    return;
  }
  if (w.status === 'duplicate') {
    p.target = { type: w.type, id: w.id, reason: w.reason, created: false };
    return;
  }
  p.target = undefined;
  const doing = creating ? 'creating the person' : 'updating the person';
  for (const e of p.events) bc.out.recordError(e.event.seq, withContext(w.error, doing));
}
