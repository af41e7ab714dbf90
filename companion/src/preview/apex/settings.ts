// RelaySettingsSelector + RelaySettings of the package, over the org's relay__SyncSetting__mdt
// records: how a setting's stored text is read by its type, its effective value (the default
// when the value is blank or unreadable), and how a submitted value is checked before saving.
import type { CustomMetadataRecord, PreviewOrg } from '../org.js';
import { PeopleError } from './aura-error.js';

export interface SyncSettingRecord {
  DeveloperName: string;
  QualifiedApiName: string;
  MasterLabel: string;
  NamespacePrefix: string | null;
  relay__Value__c: string | null;
  relay__DefaultValue__c: string | null;
  relay__Type__c: string | null;
  relay__Choices__c: string | null;
  relay__Description__c: string | null;
  relay__SortOrder__c: number | null;
}

const NUMBER_BOUNDS: Record<string, [number, number]> = {
  VisitResyncMinutes: [1, 1440],
  MonthlyTaskQuota: [0, 100000000],
  QuotaWarningPercent: [1, 100],
  MaxApiSharePercent: [1, 100],
};
const MAX_TEXT_LENGTH = 255;

export async function syncSettings(org: PreviewOrg): Promise<Map<string, SyncSettingRecord>> {
  const rows = await org.query<SyncSettingRecord & Record<string, unknown>>(
    'SELECT Id, DeveloperName, QualifiedApiName, MasterLabel, NamespacePrefix, relay__Value__c, ' +
      'relay__DefaultValue__c, relay__Type__c, relay__Choices__c, relay__Description__c, relay__SortOrder__c ' +
      'FROM relay__SyncSetting__mdt',
  );
  return new Map(rows.map((r) => [r.DeveloperName, r]));
}

export function choices(setting: SyncSettingRecord): string[] {
  return (setting.relay__Choices__c ?? '')
    .split(';')
    .map((c) => c.trim())
    .filter(Boolean);
}

export function parse(setting: SyncSettingRecord, raw: string | null): string | number | boolean | null {
  if (raw === null || raw.trim() === '') return null;
  const text = raw.trim();
  switch (setting.relay__Type__c) {
    case 'Boolean':
      return text.toLowerCase() === 'true' ? true : text.toLowerCase() === 'false' ? false : null;
    case 'Number': {
      if (!/^\d+$/.test(text)) return null; // whole numbers only: no sign, no decimals
      const value = Number(text);
      const bounds = NUMBER_BOUNDS[setting.DeveloperName];
      return bounds && (value < bounds[0] || value > bounds[1]) ? null : value;
    }
    case 'Choice':
      return choices(setting).includes(text) ? text : null;
    default:
      return text.length <= MAX_TEXT_LENGTH ? text : null;
  }
}

export function effectiveValue(setting: SyncSettingRecord): string | number | boolean | null {
  return parse(setting, setting.relay__Value__c) ?? parse(setting, setting.relay__DefaultValue__c);
}

function describeRule(setting: SyncSettingRecord): string {
  switch (setting.relay__Type__c) {
    case 'Boolean':
      return 'expected true or false';
    case 'Number': {
      const bounds = NUMBER_BOUNDS[setting.DeveloperName];
      return bounds ? `expected a whole number from ${bounds[0]} to ${bounds[1]}` : 'expected a whole number';
    }
    case 'Choice':
      return `expected one of ${choices(setting).join(', ')}`;
    default:
      return `expected text of at most ${MAX_TEXT_LENGTH} characters`;
  }
}

/** RelaySettings.normalize: the submitted value as the text to store, or a message naming the rule. */
export function normalize(setting: SyncSettingRecord, input: unknown): string {
  const raw = input === null || input === undefined ? '' : String(input).trim();
  const name = `${setting.MasterLabel} (${setting.DeveloperName})`;
  if (!raw) throw new PeopleError(`${name}: a value is required.`);
  const parsed = parse(setting, raw);
  if (parsed === null) throw new PeopleError(`${name}: ${describeRule(setting)}, not "${raw}".`);
  return String(parsed);
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
 * fields (Type, Default, Choices, Description, Sort order) stay as the package set them, in a real
 * org and in the emulator. A record the org added itself is replaced whole, so it is sent whole.
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
          { field: 'relay__Description__c', value: setting.relay__Description__c },
          { field: 'relay__SortOrder__c', value: setting.relay__SortOrder__c },
        ],
  };
}
