// Turning a page of existing Contacts or Leads into announcements: every record the platform was
// never sent (reverse_records.sent_at empty) becomes one `relay.salesforce.<object>.updated`
// CloudEvent with every mapped field and, as changedFields, every field that holds a value — what the
// poller sends for a record the platform has no values of. A record already sent (by an earlier
// backfill page, a killed run's last page, or the poller) is left alone: announced once, ever.
import type { Db } from '../db/types.js';
import { buildEvent } from '../reverse/cloudevent.js';
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
  alreadySent: number;
}

const emailOf = (row: ChangedRow) => (typeof row.Email === 'string' ? row.Email.trim().toLowerCase() : null);

export async function announce(
  db: Db,
  workspaceId: string,
  orgId: string,
  config: OrgConfiguration,
  object: PersonObject,
  rows: readonly ChangedRow[],
  now: number,
): Promise<Announcements> {
  const ids = rows.map((r) => to18(r.Id));
  const known = await loadBaselines(db, workspaceId, ids);
  const fresh = rows.filter((r) => !known.get(to18(r.Id))?.sentAt);
  const readable = readableFields(config, object);
  const tags = await tagsFor(
    db,
    workspaceId,
    fresh.map((r) => to18(r.Id)),
    fresh.flatMap((r) => emailOf(r) ?? []),
  );
  const events: OutboxEvent[] = [];
  const baselines: BaselineWrite[] = [];
  for (const row of fresh) {
    const recordId = to18(row.Id);
    const fields = pick(row, readable);
    const email = emailOf(row);
    events.push(
      buildEvent(orgId, {
        object,
        kind: 'updated',
        recordId,
        time: rfc3339(row.SystemModstamp ?? row.LastModifiedDate, now),
        fields,
        changedFields: changedFields(fields, undefined),
        tags: [...new Set([...(tags.byId.get(recordId) ?? []), ...(email ? (tags.byEmail.get(email) ?? []) : [])])],
      }),
    );
    baselines.push({
      recordId,
      object,
      fields,
      email,
      sent: true,
      modstamp: typeof row.SystemModstamp === 'string' ? row.SystemModstamp : null,
      skipped: null,
    });
  }
  return { events, baselines, alreadySent: rows.length - fresh.length };
}
