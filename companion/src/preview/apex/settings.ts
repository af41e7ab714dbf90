// RelaySettingsSelector + RelaySettings of the package, over the org's relay__SyncSetting__mdt
// records: the records read by SOQL, and the record that saving a value deploys. What a value may
// be is the record's own rule (type, choices, bounds), read by the package's LWC module
// settingRules — the module the Setup page checks values with — so the preview refuses exactly
// what Apex refuses, with Apex's message.
import { settingRuleOf, settingRules } from '../../sync/settings.js';
import type { CustomMetadataRecord, PreviewOrg } from '../org.js';
import { PeopleError } from './aura-error.js';

export interface SyncSettingRecord {
  DeveloperName: string;
  QualifiedApiName: string;
  MasterLabel: string;
  NamespacePrefix: string | null;
  relay__Value__c: string | null;
  relay__DefaultValue__c: string | null;
  /** Required on the type: never null. */
  relay__Type__c: string;
  relay__Choices__c: string | null;
  relay__Minimum__c: number | null;
  relay__Maximum__c: number | null;
  relay__Description__c: string | null;
  relay__SortOrder__c: number | null;
}

export async function syncSettings(org: PreviewOrg): Promise<Map<string, SyncSettingRecord>> {
  const rows = await org.query<SyncSettingRecord & Record<string, unknown>>(
    'SELECT Id, DeveloperName, QualifiedApiName, MasterLabel, NamespacePrefix, relay__Value__c, ' +
      'relay__DefaultValue__c, relay__Type__c, relay__Choices__c, relay__Minimum__c, relay__Maximum__c, ' +
      'relay__Description__c, relay__SortOrder__c FROM relay__SyncSetting__mdt',
  );
  return new Map(rows.map((r) => [r.DeveloperName, r]));
}

/** RelaySettings.choices. */
export function choices(setting: SyncSettingRecord): string[] {
  return settingRules.choicesOf(setting.relay__Choices__c);
}

/** RelaySettings.parse: the text read by the setting's type; null when blank or unreadable. */
export function parse(setting: SyncSettingRecord, raw: string | null): string | number | boolean | null {
  return settingRules.parseSettingValue(settingRuleOf(setting), raw);
}

export function effectiveValue(setting: SyncSettingRecord): string | number | boolean | null {
  return parse(setting, setting.relay__Value__c) ?? parse(setting, setting.relay__DefaultValue__c);
}

/** RelaySettings.normalize: the submitted value as the text to store, or a message naming the rule. */
export function normalize(setting: SyncSettingRecord, input: unknown): string {
  const result = settingRules.normalizeSettingValue(settingRuleOf(setting), input);
  if (!result.ok) throw new PeopleError(result.message);
  return result.text;
}

/** The effective value of one setting by DeveloperName, or the fallback (RelaySettings.getX). */
export function settingValue<T extends string | number | boolean>(
  settings: Map<string, SyncSettingRecord>,
  developerName: string,
  fallback: T,
): T {
  const setting = settings.get(developerName);
  const value = setting ? effectiveValue(setting) : null;
  return value !== null && typeof value === typeof fallback ? (value as T) : fallback;
}

/**
 * The CustomMetadata record that sets a setting's Value__c (MetadataDeployService.settingRecord).
 * Like the Apex, it sends only Value__c for records a package installed: their developer-controlled
 * fields (Type, Default, Choices, bounds, Description, Sort order) stay as the package set them, in
 * a real org and in the emulator. A record the org added itself is replaced whole, so it is sent
 * whole.
 */
export function settingRecord(setting: SyncSettingRecord, value: string): CustomMetadataRecord {
  // MetadataDeployService.isOwnedByThisOrg, for the preview's org, which has no namespace of its
  // own: the org owns exactly the records without a namespace.
  const ownedByOrg = !setting.NamespacePrefix;
  return {
    fullName: `relay__SyncSetting.${setting.QualifiedApiName}`,
    label: setting.MasterLabel,
    protected: false,
    values: !ownedByOrg
      ? [{ field: 'relay__Value__c', value }]
      : [
          { field: 'relay__Value__c', value },
          { field: 'relay__DefaultValue__c', value: setting.relay__DefaultValue__c },
          { field: 'relay__Type__c', value: setting.relay__Type__c },
          { field: 'relay__Choices__c', value: setting.relay__Choices__c },
          { field: 'relay__Minimum__c', value: setting.relay__Minimum__c },
          { field: 'relay__Maximum__c', value: setting.relay__Maximum__c },
          { field: 'relay__Description__c', value: setting.relay__Description__c },
          { field: 'relay__SortOrder__c', value: setting.relay__SortOrder__c },
        ],
  };
}
