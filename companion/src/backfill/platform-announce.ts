// Turning a page of existing Contacts or Leads into announcements: every record the platform was
// never sent (reverse_records.sent_at empty) becomes one `relay.salesforce.<object>.updated`
// CloudEvent with every mapped field and, as changedFields, every field that holds a value — what the
// poller sends for a record the platform has no values of, under the same rules (reverse/compose.ts:
// the platform's value rules, refused values recorded for Sync health, the Auto-created tag switch
// does not apply: these records were not created now). A record already sent (by an earlier backfill
// page, a killed run's last page, or the poller) is left alone: announced once, ever.
import type { Db } from '../db/types.js';
import { composeEvents } from '../reverse/compose.js';
import type { PersonFieldFacts } from '../reverse/platform-describe.js';
import type { RecordRejections } from '../reverse/rejections.js';
import { changedFields, type ChangedRow } from '../reverse/decide.js';
import { pick, readableFields, type PersonObject } from '../reverse/fields.js';
import type { OutboxEvent } from '../reverse/outbox.js';
import { loadBaselines, tagsFor, type BaselineWrite } from '../reverse/store.js';
import { rfc3339 } from '../reverse/window.js';
import { to18 } from '../salesforce/ids.js';
import type { OrgConfiguration } from '../sync/settings.js';

export interface Announcements {
  events: OutboxEvent[];
  baselines: BaselineWrite[];
  /** Values the platform's rules refused, recorded with the events (Sync health names them). */
  rejections: RecordRejections[];
  alreadySent: number;
}

const emailOf = (row: ChangedRow) => (typeof row.Email === 'string' ? row.Email.trim().toLowerCase() : null);

export async function announce(
  db: Db,
  workspaceId: string,
  org: { orgId: string; config: OrgConfiguration; facts: PersonFieldFacts },
  object: PersonObject,
  rows: readonly ChangedRow[],
  now: number,
): Promise<Announcements> {
  const ids = rows.map((r) => to18(r.Id));
  const known = await loadBaselines(db, workspaceId, ids);
  const fresh = rows.filter((r) => !known.get(to18(r.Id))?.sentAt);
  const readable = readableFields(org.config, object);
  const tags = await tagsFor(
    db,
    workspaceId,
    fresh.map((r) => to18(r.Id)),
    fresh.flatMap((r) => emailOf(r) ?? []),
  );
  const changes = fresh.map((row) => {
    const fields = pick(row, readable);
    return {
      object,
      kind: 'updated' as const,
      recordId: to18(row.Id),
      time: rfc3339(row.SystemModstamp ?? row.LastModifiedDate, now),
      fields,
      changedFields: changedFields(fields, undefined),
      tags: [],
      email: emailOf(row),
    };
  });
  const composed = composeEvents({
    orgId: org.orgId,
    config: org.config,
    facts: org.facts,
    changes,
    tagsOf: (change) => [
      ...(tags.byId.get(change.recordId) ?? []),
      ...(change.email ? (tags.byEmail.get(change.email) ?? []) : []),
    ],
  });
  const baselines: BaselineWrite[] = changes.map((change, i) => ({
    recordId: change.recordId,
    object,
    fields: change.fields,
    email: change.email,
    sent: true,
    modstamp: typeof fresh[i]!.SystemModstamp === 'string' ? (fresh[i]!.SystemModstamp as string) : null,
    skipped: null,
  }));
  return {
    events: composed.events,
    baselines,
    rejections: composed.rejections,
    alreadySent: rows.length - fresh.length,
  };
}
