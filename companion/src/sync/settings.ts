// The org's configuration as the engine uses it: relay__SyncSetting__mdt switches typed with the
// defaults of README.md, and relay__FieldMapping__mdt rows. Values are read exactly as the package's
// Apex reads them (RelaySettings.cls): `relay__Value__c` parsed by `relay__Type__c`, else
// `relay__DefaultValue__c`, else the README default — so the Setup page and the companion never
// disagree about what a switch means. A record that is missing or unreadable falls back the same way.
//
// The rules themselves are the package's: a setting's type, choices and bounds are fields of its
// record, read by the LWC module settingRules, and the mapping directions and record modes are the
// LWC module mappingCatalog's — the modules the Setup page and the preview use, loaded here from
// their TypeScript source (test/package-rules.test.ts checks the declarations below against them).
/// <reference path="../../../types/apex.d.ts" />
import type { MappingDirection, PlatformField, RecordMode } from 'c/relayTypes';
import type { ListCampaignLink } from './campaign-links.js';
import { packageModule } from './package-module.js';

export type { MappingDirection, RecordMode };

/** The parts of a relay__SyncSetting__mdt record that decide which values it accepts (c/settingRules). */
export interface SettingRule {
  developerName: string;
  label: string;
  type: string | null | undefined;
  choices: readonly string[];
  minimum: number | null | undefined;
  maximum: number | null | undefined;
}

/** What the companion and the preview use of force-app/main/default/lwc/settingRules. */
export interface SettingRulesModule {
  readonly SETTING_TYPES: readonly string[];
  readonly MAX_TEXT_LENGTH: number;
  readonly MAX_WHOLE_NUMBER: number;
  choicesOf(text: string | null | undefined): string[];
  parseSettingValue(rule: SettingRule, raw: string | null | undefined): boolean | number | string | null;
  normalizeSettingValue(rule: SettingRule, input: unknown): { ok: true; text: string } | { ok: false; message: string };
}

/** What the companion and the preview use of force-app/main/default/lwc/mappingCatalog. */
export interface MappingCatalogModule {
  readonly DIRECTIONS: ReadonlyArray<{ value: MappingDirection; label: string }>;
  readonly TARGET_OBJECTS: readonly string[];
  readonly OBJECTS_OF_MODE: { readonly [M in RecordMode]: readonly string[] };
  readonly RECORD_MODES: readonly RecordMode[];
  readonly PLATFORM_FIELDS: readonly PlatformField[];
  readonly PLATFORM_TYPES: { readonly PHONE: string; readonly DATETIME: string };
  readonly TO_PLATFORM_DIRECTIONS: readonly MappingDirection[];
  readonly UNMAPPABLE_FIELD_TYPES: readonly string[];
  writesSalesforce(direction: string | null | undefined): boolean;
}

export const settingRules = await packageModule<SettingRulesModule>('settingRules');
export const mappingCatalog = await packageModule<MappingCatalogModule>('mappingCatalog');

export interface SyncSettings {
  RelayActive: boolean;
  SyncVisits: boolean;
  SyncLinkCreation: boolean;
  SyncSpaceCreation: boolean;
  SyncMessages: boolean;
  SyncProspects: boolean;
  SyncListSignups: boolean;
  IncludeMessageContent: boolean;
  CreateLeadsForUnmatched: boolean;
  FollowUpTasksForUnmatched: boolean;
  VisitResyncMinutes: number;
  MonthlyTaskQuota: number;
  QuotaWarningPercent: number;
  RecordMode: RecordMode;
  CreatePlatformContacts: boolean;
  IncludeBulkImports: boolean;
  MaxApiSharePercent: number;
  AllowSaveDuplicates: boolean;
  LeadSource: string;
  /** Reverse sync: `created` events carry AutoCreatedTagText among their tags. */
  TagAutoCreated: boolean;
  AutoCreatedTagText: string;
}

export const DEFAULT_SETTINGS: Readonly<SyncSettings> = Object.freeze({
  RelayActive: true,
  SyncVisits: true,
  SyncLinkCreation: true,
  SyncSpaceCreation: true,
  SyncMessages: true,
  SyncProspects: true,
  SyncListSignups: true,
  IncludeMessageContent: false,
  CreateLeadsForUnmatched: false,
  FollowUpTasksForUnmatched: false,
  VisitResyncMinutes: 10,
  MonthlyTaskQuota: 100_000,
  QuotaWarningPercent: 80,
  RecordMode: 'Lead',
  CreatePlatformContacts: false,
  IncludeBulkImports: false,
  MaxApiSharePercent: 20,
  AllowSaveDuplicates: false,
  LeadSource: 'Relay',
  TagAutoCreated: false,
  AutoCreatedTagText: 'Auto-created: Salesforce',
});

/** One relay__SyncSetting__mdt record as SOQL returns it. */
export interface SyncSettingRecord {
  DeveloperName: string;
  MasterLabel?: string | null;
  relay__Value__c?: string | null;
  relay__Type__c?: string | null;
  relay__DefaultValue__c?: string | null;
  relay__Choices__c?: string | null;
  relay__Minimum__c?: number | null;
  relay__Maximum__c?: number | null;
}

export const SYNC_SETTING_SOQL =
  'SELECT DeveloperName, relay__Value__c, relay__Type__c, relay__DefaultValue__c, relay__Choices__c, relay__Minimum__c, relay__Maximum__c FROM relay__SyncSetting__mdt';

type Parsed = boolean | number | string;

/** A record's rule as c/settingRules reads it. */
export function settingRuleOf(record: SyncSettingRecord): SettingRule {
  return {
    developerName: record.DeveloperName,
    label: record.MasterLabel ?? record.DeveloperName,
    type: record.relay__Type__c,
    choices: settingRules.choicesOf(record.relay__Choices__c),
    minimum: record.relay__Minimum__c ?? null,
    maximum: record.relay__Maximum__c ?? null,
  };
}

/** RelaySettings.parse: null when blank or unreadable. */
export function parseSettingValue(record: SyncSettingRecord, raw: string | null | undefined): Parsed | null {
  return settingRules.parseSettingValue(settingRuleOf(record), raw);
}

/** The effective settings from the org's records; anything missing or unreadable → the default. */
export function resolveSettings(records: readonly SyncSettingRecord[]): SyncSettings {
  const settings: SyncSettings = { ...DEFAULT_SETTINGS };
  const target = settings as unknown as Record<string, Parsed>;
  for (const record of records) {
    const name = record.DeveloperName;
    if (!(name in DEFAULT_SETTINGS)) continue;
    const value =
      parseSettingValue(record, record.relay__Value__c) ?? parseSettingValue(record, record.relay__DefaultValue__c);
    if (value === null || typeof value !== typeof target[name]) continue;
    if (name === 'RecordMode' && !(mappingCatalog.RECORD_MODES as readonly unknown[]).includes(value)) continue;
    target[name] = value;
  }
  return settings;
}

export interface FieldMapping {
  developerName: string;
  platformField: string;
  targetObject: string;
  targetField: string;
  direction: MappingDirection;
  /** Platform value → Salesforce value (picklists, checkboxes), or null. */
  valueMap: Record<string, unknown> | null;
  active: boolean;
  isMatchKey: boolean;
}

export interface FieldMappingRecord {
  DeveloperName: string;
  relay__PlatformField__c?: string | null;
  relay__TargetObject__c?: string | null;
  relay__TargetField__c?: string | null;
  relay__Direction__c?: string | null;
  relay__ValueMap__c?: string | null;
  relay__Active__c?: boolean | null;
  relay__IsMatchField__c?: boolean | null;
}

export const FIELD_MAPPING_SOQL =
  'SELECT DeveloperName, relay__PlatformField__c, relay__TargetObject__c, relay__TargetField__c, relay__Direction__c, relay__ValueMap__c, relay__Active__c, relay__IsMatchField__c FROM relay__FieldMapping__mdt';

const DIRECTIONS: ReadonlySet<string> = new Set(mappingCatalog.DIRECTIONS.map((d) => d.value));
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;

/** Usable mappings, plus a problem per record that cannot be used (shown on the status page). */
export function resolveMappings(records: readonly FieldMappingRecord[]): {
  mappings: FieldMapping[];
  problems: string[];
} {
  const mappings: FieldMapping[] = [];
  const problems: string[] = [];
  for (const r of records) {
    const platformField = r.relay__PlatformField__c?.trim();
    const targetObject = r.relay__TargetObject__c?.trim();
    const targetField = r.relay__TargetField__c?.trim();
    if (!platformField || !targetObject || !targetField) {
      problems.push(
        `field mapping ${r.DeveloperName}: platform field, target object and target field are all required`,
      );
      continue;
    }
    if (!FIELD_NAME.test(targetField) || !FIELD_NAME.test(targetObject)) {
      problems.push(`field mapping ${r.DeveloperName}: '${targetObject}.${targetField}' is not a Salesforce API name`);
      continue;
    }
    const direction = (r.relay__Direction__c?.trim() || 'PlatformToSalesforce') as MappingDirection;
    if (!DIRECTIONS.has(direction)) {
      problems.push(`field mapping ${r.DeveloperName}: unknown direction '${direction}'`);
      continue;
    }
    let valueMap: Record<string, unknown> | null = null;
    if (r.relay__ValueMap__c && r.relay__ValueMap__c.trim() !== '') {
      try {
        const parsed: unknown = JSON.parse(r.relay__ValueMap__c);
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
          valueMap = parsed as Record<string, unknown>;
        else throw new Error('not a JSON object');
      } catch (error) {
        problems.push(`field mapping ${r.DeveloperName}: value map is not a JSON object (${(error as Error).message})`);
        continue;
      }
    }
    mappings.push({
      developerName: r.DeveloperName,
      platformField,
      targetObject,
      targetField,
      direction,
      valueMap,
      active: r.relay__Active__c === true,
      isMatchKey: r.relay__IsMatchField__c === true,
    });
  }
  mappings.sort((a, b) => a.developerName.localeCompare(b.developerName));
  return { mappings, problems };
}

/** What the engine knows about an org's configuration at one moment. */
export interface OrgConfiguration {
  settings: SyncSettings;
  mappings: FieldMapping[];
  /** The admin's list → Campaign links (relay__ListCampaignLink__mdt), active and valid ones only. */
  links: ListCampaignLink[];
  problems: string[];
  /** When it was read from the org (ms since epoch); 0 for defaults never read. */
  readAt: number;
}

export function defaultConfiguration(): OrgConfiguration {
  return { settings: { ...DEFAULT_SETTINGS }, mappings: [], links: [], problems: [], readAt: 0 };
}

/** Active mappings that write platform values into `object` (prospects, Task data points). */
export function writeMappings(config: OrgConfiguration, object: string): FieldMapping[] {
  return config.mappings.filter(
    (m) => m.active && m.targetObject === object && mappingCatalog.writesSalesforce(m.direction),
  );
}
