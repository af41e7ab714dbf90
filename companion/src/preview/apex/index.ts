// Every @AuraEnabled method of docs/package-api.md, by `<Class>.<method>`, bound to its adapter.
import type { ApexAdapter } from './context.js';
import { checkBudget, exportCsv, getConflicts, getHealth, retry, retryAll, retryCause } from './health.js';
import { getMappingEditor, getTargetFields, saveMappings } from './mappings.js';
import { getConnection, testConnection } from './setup.js';
import { getEngagement } from './sidebar.js';
import { getSettings, saveSettings } from './sync-settings.js';
import { getLinks, saveLinks, searchCampaigns } from './campaign-links.js';
import { toAuraError } from './aura-error.js';

export const APEX_ADAPTERS: Readonly<Record<string, ApexAdapter>> = {
  'RecordSidebarController.getEngagement': getEngagement,
  'SetupController.getConnection': getConnection,
  'SetupController.testConnection': testConnection,
  'FieldMappingController.getMappingEditor': async ({ org }) =>
    getMappingEditor(org).catch((error: unknown) => {
      throw toAuraError(error, 'load the field mappings');
    }),
  'FieldMappingController.getTargetFields': async ({ org }, params) =>
    getTargetFields(org, params.objectName).catch((error: unknown) => {
      throw toAuraError(error, `describe the fields of ${String(params.objectName)}`);
    }),
  'FieldMappingController.saveMappings': async (ctx, params) =>
    saveMappings(ctx, params.mappingsJson, params.recordMode).catch((error: unknown) => {
      throw toAuraError(error, 'save the field mappings');
    }),
  'SyncSettingsController.getSettings': getSettings,
  'SyncSettingsController.saveSettings': saveSettings,
  'ListCampaignLinkController.getLinks': getLinks,
  'ListCampaignLinkController.searchCampaigns': searchCampaigns,
  'ListCampaignLinkController.saveLinks': saveLinks,
  'SyncHealthController.getHealth': getHealth,
  'SyncHealthController.getConflicts': getConflicts,
  'SyncHealthController.retry': retry,
  'SyncHealthController.retryAll': retryAll,
  'SyncHealthController.retryCause': retryCause,
  'SyncHealthController.exportCsv': exportCsv,
  'SyncHealthController.checkBudget': checkBudget,
};
