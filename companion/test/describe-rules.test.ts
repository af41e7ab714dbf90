// The pre-write rules (src/sync/describe-rules.ts) on their edges, without an org: what Salesforce
// reads must pass (no person quarantined for a value Salesforce would take), what it refuses must
// not, and every refusal has its fix in the package's one table (LWC module syncFixes).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { syncFixes } from '../src/api/package/fix-actions.js';
import { readDescribe } from '../src/sync/describe-cache.js';
import { checkRecord, REFUSAL_CODES } from '../src/sync/describe-rules.js';
import { ruleOf } from '../src/errors.js';

const field = (name: string, type: string, props: Record<string, unknown> = {}) => ({
  name,
  label: name,
  type,
  length: 0,
  nillable: true,
  createable: true,
  updateable: true,
  defaultedOnCreate: false,
  restrictedPicklist: false,
  picklistValues: [],
  ...props,
});

const lead = readDescribe({
  name: 'Lead',
  fields: [
    field('LastName', 'string', { length: 80, nillable: false }),
    field('Status', 'picklist', { nillable: false, defaultedOnCreate: true }),
    field('Interests__c', 'multipicklist', {
      restrictedPicklist: true,
      picklistValues: [{ value: 'Docs' }, { value: 'Chat' }, { value: 'Retired', active: false }],
    }),
    field('Seen__c', 'date'),
    field('SeenAt__c', 'datetime'),
    field('Score__c', 'double', { precision: 5, scale: 2 }),
    field('Opted__c', 'boolean', { nillable: false, defaultedOnCreate: true }),
    field('Phone', 'phone', { length: 40 }),
  ],
})!;

const code = (record: Record<string, unknown>, mode: 'create' | 'update' = 'create') =>
  checkRecord(lead, { LastName: 'Reed', ...record }, mode)?.code;

describe('what Salesforce reads passes', () => {
  test('dates and date/times in either form, real days only', () => {
    assert.equal(code({ Seen__c: '2026-11-22', SeenAt__c: '2026-11-22T10:00:00.000+0000' }), undefined);
    assert.equal(code({ Seen__c: '2026-11-22T10:00:00Z', SeenAt__c: '2026-11-22' }), undefined);
    assert.equal(code({ Seen__c: '2026-02-30' }), 'INVALID_DATE');
  });

  test('numbers as numbers or numeric text, within the integer digits', () => {
    assert.equal(code({ Score__c: '123.456' }), undefined);
    assert.equal(code({ Score__c: 1234 }), 'NUMBER_OUTSIDE_VALID_RANGE');
  });

  test('phones with their punctuation and an extension; text without digits does not', () => {
    assert.equal(code({ Phone: '+1 (415) 555-0100 ext. 12' }), undefined);
    assert.equal(code({ Phone: 'n/a' }), 'INVALID_PHONE');
  });

  test('restricted multi-select picklists: every active value, any case; an inactive one is refused', () => {
    assert.equal(code({ Interests__c: 'docs;Chat' }), undefined);
    assert.equal(code({ Interests__c: 'Docs;Retired' }), 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
  });

  test('checkboxes take true and false, as text too', () => {
    assert.equal(code({ Opted__c: 'TRUE' }), undefined);
    assert.equal(code({ Opted__c: 'yes' }), 'INVALID_BOOLEAN');
  });
});

describe('required fields', () => {
  test('a create needs every non-nillable field without a default; an update may leave them out', () => {
    assert.equal(checkRecord(lead, { Phone: '+14155550100' }, 'create')?.field, 'LastName');
    assert.equal(checkRecord(lead, { Phone: '+14155550100' }, 'update'), undefined);
  });

  test('an update may not empty one', () => {
    assert.equal(code({ LastName: '' }, 'update'), 'REQUIRED_FIELD_MISSING');
  });

  test('a field this org does not have is named as such', () => {
    assert.deepEqual(checkRecord(lead, { LastName: 'Reed', Shoe__c: 42 }, 'create'), {
      field: 'Shoe__c',
      code: 'INVALID_FIELD',
      message: "Shoe__c: this org's Lead has no such field (field); fix the mapping that writes Shoe__c",
    });
  });
});

test('every refusal has a fix in the package table and is quarantined, never retried', () => {
  for (const c of REFUSAL_CODES) {
    assert.ok(syncFixes.fixFor(c, 'Industry'), `no fix for ${c}`);
    assert.equal(ruleOf({ code: c }).action, 'quarantine', c);
  }
});
