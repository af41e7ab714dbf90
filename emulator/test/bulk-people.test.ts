// Bulk API 2.0 insert jobs of people and campaign members answer as Salesforce does: an active
// duplicate rule applies to them as to any API insert — and a Bulk job carries no
// Sforce-Duplicate-Rule-Header, so an "Allow" rule stops the row too — and a second membership of
// the same person is DUPLICATE_VALUE. Errors are `sf__Error` cells (CODE:message:fields --).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { maskIds, startHarness, type Harness } from './bulk-harness.js';
import { parseCsv } from '../src/bulk/csv.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

async function insert(object: string, csv: string, headers: Record<string, string> = {}) {
  const created = await h.http('/jobs/ingest', { method: 'POST', body: { object, operation: 'insert' } });
  assert.equal(created.status, 200, created.text);
  const id = created.json.id as string;
  const put = await h.http(`/jobs/ingest/${id}/batches`, {
    method: 'PUT',
    body: csv,
    headers: { 'Content-Type': 'text/csv', ...headers },
  });
  assert.equal(put.status, 201, put.text);
  await h.http(`/jobs/ingest/${id}`, { method: 'PATCH', body: { state: 'UploadComplete' } });
  const info = await h.waitForJob('ingest', id);
  const rows = async (file: string) => parseCsv((await h.http(`/jobs/ingest/${id}/${file}`)).text, ',', 'LF');
  return { info, successful: await rows('successfulResults'), failed: await rows('failedResults') };
}

test('a duplicate rule stops a Bulk insert row, "Allow" rules included, whatever header the upload carries', async () => {
  h.emu.org.insert('Lead', [{ LastName: 'First', Company: 'Dup Co', Email: 'twice@bulk-dupes.test' }], {
    system: true,
  });
  h.emu.org.rules = { ...h.emu.org.rules, duplicateRules: [{ object: 'Lead', action: 'allow' }] };
  try {
    const { info, successful, failed } = await insert(
      'Lead',
      'LastName,Company,Email\nSecond,Dup Co,twice@bulk-dupes.test\nNew,New Co,new@bulk-dupes.test\n',
      { 'Sforce-Duplicate-Rule-Header': 'allowSave=true' },
    );
    assert.deepEqual([info.state, info.numberRecordsProcessed, info.numberRecordsFailed], ['JobComplete', 2, 1]);
    assert.deepEqual(failed.slice(1), [
      [
        '',
        "DUPLICATES_DETECTED:You're creating a duplicate record. We recommend you use an existing record instead.:--",
        'Second',
        'Dup Co',
        'twice@bulk-dupes.test',
      ],
    ]);
    assert.deepEqual(
      successful.slice(1).map((r) => maskIds(r.map((c) => `"${c}"`).join(','))),
      ['"<ID>","true","New","New Co","new@bulk-dupes.test"'],
    );
  } finally {
    h.emu.org.rules = { ...h.emu.org.rules, duplicateRules: [] };
  }
});

test('a person already in the Campaign is DUPLICATE_VALUE; the other rows are created', async () => {
  const [campaign] = h.emu.org.insert('Campaign', [{ Name: 'Bulk members' }], { system: true });
  const leads = h.emu.org.insert(
    'Lead',
    [
      { LastName: 'Member', Company: 'Co', Email: 'member@bulk-members.test' },
      { LastName: 'Joiner', Company: 'Co', Email: 'joiner@bulk-members.test' },
    ],
    { system: true },
  );
  h.emu.org.insert('CampaignMember', [{ CampaignId: campaign!.id, LeadId: leads[0]!.id, Status: 'Sent' }], {
    system: true,
  });
  const { successful, failed } = await insert(
    'CampaignMember',
    `CampaignId,LeadId,Status\n${campaign!.id},${leads[0]!.id},Sent\n${campaign!.id},${leads[1]!.id},Sent\n`,
  );
  assert.deepEqual(
    failed.slice(1).map((r) => [r[1], r[3]]),
    [['DUPLICATE_VALUE:Already a campaign member.:--', leads[0]!.id]],
  );
  assert.deepEqual(
    successful.slice(1).map((r) => [r[1], r[3]]),
    [['true', leads[1]!.id]],
  );
});
