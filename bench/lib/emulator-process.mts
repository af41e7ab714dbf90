// The org of one benchmark run, in its own process: the emulator with its `demo` seed plus the
// benchmark's population (dataset.mts) inserted with admin powers, so the org holds exactly the
// Contacts, Leads, converted Leads and Accounts the events refer to. Answers the parent with the
// Tasks it holds (counted in-process: counting through the API would spend the calls we measure).
//
// Environment: BENCH_DAILY_API_REQUESTS (the org's DailyApiRequests maximum).
import { createEmulator } from '../../emulator/src/index.js';
import { executeSoql } from '../../emulator/src/soql/index.js';
import { population } from './dataset.mjs';
import { serveParent } from './child.mjs';

const daily = Number(process.env.BENCH_DAILY_API_REQUESTS ?? 100_000);
const emu = await createEmulator({ port: 0, seed: 'demo', dailyApiRequests: daily });
const org = emu.org;

function must(results: { id: string | null; success: boolean; errors: unknown[] }[], what: string): string[] {
  const bad = results.find((r) => !r.success);
  if (bad) throw new Error(`loading ${what}: ${JSON.stringify(bad.errors)}`);
  return results.map((r) => r.id!);
}

const pop = population();
const accountIds = must(
  org.insert(
    'Account',
    pop.accounts.map((a) => ({ ...a })),
    { system: true },
  ),
  'Accounts',
);
const contactIds = must(
  org.insert(
    'Contact',
    pop.contacts.map(({ account, ...c }) => ({ ...c, AccountId: accountIds[account] })),
    { system: true },
  ),
  'Contacts',
);
must(
  org.insert(
    'Lead',
    pop.leads.map((l) => ({ ...l, Status: 'Open - Not Contacted' })),
    { system: true },
  ),
  'Leads',
);
must(
  org.insert(
    'Lead',
    pop.converted.map(({ contact, ...l }) => ({
      ...l,
      IsConverted: true,
      Status: 'Closed - Converted',
      ConvertedContactId: contactIds[contact],
      ConvertedAccountId: accountIds[pop.contacts[contact]!.account],
      ConvertedDate: '2026-06-01',
    })),
    { system: true },
  ),
  'converted Leads',
);

interface TaskRow {
  relay__ExternalKey__c: string | null;
  WhoId: string | null;
  WhatId: string | null;
  Description: string | null;
}

/**
 * The Tasks in the org by their activity key: Relay's external key, or for the baseline (which
 * writes no external id, as per-record integrations do) the `Key:` line it puts in Description.
 */
function countTasks() {
  const rows = executeSoql('SELECT relay__ExternalKey__c, WhoId, WhatId, Description FROM Task', org.soql, {
    includeDeleted: false,
  }).records as unknown as TaskRow[];
  const byKey = new Map<string, number>();
  let onContacts = 0;
  let onLeads = 0;
  let onAccountsOnly = 0;
  let withoutKey = 0;
  for (const t of rows) {
    const key = t.relay__ExternalKey__c ?? /^Key: (.+)$/m.exec(t.Description ?? '')?.[1];
    if (!key) {
      withoutKey += 1;
      continue;
    }
    byKey.set(key, (byKey.get(key) ?? 0) + 1);
    if (t.WhoId?.startsWith('003')) onContacts += 1;
    else if (t.WhoId?.startsWith('00Q')) onLeads += 1;
    else if (t.WhatId?.startsWith('001')) onAccountsOnly += 1;
  }
  const duplicates = [...byKey.values()].reduce((n, c) => n + c - 1, 0);
  return { tasks: rows.length - withoutKey, distinctKeys: byKey.size, duplicates, onContacts, onLeads, onAccountsOnly };
}

/**
 * Writes a custom metadata value (SyncSetting Value__c) as an admin deploying metadata would: a
 * benchmark whose backlog is beyond the default MonthlyTaskQuota raises it, so the drain writes Tasks.
 */
function setSetting({ name, value }: { name: string; value: string }): void {
  const [row] = executeSoql(`SELECT Id FROM relay__SyncSetting__mdt WHERE DeveloperName = '${name}'`, org.soql, {
    includeDeleted: false,
  }).records as { Id: string }[];
  if (!row) throw new Error(`no setting ${name}`);
  const [result] = org.update('relay__SyncSetting__mdt', [{ Id: row.Id, relay__Value__c: value }], {
    metadataApi: true,
    system: true,
  });
  if (!result?.success) throw new Error(`could not set ${name}: ${JSON.stringify(result?.errors)}`);
}

serveParent(
  { url: emu.url, accounts: accountIds.length, contacts: contactIds.length },
  { tasks: () => countTasks(), setSetting: (args) => setSetting(args as { name: string; value: string }) },
  () => emu.close(),
);
