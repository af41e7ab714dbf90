import {
  MAX_WHOLE_NUMBER,
  SETTING_TYPES,
  choicesOf,
  describeSettingRule,
  normalizeSettingValue,
  parseSettingValue,
  settingBounds,
} from 'c/settingRules';
import type { SettingRule } from 'c/settingRules';
import { RULE_CASES } from '../../__tests__/ruleCases';
import type { SettingCases } from '../../__tests__/ruleCases';

function ruleOf({ setting }: SettingCases): SettingRule {
  return { ...setting, choices: choicesOf(setting.choices) };
}

const number = (minimum: number | null, maximum: number | null): SettingRule => ({
  developerName: 'X',
  label: 'X',
  type: 'Number',
  choices: [],
  minimum,
  maximum,
});

describe('c/settingRules', () => {
  describe.each(RULE_CASES.settings.map((group) => [group.setting.developerName, group] as const))(
    'the shared cases of %s (RelayRuleCases.json, also run by Apex)',
    (_name, group) => {
      it.each(group.cases.map((c) => [JSON.stringify(c.input).slice(0, 40), c] as const))('%s', (_input, c) => {
        const outcome = normalizeSettingValue(ruleOf(group), c.input);
        expect(outcome).toEqual(
          c.refused === undefined ? { ok: true, text: c.stored } : { ok: false, message: c.refused },
        );
      });
    },
  );

  it('reads stored text by type, null when blank or unreadable', () => {
    expect(parseSettingValue(number(1, 100), ' 075 ')).toBe(75);
    expect(parseSettingValue(number(1, 100), '')).toBeNull();
    expect(parseSettingValue(number(1, 100), null)).toBeNull();
    expect(parseSettingValue(number(null, null), '9007199254740993')).toBeNull();
    expect(parseSettingValue({ ...number(null, null), type: 'Boolean' }, 'False')).toBe(false);
    expect(parseSettingValue({ ...number(null, null), type: null }, 'anything')).toBe('anything');
  });

  it('names the bounds a record sets, with 0 and MAX_WHOLE_NUMBER for a blank one', () => {
    expect(settingBounds(number(null, null))).toBeNull();
    expect(settingBounds(number(1, null))).toEqual({ minimum: 1, maximum: MAX_WHOLE_NUMBER });
    expect(settingBounds(number(null, 10))).toEqual({ minimum: 0, maximum: 10 });
    expect(describeSettingRule(number(null, 10))).toBe('expected a whole number from 0 to 10');
    expect(MAX_WHOLE_NUMBER).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('lists the types of Type__c and splits choices', () => {
    expect(SETTING_TYPES).toEqual(['Boolean', 'Number', 'Choice', 'Text']);
    expect(choicesOf(' Lead ; ContactAccount ;')).toEqual(['Lead', 'ContactAccount']);
    expect(choicesOf(null)).toEqual([]);
  });
});
