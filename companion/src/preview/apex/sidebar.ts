// RecordSidebarController.getEngagement for the preview: the record's name by SOQL (Lead, Contact
// or Account only), the companion's engagement answer for it, message content hidden unless the
// IncludeMessageContent setting is on, plus `allowContent`, `recordName`, and on an Account each
// engaged person's `name` (people the user cannot read are left out), as the Apex does.
import { isSalesforceId, objectOfId, to18 } from '../../salesforce/ids.js';
import { soqlString } from '../../salesforce/soql.js';
import { AuraHandledException, toAuraError } from './aura-error.js';
import type { ApexAdapter } from './context.js';
import { settingValue, syncSettings } from './settings.js';

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

type Org = Parameters<ApexAdapter>[0]['org'];

/** The Account's people with their Salesforce names; ids the org does not return are dropped. */
async function namePeople(org: Org, people: unknown[]): Promise<unknown[]> {
  const entries = people.filter(
    (p): p is Record<string, unknown> & { recordId: string } =>
      !!p && typeof p === 'object' && typeof (p as { recordId?: unknown }).recordId === 'string',
  );
  const ids = entries.map((p) => p.recordId).filter(isSalesforceId);
  if (ids.length === 0) return [];
  const list = ids.map((id) => soqlString(to18(id))).join(', ');
  const names = new Map<string, string>();
  for (const object of ['Contact', 'Lead']) {
    const rows = await org.query<{ Id: string; Name: string }>(`SELECT Id, Name FROM ${object} WHERE Id IN (${list})`);
    for (const row of rows) names.set(to18(row.Id), row.Name);
  }
  return entries
    .filter((p) => isSalesforceId(p.recordId) && names.has(to18(p.recordId)))
    .map((p) => ({ ...p, name: names.get(to18(p.recordId)) }));
}

export const getEngagement: ApexAdapter = async ({ org, api }, params) => {
  const recordId = typeof params.recordId === 'string' ? params.recordId : null;
  if (!recordId) throw new AuraHandledException('The Relay sidebar needs a record id.');
  // An Id parameter that is not an id fails before the method runs, as Aura does.
  if (!isSalesforceId(recordId)) throw new AuraHandledException(`Invalid id: ${recordId}`);
  try {
    const objectName = objectOfId(recordId);
    if (objectName !== 'Lead' && objectName !== 'Contact' && objectName !== 'Account') {
      throw new AuraHandledException('The Relay sidebar works on Lead, Contact and Account pages only.');
    }
    const id = to18(recordId);
    const rows = await org.query<{ Name: string }>(
      `SELECT Id, Name FROM ${objectName} WHERE Id = ${soqlString(id)} LIMIT 1`,
    );
    if (rows.length === 0)
      throw new AuraHandledException('This record does not exist or you do not have access to it.');
    const pageSize =
      typeof params.pageSize === 'number' && params.pageSize >= 1
        ? Math.min(params.pageSize, MAX_PAGE_SIZE)
        : DEFAULT_PAGE_SIZE;
    const cursor = typeof params.cursor === 'string' && params.cursor.trim() ? params.cursor : null;
    const engagement = await api.engagement(id, pageSize, cursor);
    const allowContent = settingValue(await syncSettings(org), 'IncludeMessageContent', false);
    if (!allowContent && Array.isArray(engagement.items)) {
      for (const item of engagement.items as Array<Record<string, unknown>>) {
        if (item && typeof item === 'object') item.content = null;
      }
    }
    if (Array.isArray(engagement.people)) engagement.people = await namePeople(org, engagement.people);
    return { ...engagement, allowContent, recordName: rows[0]!.Name };
  } catch (error) {
    throw toAuraError(error, "load this record's engagement");
  }
};
