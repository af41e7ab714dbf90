import {
  DIRECTIONS,
  DIRECTION_HELP,
  directionsExplained,
  OBJECTS_OF_MODE,
  PLATFORM_FIELDS,
  PLATFORM_TYPES,
  RECORD_MODES,
  TARGET_OBJECTS,
  writesSalesforce,
} from 'c/mappingCatalog';

describe('c/mappingCatalog', () => {
  it('lists the directions in the order of the Direction__c picklist, with its labels', () => {
    expect(DIRECTIONS.map((d) => d.value)).toEqual([
      'TwoWay',
      'PlatformToSalesforce',
      'SalesforceToPlatform',
      'PreferSalesforceUnlessBlank',
    ]);
    expect(DIRECTIONS[3]?.label).toBe('Prefer Salesforce unless blank');
    expect(DIRECTIONS.filter((d) => writesSalesforce(d.value)).map((d) => d.value)).toEqual([
      'TwoWay',
      'PlatformToSalesforce',
      'PreferSalesforceUnlessBlank',
    ]);
  });

  it('explains every direction in plain words, under its label', () => {
    for (const { value, label } of DIRECTIONS) {
      expect(DIRECTION_HELP[value].length).toBeGreaterThan(20);
      expect(directionsExplained()).toContain(`${label}: ${DIRECTION_HELP[value]}`);
    }
    expect(DIRECTION_HELP.SalesforceToPlatform).toContain('never writes the Salesforce field');
  });

  it('knows the record modes and the objects each one creates', () => {
    expect(RECORD_MODES).toEqual(['Lead', 'ContactAccount']);
    expect(OBJECTS_OF_MODE.ContactAccount).toEqual(['Contact', 'Account']);
    expect(TARGET_OBJECTS).toEqual(['Lead', 'Contact', 'Account', 'Task']);
  });

  it('gives every platform field a known type and a unique name', () => {
    const types = new Set<string>(Object.values(PLATFORM_TYPES));
    expect(PLATFORM_FIELDS.every((f) => types.has(f.type))).toBe(true);
    expect(new Set(PLATFORM_FIELDS.map((f) => f.name)).size).toBe(PLATFORM_FIELDS.length);
    expect(PLATFORM_FIELDS[0]).toEqual({ name: 'email', label: 'Email', type: 'Email', maxLength: 80 });
  });
});
