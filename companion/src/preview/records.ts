// The records the preview's index offers: those Relay has written Tasks on (newest first), then a
// few of each kind so an org without activity yet still has something to open.
import { objectOfId } from '../salesforce/ids.js';
import type { PreviewOrg } from './org.js';
import type { IndexRecord } from './pages.js';

const KINDS: Array<{ object: 'Contact' | 'Lead' | 'Account'; detail: string; filter: string }> = [
  { object: 'Contact', detail: 'Email', filter: '' },
  { object: 'Lead', detail: 'Email', filter: 'WHERE IsConverted = false' },
  { object: 'Account', detail: 'Website', filter: '' },
];

/** The index's kind of a record id (salesforce/ids.ts's key prefixes), or null for another object. */
function kindOf(id: string): 'Contact' | 'Lead' | 'Account' | null {
  const object = objectOfId(id);
  return object === 'Contact' || object === 'Lead' || object === 'Account' ? object : null;
}

export async function indexRecords(org: PreviewOrg, limit = 30): Promise<IndexRecord[]> {
  const tasks = await org.query<{ WhoId: string | null; WhatId: string | null }>(
    'SELECT WhoId, WhatId FROM Task WHERE relay__ExternalKey__c != null ORDER BY LastModifiedDate DESC LIMIT 2000',
  );
  const counts = new Map<string, number>();
  for (const task of tasks) {
    for (const id of [task.WhoId, task.WhatId]) {
      if (id && kindOf(id)) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  }
  const active = [...counts.keys()].slice(0, limit);
  const records: IndexRecord[] = [];
  for (const kind of KINDS) {
    const ids = active.filter((id) => kindOf(id) === kind.object);
    const fields = `Id, Name, ${kind.detail}`;
    const rows = [
      ...(ids.length
        ? await org.query<Record<string, string | null>>(
            `SELECT ${fields} FROM ${kind.object} WHERE Id IN (${ids.map((id) => `'${id}'`).join(', ')})`,
          )
        : []),
      ...(await org.query<Record<string, string | null>>(
        `SELECT ${fields} FROM ${kind.object} ${kind.filter} ORDER BY Id LIMIT 3`,
      )),
    ];
    for (const row of rows) {
      const id = String(row.Id);
      if (records.some((r) => r.id === id)) continue;
      records.push({
        id,
        objectApiName: kind.object,
        name: String(row.Name ?? id),
        detail: row[kind.detail] ?? null,
        tasks: counts.get(id) ?? 0,
      });
    }
  }
  return records.sort((a, b) => b.tasks - a.tasks);
}
