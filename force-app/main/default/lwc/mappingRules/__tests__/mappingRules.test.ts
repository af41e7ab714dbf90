import {
  developerNameFor,
  hasValueMapEditor,
  isCompatible,
  toSavedMappings,
  typeName,
  validateMappings,
} from 'c/mappingRules';
import type { MappingContext } from 'c/mappingRules';
import type { Mapping, PlatformField, RecordMode, TargetField } from 'c/relayTypes';

function field(name: string, type: string, extra: Partial<TargetField> = {}): TargetField {
  return {
    name,
    label: name.replace(/__c$/, '').replace(/([a-z])([A-Z])/g, '$1 $2'),
    type,
    length: null,
    createable: true,
    updateable: true,
    calculated: false,
    nillable: true,
    required: false,
    picklistValues: null,
    ...extra,
  };
}

const picklist = (...values: string[]) => values.map((value) => ({ value, label: value }));

const LEAD: TargetField[] = [
  field('Email', 'EMAIL', { length: 80 }),
  field('FirstName', 'STRING', { length: 40 }),
  field('LastName', 'STRING', { length: 80, nillable: false, required: true }),
  field('Company', 'STRING', { length: 255, nillable: false, required: true }),
  field('Title', 'STRING', { length: 128 }),
  field('Phone', 'PHONE', { length: 40 }),
  field('Rating', 'PICKLIST', { picklistValues: picklist('Hot', 'Warm', 'Cold') }),
  field('Industry', 'PICKLIST', { restrictedPicklist: true, picklistValues: picklist('Banking', 'Technology') }),
  field('HasOptedOutOfEmail', 'BOOLEAN'),
  field('NumberOfEmployees', 'INTEGER'),
  field('FirstMeeting__c', 'DATE'),
  field('Score__c', 'DOUBLE', { calculated: true, createable: false, updateable: false }),
  field('CreatedDate', 'DATETIME', { createable: false, updateable: false }),
  field('ExternalRef__c', 'STRING', { length: 255, updateable: false }),
  field('ShortNote__c', 'STRING', { length: 20 }),
];

const CONTACT: TargetField[] = [
  field('Email', 'EMAIL', { length: 80 }),
  field('LastName', 'STRING', { length: 80, nillable: false, required: true }),
  field('Title', 'STRING', { length: 128 }),
];

const ACCOUNT: TargetField[] = [field('Name', 'STRING', { length: 255, nillable: false, required: true })];

const PLATFORM: PlatformField[] = [
  { name: 'email', label: 'Email', type: 'Email', maxLength: 80 },
  { name: 'firstName', label: 'First name', type: 'Text', maxLength: 40 },
  { name: 'lastName', label: 'Last name', type: 'Text', maxLength: 80 },
  { name: 'company', label: 'Company', type: 'Text', maxLength: 255 },
  { name: 'title', label: 'Title', type: 'Text', maxLength: 128 },
  { name: 'phone', label: 'Phone', type: 'Phone', maxLength: 40 },
  { name: 'industry', label: 'Industry', type: 'Picklist', maxLength: 40 },
  { name: 'emailOptOut', label: 'Opted out of email', type: 'Boolean', maxLength: null },
  { name: 'lastSeenAt', label: 'Last seen', type: 'DateTime', maxLength: null },
  { name: 'visit.durationSeconds', label: 'Visit: duration (seconds)', type: 'Number', maxLength: null },
];

function mapping(platformField: string, targetObject: string, targetField: string, extra: Partial<Mapping> = {}) {
  return {
    developerName: `${targetObject}_${targetField.replace(/__c$/, '')}`,
    platformField,
    targetObject,
    targetField,
    direction: 'PlatformToSalesforce',
    valueMap: null,
    active: true,
    isMatchField: false,
    ...extra,
  } as Mapping;
}

const LEAD_DEFAULTS: Mapping[] = [
  mapping('email', 'Lead', 'Email', { isMatchField: true, direction: 'TwoWay' }),
  mapping('firstName', 'Lead', 'FirstName'),
  mapping('lastName', 'Lead', 'LastName'),
  mapping('company', 'Lead', 'Company'),
  mapping('title', 'Lead', 'Title'),
];

function context(recordMode: RecordMode = 'Lead', targetFields: MappingContext['targetFields'] = {}): MappingContext {
  return {
    recordMode,
    platformFields: PLATFORM,
    targetFields: { Lead: LEAD, Contact: CONTACT, Account: ACCOUNT, ...targetFields },
  };
}

/** Validates the Lead defaults plus one extra row and returns that row's reasons. */
function reasonsFor(extra: Mapping): string[] {
  const result = validateMappings([...LEAD_DEFAULTS, extra], context());
  return result.rows[result.rows.length - 1];
}

describe('c-mapping-rules', () => {
  it('accepts the default Lead mappings', () => {
    const result = validateMappings(LEAD_DEFAULTS, context());
    expect(result).toEqual({ valid: true, rows: [[], [], [], [], []], objects: [] });
  });

  it('blocks a formula field in every direction: Salesforce rejects writes, the platform calculated values', () => {
    expect(reasonsFor(mapping('visit.durationSeconds', 'Lead', 'Score__c'))).toEqual([
      'Lead.Score__c is a formula or roll-up field: Salesforce computes it and rejects writes, and the platform takes no calculated values. Pick another field.',
    ]);
    expect(
      reasonsFor(mapping('visit.durationSeconds', 'Lead', 'Score__c', { direction: 'SalesforceToPlatform' })),
    ).toEqual([
      'Lead.Score__c is a formula or roll-up field: Salesforce calculates it, and the platform takes no calculated values, so Relay never sends it. Map the fields it is calculated from instead.',
    ]);
  });

  it('blocks a field that is not createable', () => {
    const reasons = reasonsFor(mapping('lastSeenAt', 'Lead', 'CreatedDate'));
    expect(reasons[0]).toBe(
      "Lead.CreatedDate can't be set when a record is created (not createable). Use the Salesforce to platform direction or pick another field.",
    );
  });

  it('blocks a field that is not updateable for every direction that writes Salesforce', () => {
    for (const direction of ['TwoWay', 'PlatformToSalesforce', 'PreferSalesforceUnlessBlank'] as const) {
      const reasons = reasonsFor(mapping('company', 'Lead', 'ExternalRef__c', { direction }));
      expect(reasons).toHaveLength(1);
      expect(reasons[0]).toMatch(/^Lead\.ExternalRef__c can't be changed once a record exists \(not updateable\)/);
    }
    expect(reasonsFor(mapping('company', 'Lead', 'ExternalRef__c', { direction: 'SalesforceToPlatform' }))).toEqual([]);
  });

  it('blocks a target shorter than the platform field can be', () => {
    expect(reasonsFor(mapping('company', 'Lead', 'ShortNote__c'))).toEqual([
      "Lead.ShortNote__c holds at most 20 characters but the platform's Company can be 255 long. Pick a longer field.",
    ]);
    expect(reasonsFor(mapping('firstName', 'Lead', 'ShortNote__c', { developerName: 'Lead_Short' }))).toEqual([
      "Lead.ShortNote__c holds at most 20 characters but the platform's First name can be 40 long. Pick a longer field.",
    ]);
  });

  it('blocks text into a number, a date or a checkbox', () => {
    expect(reasonsFor(mapping('title', 'Lead', 'NumberOfEmployees'))).toEqual([
      "Type mismatch: Lead.NumberOfEmployees is a number field; the platform's Title sends text values. Pick a field of a matching type.",
    ]);
    expect(reasonsFor(mapping('title', 'Lead', 'FirstMeeting__c'))[0]).toMatch(
      /^Type mismatch: Lead\.FirstMeeting__c is a date field/,
    );
    expect(reasonsFor(mapping('title', 'Lead', 'HasOptedOutOfEmail'))).toEqual([
      "Type mismatch: Lead.HasOptedOutOfEmail is a checkbox field; the platform's Title sends text values. Add a value map to translate them.",
    ]);
    expect(reasonsFor(mapping('emailOptOut', 'Lead', 'HasOptedOutOfEmail'))).toEqual([]);
    expect(reasonsFor(mapping('visit.durationSeconds', 'Lead', 'NumberOfEmployees'))).toEqual([]);
    expect(reasonsFor(mapping('lastSeenAt', 'Lead', 'FirstMeeting__c'))).toEqual([]);
  });

  it('lets a value map translate text into a checkbox, with true or false only', () => {
    expect(
      reasonsFor(mapping('title', 'Lead', 'HasOptedOutOfEmail', { valueMap: { yes: 'true', no: 'false' } })),
    ).toEqual([]);
    expect(reasonsFor(mapping('title', 'Lead', 'HasOptedOutOfEmail', { valueMap: { yes: 'maybe' } }))).toEqual([
      'Value map: "yes" becomes "maybe", which Lead.HasOptedOutOfEmail doesn\'t accept (allowed: true, false).',
    ]);
  });

  it('checks value maps into restricted picklists against their values', () => {
    expect(reasonsFor(mapping('industry', 'Lead', 'Industry', { valueMap: { fintech: 'Banking' } }))).toEqual([]);
    expect(reasonsFor(mapping('industry', 'Lead', 'Industry', { valueMap: { ai: 'Robotics' } }))).toEqual([
      'Value map: "ai" becomes "Robotics", which Lead.Industry doesn\'t accept (allowed: Banking, Technology).',
    ]);
    expect(reasonsFor(mapping('industry', 'Lead', 'Industry', { valueMap: { ai: '' } }))).toEqual([
      'Value map: choose the Salesforce value for platform value "ai".',
    ]);
    // An unrestricted picklist takes any value.
    expect(reasonsFor(mapping('industry', 'Lead', 'Rating', { valueMap: { hot: 'Scorching' } }))).toEqual([]);
  });

  it('blocks free text into a restricted picklist without a value map', () => {
    expect(reasonsFor(mapping('title', 'Lead', 'Industry'))).toEqual([
      "Lead.Industry is a restricted picklist and rejects values it doesn't list; add a value map from platform values to its values.",
    ]);
    expect(reasonsFor(mapping('industry', 'Lead', 'Industry'))).toEqual([]);
  });

  it('reports a required field of the record mode left unmapped, even if mapped inactive or read-only', () => {
    const withoutCompany = LEAD_DEFAULTS.filter((m) => m.targetField !== 'Company');
    const expected = 'Lead.Company (Company) is required to create a Lead; map an active platform field to it.';
    expect(validateMappings(withoutCompany, context()).objects).toEqual([expected]);

    const companyWith = (change: Partial<Mapping>): Mapping[] =>
      LEAD_DEFAULTS.map((m) => {
        return m.targetField === 'Company' ? { ...m, ...change } : m;
      });
    expect(validateMappings(companyWith({ active: false }), context()).objects).toEqual([expected]);

    const readOnly = companyWith({ direction: 'SalesforceToPlatform' });
    const result = validateMappings(readOnly, context());
    expect(result.objects).toEqual([expected]);
    expect(result.valid).toBe(false);
  });

  it('requires an email or phone match key for people objects', () => {
    const noKey = LEAD_DEFAULTS.map((m) => ({ ...m, isMatchField: false }));
    expect(validateMappings(noKey, context()).objects).toEqual([
      "No active Lead mapping is a match key, so Relay couldn't find people among Leads; mark the email (or phone) mapping as the match key.",
    ]);
    const phoneKey = [...noKey, mapping('phone', 'Lead', 'Phone', { isMatchField: true })];
    expect(validateMappings(phoneKey, context()).valid).toBe(true);
  });

  it('refuses a match key that is not an email or phone', () => {
    expect(reasonsFor(mapping('firstName', 'Lead', 'FirstName', { isMatchField: true, developerName: 'X' }))).toContain(
      'A match key must map an email or phone field; uncheck Match key or map email or phone.',
    );
  });

  it('checks the Contact and Account objects in Contact + Account mode', () => {
    const result = validateMappings(LEAD_DEFAULTS, context('ContactAccount'));
    expect(result.objects).toEqual([
      'Contact.LastName (Last Name) is required to create a Contact; map an active platform field to it.',
      'Account.Name (Name) is required to create an Account; map an active platform field to it.',
      "No active Contact mapping is a match key, so Relay couldn't find people among Contacts; mark the email (or phone) mapping as the match key.",
    ]);
    const contactSet = [
      mapping('email', 'Contact', 'Email', { isMatchField: true }),
      mapping('lastName', 'Contact', 'LastName'),
      mapping('company', 'Account', 'Name'),
    ];
    expect(validateMappings(contactSet, context('ContactAccount'))).toEqual({
      valid: true,
      rows: [[], [], []],
      objects: [],
    });
  });

  it('blocks two active mappings writing the same field', () => {
    const rows = validateMappings(
      [...LEAD_DEFAULTS, mapping('firstName', 'Lead', 'Title', { developerName: 'T2' })],
      context(),
    ).rows;
    expect(rows[5]).toEqual(['Row 5 already writes Lead.Title; deactivate one of them.']);
    expect(rows[4]).toEqual([]);
  });

  it('asks for the missing parts of a row and checks nothing else on an inactive row', () => {
    const incomplete = mapping('', 'Lead', '', { developerName: null });
    expect(reasonsFor(incomplete)).toEqual(['Choose a platform field.', 'Choose a target field.']);
    expect(reasonsFor(mapping('title', 'Lead', 'Score__c', { active: false }))).toEqual([]);
  });

  it('names a field the describe does not have, and objects whose fields are not loaded', () => {
    expect(reasonsFor(mapping('title', 'Lead', 'Nope__c'))).toEqual(['Lead has no field Nope__c that you can see.']);
    const result = validateMappings([mapping('title', 'Task', 'Subject')], {
      recordMode: 'Lead',
      platformFields: PLATFORM,
      targetFields: {},
    });
    expect(result.rows[0]).toEqual(['The fields of Task are not loaded yet; wait or reload the page.']);
    expect(result.objects[0]).toBe('The fields of Lead are not loaded yet; wait or reload the page.');
  });

  it('exposes its type helpers', () => {
    expect(isCompatible('Email', 'STRING', false)).toBe(true);
    expect(isCompatible('Text', 'EMAIL', false)).toBe(false);
    expect(isCompatible('unknownType', 'REFERENCE', false)).toBe(true);
    expect(isCompatible('Number', 'PICKLIST', true)).toBe(true);
    expect(typeName('DATETIME')).toBe('date/time');
    expect(hasValueMapEditor(field('X', 'MULTIPICKLIST'))).toBe(true);
    expect(hasValueMapEditor(field('X', 'STRING'))).toBe(false);
  });

  it('derives valid, unique DeveloperNames for new mappings', () => {
    expect(developerNameFor('Task', 'relay__DurationSeconds__c', [])).toBe('Task_relay_DurationSeconds');
    expect(developerNameFor('Lead', 'Email', ['Lead_Email'])).toBe('Lead_Email_2');
    expect(developerNameFor('Lead', 'Email', ['lead_email', 'Lead_Email_2'])).toBe('Lead_Email_3');
    const long = developerNameFor('Account', 'A_Very_Long_Custom_Field_Name_That_Goes_On__c', []);
    expect(long.length).toBeLessThanOrEqual(40);
    expect(long).toMatch(/^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*$/);
    expect(long.endsWith('_')).toBe(false);
  });

  it('prepares the JSON for saveMappings', () => {
    const saved = toSavedMappings([
      mapping('email', 'Lead', 'Email', { developerName: 'Lead_Email', valueMap: {} }),
      mapping('title', 'Lead', 'Email', { developerName: null, valueMap: { a: 'b' } }),
    ]);
    expect(saved).toEqual([
      {
        developerName: 'Lead_Email',
        platformField: 'email',
        targetObject: 'Lead',
        targetField: 'Email',
        direction: 'PlatformToSalesforce',
        valueMap: null,
        active: true,
        isMatchField: false,
      },
      {
        developerName: 'Lead_Email_2',
        platformField: 'title',
        targetObject: 'Lead',
        targetField: 'Email',
        direction: 'PlatformToSalesforce',
        valueMap: { a: 'b' },
        active: true,
        isMatchField: false,
      },
    ]);
  });
});
