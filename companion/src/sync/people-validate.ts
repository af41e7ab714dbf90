// The people sync's check before its writes: each person's record — exactly what the writes would
// send (people-fields.ts builds both) — against the org's describe of its object (Lead, Contact,
// and a new Contact's Account), by the rules of describe-rules.ts. A person whose record breaks a
// rule is quarantined (failed, with the field and the rule in an admin's words); the others of the
// batch are written as before. Salesforce would refuse that record anyway, and for a value its JSON
// reader cannot read (a date, a number, an unknown field) it would refuse the whole Collections
// request of 200 records with it.
//
// The describe costs nothing per batch (describe-cache.ts). A write that still comes back with a
// field error means the copy may be old: `noteWriteErrors` has it asked again at the next batch.
import { LimitPauseError, ruleOf } from '../errors.js';
import type { BatchContext } from './batch.js';
import { DescribeCache, type DescribedObject } from './describe-cache.js';
import { checkRecord, type Refusal, type WriteMode } from './describe-rules.js';
import type { BatchPerson, MatchKey } from './people-events.js';
import { fieldsFor, knownPersonUpdate, newPersonRecord } from './people-fields.js';
import { truncate } from './tasks.js';

/** One record a person's write would send, and the object it goes to. */
interface PlannedWrite {
  object: string;
  mode: WriteMode;
  record: Record<string, unknown>;
  /** Put before the refusal's message: whose record it is when it is not the person's. */
  prefix: string;
}

/** What the check did: the org and objects it read, and the events it refused. */
export interface Prevalidation {
  org: string | null;
  objects: string[];
  refused: Set<string>;
}

/** Salesforce's field errors on a write: the describe copy may be older than the org's fields. */
const FIELD_ERRORS = new Set([
  'REQUIRED_FIELD_MISSING',
  'STRING_TOO_LONG',
  'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
  'INVALID_FIELD_FOR_INSERT_UPDATE',
  'INVALID_FIELD',
  'JSON_PARSER_ERROR',
  'NUMBER_OUTSIDE_VALID_RANGE',
  'INVALID_TYPE_ON_FIELD_IN_RECORD',
]);

const answered = (bc: BatchContext, p: BatchPerson): boolean => p.events.every((e) => bc.out.has(e.event.seq));

/** The records the writes would send for `p` (people-writes.ts builds them the same way). */
function plannedWrites(bc: BatchContext, p: BatchPerson, key: MatchKey): PlannedWrite[] {
  if (p.target) {
    const record = knownPersonUpdate(bc.config, p, p.target);
    return Object.keys(record).length > 0 ? [{ object: p.target.type, mode: 'update', record, prefix: '' }] : [];
  }
  const contacts = bc.config.settings.RecordMode === 'ContactAccount';
  const object = contacts ? 'Contact' : 'Lead';
  // The owner is a reference the lookups decided; the checks are about the person's values.
  const writes: PlannedWrite[] = [
    { object, mode: 'create', record: newPersonRecord(bc.config, object, p, key, null), prefix: '' },
  ];
  if (contacts && p.accountName && !bc.matches.account(p.accountName)) {
    const record = { ...fieldsFor(bc.config, 'Account', p.fields, undefined), Name: truncate(p.accountName, 255) };
    writes.unshift({ object: 'Account', mode: 'create', record, prefix: 'Account ' });
  }
  return writes;
}

function quarantine(bc: BatchContext, p: BatchPerson, refusal: Refusal, prefix: string, refused: Set<string>): void {
  const { category } = ruleOf({ code: refusal.code });
  for (const e of p.events) {
    if (bc.out.has(e.event.seq)) continue;
    bc.out.failed(e.event.seq, category, refusal.code, `${prefix}${refusal.message}`, refusal.field);
    refused.add(e.event.seq);
  }
}

/**
 * Checks every person still to be written against the describe of the object their write goes to,
 * and quarantines those Salesforce would refuse. Sets `bc.pause` when the describe call hit a limit.
 */
export async function prevalidatePeople(
  bc: BatchContext,
  people: Map<string, BatchPerson>,
  key: MatchKey,
): Promise<Prevalidation> {
  if (bc.pause) return { org: null, objects: [], refused: new Set() };
  const planned = [...people.values()]
    .filter((p) => !answered(bc, p))
    .map((p) => ({ p, writes: plannedWrites(bc, p, key) }))
    .filter((x) => x.writes.length > 0);
  const objects = [...new Set(planned.flatMap((x) => x.writes.map((w) => w.object)))].sort();
  const result: Prevalidation = { org: null, objects, refused: new Set() };
  if (objects.length === 0) return result;
  let described: Map<string, DescribedObject>;
  try {
    result.org = await DescribeCache.orgOf(bc.client);
    described = await bc.describes.get(bc.client, objects, bc.now, bc.log, bc.signal);
  } catch (error) {
    if (error instanceof LimitPauseError) bc.pause = error;
    else bc.log.warn({ err: error }, 'describe not read; people are written unchecked');
    return result;
  }
  for (const { p, writes } of planned) {
    for (const w of writes) {
      const object = described.get(w.object);
      const refusal = object ? checkRecord(object, w.record, w.mode) : undefined;
      if (refusal) {
        quarantine(bc, p, refusal, w.prefix, result.refused);
        break;
      }
    }
  }
  return result;
}

/**
 * After the writes: a field error Salesforce returned for a record the check let through means the
 * describe copy is older than the org's fields — it is asked again (If-Modified-Since) next batch.
 */
export function noteWriteErrors(bc: BatchContext, people: Map<string, BatchPerson>, checked: Prevalidation): void {
  if (!checked.org) return;
  for (const p of people.values()) {
    for (const e of p.events) {
      const outcome = bc.out.get(e.event.seq);
      if (outcome?.status !== 'failed' || checked.refused.has(e.event.seq) || !FIELD_ERRORS.has(outcome.errorCode))
        continue;
      for (const object of checked.objects) bc.describes.markStale(checked.org, object);
      return;
    }
  }
}
