// Values the platform itself sent for a record through the sync (relay.prospect.upserted,
// relay.list.member.added) since the platform last heard about the record. When a person edits a
// record after Relay wrote such values and before the next poll, the person is the last modifier and
// the record is announced — but the fields Relay wrote for the platform must not come back as
// changes: a changed field whose value is exactly what the platform sent is left out of
// changedFields (emails compared case-insensitively, as Salesforce does).
//
// The values are read from the stored events the engine synced to the record (`result.recordId`),
// mapped the way the engine maps them (the active mappings that write Salesforce, ValueMap applied).
// A field the engine left alone because Salesforce had a value (PreferSalesforceUnlessBlank, or any
// field of a list sign-up for a known person) may be counted as sent: the only effect is that a
// person setting exactly that value is not announced.
import type { Db } from '../db/types.js';
import { writeMappings, type OrgConfiguration } from '../sync/settings.js';
import type { PersonObject } from './fields.js';

const PEOPLE_EVENTS = ['relay.prospect.upserted', 'relay.list.member.added'];

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

/** Salesforce field → value the platform sent, for one event's data. */
export function sentValues(config: OrgConfiguration, object: PersonObject, type: string, data: unknown): Obj {
  const d = obj(data);
  const values = obj(type === 'relay.list.member.added' ? d.contact : d.fields);
  const out: Obj = {};
  for (const m of writeMappings(config, object)) {
    if (!(m.platformField in values)) continue;
    const v = values[m.platformField];
    out[m.targetField] = m.valueMap && v !== null && String(v) in m.valueMap ? m.valueMap[String(v)] : v;
  }
  return out;
}

/** Per record: what the platform sent it since its baseline was last recorded (later events win). */
export async function platformSent(
  db: Db,
  workspaceId: string,
  config: OrgConfiguration,
  records: readonly { recordId: string; object: PersonObject }[],
): Promise<Map<string, Obj>> {
  const out = new Map<string, Obj>();
  if (records.length === 0) return out;
  const objects = new Map(records.map((r) => [r.recordId, r.object]));
  const { rows } = await db.query<{ record_id: string; type: string; data: unknown }>(
    `SELECT e.result->>'recordId' AS record_id, e.type, e.data FROM events e
       LEFT JOIN reverse_records r ON r.workspace_id = e.workspace_id AND r.record_id = e.result->>'recordId'
      WHERE e.workspace_id = $1 AND e.status = 'synced' AND e.type = ANY($3::text[])
        AND e.result->>'recordId' = ANY($2::text[])
        AND (r.updated_at IS NULL OR e.completed_at >= r.updated_at)
      ORDER BY e.seq`,
    [workspaceId, [...objects.keys()], PEOPLE_EVENTS],
  );
  for (const row of rows) {
    const object = objects.get(row.record_id);
    if (!object) continue;
    out.set(row.record_id, { ...(out.get(row.record_id) ?? {}), ...sentValues(config, object, row.type, row.data) });
  }
  return out;
}

/** Whether a record's value is what the platform sent (emails case-insensitively). */
export function sameAsSent(field: string, value: unknown, sent: unknown): boolean {
  if (value === sent) return true;
  if (typeof value === 'string' && typeof sent === 'string') {
    if (value.trim() === sent.trim()) return true;
    return field.toLowerCase() === 'email' && value.trim().toLowerCase() === sent.trim().toLowerCase();
  }
  return (value ?? null) === (sent ?? null);
}
