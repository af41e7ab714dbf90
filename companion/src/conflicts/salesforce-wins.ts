// Salesforce's winning values reach the platform even when Relay wrote the record after them. When
// the people sync keeps a field Salesforce won but writes the prospect's other fields, Relay becomes
// the record's last modifier, and reverse sync takes the change for Relay's own: nothing would be
// announced, and the baseline would claim the platform was given the person's value. So a record of
// Relay's own write is still announced for the fields whose value is one Salesforce won with (logged
// by the sync), that Salesforce still holds and that the platform was not given yet.
import type { Db } from '../db/types.js';
import type { ChangedRow, Decision } from '../reverse/decide.js';
import { sameAsSent } from '../reverse/echo.js';
import type { Baseline } from '../reverse/store.js';
import { rfc3339 } from '../reverse/window.js';

/** Per record: field → the value Salesforce won with, for fields it won while the sync wrote. */
async function salesforceWins(
  db: Db,
  workspaceId: string,
  recordIds: string[],
): Promise<Map<string, { field: string; value: unknown }[]>> {
  const out = new Map<string, { field: string; value: unknown }[]>();
  if (recordIds.length === 0) return out;
  const { rows } = await db.query<{ record_id: string; field: string; salesforce_value: unknown }>(
    `SELECT record_id, field, salesforce_value FROM conflicts
      WHERE workspace_id = $1 AND record_id = ANY($2::text[]) AND winner = 'salesforce' AND detected_by = 'sync'
      ORDER BY id`,
    [workspaceId, recordIds],
  );
  for (const r of rows)
    out.set(r.record_id, [...(out.get(r.record_id) ?? []), { field: r.field, value: r.salesforce_value }]);
  return out;
}

const same = (field: string, a: unknown, b: unknown) => sameAsSent(field, a ?? null, b ?? null);

/** The decision with Relay's own writes announced for the winning Salesforce values they hid. */
export async function withSalesforceWins(
  db: Db,
  workspaceId: string,
  decision: Decision,
  baselines: ReadonlyMap<string, Baseline>,
  rows: ReadonlyMap<string, ChangedRow>,
  now: number,
): Promise<Decision> {
  const own = decision.baselines.filter((b) => b.skipped === 'own' && baselines.has(b.recordId));
  const wins = await salesforceWins(
    db,
    workspaceId,
    own.map((b) => b.recordId),
  );
  if (wins.size === 0) return decision;
  const changes = [...decision.changes];
  const written = decision.baselines.map((b) => {
    const won = b.skipped === 'own' ? wins.get(b.recordId) : undefined;
    if (!won) return b;
    const given = baselines.get(b.recordId)!.fields;
    const hidden = [
      ...new Set(
        won
          .filter((w) => w.field in b.fields && same(w.field, b.fields[w.field], w.value))
          .filter((w) => !same(w.field, given[w.field], w.value))
          .map((w) => w.field),
      ),
    ];
    if (hidden.length === 0) return b;
    const row = rows.get(b.recordId);
    changes.push({
      object: b.object,
      kind: 'updated',
      recordId: b.recordId,
      time: rfc3339(row?.SystemModstamp ?? row?.LastModifiedDate, now),
      fields: b.fields,
      changedFields: Object.keys(b.fields).filter((f) => hidden.includes(f)),
      tags: [],
      email: b.email ?? null,
    });
    return { ...b, sent: true, skipped: null };
  });
  const announced = changes.length - decision.changes.length;
  return {
    ...decision,
    changes,
    baselines: written,
    skipped: { ...decision.skipped, own: decision.skipped.own - announced },
  };
}
