// The Org operations API that every endpoint (REST here, Bulk and Metadata in part B) writes
// through: per-record results in order, transactions, hard delete, the Metadata API's access to
// custom metadata, and the SoqlDataSource seam.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Org } from '../src/index.js';
import { applySeed } from '../src/seed/index.js';

function emptyOrg(): Org {
  const org = new Org();
  applySeed(org, 'empty');
  return org;
}

describe('Org', () => {
  it('gives every record of one save call the same audit timestamps, as one Salesforce transaction does', () => {
    // A clock that moves 1 ms each time it is read: per-record readings would differ.
    let t = Date.parse('2026-11-20T10:00:00.998Z');
    const org = new Org({ now: () => new Date(t++) });
    applySeed(org, 'empty');
    const stamps = (ids: string[]) =>
      new Set(
        ids.map((id) => {
          const row = org.row(id)!;
          return `${String(row.CreatedDate)}|${String(row.LastModifiedDate)}|${String(row.SystemModstamp)}`;
        }),
      );
    const ids = org.insert('Account', [{ Name: 'A' }, { Name: 'B' }, { Name: 'C' }]).map((r) => r.id!);
    assert.equal(stamps(ids).size, 1, 'insert');
    org.update(
      'Account',
      ids.map((Id) => ({ Id, Description: 'x' })),
    );
    assert.equal(stamps(ids).size, 1, 'update');
    const taskIds = org
      .upsert('Task', 'relay__ExternalKey__c', [
        { relay__ExternalKey__c: 'k1', Subject: 'a' },
        { relay__ExternalKey__c: 'k2', Subject: 'b' },
      ])
      .map((r) => r.id!);
    assert.equal(stamps(taskIds).size, 1, 'upsert');
    org.delete(ids);
    assert.equal(stamps(ids).size, 1, 'delete');
    assert.ok(t > Date.parse('2026-11-20T10:00:01.000Z'), 'the clock did move between calls');
  });

  it('answers one result per record, in order, with created flags on upsert', () => {
    const org = emptyOrg();
    const res = org.insert('Account', [{ Name: 'A' }, {}, { Name: 'C' }]);
    assert.deepEqual(
      res.map((r) => r.success),
      [true, false, true],
    );
    assert.equal(res[1]!.errors[0]!.statusCode, 'REQUIRED_FIELD_MISSING');
    const up = org.upsert('Task', 'relay__ExternalKey__c', [
      { relay__ExternalKey__c: 'k', Subject: 'x' },
      { relay__ExternalKey__c: 'k2' },
    ]);
    assert.deepEqual(
      up.map((r) => r.created),
      [true, true],
    );
    const again = org.upsert('Task', 'relay__ExternalKey__c', [
      { relay__ExternalKey__c: 'k', Subject: 'y' },
      { relay__ExternalKey__c: 'dup' },
      { relay__ExternalKey__c: 'dup' },
    ]);
    assert.equal(again[0]!.created, false);
    assert.equal(again[1]!.errors[0]!.statusCode, 'DUPLICATE_EXTERNAL_ID');
    assert.equal(again[2]!.errors[0]!.statusCode, 'DUPLICATE_EXTERNAL_ID');
  });

  it('undoes every write made inside a failed transaction', () => {
    const org = emptyOrg();
    const [kept] = org.insert('Account', [{ Name: 'Kept' }]);
    assert.throws(() =>
      org.transaction(() => {
        org.insert('Account', [{ Name: 'Gone' }]);
        org.update('Account', [{ Id: kept!.id, Name: 'Changed' }]);
        org.delete([kept!.id!]);
        throw new Error('roll back');
      }),
    );
    assert.equal(org.retrieve('Account', kept!.id!)?.Name, 'Kept');
    assert.equal(org.find('Account', 'Name', 'Gone').length, 0);
    assert.equal(org.find('Account', 'Name', 'kept').length, 1, 'Name index restored (case-insensitive)');
  });

  it('keeps soft-deleted rows for queryAll and drops hard-deleted ones', () => {
    const org = emptyOrg();
    const [soft, hard] = org.insert('Lead', [
      { LastName: 'S', Company: 'C' },
      { LastName: 'H', Company: 'C' },
    ]);
    org.delete([soft!.id!]);
    org.delete([hard!.id!], { hardDelete: true });
    const all = [...org.soql.scan('Lead', true)].map((r) => r.Id);
    assert.ok(all.includes(soft!.id));
    assert.ok(!all.includes(hard!.id));
    assert.equal([...org.soql.scan('Lead', false)].length, 0);
    assert.equal(org.retrieve('Lead', soft!.id!), undefined);
  });

  it('lets only the Metadata API write custom metadata records', () => {
    const org = emptyOrg();
    const rest = org.insert('relay__SyncSetting__mdt', [{ DeveloperName: 'X', MasterLabel: 'X' }]);
    assert.equal(rest[0]!.success, false);
    const meta = org.insert(
      'relay__SyncSetting__mdt',
      [
        {
          DeveloperName: 'X',
          MasterLabel: 'X',
          Label: 'X',
          Language: 'en_US',
          QualifiedApiName: 'X',
          relay__Value__c: 'v',
          relay__Type__c: 'Text',
        },
      ],
      { metadataApi: true },
    );
    assert.equal(meta[0]!.success, true, JSON.stringify(meta[0]!.errors));
    assert.equal(org.find('relay__SyncSetting__mdt', 'DeveloperName', 'X')[0]!.relay__Value__c, 'v');
    assert.equal(org.delete([meta[0]!.id!], { metadataApi: true })[0]!.success, true);
  });

  it('serves the SoqlDataSource seam with indexes on Id, Email, Name and external ids', () => {
    const org = emptyOrg();
    const [lead] = org.insert('Lead', [{ LastName: 'Idx', Company: 'C', Email: 'Mixed.Case@Example.com' }]);
    const src = org.soql;
    assert.equal(src.describe('lead')?.name, 'Lead');
    assert.equal(src.objectOfId(lead!.id!), 'Lead');
    assert.equal(src.byId(lead!.id!.slice(0, 15))?.Id, lead!.id);
    assert.equal([...src.indexed('Lead', 'Email', ['mixed.case@example.com'], false)!].length, 1);
    assert.equal([...src.indexed('Lead', 'Id', [lead!.id!.slice(0, 15)], false)!].length, 1);
    assert.equal(src.indexed('Lead', 'Title', ['x'], false), undefined);
    org.insert('Task', [{ Subject: 's', relay__ExternalKey__c: 'Case:Sensitive' }]);
    assert.equal([...src.indexed('Task', 'relay__ExternalKey__c', ['case:sensitive'], false)!].length, 0);
    assert.equal([...src.indexed('Task', 'relay__ExternalKey__c', ['Case:Sensitive'], false)!].length, 1);
  });

  it('records Sforce-Call-Options as the change origin', () => {
    const org = emptyOrg();
    org.insert('Account', [{ Name: 'Origin' }], { callOptionsClient: 'relay-sync', apiVersion: '62.0' });
    const last = org.changeLog.at(-1)!;
    assert.equal(last.changeType, 'CREATE');
    assert.equal(last.changeOrigin, 'com/salesforce/api/rest/62.0;client=relay-sync');
  });
});
