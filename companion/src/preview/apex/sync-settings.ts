// SyncSettingsController for the preview: every relay__SyncSetting__mdt record with its effective
// value, default, description and choices, in sort order; saving checks each value by its type
// and deploys the changed records.
/// <reference path="../../../../types/apex.d.ts" />
import type { SyncSetting } from 'c/relayTypes';
import { AuraHandledException, PeopleError, toAuraError } from './aura-error.js';
import type { ApexAdapter } from './context.js';
import { enqueueDeployment, SUBJECT_SYNC_SETTINGS } from './deploy.js';
import { DEPLOYMENT_CHANNEL } from '../events.js';
import { choices, effectiveValue, normalize, parse, settingRecord, syncSettings } from './settings.js';

export const getSettings: ApexAdapter = async ({ org }): Promise<SyncSetting[]> => {
  try {
    const settings = [...(await syncSettings(org)).values()];
    const key = (s: { relay__SortOrder__c: number | null; DeveloperName: string }) =>
      `${String(s.relay__SortOrder__c === null ? 9999 : Math.trunc(s.relay__SortOrder__c)).padStart(6, '0')}${s.DeveloperName}`;
    return settings
      .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
      .map((s) => ({
        developerName: s.DeveloperName,
        label: s.MasterLabel,
        type: s.relay__Type__c,
        value: effectiveValue(s),
        storedValue: s.relay__Value__c,
        defaultValue: parse(s, s.relay__DefaultValue__c),
        description: s.relay__Description__c,
        choices: choices(s),
        minimum: s.relay__Minimum__c,
        maximum: s.relay__Maximum__c,
        sortOrder: s.relay__SortOrder__c === null ? null : Math.trunc(s.relay__SortOrder__c),
      }));
  } catch (error) {
    throw toAuraError(error, 'load the sync settings');
  }
};

/** SyncSettingsController.parseValues: `{name: value}` or `[{developerName, value}]`. */
function parseValues(valuesJson: unknown): Map<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof valuesJson === 'string' ? valuesJson : '');
  } catch (error) {
    throw new AuraHandledException(`The settings are not valid JSON: ${(error as Error).message}`);
  }
  const values = new Map<string, unknown>();
  if (Array.isArray(parsed)) {
    for (const item of parsed) {
      const entry = item && typeof item === 'object' ? (item as Record<string, unknown>) : {};
      if (typeof entry.developerName !== 'string')
        throw new AuraHandledException('Each setting needs a developerName.');
      values.set(entry.developerName, entry.value);
    }
  } else if (parsed && typeof parsed === 'object') {
    for (const [name, value] of Object.entries(parsed)) values.set(name, value);
  } else {
    throw new AuraHandledException('The settings must be a JSON object of setting names and values.');
  }
  if (values.size === 0) throw new AuraHandledException('No setting was sent, so nothing was saved.');
  return values;
}

export const saveSettings: ApexAdapter = async (ctx, params) => {
  try {
    const submitted = parseValues(params.valuesJson);
    const settings = await syncSettings(ctx.org);
    const normalized = new Map<string, string>();
    const problems: string[] = [];
    for (const [name, value] of submitted) {
      const setting = settings.get(name);
      if (!setting) {
        problems.push(`Relay has no setting named "${name}".`);
        continue;
      }
      try {
        normalized.set(name, normalize(setting, value));
      } catch (error) {
        if (!(error instanceof PeopleError)) throw error;
        problems.push(error.message);
      }
    }
    if (problems.length) throw new AuraHandledException(`The settings were not saved:\n• ${problems.join('\n• ')}`);
    // MetadataDeployService.buildSettingsContainer: one record per setting, in name order.
    const records = [...normalized.keys()]
      .sort()
      .map((name) => settingRecord(settings.get(name)!, normalized.get(name)!));
    return { jobId: enqueueDeployment(ctx, SUBJECT_SYNC_SETTINGS, records), channel: DEPLOYMENT_CHANNEL };
  } catch (error) {
    throw toAuraError(error, 'save the sync settings');
  }
};
