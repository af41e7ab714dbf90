// SOQL errors: codes, wording and the excerpt / caret / `ERROR at Row:R:Column:C` prefix, checked
// against error bodies recorded from real orgs in public issues (each cited beside its case).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SoqlError, executeSoql } from '../src/soql/index.js';
import { NOW, sampleOrg } from './soql-fixture.js';

const org = sampleOrg();

function errorOf(q: string): { errorCode: string; message: string } {
  try {
    executeSoql(q, org, { includeDeleted: false, now: NOW });
  } catch (e) {
    assert.ok(e instanceof SoqlError, `expected SoqlError, got ${String(e)}`);
    return { errorCode: e.errorCode, message: e.message };
  }
  assert.fail(`query succeeded: ${q}`);
}

const NO_SUCH_COLUMN_TAIL =
  "If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.";
const NOT_SUPPORTED_TAIL =
  "If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.";

test('INVALID_FIELD for an unknown column, excerpt cut around the caret', () => {
  // mautic/mautic#13406 (REST body recorded against a real org):
  // "\nselect Id, Company,Email,LastName,SF_date__c, ConvertedContactId from\n<34 spaces>^\nERROR at Row:1:Column:35\nNo such column 'SF_date__c' on entity 'Lead'. …"
  assert.deepEqual(
    errorOf(
      'select Id, Company,Email,LastName,SF_date__c, ConvertedContactId from Lead where LastModifiedDate > 2024-06-11T12:50:00Z',
    ),
    {
      errorCode: 'INVALID_FIELD',
      message: `\nselect Id, Company,Email,LastName,SF_date__c, ConvertedContactId from\n${' '.repeat(34)}^\nERROR at Row:1:Column:35\nNo such column 'SF_date__c' on entity 'Lead'. ${NO_SUCH_COLUMN_TAIL}`,
    },
  );
  // A short statement is shown whole (REST body in forcedotcom/soql-tooling#86 has the same form).
  assert.deepEqual(errorOf('SELECT Bacon__c FROM Account LIMIT 2'), {
    errorCode: 'INVALID_FIELD',
    message: `\nSELECT Bacon__c FROM Account LIMIT 2\n       ^\nERROR at Row:1:Column:8\nNo such column 'Bacon__c' on entity 'Account'. ${NO_SUCH_COLUMN_TAIL}`,
  });
});

test('INVALID_FIELD on a parent path names the parent entity and points at the path', () => {
  // forcedotcom/cli#1356: "WHERE Opportunity__R.Opportunity_Competitors__c=NULL" → caret at the
  // path's start, "No such column 'Opportunity_Competitors__c' on entity 'Opportunity'".
  assert.deepEqual(errorOf('SELECT Id FROM Contact WHERE Account.Nope__c = null'), {
    errorCode: 'INVALID_FIELD',
    message: `\nSELECT Id FROM Contact WHERE Account.Nope__c = null\n                             ^\nERROR at Row:1:Column:30\nNo such column 'Nope__c' on entity 'Account'. ${NO_SUCH_COLUMN_TAIL}`,
  });
  assert.deepEqual(errorOf('SELECT Who.Company FROM Task'), {
    errorCode: 'INVALID_FIELD',
    message: `\nSELECT Who.Company FROM Task\n       ^\nERROR at Row:1:Column:8\nNo such column 'Company' on entity 'Name'. ${NO_SUCH_COLUMN_TAIL}`,
  });
});

test('INVALID_FIELD for an unknown relationship', () => {
  // Salesforce's wording for a bad relationship segment ("Didn't understand relationship …").
  assert.deepEqual(errorOf('SELECT Acount.Name FROM Contact'), {
    errorCode: 'INVALID_FIELD',
    message:
      "\nSELECT Acount.Name FROM Contact\n       ^\nERROR at Row:1:Column:8\nDidn't understand relationship 'Acount' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.",
  });
});

test('INVALID_TYPE for an unknown object, with the same excerpt rules', () => {
  // vlocityinc/vlocity_build#364: "vlocity_cmt__GlobalKey__c from vlocity_cmt____VlocityTrackingGroup__c"
  // with the caret 31 characters in and Column:43 — the window starts at the word holding column-31.
  assert.deepEqual(errorOf('Select Id, vlocity_cmt__GlobalKey__c from vlocity_cmt____VlocityTrackingGroup__c'), {
    errorCode: 'INVALID_TYPE',
    message: `\nvlocity_cmt__GlobalKey__c from vlocity_cmt____VlocityTrackingGroup__c\n${' '.repeat(31)}^\nERROR at Row:1:Column:43\nsObject type 'vlocity_cmt____VlocityTrackingGroup__c' is not supported. ${NOT_SUPPORTED_TAIL}`,
  });
  // vlocityinc/vlocity_build#446: the window ends on a whole word ("… where DeveloperName").
  assert.deepEqual(errorOf("Select Value from OmniInteractionConfig where DeveloperName = 'X'"), {
    errorCode: 'INVALID_TYPE',
    message: `\nSelect Value from OmniInteractionConfig where DeveloperName\n${' '.repeat(18)}^\nERROR at Row:1:Column:19\nsObject type 'OmniInteractionConfig' is not supported. ${NOT_SUPPORTED_TAIL}`,
  });
});

test('MALFORMED_QUERY: unexpected tokens, end of statement, AND/OR mixing', () => {
  // "\nSELECT Id FROM Account WHERE\n<28 spaces>^\nERROR at Row:1:Column:29\nunexpected token: '<EOF>'"
  // as recorded by SOQL editors' error parsers; Summer '24 release notes quote the token forms.
  assert.deepEqual(errorOf('SELECT Id FROM Account WHERE'), {
    errorCode: 'MALFORMED_QUERY',
    message: `\nSELECT Id FROM Account WHERE\n${' '.repeat(28)}^\nERROR at Row:1:Column:29\nunexpected token: '<EOF>'`,
  });
  // Summer '24 release notes: `SELECT Id FROM Account USING everything` → unexpected token: 'everything'.
  assert.equal(
    errorOf('SELECT Id FROM Account USING everything').message.endsWith("unexpected token: 'everything'"),
    true,
  );
  // Summer '24 release notes: `SELECT FROM ServicePresenceStatus` → unexpected token: 'SELECT FROM'.
  assert.equal(errorOf('SELECT FROM Account').message.endsWith("unexpected token: 'SELECT FROM'"), true);
  // Summer '24 release notes: `… WHERE ParentId IN ()` → unexpected token: 'ParentId IN ()'.
  assert.equal(
    errorOf('SELECT Id FROM Contact WHERE AccountId IN ()').message.endsWith("unexpected token: 'AccountId IN ()'"),
    true,
  );
  // Mixing AND and OR without parentheses (Summer '24 notes: unexpected token: 'OR'); the row and
  // column are those of the OR on its own line (life-improver.com copy of a Salesforce SE answer).
  assert.deepEqual(
    errorOf(
      "SELECT Id, Email, Name\nFROM Contact\nWHERE AccountId = '0014000000p6XlS' AND LastName LIKE 'test' OR email LIKE 'test'",
    ),
    {
      errorCode: 'MALFORMED_QUERY',
      message: `\n'0014000000p6XlS' AND LastName LIKE 'test' OR email LIKE 'test'\n${' '.repeat(43)}^\nERROR at Row:3:Column:62\nunexpected token: 'OR'`,
    },
  );
});

test('MALFORMED_QUERY from the lexer reports a 0-based column', () => {
  // forcedotcom/SalesforceMobileSDK-ReactNative#82 (real org): `… WHERE Id = "00v3D000003BjNa"` →
  // "\nFROM CampaignMember WHERE Id = \"00v3D000003BjNa\"\n<30 spaces>^\nERROR at Row:1:Column:58\n
  // line 1:58 no viable alternative at character '\"'"; since Summer '24 the last line reads
  // "line 1:58 unexpected token: '\"'" (release notes, `$casecomment` example).
  assert.deepEqual(errorOf('SELECT FirstName, LastName FROM CampaignMember WHERE Id = "00v3D000003BjNa"'), {
    errorCode: 'MALFORMED_QUERY',
    message: `\nFROM CampaignMember WHERE Id = "00v3D000003BjNa"\n${' '.repeat(30)}^\nERROR at Row:1:Column:58\nline 1:58 unexpected token: '"'`,
  });
  // A trailing semicolon is outside SOQL's character set.
  assert.deepEqual(errorOf('SELECT Id FROM Account;'), {
    errorCode: 'MALFORMED_QUERY',
    message: `\nSELECT Id FROM Account;\n${' '.repeat(21)}^\nERROR at Row:1:Column:22\nline 1:22 unexpected token: ';'`,
  });
});

test('MALFORMED_QUERY for a bad id, a bad datetime, an unknown function', () => {
  // Summer '24 release notes: MALFORMED_QUERY replaces INVALID_QUERY_FILTER_OPERATOR; message
  // `invalid ID field: abc`; `Invalid datetime: 2020-12-12t12:12:00-25:00`.
  assert.deepEqual(errorOf("SELECT Id FROM Contact WHERE Id = 'abc'"), {
    errorCode: 'MALFORMED_QUERY',
    message: `\nSELECT Id FROM Contact WHERE Id = 'abc'\n${' '.repeat(34)}^\nERROR at Row:1:Column:35\ninvalid ID field: abc`,
  });
  assert.equal(
    errorOf('SELECT Id FROM Account WHERE SystemModstamp > 2020-12-12t12:12:00-25:00').message.endsWith(
      '\nInvalid datetime: 2020-12-12t12:12:00-25:00',
    ),
    true,
  );
  assert.equal(
    errorOf('SELECT Id FROM Account WHERE SystemModstamp > 2020-52-12T12:12:00Z').message.endsWith(
      '\nInvalid datetime: 2020-52-12T12:12:00Z',
    ),
    true,
  );
  const fn = errorOf('SELECT FOO(Id) FROM Account');
  assert.equal(fn.errorCode, 'MALFORMED_QUERY');
  assert.equal(fn.message.endsWith("unexpected token: '('"), true);
});

test('INVALID_FIELD for a filter value of the wrong type', () => {
  // Salesforce: "value of filter criterion for field 'CreatedDate' must be of type dateTime and
  // should not be enclosed in quotes".
  assert.equal(
    errorOf("SELECT Id FROM Contact WHERE CreatedDate = '2020-01-01'").message.endsWith(
      "\nvalue of filter criterion for field 'CreatedDate' must be of type dateTime and should not be enclosed in quotes",
    ),
    true,
  );
  assert.equal(
    errorOf('SELECT Id FROM Contact WHERE LastName = 5').message.endsWith(
      "\nvalue of filter criterion for field 'LastName' must be of type string and should be enclosed in quotes",
    ),
    true,
  );
  assert.equal(
    errorOf("SELECT Id FROM Lead WHERE IsConverted = 'true'").message.endsWith(
      "\nvalue of filter criterion for field 'IsConverted' must be of type boolean and should not be enclosed in quotes",
    ),
    true,
  );
  assert.equal(
    errorOf("SELECT Id FROM Lead WHERE Description = 'x'").message.endsWith(
      "\nfield 'Description' can not be filtered in query call",
    ),
    true,
  );
});

test('duplicate fields, OFFSET over 2,000, statement length', () => {
  // SOQL reference, "FIELDS()": [{"message":"duplicate field selected: Id","errorCode":"INVALID_FIELD"}].
  assert.deepEqual(errorOf('SELECT Id, Name, id FROM Account'), {
    errorCode: 'INVALID_FIELD',
    message: 'duplicate field selected: id',
  });
  // SOQL reference, "OFFSET": over 2,000 is NUMBER_OUTSIDE_VALID_RANGE; message as recorded in
  // client code handling it ("Maximum SOQL offset allowed is 2000").
  assert.deepEqual(errorOf('SELECT Id FROM Account OFFSET 2001'), {
    errorCode: 'NUMBER_OUTSIDE_VALID_RANGE',
    message: 'Maximum SOQL offset allowed is 2000',
  });
  // django-salesforce#164: "MALFORMED_QUERY: SOQL statements can not be longer than 100000 characters".
  const long = `SELECT Id FROM Account WHERE Name IN (${Array.from({ length: 9000 }, (_, i) => `'name-${i}'`).join(',')})`;
  assert.ok(long.length > 100_000);
  assert.deepEqual(errorOf(long), {
    errorCode: 'MALFORMED_QUERY',
    message: 'SOQL statements can not be longer than 100000 characters.',
  });
  // 4,000 characters per string literal (Limits cheat sheet); the wording is not recorded anywhere
  // we could find, so only the code is asserted.
  assert.equal(errorOf(`SELECT Id FROM Account WHERE Name = '${'x'.repeat(4001)}'`).errorCode, 'MALFORMED_QUERY');
  assert.deepEqual(
    executeSoql(`SELECT Id FROM Account WHERE Name = '${'x'.repeat(4000)}'`, org, { includeDeleted: false }),
    { totalSize: 0, records: [] },
  );
});

test('aggregate query rules', () => {
  // "Field must be grouped or aggregated: Name"; "field Name does not support aggregate operator SUM"
  // (wording as recorded in forcedotcom/SFDX-Data-Move-Utility#46 for COUNT on FeedItem.Id).
  assert.equal(
    errorOf('SELECT Name, COUNT(Id) FROM Account').message.endsWith('\nField must be grouped or aggregated: Name'),
    true,
  );
  assert.equal(
    errorOf('SELECT SUM(Name) FROM Account').message.endsWith('\nfield Name does not support aggregate operator SUM'),
    true,
  );
});

test('string escapes: valid ones decode, others are rejected', () => {
  assert.deepEqual(
    executeSoql("SELECT Id FROM Contact WHERE LastName = 'O\\'Brien'", org, { includeDeleted: false }).totalSize,
    1,
  );
  const bad = errorOf("SELECT Id FROM Contact WHERE LastName = 'a\\qb'");
  assert.equal(bad.errorCode, 'MALFORMED_QUERY');
  const open = errorOf("SELECT Id FROM Contact WHERE LastName = 'abc");
  assert.equal(open.errorCode, 'MALFORMED_QUERY');
});
