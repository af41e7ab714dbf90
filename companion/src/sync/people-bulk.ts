// Creating the new records of people — Leads or Contacts, their Accounts, their CampaignMembers —
// through sObject Collections, or with Bulk API 2.0 ingest jobs when one write holds more records
// than RELAY_PEOPLE_BULK_THRESHOLD (200 by default: a full Collections subrequest). Either way the
// answer is one result per record, in order, so the callers apply the same rules to both: the error
// table (errors.ts) decides retry or quarantine, duplicate rules are resolved by person-create.ts.
//
// Bulk API 2.0 answers insert rows in files of their own, in no promised order, and an insert has
// no external id: each row is matched back to its record by columns unique in the write — the
// person's email and phone (people are grouped by their match key), the Account's name (one per
// company), the member's Campaign and person.
import type { BatchContext } from './batch.js';
import { normalizeEmail, normalizeName, normalizePhone } from './matching.js';
import type { RowKey } from '../salesforce/bulk.js';
import { writeBulk, writeCollections, type WriteResults } from '../salesforce/calls.js';

const text = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));

/** A Lead or Contact: its email and phone, compared as the match key compares them. */
export const personKey: RowKey = (row) => `${normalizeEmail(text(row.Email))}|${normalizePhone(text(row.Phone))}`;

/** An Account: its name, compared as Account names are matched. */
export const accountKey: RowKey = (row) => normalizeName(text(row.Name));

/** A CampaignMember: its Campaign and person, by 15-character id (either form may be echoed). */
export const memberKey: RowKey = (row) =>
  [row.CampaignId, row.LeadId, row.ContactId].map((id) => text(id).slice(0, 15)).join('|');

export interface NewRecordsWrite {
  /** The Collections call's label (counters by purpose). */
  label: string;
  /** Duplicate-rule header (Collections only: Bulk API 2.0 takes none). */
  headers?: Record<string, string>;
  keyOf: RowKey;
}

/** Whether a write of this many new people's records goes through Bulk API 2.0. */
export function usesBulk(bc: BatchContext, count: number): boolean {
  return count > bc.tuning.peopleBulkThreshold;
}

/**
 * Creates the records (`attributes.type` each): Collections in Composite calls, or above the
 * threshold one insert job per object. One result per record, undefined where a limit pause left
 * it unattempted.
 */
export async function createNewRecords(
  bc: BatchContext,
  records: readonly Record<string, unknown>[],
  write: NewRecordsWrite,
): Promise<WriteResults> {
  if (!usesBulk(bc, records.length)) {
    const path = '/composite/sobjects';
    const headers = write.headers ? { headers: write.headers } : {};
    return writeCollections(bc.client, { method: 'POST', path, label: write.label, ...headers }, records, bc.signal);
  }
  const written: WriteResults = { results: new Array(records.length).fill(undefined) };
  for (const [object, positions] of byObject(records)) {
    if (written.pause) break;
    const part = await writeBulk(
      bc.client,
      { object, operation: 'insert' },
      positions.map((i) => records[i]!),
      write.keyOf,
      { signal: bc.signal, bulkPollMs: bc.tuning.bulkPollMs },
    );
    positions.forEach((at, i) => (written.results[at] = part.results[i]));
    if (part.pause) written.pause = part.pause;
  }
  return written;
}

/** Positions of the records per object: a Bulk API job writes one object. */
function byObject(records: readonly Record<string, unknown>[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  records.forEach((r, i) => {
    const type = (r.attributes as { type?: string } | undefined)?.type ?? '';
    groups.set(type, [...(groups.get(type) ?? []), i]);
  });
  return groups;
}
