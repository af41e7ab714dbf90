import { causeKey, causeOf, FIXES, fixFor, SWITCH_LABELS, withSwitchLabels } from 'c/syncFixes';

const CATEGORIES = [
  'validation',
  'duplicate',
  'permission',
  'configuration',
  'limit',
  'transient',
  'unmatched',
  'delivery',
];

describe('c/syncFixes causes', () => {
  it('keys a cause by category, error code and field, as the errors API does', () => {
    expect(causeKey('validation', 'STRING_TOO_LONG', 'FirstName')).toBe('validation:STRING_TOO_LONG:FirstName');
    expect(causeKey('unmatched', 'NO_MATCH', null)).toBe('unmatched:NO_MATCH:');
    expect(causeKey('transient', null, undefined)).toBe('transient::');
  });

  it('says what happened in a plain sentence for every code with a fix and every category', () => {
    const sentences = [
      ...Object.keys(FIXES).map((code) => causeOf('validation', code, 'Industry').summary),
      ...CATEGORIES.map((category) => causeOf(category, 'SOMETHING_NEW', null).summary),
    ];
    for (const sentence of sentences) {
      expect(sentence).toMatch(/^[A-Z].*\.$/);
      expect(sentence).not.toMatch(/\{field\}/);
      // No API names of the switches in what the admin reads.
      expect(sentence).not.toMatch(/CreateLeadsForUnmatched|FollowUpTasksForUnmatched|__c\b/);
    }
    expect(causeOf('validation', 'STRING_TOO_LONG', 'FirstName').summary).toBe(
      'The platform sent a value for FirstName longer than the Salesforce field holds.',
    );
    expect(causeOf('validation', 'REQUIRED_FIELD_MISSING', null).summary).toBe(
      'Salesforce requires the field and the platform sent no value for it.',
    );
  });

  it('sends unmatched people to the switch by its label, mapping errors to the field mapping', () => {
    expect(causeOf('unmatched', 'NO_MATCH', null).action).toEqual({
      kind: 'switch',
      setting: 'CreateLeadsForUnmatched',
      label: `Open "${SWITCH_LABELS.CreateLeadsForUnmatched}"`,
    });
    expect(causeOf('validation', 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', 'Industry').action).toEqual({
      kind: 'mapping',
      field: 'Industry',
      label: 'Open the Industry mapping',
    });
    expect(causeOf('configuration', 'INVALID_FIELD', null).action).toEqual({
      kind: 'mapping',
      label: 'Open Field mappings',
    });
    // Fixed in Salesforce or on the platform: nothing in Relay to open.
    expect(causeOf('permission', 'INVALID_FIELD_FOR_INSERT_UPDATE', 'Tier__c').action.kind).toBe('none');
    expect(causeOf('validation', 'INVALID_EMAIL_ADDRESS', 'Email').action.kind).toBe('none');
    // The fix's place and the action agree.
    for (const code of Object.keys(FIXES)) {
      const action = causeOf(code === 'NO_MATCH' ? 'unmatched' : 'validation', code, 'X').action.kind;
      const place = fixFor(code, 'X')?.place;
      expect([code, action === 'mapping']).toEqual([code, place === 'mappings']);
    }
  });

  it('offers a retry only as it is: now, for those that match, once fixed, or not at all', () => {
    expect(causeOf('transient', 'UNABLE_TO_LOCK_ROW', null).retry).toBe('now');
    expect(causeOf('limit', 'REQUEST_LIMIT_EXCEEDED', null).retry).toBe('now');
    expect(causeOf('delivery', 'HTTP_503', null).retry).toBe('now');
    expect(causeOf('unmatched', 'NO_MATCH', null).retry).toBe('matching');
    expect(causeOf('validation', 'STRING_TOO_LONG', 'FirstName').retry).toBe('after-fix');
    expect(causeOf('delivery', 'PLATFORM_RULE', 'phone').retry).toBe('none');
  });

  it("names the switches by their labels in Relay's messages", () => {
    expect(
      withSwitchLabels(
        'unmatched: no Contact, Lead matches a@b.example (CreateLeadsForUnmatched and FollowUpTasksForUnmatched are off)',
      ),
    ).toBe(
      'unmatched: no Contact, Lead matches a@b.example ("Create Leads for unmatched people" and "Follow-up Tasks for unmatched people" are off)',
    );
    expect(withSwitchLabels('XCreateLeadsForUnmatchedY stays')).toBe('XCreateLeadsForUnmatchedY stays');
    expect(withSwitchLabels(null)).toBeNull();
  });
});
