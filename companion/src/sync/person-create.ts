// Creating people — a Lead for an unmatched person of an activity (CreateLeadsForUnmatched), a Lead
// or Contact for a new prospect or list member — the one way both syncs do it, honouring the org's
// duplicate rules:
//  - AllowSaveDuplicates on: the record is saved anyway (Sforce-Duplicate-Rule-Header:
//    allowSave=true), for "Allow" rules;
//  - otherwise a record a duplicate rule blocks (DUPLICATES_DETECTED) is attached to the Lead or
//    Contact Salesforce found. Collections answers do not name it, so learnDuplicates asks once
//    more for the few blocked records, one plain create each in one Composite.
import type { SyncSettings } from './settings.js';
import type { BatchContext } from './batch.js';
import { createNewRecords, personKey } from './people-bulk.js';
import { primaryError, type SalesforceErrorItem } from '../errors.js';
import type { RecordResult } from '../salesforce/bulk.js';
import { learnDuplicates } from '../salesforce/calls.js';
import { objectOfId } from '../salesforce/ids.js';

export type PersonObject = 'Lead' | 'Contact';

/** What one person write came to. */
export type PersonWrite =
  | { status: 'saved'; id: string | null }
  | { status: 'duplicate'; type: PersonObject; id: string; reason: string }
  | { status: 'failed'; error: SalesforceErrorItem };

/** The header people writes carry when the admin chose to save duplicates (AllowSaveDuplicates). */
export function duplicateRuleHeaders(settings: SyncSettings): { headers?: Record<string, string> } {
  return settings.AllowSaveDuplicates ? { headers: { 'Sforce-Duplicate-Rule-Header': 'allowSave=true' } } : {};
}

/** A write's result: saved, blocked by a duplicate rule that named a Lead or Contact, or failed. */
export function personWrite(r: RecordResult | undefined): PersonWrite | undefined {
  if (!r) return undefined;
  if (r.success) return { status: 'saved', id: r.id };
  const error = primaryError(r.errors);
  const id = error.code === 'DUPLICATES_DETECTED' ? error.duplicateIds?.[0] : undefined;
  const type = id ? objectOfId(id) : undefined;
  if (id && (type === 'Lead' || type === 'Contact'))
    return {
      status: 'duplicate',
      type,
      id,
      reason: `attached to duplicate ${type} ${id} found by Salesforce's duplicate rule`,
    };
  return { status: 'failed', error };
}

/**
 * Creates the records (Leads or Contacts, `attributes.type` each) in as few calls as Collections
 * allow, or with Bulk API 2.0 above the people threshold (people-bulk.ts); one answer per record,
 * undefined where a limit pause left it unattempted.
 */
export async function createPeople(
  bc: BatchContext,
  records: Record<string, unknown>[],
  label: string,
): Promise<(PersonWrite | undefined)[]> {
  if (bc.pause || records.length === 0) return records.map(() => undefined);
  const { headers } = duplicateRuleHeaders(bc.config.settings);
  const written = await createNewRecords(bc, records, { label, keyOf: personKey, ...(headers ? { headers } : {}) });
  // The header goes with the re-sent records too: a Bulk job takes none, so a record an "Allow"
  // rule stopped there is saved by its single create, as Collections would have saved it.
  await learnDuplicates(bc.client, records, written, headers, bc.signal);
  if (written.pause) bc.pause = written.pause;
  return records.map((_, i) => personWrite(written.results[i]));
}
