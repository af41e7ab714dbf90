// The companion and the preview read the package's rules from its LWC modules (settingRules,
// mappingCatalog, mappingModel, mappingRules), loaded from their TypeScript source. This checks that
// they load, that the declarations the companion uses match the modules (tsc, at `npm run
// typecheck`), and runs the shared cases of force-app/main/default/staticresources/RelayRuleCases.json
// — the ones the LWC jest tests and the Apex test RelayRuleCases_Tests run — through the companion's
// and the preview's own readers of the records.
/// <reference path="../../types/apex.d.ts" />
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type * as MappingCatalog from '../../force-app/main/default/lwc/mappingCatalog/mappingCatalog.js';
import type * as SettingRules from '../../force-app/main/default/lwc/settingRules/settingRules.js';
import type * as CampaignLinkRules from '../../force-app/main/default/lwc/campaignLinkRules/campaignLinkRules.js';
import { campaignLinkRules, resolveLinks, type CampaignLinkRulesModule } from '../src/sync/campaign-links.js';
import { normalize, parse, type SyncSettingRecord as PreviewSettingRecord } from '../src/preview/apex/settings.js';
import { mappingModel } from '../src/preview/apex/package-modules.js';
import {
  DEFAULT_SETTINGS,
  mappingCatalog,
  parseSettingValue,
  resolveMappings,
  type MappingCatalogModule,
  type SettingRulesModule,
  type SyncSettingRecord,
} from '../src/sync/settings.js';

// Compile-time: the modules provide what sync/settings.ts declares it uses (never, and a type
// error, when one drifts).
type Provides<Real, Declared> = Real extends Declared ? true : never;
const settingRulesProvide: Provides<typeof SettingRules, SettingRulesModule> = true;
const mappingCatalogProvides: Provides<typeof MappingCatalog, MappingCatalogModule> = true;
const campaignLinkRulesProvide: Provides<typeof CampaignLinkRules, CampaignLinkRulesModule> = true;

interface SettingCases {
  setting: {
    developerName: string;
    label: string;
    type: string;
    choices: string | null;
    minimum: number | null;
    maximum: number | null;
  };
  cases: Array<{ input: string; stored?: string; refused?: string }>;
}

const CASES = JSON.parse(
  readFileSync(new URL('../../force-app/main/default/staticresources/RelayRuleCases.json', import.meta.url), 'utf8'),
) as {
  settings: SettingCases[];
  mappingJson: Array<{ description: string; json: string; refused?: string; parsed?: unknown[] }>;
  campaignLinks: Array<{
    description: string;
    links: Array<{ listId: string; campaignId: string; memberStatus: string | null; active: boolean }>;
    problems: string[];
  }>;
};

function previewRecord({ setting }: SettingCases, value: string | null): PreviewSettingRecord {
  return {
    DeveloperName: setting.developerName,
    QualifiedApiName: `relay__${setting.developerName}`,
    MasterLabel: setting.label,
    NamespacePrefix: 'relay',
    relay__Value__c: value,
    relay__DefaultValue__c: null,
    relay__Type__c: setting.type,
    relay__Choices__c: setting.choices,
    relay__Minimum__c: setting.minimum,
    relay__Maximum__c: setting.maximum,
    relay__Description__c: null,
    relay__SortOrder__c: null,
  };
}

function companionRecord({ setting }: SettingCases): SyncSettingRecord {
  return {
    DeveloperName: setting.developerName,
    relay__Type__c: setting.type,
    relay__Choices__c: setting.choices,
    relay__Minimum__c: setting.minimum,
    relay__Maximum__c: setting.maximum,
  };
}

function previewOutcome(record: PreviewSettingRecord, input: string): string {
  try {
    return `stored: ${normalize(record, input)}`;
  } catch (error) {
    return `refused: ${(error as Error).message}`;
  }
}

describe('the package rule modules in the companion', () => {
  test('load from their source, and provide what the companion declares (checked by tsc)', () => {
    assert.equal(settingRulesProvide && mappingCatalogProvides && campaignLinkRulesProvide, true);
    assert.deepEqual(
      mappingCatalog.DIRECTIONS.map((d) => d.value),
      ['TwoWay', 'PlatformToSalesforce', 'SalesforceToPlatform', 'PreferSalesforceUnlessBlank'],
    );
    assert.equal(typeof mappingModel.shapeProblems, 'function', 'c/ imports between the modules resolve');
  });

  test('the preview saves or refuses each shared setting case as Apex does, with its message', () => {
    for (const group of CASES.settings) {
      for (const c of group.cases) {
        const expected = c.refused === undefined ? `stored: ${c.stored}` : `refused: ${c.refused}`;
        assert.equal(
          previewOutcome(previewRecord(group, null), c.input),
          expected,
          `${group.setting.developerName} ${c.input}`,
        );
      }
    }
  });

  test('the companion and the preview read a stored value the same way, unsafe integers included', () => {
    for (const group of CASES.settings) {
      for (const c of group.cases) {
        const companion = parseSettingValue(companionRecord(group), c.input);
        const preview = parse(previewRecord(group, c.input), c.input);
        assert.equal(companion, preview, `${group.setting.developerName} ${c.input}`);
        assert.equal(companion === null, c.refused !== undefined, `${group.setting.developerName} ${c.input}`);
      }
    }
    const unbounded = CASES.settings.find(
      (g) => g.setting.minimum === null && g.setting.maximum === null && g.setting.type === 'Number',
    )!;
    assert.equal(
      parse(previewRecord(unbounded, null), '9007199254740993'),
      null,
      'the preview refuses an unsafe integer',
    );
    assert.equal(parse(previewRecord(unbounded, null), '9007199254740991'), 9007199254740991);
  });

  test('the preview parses or refuses each shared mapping JSON case as Apex does', () => {
    for (const c of CASES.mappingJson) {
      const expected = c.refused === undefined ? { ok: true, mappings: c.parsed } : { ok: false, message: c.refused };
      assert.deepEqual(mappingModel.parseMappingsJson(c.json), expected, c.description);
    }
  });

  test('the companion knows exactly the directions of the package', () => {
    const record = (direction: string) => ({
      DeveloperName: `M_${direction}`,
      relay__PlatformField__c: 'title',
      relay__TargetObject__c: 'Lead',
      relay__TargetField__c: 'Title',
      relay__Direction__c: direction,
    });
    const { mappings, problems } = resolveMappings([
      ...mappingCatalog.DIRECTIONS.map((d) => record(d.value)),
      record('Sideways'),
    ]);
    assert.equal(mappings.length, mappingCatalog.DIRECTIONS.length);
    assert.deepEqual(problems, ["field mapping M_Sideways: unknown direction 'Sideways'"]);
  });

  test("the companion's fallback for a missing record is that record's DefaultValue__c, read by its type", () => {
    // DEFAULT_SETTINGS applies only when a record is missing; it must say what the package's record says.
    const folder = new URL('../../force-app/main/default/customMetadata/', import.meta.url);
    const numberOf = (text: string | null) => (text === null ? null : Number(text));
    const field = (xml: string, name: string) =>
      new RegExp(`<field>${name}</field>\\s*<value[^>]*>([^<]*)</value>`).exec(xml)?.[1] ?? null;
    const records = readdirSync(folder)
      .filter((file) => file.startsWith('SyncSetting.'))
      .map((file) => {
        const xml = readFileSync(new URL(file, folder), 'utf8');
        const record: SyncSettingRecord = {
          DeveloperName: file.replace(/^SyncSetting\.|\.md-meta\.xml$/g, ''),
          relay__Type__c: field(xml, 'Type__c'),
          relay__Choices__c: field(xml, 'Choices__c'),
          relay__Minimum__c: numberOf(field(xml, 'Minimum__c')),
          relay__Maximum__c: numberOf(field(xml, 'Maximum__c')),
        };
        return [record.DeveloperName, parseSettingValue(record, field(xml, 'DefaultValue__c'))] as const;
      });
    assert.deepEqual(Object.fromEntries(records.sort(([a], [b]) => a.localeCompare(b))), {
      ...Object.fromEntries(Object.entries(DEFAULT_SETTINGS).sort(([a], [b]) => a.localeCompare(b))),
    });
  });

  test('the companion finds the problems of each shared list campaign link case as Apex does', () => {
    for (const shared of CASES.campaignLinks) {
      assert.deepEqual(campaignLinkRules.linksProblems(shared.links), shared.problems, shared.description);
    }
  });

  test('a link record that breaks a rule is not applied, and its problem names the record', () => {
    const record = (name: string, listId: string, campaignId: string) => ({
      DeveloperName: name,
      relay__PlatformListId__c: listId,
      relay__CampaignId__c: campaignId,
      relay__MemberStatus__c: null,
      relay__Active__c: true,
    });
    const { links, problems } = resolveLinks([
      record('Link_2', 'newsletter', '701000000000002AAA'),
      record('Link_1', 'newsletter', '701000000000001AAA'),
      record('Link_3', 'webinar', '001000000000001AAA'),
    ]);
    assert.deepEqual(links, [
      { developerName: 'Link_1', listId: 'newsletter', campaignId: '701000000000001AAA', memberStatus: 'Sent' },
    ]);
    assert.deepEqual(problems, [
      'list campaign link Link_2: list "newsletter" is linked by an earlier record',
      'list campaign link Link_3: The link of list "webinar": campaignId must be a Campaign id (15 or 18 characters starting with 701).',
    ]);
  });
});
