import {
  assignDeveloperNames,
  developerNameFor,
  displayName,
  mappingFromRecord,
  parseMappingsJson,
  refusalMessage,
  shapeProblems,
} from 'c/mappingModel';
import type { MappingModel } from 'c/mappingModel';
import { RULE_CASES } from '../../__tests__/ruleCases';
import type { MappingValues } from '../../__tests__/ruleCases';

function model(values: MappingValues): MappingModel {
  return { valueMap: null, active: true, isMatchField: false, ...values };
}

describe('c/mappingModel', () => {
  describe('the shared cases (RelayRuleCases.json, also run by Apex)', () => {
    it.each(RULE_CASES.mappingJson.map((c) => [c.description, c] as const))('mapping JSON: %s', (_d, c) => {
      const expected = c.refused === undefined ? { ok: true, mappings: c.parsed } : { ok: false, message: c.refused };
      expect(parseMappingsJson(c.json)).toEqual(expected);
    });

    it.each(RULE_CASES.developerNames.map((c) => [c.name, c] as const))('developer name %s', (_n, c) => {
      expect(developerNameFor(c.targetObject, c.targetField, c.taken)).toBe(c.name);
    });

    it.each(RULE_CASES.mappingShapes.map((c) => [c.description, c] as const))('shape: %s', (_d, c) => {
      const mappings = c.mappings.map(model);
      assignDeveloperNames(mappings, []);
      expect(mappings.map((m) => m.developerName)).toEqual(c.developerNames);
      expect(shapeProblems(mappings, c.recordMode)).toEqual(c.problems);
    });
  });

  it('refuses more mappings than one save may send', () => {
    const parsed = parseMappingsJson(JSON.stringify(new Array(201).fill({})));
    expect(parsed).toEqual({ ok: false, message: 'At most 200 mappings can be saved at once; 201 were sent.' });
  });

  it('reads a stored value map that is no JSON object of scalars as none', () => {
    const record = {
      developerName: 'Lead_Status',
      platformField: 'leadStatus',
      targetObject: 'Lead',
      targetField: 'Status',
      direction: 'TwoWay',
      active: true,
      isMatchField: null,
    };
    expect(mappingFromRecord({ ...record, valueMap: '{"a":{"b":1}}' }).valueMap).toBeNull();
    expect(mappingFromRecord({ ...record, valueMap: 'not json' }).valueMap).toBeNull();
    expect(mappingFromRecord({ ...record, valueMap: '{"open":"Open"}' })).toEqual({
      ...record,
      valueMap: { open: 'Open' },
      isMatchField: false,
    });
  });

  it('names mappings and words a refusal as Apex does', () => {
    const m = model({
      developerName: null,
      platformField: 'email',
      targetObject: 'Lead',
      targetField: 'Email',
      direction: 'TwoWay',
    });
    expect(displayName(m)).toBe('New mapping (email → Lead.Email)');
    expect(refusalMessage(['a'])).toBe('The mappings were not saved because of 1 problem:\n• a');
    expect(refusalMessage(['a', 'b'])).toBe('The mappings were not saved because of 2 problems:\n• a\n• b');
  });
});
