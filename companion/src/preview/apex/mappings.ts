// FieldMappingController for the preview: the mapping editor's data, target fields from the org's
// describe, and saving (checked, then deployed as CustomMetadata records). Only the I/O is here —
// SOQL, describe, the Metadata API records. The rules are the package's LWC modules, the ones the
// editor uses: the platform field catalogue and target objects from mappingCatalog, the JSON
// parsing, DeveloperNames and shape rules of FieldMappingModel and MappingValidationService from
// mappingModel (in Apex's words), and the describe-based rules from mappingRules (in the editor's).
/// <reference path="../../../../types/apex.d.ts" />
import type {
  Mapping,
  MappingDirection,
  MappingEditorData,
  PlatformField,
  RecordMode,
  TargetField,
} from 'c/relayTypes';
import { mappingCatalog } from '../../sync/settings.js';
import type { CustomMetadataRecord, PreviewOrg } from '../org.js';
import { AuraHandledException, PeopleError } from './aura-error.js';
import { enqueueDeployment, SUBJECT_FIELD_MAPPINGS, type DeployDeps } from './deploy.js';
import { DEPLOYMENT_CHANNEL } from '../events.js';
import { targetFieldsOf } from './describe.js';
import { mappingModel, mappingRules, type MappingModel } from './package-modules.js';
import { settingRecord, settingValue, syncSettings } from './settings.js';

const MAX_LABEL = 40;

interface FieldMappingRecord {
  DeveloperName: string;
  QualifiedApiName: string;
  MasterLabel: string;
  relay__PlatformField__c: string | null;
  relay__TargetObject__c: string | null;
  relay__TargetField__c: string | null;
  relay__Direction__c: string | null;
  relay__ValueMap__c: string | null;
  relay__Active__c: boolean | null;
  relay__IsMatchField__c: boolean | null;
}

async function fieldMappings(org: PreviewOrg): Promise<FieldMappingRecord[]> {
  const rows = await org.query<FieldMappingRecord & Record<string, unknown>>(
    'SELECT Id, DeveloperName, QualifiedApiName, MasterLabel, NamespacePrefix, relay__PlatformField__c, ' +
      'relay__TargetObject__c, relay__TargetField__c, relay__Direction__c, relay__ValueMap__c, relay__Active__c, ' +
      'relay__IsMatchField__c FROM relay__FieldMapping__mdt',
  );
  // RelaySettingsSelector.sortByDeveloperName.
  return rows.sort((a, b) => a.DeveloperName.localeCompare(b.DeveloperName));
}

/** FieldMappingModel.fromRecord over the record's fields. */
function fromRecord(record: FieldMappingRecord): MappingModel {
  return mappingModel.mappingFromRecord({
    developerName: record.DeveloperName,
    platformField: record.relay__PlatformField__c,
    targetObject: record.relay__TargetObject__c,
    targetField: record.relay__TargetField__c,
    direction: record.relay__Direction__c,
    valueMap: record.relay__ValueMap__c,
    active: record.relay__Active__c,
    isMatchField: record.relay__IsMatchField__c,
  });
}

/** A mapping the shape rules passed, as the editor's rules take it. */
function asMapping(m: MappingModel): Mapping {
  return {
    developerName: m.developerName,
    platformField: m.platformField ?? '',
    targetObject: m.targetObject ?? '',
    targetField: m.targetField ?? '',
    direction: m.direction as MappingDirection,
    valueMap: m.valueMap,
    active: m.active,
    isMatchField: m.isMatchField,
  };
}

/** The editor's data; stored mappings keep blank fields as null, as Apex returns them. */
type MappingEditorAnswer = Omit<MappingEditorData, 'mappings'> & { mappings: MappingModel[] };

export async function getMappingEditor(org: PreviewOrg): Promise<MappingEditorAnswer> {
  const [records, settings, objects, mdt] = await Promise.all([
    fieldMappings(org),
    syncSettings(org),
    Promise.all(mappingCatalog.TARGET_OBJECTS.map((name) => org.describe(name))),
    org.describe('relay__FieldMapping__mdt'),
  ]);
  const platformFields: PlatformField[] = mappingCatalog.PLATFORM_FIELDS.map((f) => ({ ...f }));
  const known = new Set(platformFields.map((f) => f.name));
  const mappings = records.map(fromRecord);
  for (const m of mappings) {
    // A mapping may name a platform field the catalog does not list: offer it as text.
    if (m.platformField && !known.has(m.platformField)) {
      known.add(m.platformField);
      platformFields.push({ name: m.platformField, label: m.platformField, type: 'Text', maxLength: null });
    }
  }
  const direction = mdt.fields.find((f) => f.name === 'relay__Direction__c');
  return {
    recordMode: settingValue(settings, 'RecordMode', 'Lead') as RecordMode,
    mappings,
    objects: objects.map((o) => ({ name: o.name, label: o.label })),
    platformFields,
    directions: (direction?.picklistValues ?? [])
      .filter((p) => p.active)
      .map((p) => ({ value: p.value as MappingDirection, label: p.label })),
  };
}

export async function getTargetFields(org: PreviewOrg, objectName: unknown): Promise<TargetField[]> {
  const objects = mappingCatalog.TARGET_OBJECTS;
  if (typeof objectName !== 'string' || !objects.includes(objectName)) {
    throw new AuraHandledException(`Relay maps fields of ${objects.join(', ')} only, not "${String(objectName)}".`);
  }
  return targetFieldsOf(org, objectName);
}

function mappingRecord(m: MappingModel, existing: FieldMappingRecord | undefined): CustomMetadataRecord {
  const label = `${m.targetObject} ${String(m.targetField).replace(/__c$/, '').replace(/_/g, ' ')}`
    .slice(0, MAX_LABEL)
    .trim();
  return {
    // A package record keeps its namespaced name (relay__Lead_Title); a new one belongs to the org.
    fullName: `relay__FieldMapping.${existing ? existing.QualifiedApiName : m.developerName}`,
    label: existing ? existing.MasterLabel : label,
    protected: false,
    values: [
      { field: 'relay__PlatformField__c', value: m.platformField },
      { field: 'relay__TargetObject__c', value: m.targetObject },
      { field: 'relay__TargetField__c', value: m.targetField },
      { field: 'relay__Direction__c', value: m.direction },
      { field: 'relay__ValueMap__c', value: m.valueMap ? JSON.stringify(m.valueMap) : null },
      { field: 'relay__Active__c', value: m.active },
      { field: 'relay__IsMatchField__c', value: m.isMatchField },
    ],
  };
}

/** MappingValidationService.validate: the shape rules, then (when they pass) the describe-based ones. */
async function problemsOf(org: PreviewOrg, afterSave: MappingModel[], mode: string): Promise<string[]> {
  const problems = mappingModel.shapeProblems(afterSave, mode);
  if (problems.length > 0) return problems;
  const recordMode = mode as RecordMode;
  const objects = new Set<string>(mappingCatalog.OBJECTS_OF_MODE[recordMode]);
  for (const m of afterSave) if (m.active && m.targetObject) objects.add(m.targetObject);
  const targetFields: Record<string, TargetField[]> = {};
  for (const name of objects) targetFields[name] = await targetFieldsOf(org, name);
  const result = mappingRules.validateMappings(afterSave.map(asMapping), {
    recordMode,
    platformFields: mappingCatalog.PLATFORM_FIELDS.map((f) => ({ ...f })),
    targetFields,
  });
  result.rows.forEach((reasons, index) => {
    for (const reason of reasons) problems.push(`${mappingModel.displayName(afterSave[index]!)}: ${reason}`);
  });
  return [...problems, ...result.objects];
}

export async function saveMappings(
  deps: DeployDeps,
  mappingsJson: unknown,
  recordMode: unknown,
): Promise<{ jobId: string; channel: string }> {
  const { org } = deps;
  const parsed = mappingModel.parseMappingsJson(mappingsJson);
  if (!parsed.ok) throw new PeopleError(parsed.message);
  const mappings = parsed.mappings;
  const [records, settings] = await Promise.all([fieldMappings(org), syncSettings(org)]);
  const existing = new Map(records.map((r) => [r.DeveloperName.toLowerCase(), r]));
  mappingModel.assignDeveloperNames(mappings, existing.keys());

  // The set as it will be after saving: rows left out of the submission are deactivated.
  const dropped = new Map(existing);
  for (const m of mappings) dropped.delete((m.developerName ?? '').toLowerCase());
  const afterSave = [...mappings, ...[...dropped.values()].map((r) => ({ ...fromRecord(r), active: false }))];
  const currentMode = settingValue(settings, 'RecordMode', 'Lead');
  const mode = typeof recordMode === 'string' && recordMode.trim() ? recordMode.trim() : currentMode;

  const problems = await problemsOf(org, afterSave, mode);
  if (problems.length > 0) throw new PeopleError(mappingModel.refusalMessage(problems));

  // MetadataDeployService.buildMappingContainer: every submitted row, dropped active rows
  // deactivated, and the RecordMode setting when it changes.
  const container = mappings.map((m) => mappingRecord(m, existing.get((m.developerName ?? '').toLowerCase())));
  for (const r of dropped.values()) {
    const model = fromRecord(r);
    if (model.active) container.push(mappingRecord({ ...model, active: false }, r));
  }
  if (mode !== currentMode) {
    const setting = settings.get('RecordMode');
    if (!setting)
      throw new PeopleError('Relay has no setting named RecordMode; reinstall the package to restore its settings.');
    container.push(settingRecord(setting, mode));
  }
  return { jobId: enqueueDeployment(deps, SUBJECT_FIELD_MAPPINGS, container), channel: DEPLOYMENT_CHANNEL };
}
