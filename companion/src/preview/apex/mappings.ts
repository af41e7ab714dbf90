// FieldMappingController for the preview: the mapping editor's data, target fields from the org's
// describe, and saving (checked, then deployed as CustomMetadata records).
//
// Saving checks what MappingValidationService checks: the shape rules (names, missing values,
// directions, objects) here, and the describe-based rules (formula, createable, updateable, types,
// lengths, value maps, duplicates, required fields, match keys) with the package's own
// `c/mappingRules` module, the browser copy of MappingValidationService's rules. Messages are
// worded as mappingRules words them.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../bundle.js';
import type { CustomMetadataRecord, PreviewOrg } from '../org.js';
import { AuraHandledException, PeopleError } from './aura-error.js';
import { enqueueDeployment, SUBJECT_FIELD_MAPPINGS, type DeployDeps } from './deploy.js';
import { TARGET_OBJECTS, targetFieldsOf, type TargetField } from './describe.js';
import { PLATFORM_FIELDS, type PlatformField } from './platform-fields.js';
import { settingRecord, settingValue, syncSettings } from './settings.js';

const DIRECTIONS = ['TwoWay', 'PlatformToSalesforce', 'SalesforceToPlatform', 'PreferSalesforceUnlessBlank'];
const MAX_MAPPINGS = 200;
const MAX_DEVELOPER_NAME = 40;
const MAX_LABEL = 40;
const DEVELOPER_NAME = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*$/;

export interface Mapping {
  developerName: string | null;
  platformField: string | null;
  targetObject: string | null;
  targetField: string | null;
  direction: string | null;
  valueMap: Record<string, string> | null;
  active: boolean;
  isMatchKey: boolean;
}

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
  relay__IsMatchKey__c: boolean | null;
}

/** The pure rules module of the package (force-app/main/default/lwc/mappingRules). */
interface MappingRules {
  validateMappings(
    mappings: unknown[],
    ctx: { recordMode: string; platformFields: unknown[]; targetFields: Record<string, unknown[] | undefined> },
  ): { valid: boolean; rows: string[][]; objects: string[] };
}

let rules: Promise<MappingRules> | undefined;
function mappingRules(): Promise<MappingRules> {
  // Loaded by path at run time: the module belongs to the package's LWC sources (tsx compiles it),
  // not to the companion's TypeScript program.
  const url = pathToFileURL(join(REPO_ROOT, 'force-app/main/default/lwc/mappingRules/mappingRules.ts')).href;
  rules ??= import(url) as Promise<MappingRules>;
  return rules;
}

async function fieldMappings(org: PreviewOrg): Promise<FieldMappingRecord[]> {
  const rows = await org.query<FieldMappingRecord & Record<string, unknown>>(
    'SELECT Id, DeveloperName, QualifiedApiName, MasterLabel, NamespacePrefix, relay__PlatformField__c, ' +
      'relay__TargetObject__c, relay__TargetField__c, relay__Direction__c, relay__ValueMap__c, relay__Active__c, ' +
      'relay__IsMatchKey__c FROM relay__FieldMapping__mdt',
  );
  // RelaySettingsSelector.sortByDeveloperName.
  return rows.sort((a, b) => a.DeveloperName.localeCompare(b.DeveloperName));
}

function valueMapOf(value: unknown, name: string): Record<string, string> | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new PeopleError(`${name}: valueMap must be a JSON object or null.`);
  }
  const result: Record<string, string> = {};
  for (const [key, target] of Object.entries(value as Record<string, unknown>)) {
    if (target === null || typeof target === 'object') {
      throw new PeopleError(`${name}: valueMap["${key}"] must be text, a number or true/false.`);
    }
    result[key] = String(target);
  }
  return Object.keys(result).length ? result : null;
}

/** FieldMappingModel.fromRecord. */
function fromRecord(record: FieldMappingRecord): Mapping {
  let valueMap: Record<string, string> | null = null;
  if (record.relay__ValueMap__c?.trim()) {
    try {
      valueMap = valueMapOf(JSON.parse(record.relay__ValueMap__c), record.DeveloperName);
    } catch {
      valueMap = null;
    }
  }
  return {
    developerName: record.DeveloperName,
    platformField: record.relay__PlatformField__c,
    targetObject: record.relay__TargetObject__c,
    targetField: record.relay__TargetField__c,
    direction: record.relay__Direction__c,
    valueMap,
    active: record.relay__Active__c === true,
    isMatchKey: record.relay__IsMatchKey__c === true,
  };
}

/** FieldMappingModel.fromJson: the submitted rows, each checked for JSON types. */
function fromJson(mappingsJson: unknown): Mapping[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof mappingsJson === 'string' ? mappingsJson : '');
  } catch (error) {
    throw new PeopleError(`The mappings are not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new PeopleError('The mappings must be a JSON array of mappings.');
  if (parsed.length > MAX_MAPPINGS) {
    throw new PeopleError(`At most ${MAX_MAPPINGS} mappings can be saved at once; ${parsed.length} were sent.`);
  }
  return parsed.map((item: unknown, index) => {
    const position = `Mapping ${index + 1}`;
    if (!item || typeof item !== 'object' || Array.isArray(item))
      throw new PeopleError(`${position} must be a JSON object.`);
    const values = item as Record<string, unknown>;
    const text = (key: string, name: string): string | null => {
      const value = values[key];
      if (value === null || value === undefined) return null;
      if (typeof value !== 'string') throw new PeopleError(`${name}: ${key} must be text.`);
      return value.trim() || null;
    };
    const flag = (key: string, name: string, fallback: boolean): boolean => {
      const value = values[key];
      if (value === null || value === undefined) return fallback;
      if (typeof value !== 'boolean') throw new PeopleError(`${name}: ${key} must be true or false.`);
      return value;
    };
    const developerName = text('developerName', position);
    const name = developerName ?? position;
    return {
      developerName,
      platformField: text('platformField', name),
      targetObject: text('targetObject', name),
      targetField: text('targetField', name),
      direction: text('direction', name),
      active: flag('active', name, true),
      isMatchKey: flag('isMatchKey', name, false),
      valueMap: valueMapOf(values.valueMap, name),
    };
  });
}

/** FieldMappingModel.assignDeveloperNames: `<Object>_<Field>` made unique (case-insensitively). */
function assignDeveloperNames(mappings: Mapping[], taken: Set<string>): void {
  const names = new Set([...taken].map((n) => n.toLowerCase()));
  for (const m of mappings) if (m.developerName) names.add(m.developerName.toLowerCase());
  const fit = (name: string, room: number) => name.slice(0, room).replace(/_$/, '');
  for (const m of mappings) {
    if (m.developerName) continue;
    let base = `${m.targetObject}_${String(m.targetField).replace(/__c$/i, '')}`
      .replace(/[^A-Za-z0-9]+/g, '_')
      .replace(/_+/g, '_')
      .replace(/^_/, '')
      .replace(/_$/, '');
    if (!base || !/^[A-Za-z]/.test(base)) base = `Mapping_${base}`;
    base = fit(base, MAX_DEVELOPER_NAME);
    let candidate = base;
    for (let n = 2; names.has(candidate.toLowerCase()); n += 1) {
      candidate = `${fit(base, MAX_DEVELOPER_NAME - `_${n}`.length)}_${n}`;
    }
    m.developerName = candidate;
    names.add(candidate.toLowerCase());
  }
}

function displayName(m: Mapping): string {
  return `${m.developerName || 'New mapping'} (${m.platformField} → ${m.targetObject}.${m.targetField})`;
}

/** MappingValidationService.validateShape and the record mode check. */
function shapeProblems(mappings: Mapping[], recordMode: string): string[] {
  const problems: string[] = [];
  if (recordMode !== 'Lead' && recordMode !== 'ContactAccount') {
    problems.push(`Record mode: must be Lead or ContactAccount, not "${recordMode}". [INVALID_RECORD_MODE]`);
  }
  const seen = new Set<string>();
  for (const m of mappings) {
    const name = displayName(m);
    const dn = m.developerName ?? '';
    if (!dn || dn.length > MAX_DEVELOPER_NAME || dn.endsWith('_') || !DEVELOPER_NAME.test(dn)) {
      problems.push(
        `${name}: the developer name "${dn}" must start with a letter, use only letters, digits and single underscores, not end with an underscore and have at most 40 characters. [INVALID_NAME]`,
      );
    } else if (seen.has(dn.toLowerCase())) {
      problems.push(`${name}: another mapping has the developer name ${dn}. [DUPLICATE_NAME]`);
    } else {
      seen.add(dn.toLowerCase());
    }
    if (!m.platformField || m.platformField.length > 255) {
      problems.push(`${name}: a platform field of at most 255 characters is required. [MISSING_VALUE]`);
    }
    if (!m.targetField || m.targetField.length > 80) {
      problems.push(`${name}: a target field is required. [MISSING_VALUE]`);
    }
    if (!(TARGET_OBJECTS as readonly string[]).includes(m.targetObject ?? '')) {
      problems.push(
        `${name}: Relay writes ${TARGET_OBJECTS.join(', ')} only, not "${m.targetObject}". [UNKNOWN_OBJECT]`,
      );
    }
    if (!DIRECTIONS.includes(m.direction ?? '')) {
      problems.push(`${name}: direction must be ${DIRECTIONS.join(', ')}, not "${m.direction}". [INVALID_DIRECTION]`);
    }
  }
  return problems;
}

export async function getMappingEditor(org: PreviewOrg): Promise<Record<string, unknown>> {
  const [records, settings, objects, mdt] = await Promise.all([
    fieldMappings(org),
    syncSettings(org),
    Promise.all(TARGET_OBJECTS.map((name) => org.describe(name))),
    org.describe('relay__FieldMapping__mdt'),
  ]);
  const platformFields: PlatformField[] = [...PLATFORM_FIELDS];
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
    recordMode: settingValue(settings, 'RecordMode', 'Lead'),
    mappings,
    objects: objects.map((o) => ({ name: o.name, label: o.label })),
    platformFields,
    directions: (direction?.picklistValues ?? [])
      .filter((p) => p.active)
      .map((p) => ({ value: p.value, label: p.label })),
  };
}

export async function getTargetFields(org: PreviewOrg, objectName: unknown): Promise<TargetField[]> {
  if (typeof objectName !== 'string' || !(TARGET_OBJECTS as readonly string[]).includes(objectName)) {
    throw new AuraHandledException(
      `Relay maps fields of ${TARGET_OBJECTS.join(', ')} only, not "${String(objectName)}".`,
    );
  }
  return targetFieldsOf(org, objectName);
}

function mappingRecord(m: Mapping, existing: FieldMappingRecord | undefined): CustomMetadataRecord {
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
      { field: 'relay__IsMatchKey__c', value: m.isMatchKey },
    ],
  };
}

export async function saveMappings(
  deps: DeployDeps,
  mappingsJson: unknown,
  recordMode: unknown,
): Promise<{ jobId: string }> {
  const { org } = deps;
  const mappings = fromJson(mappingsJson);
  const [records, settings] = await Promise.all([fieldMappings(org), syncSettings(org)]);
  const existing = new Map(records.map((r) => [r.DeveloperName.toLowerCase(), r]));
  assignDeveloperNames(mappings, new Set(existing.keys()));

  // The set as it will be after saving: rows left out of the submission are deactivated.
  const dropped = new Map(existing);
  for (const m of mappings) dropped.delete((m.developerName ?? '').toLowerCase());
  const afterSave = [...mappings, ...[...dropped.values()].map((r) => ({ ...fromRecord(r), active: false }))];
  const currentMode = settingValue(settings, 'RecordMode', 'Lead');
  const mode = typeof recordMode === 'string' && recordMode.trim() ? recordMode.trim() : currentMode;

  const problems = shapeProblems(afterSave, mode);
  if (problems.length === 0) {
    const objects = new Set<string>(mode === 'ContactAccount' ? ['Contact', 'Account'] : ['Lead']);
    for (const m of afterSave) if (m.active && m.targetObject) objects.add(m.targetObject);
    const targetFields: Record<string, TargetField[]> = {};
    for (const name of objects) targetFields[name] = await targetFieldsOf(org, name);
    const result = (await mappingRules()).validateMappings(afterSave, {
      recordMode: mode,
      platformFields: PLATFORM_FIELDS.map((f) => ({ ...f })),
      targetFields,
    });
    result.rows.forEach((reasons, index) => {
      for (const reason of reasons) problems.push(`${displayName(afterSave[index]!)}: ${reason}`);
    });
    problems.push(...result.objects);
  }
  if (problems.length > 0) {
    const head =
      problems.length === 1
        ? 'The mappings were not saved because of 1 problem:'
        : `The mappings were not saved because of ${problems.length} problems:`;
    throw new PeopleError([head, ...problems.map((p) => `• ${p}`)].join('\n'));
  }

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
  return { jobId: enqueueDeployment(deps, SUBJECT_FIELD_MAPPINGS, container) };
}
