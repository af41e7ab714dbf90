// New people above the people Bulk threshold: the same events synced once through Composite
// (Collections) and once through Bulk API 2.0 insert jobs, into two emulated orgs of the same seed,
// leave the same Leads, Contacts, Accounts and CampaignMembers behind and the same outcome for
// every event — the invalid prospect failing on the field it broke. Real intake, worker and engine
// over HTTP to the emulators.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createEmulator, type RunningEmulator } from '../../emulator/src/index.js';
import { executeSoql } from '../../emulator/src/soql/index.js';
import { startSyncEnv, type EventRow, type SyncEnv } from './sync-helpers/env.js';
import type { TestWorkspace } from './helpers/harness.js';
import { retryDecision, ruleOf, triesAgain } from '../src/errors.js';
import { jobFailure } from '../src/salesforce/bulk.js';

const CAMPAIGN = 'Relay Demo Campaign';
const DOMAIN = 'bulkpeople.example';

/** 250 new sign-ups to the linked Campaign, 5 new prospects and one whose first name is too long. */
function events(prefix: string, phase: string): unknown[] {
  const base = { specversion: '1.0', source: 'platform', time: '2026-11-20T10:00:00Z' };
  const signUps = Array.from({ length: 250 }, (_, i) => ({
    ...base,
    id: `${prefix}-${phase}-signup-${i}`,
    type: 'relay.list.member.added',
    data: {
      listId: 'newsletter',
      listName: 'Newsletter',
      campaignName: CAMPAIGN,
      contact: {
        email: `${phase}.member${i}@${DOMAIN}`,
        firstName: `Member${i}`,
        lastName: `Signup ${phase}`,
        // 220 companies: above the threshold, the Accounts go through Bulk too.
        company: `Signup Co ${phase} ${i % 220}`,
      },
    },
  }));
  const prospects = Array.from({ length: 6 }, (_, i) => ({
    ...base,
    id: `${prefix}-${phase}-prospect-${i}`,
    type: 'relay.prospect.upserted',
    data: {
      prospectId: `p-${phase}-${i}`,
      fields: {
        email: `${phase}.prospect${i}@${DOMAIN}`,
        firstName: i === 5 ? 'F'.repeat(41) : `Prospect${i}`,
        lastName: `Prospect ${phase}`,
        company: `Prospect Co ${phase} ${i}`,
      },
    },
  }));
  return [...signUps, ...prospects];
}

interface Org {
  emu: RunningEmulator;
  ws: TestWorkspace;
}

function soql<T = Record<string, unknown>>(emu: RunningEmulator, text: string): T[] {
  return executeSoql(text, emu.org.soql, { includeDeleted: false }).records as T[];
}

function setSetting(emu: RunningEmulator, name: string, value: string): void {
  const [row] = soql<{ Id: string }>(emu, `SELECT Id FROM relay__SyncSetting__mdt WHERE DeveloperName = '${name}'`);
  const [result] = emu.org.update('relay__SyncSetting__mdt', [{ Id: row!.Id, relay__Value__c: value }], {
    metadataApi: true,
    system: true,
  });
  assert.ok(result?.success, JSON.stringify(result?.errors));
}

/** What Relay left in an org, without ids (they differ between orgs), in a stable order. */
function records(emu: RunningEmulator, phase: string) {
  const ours = (email: unknown) =>
    typeof email === 'string' && email.startsWith(`${phase}.`) && email.endsWith(`@${DOMAIN}`);
  const sorted = <T>(rows: T[]) => rows.map((r) => JSON.stringify(r)).sort();
  const leads = soql<Record<string, unknown>>(
    emu,
    'SELECT Email, FirstName, LastName, Company, Status, LeadSource, OwnerId FROM Lead',
  ).filter((r) => ours(r.Email));
  const contacts = soql<Record<string, any>>(
    emu,
    'SELECT Email, FirstName, LastName, LeadSource, Account.Name FROM Contact',
  ).filter((r) => ours(r.Email));
  const accounts = soql<Record<string, unknown>>(emu, 'SELECT Name, OwnerId FROM Account').filter(
    (r) => String(r.Name).startsWith(`Signup Co ${phase} `) || String(r.Name).startsWith(`Prospect Co ${phase} `),
  );
  const members = soql<Record<string, any>>(
    emu,
    'SELECT Campaign.Name, Lead.Email, Contact.Email, Status FROM CampaignMember',
  ).filter((r) => ours(r.Lead?.Email) || ours(r.Contact?.Email));
  const strip = ({ attributes: _a, ...rest }: Record<string, any>): Record<string, unknown> =>
    Object.fromEntries(
      Object.entries(rest).map(([k, v]) => [k, v && typeof v === 'object' ? strip(v as Record<string, any>) : v]),
    );
  return {
    counts: { leads: leads.length, contacts: contacts.length, accounts: accounts.length, members: members.length },
    leads: sorted(leads.map(strip)),
    contacts: sorted(contacts.map(strip)),
    accounts: sorted(accounts.map(strip)),
    members: sorted(members.map(strip)),
  };
}

/** Each event's outcome, by its id without the workspace prefix. */
function outcomes(rows: EventRow[]) {
  return rows
    .map((r) => ({
      id: r.event_id.replace(/^[^-]+-/, ''),
      status: r.status,
      code: r.error_code,
      field: r.error_field,
      category: r.error_category,
      recordType: r.result?.recordType ?? null,
      created: r.result?.created ?? null,
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

async function usage(emu: RunningEmulator): Promise<Record<string, number>> {
  const res = await fetch(`${emu.url}/__emulator/usage`);
  return ((await res.json()) as { byEndpoint: Record<string, number> }).byEndpoint;
}

const bulkJobs = (byEndpoint: Record<string, number>) => byEndpoint['POST /jobs/ingest'] ?? 0;

describe('new people above RELAY_PEOPLE_BULK_THRESHOLD go through Bulk API 2.0', () => {
  let env: SyncEnv;
  let second: RunningEmulator;
  let composite: Org;
  let bulk: Org;

  before(async () => {
    env = await startSyncEnv({ engine: { tuning: { bulkPollMs: 20 } } });
    second = await createEmulator({ port: 0, seed: 'demo', orgId: '00D0000000000PBKAA' });
    composite = { emu: env.emu, ws: await env.newWorkspace('viacomposite') };
    bulk = { emu: second, ws: await env.newWorkspace('viabulk', second.url) };
  });
  after(async () => {
    await env?.close();
    await second?.close();
  });

  /** Syncs the phase's events into one org with the given threshold; the org's Salesforce calls. */
  async function run(org: Org, phase: string, threshold: number): Promise<Record<string, number>> {
    env.sync.engine.tuning.peopleBulkThreshold = threshold;
    await fetch(`${org.emu.url}/__emulator/usage/reset`, { method: 'POST' });
    await env.post(events(org.ws.id, phase), org.ws);
    await env.settle(30_000, org.ws.id);
    return usage(org.emu);
  }

  for (const mode of ['Lead', 'ContactAccount'] as const) {
    test(`RecordMode ${mode}: the same records and event outcomes below and above the threshold`, async () => {
      const phase = mode === 'Lead' ? 'leads' : 'contacts';
      for (const org of [composite, bulk]) setSetting(org.emu, 'RecordMode', mode);
      const viaComposite = await run(composite, phase, 10_000);
      const viaBulk = await run(bulk, phase, 200);

      assert.equal(bulkJobs(viaComposite), 0, JSON.stringify(viaComposite));
      // Leads or Contacts, CampaignMembers, and in ContactAccount mode the 225 Accounts: one job each.
      assert.equal(bulkJobs(viaBulk), mode === 'Lead' ? 2 : 3, JSON.stringify(viaBulk));

      const expected = records(composite.emu, phase);
      assert.deepEqual(
        expected.counts,
        mode === 'Lead'
          ? { leads: 255, contacts: 0, accounts: 0, members: 250 }
          : // The invalid prospect is refused before any write (checked against the org's describe),
            // so its Account is not created either, on both paths.
            { leads: 0, contacts: 255, accounts: 225, members: 250 },
      );
      assert.deepEqual(records(bulk.emu, phase), expected);

      const expectedOutcomes = outcomes(await env.events(composite.ws.id)).filter((o) => o.id.startsWith(phase));
      assert.deepEqual(
        outcomes(await env.events(bulk.ws.id)).filter((o) => o.id.startsWith(phase)),
        expectedOutcomes,
      );
      const failed = expectedOutcomes.filter((o) => o.status !== 'synced');
      assert.deepEqual(failed, [
        {
          id: `${phase}-prospect-5`,
          status: 'failed',
          code: 'STRING_TOO_LONG',
          field: 'FirstName',
          category: 'validation',
          recordType: null,
          created: null,
        },
      ]);
      assert.ok(expectedOutcomes.filter((o) => o.status === 'synced').every((o) => o.created === true));
    });
  }

  test("duplicate rules: a Bulk row Salesforce's rule blocked is attached to the duplicate, or saved with AllowSaveDuplicates, as through Composite", async () => {
    const orgs = [composite, bulk];
    // Matched by phone, the lookup cannot see the Lead sharing a prospect's email: only the
    // duplicate rule (on Email, action "Allow": Bulk API 2.0 has no header to save anyway) does.
    const matchBy = (field: 'Email' | 'Phone') => {
      for (const { emu } of orgs) {
        const keys = soql<{ Id: string; DeveloperName: string }>(
          emu,
          "SELECT Id, DeveloperName FROM relay__FieldMapping__mdt WHERE DeveloperName IN ('Contact_Email', 'Lead_Email', 'Contact_Phone', 'Lead_Phone')",
        );
        emu.org.update(
          'relay__FieldMapping__mdt',
          keys.map((k) => ({ Id: k.Id, relay__IsMatchField__c: k.DeveloperName.endsWith(`_${field}`) })),
          { metadataApi: true, system: true },
        );
      }
    };
    const prospects = (prefix: string, round: number) =>
      [1, 2, 3].map((i) => ({
        specversion: '1.0',
        id: `${prefix}-dupes-${round}-${i}`,
        source: 'platform',
        type: 'relay.prospect.upserted',
        time: '2026-11-20T10:00:00Z',
        data: {
          prospectId: `dupes-${round}-${i}`,
          fields: {
            phone: `+1555010${round}${i}00`,
            // The second of each round shares the existing Lead's email.
            email: i === 2 ? `twice@${DOMAIN}` : `dupes.${round}.${i}@${DOMAIN}`,
            lastName: `Dupe ${i}`,
            company: 'Dup Co',
          },
        },
      }));
    const existing = orgs.map(({ emu }) =>
      emu.org.insert(
        'Lead',
        [{ LastName: 'Once', Company: 'Dup Co', Email: `twice@${DOMAIN}`, Phone: '+15550100000' }],
        {
          system: true,
        },
      ),
    );
    const results = async (org: Org, round: number) =>
      (await env.events(org.ws.id))
        .filter((r) => r.event_id.includes(`-dupes-${round}-`))
        .map((r) => ({
          status: r.status,
          created: r.result?.created,
          reason: String(r.result?.matchReason).replace(/00Q\w+/, '<id>'),
        }));
    try {
      matchBy('Phone');
      for (const org of orgs) setSetting(org.emu, 'RecordMode', 'Lead');
      for (const { emu } of orgs)
        emu.org.rules = { ...emu.org.rules, duplicateRules: [{ object: 'Lead', action: 'allow' }] };
      for (const round of [1, 2]) {
        for (const org of orgs) setSetting(org.emu, 'AllowSaveDuplicates', round === 2 ? 'true' : 'false');
        env.sync.engine.tuning.peopleBulkThreshold = 10_000;
        await env.post(prospects(composite.ws.id, round), composite.ws);
        await env.settle(30_000, composite.ws.id);
        env.sync.engine.tuning.peopleBulkThreshold = 2;
        await fetch(`${bulk.emu.url}/__emulator/usage/reset`, { method: 'POST' });
        await env.post(prospects(bulk.ws.id, round), bulk.ws);
        await env.settle(30_000, bulk.ws.id);
        assert.equal(bulkJobs(await usage(bulk.emu)), 1);

        const expected = await results(composite, round);
        assert.deepEqual(await results(bulk, round), expected);
        assert.deepEqual(
          expected[1],
          round === 1
            ? {
                status: 'synced',
                created: false,
                reason: "attached to duplicate Lead <id> found by Salesforce's duplicate rule",
              }
            : { status: 'synced', created: true, reason: 'created Lead (RecordMode Lead)' },
        );
        const twice = orgs.map(({ emu }) =>
          soql<{ Id: string }>(emu, `SELECT Id FROM Lead WHERE Email = 'twice@${DOMAIN}'`),
        );
        assert.deepEqual(
          twice.map((rows) => rows.length),
          round === 1 ? [1, 1] : [2, 2],
        );
        assert.deepEqual(
          twice.map((rows, i) => rows.some((r) => r.Id === existing[i]![0]!.id)),
          [true, true],
        );
      }
    } finally {
      matchBy('Email');
      for (const { emu } of orgs) emu.org.rules = { ...emu.org.rules, duplicateRules: [] };
      for (const org of orgs) setSetting(org.emu, 'AllowSaveDuplicates', 'false');
    }
  });
});

describe('a failed Bulk API job', () => {
  test('an unknown column is the configuration fault Collections report per record: quarantined with the field named', () => {
    const item = jobFailure('InvalidBatch : Field name not found : Nickname__c');
    assert.deepEqual([item.code, item.fields], ['INVALID_FIELD', ['Nickname__c']]);
    assert.deepEqual(ruleOf({ code: item.code }).category, 'configuration');
    assert.equal(triesAgain(retryDecision(ruleOf({ code: item.code }))), false);
  });

  test('any other reason is retried', () => {
    const item = jobFailure('ExceededQuota : Daily Bulk API batch allocation exceeded');
    assert.equal(item.code, 'SERVER_UNAVAILABLE');
    assert.equal(triesAgain(retryDecision(ruleOf({ code: item.code }))), true);
  });
});
