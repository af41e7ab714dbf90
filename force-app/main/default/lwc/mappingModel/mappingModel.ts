// The mapping JSON as Apex reads it before any describe: FieldMappingModel's strict parsing of
// what the editor sends, its DeveloperNames for new mappings, and MappingValidationService's shape
// rules (names, missing values, objects, directions, record mode), worded as Apex words them. The
// editor names its new mappings with developerNameFor; the preview's saveMappings stand-in runs
// all of it, so it refuses what Apex refuses with Apex's message. `npm run check:parity` compares
// the limits with the Apex ones, and staticresources/RelayRuleCases.json runs against both.
//
// Only type imports (erased) and c/mappingCatalog: the preview loads this file as it is.
import type { MappingDirection } from 'c/relayTypes';
import { DIRECTIONS, RECORD_MODES, TARGET_OBJECTS } from 'c/mappingCatalog';

/** Most mappings one save may send (FieldMappingModel.MAX_MAPPINGS). */
export const MAX_MAPPINGS = 200;
/** Longest custom metadata record name. */
export const MAX_DEVELOPER_NAME = 40;
/** Longest platform field path (PlatformField__c is Text(255)). */
export const MAX_PLATFORM_FIELD = 255;
/** Longest object or field API name (TargetObject__c, TargetField__c are Text(80)). */
export const MAX_TARGET_NAME = 80;
/** A custom metadata record name: a letter first, then letters, digits and single underscores. */
export const DEVELOPER_NAME_PATTERN = '^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*$';

const DEVELOPER_NAME = new RegExp(DEVELOPER_NAME_PATTERN);

/** A mapping as FieldMappingModel holds it: any field may be missing before validation. */
export interface MappingModel {
  developerName: string | null;
  platformField: string | null;
  targetObject: string | null;
  targetField: string | null;
  direction: MappingDirection | string | null;
  valueMap: Record<string, string> | null;
  active: boolean;
  isMatchField: boolean;
}

/** A FieldMapping__mdt record's values, the value map still as its stored JSON text. */
export interface MappingRecordValues {
  developerName: string;
  platformField: string | null;
  targetObject: string | null;
  targetField: string | null;
  direction: string | null;
  valueMap: string | null;
  active: boolean | null;
  isMatchField: boolean | null;
}

export type Parsed = { ok: true; mappings: MappingModel[] } | { ok: false; message: string };

/** Thrown inside this module only; the message is FieldMappingModelException's. */
class ShapeError extends Error {}

/** How Apex writes a value into a message: null as "null". */
function text(value: unknown): string {
  return value === undefined ? 'null' : String(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toValueMap(value: unknown, name: string): Record<string, string> | null {
  if (value === null || value === undefined) {
    return null;
  }
  if (!isObject(value)) {
    throw new ShapeError(`${name}: valueMap must be a JSON object or null.`);
  }
  const result: Record<string, string> = {};
  for (const [key, target] of Object.entries(value)) {
    if (target === null || typeof target === 'object') {
      throw new ShapeError(`${name}: valueMap["${key}"] must be text, a number or true/false.`);
    }
    result[key] = String(target);
  }
  return Object.keys(result).length > 0 ? result : null;
}

function readString(values: Record<string, unknown>, key: string, name: string): string | null {
  const value = values[key];
  if (value === null || value === undefined) {
    return null;
  }
  if (typeof value !== 'string') {
    throw new ShapeError(`${name}: ${key} must be text.`);
  }
  return value.trim() === '' ? null : value.trim();
}

function readBoolean(values: Record<string, unknown>, key: string, name: string, fallback: boolean): boolean {
  const value = values[key];
  if (value === null || value === undefined) {
    return fallback;
  }
  if (typeof value !== 'boolean') {
    throw new ShapeError(`${name}: ${key} must be true or false.`);
  }
  return value;
}

function fromJsonItem(item: unknown, position: string): MappingModel {
  if (!isObject(item)) {
    throw new ShapeError(`${position} must be a JSON object.`);
  }
  const developerName = readString(item, 'developerName', position);
  const name = developerName ?? position;
  return {
    developerName,
    platformField: readString(item, 'platformField', name),
    targetObject: readString(item, 'targetObject', name),
    targetField: readString(item, 'targetField', name),
    direction: readString(item, 'direction', name),
    active: readBoolean(item, 'active', name, true),
    isMatchField: readBoolean(item, 'isMatchField', name, false),
    valueMap: toValueMap(item.valueMap, name),
  };
}

/**
 * The editor's JSON array of mappings, each property checked for its JSON type, never coerced
 * (FieldMappingModel.fromJson).
 * @example parseMappingsJson('{}') // { ok: false, message: 'The mappings must be a JSON array of mappings.' }
 */
export function parseMappingsJson(mappingsJson: unknown): Parsed {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof mappingsJson === 'string' ? mappingsJson : '');
  } catch (error) {
    return { ok: false, message: `The mappings are not valid JSON: ${(error as Error).message}` };
  }
  if (!Array.isArray(parsed)) {
    return { ok: false, message: 'The mappings must be a JSON array of mappings.' };
  }
  if (parsed.length > MAX_MAPPINGS) {
    return {
      ok: false,
      message: `At most ${MAX_MAPPINGS} mappings can be saved at once; ${parsed.length} were sent.`,
    };
  }
  try {
    return { ok: true, mappings: parsed.map((item: unknown, index) => fromJsonItem(item, `Mapping ${index + 1}`)) };
  } catch (error) {
    if (error instanceof ShapeError) {
      return { ok: false, message: error.message };
    }
    throw error;
  }
}

/**
 * A stored mapping (FieldMappingModel.fromRecord): a value map that is not a JSON object of
 * scalars reads as none, as the companion ignores it too, rather than failing the whole editor.
 */
export function mappingFromRecord(record: MappingRecordValues): MappingModel {
  let valueMap: Record<string, string> | null = null;
  if (record.valueMap !== null && record.valueMap.trim() !== '') {
    try {
      valueMap = toValueMap(JSON.parse(record.valueMap), record.developerName);
    } catch {
      valueMap = null;
    }
  }
  return {
    developerName: record.developerName,
    platformField: record.platformField,
    targetObject: record.targetObject,
    targetField: record.targetField,
    direction: record.direction,
    valueMap,
    active: record.active === true,
    isMatchField: record.isMatchField === true,
  };
}

function fit(name: string, room: number): string {
  const cut = name.slice(0, room);
  return cut.endsWith('_') ? cut.slice(0, -1) : cut;
}

/** `<Object>_<Field>` as a record name: non-alphanumerics become single underscores. */
function baseName(objectName: string | null, fieldName: string | null): string {
  const field = text(fieldName ?? null).replace(/__c$/i, '');
  let name = `${text(objectName ?? null)}_${field}`.replace(/[^A-Za-z0-9]+/g, '_').replace(/_+/g, '_');
  name = name.replace(/^_/, '').replace(/_$/, '');
  if (name === '' || !/^[A-Za-z]/.test(name)) {
    name = `Mapping_${name}`;
  }
  return fit(name, MAX_DEVELOPER_NAME);
}

/**
 * A DeveloperName for a new mapping, built from its target and not in `taken` (compared ignoring
 * case, as record names are unique): FieldMappingModel.assignDeveloperNames' rule.
 * @example developerNameFor('Task', 'relay__DurationSeconds__c', []) // 'Task_relay_DurationSeconds'
 */
export function developerNameFor(objectName: string | null, fieldName: string | null, taken: Iterable<string>): string {
  const used = new Set([...taken].map((n) => n.toLowerCase()));
  const base = baseName(objectName, fieldName);
  let candidate = base;
  for (let n = 2; used.has(candidate.toLowerCase()); n += 1) {
    const suffix = `_${n}`;
    candidate = `${fit(base, MAX_DEVELOPER_NAME - suffix.length)}${suffix}`;
  }
  return candidate;
}

/** Gives every mapping without a DeveloperName a new, unique one (names in `taken` are in use). */
export function assignDeveloperNames(mappings: MappingModel[], taken: Iterable<string>): void {
  const used = [...taken];
  for (const m of mappings) {
    if (m.developerName) {
      used.push(m.developerName);
    }
  }
  for (const m of mappings) {
    if (!m.developerName) {
      m.developerName = developerNameFor(m.targetObject, m.targetField, used);
      used.push(m.developerName);
    }
  }
}

/** How messages name a mapping: `Lead_Email (email → Lead.Email)` (FieldMappingModel.displayName). */
export function displayName(m: MappingModel): string {
  const name = m.developerName ? m.developerName : 'New mapping';
  return `${name} (${text(m.platformField)} → ${text(m.targetObject)}.${text(m.targetField)})`;
}

function isBlank(value: string | null): boolean {
  return value === null || value.trim() === '';
}

function nameProblem(m: MappingModel, seen: Set<string>): string | null {
  const dn = m.developerName;
  if (dn === null || isBlank(dn) || dn.length > MAX_DEVELOPER_NAME || dn.endsWith('_') || !DEVELOPER_NAME.test(dn)) {
    return `the developer name "${text(dn)}" must start with a letter, use only letters, digits and single underscores, not end with an underscore and have at most ${MAX_DEVELOPER_NAME} characters. [INVALID_NAME]`;
  }
  if (seen.has(dn.toLowerCase())) {
    return `another mapping has the developer name ${dn}. [DUPLICATE_NAME]`;
  }
  seen.add(dn.toLowerCase());
  return null;
}

/**
 * MappingValidationService's checks that need no describe, in its order and words: the record
 * mode, then per mapping its name, platform field, target field, object and direction.
 * @returns one line per problem, `<mapping>: <message> [<RULE>]`
 */
export function shapeProblems(mappings: MappingModel[], recordMode: string | null): string[] {
  const problems: string[] = [];
  if (!(RECORD_MODES as readonly (string | null)[]).includes(recordMode)) {
    problems.push(`Record mode: must be Lead or ContactAccount, not "${text(recordMode)}". [INVALID_RECORD_MODE]`);
  }
  const seen = new Set<string>();
  const directions = DIRECTIONS.map((d) => d.value as string);
  for (const m of mappings) {
    const name = displayName(m);
    const naming = nameProblem(m, seen);
    if (naming) {
      problems.push(`${name}: ${naming}`);
    }
    if (m.platformField === null || isBlank(m.platformField) || m.platformField.length > MAX_PLATFORM_FIELD) {
      problems.push(
        `${name}: a platform field of at most ${MAX_PLATFORM_FIELD} characters is required. [MISSING_VALUE]`,
      );
    }
    if (m.targetField === null || isBlank(m.targetField) || m.targetField.length > MAX_TARGET_NAME) {
      problems.push(`${name}: a target field is required. [MISSING_VALUE]`);
    }
    if (m.targetObject === null || !TARGET_OBJECTS.includes(m.targetObject)) {
      problems.push(
        `${name}: Relay writes ${TARGET_OBJECTS.join(', ')} only, not "${text(m.targetObject)}". [UNKNOWN_OBJECT]`,
      );
    }
    if (m.direction === null || !directions.includes(m.direction)) {
      problems.push(
        `${name}: direction must be ${directions.join(', ')}, not "${text(m.direction)}". [INVALID_DIRECTION]`,
      );
    }
  }
  return problems;
}

/** MappingValidationService.validateOrThrow's message for a set that cannot be saved. */
export function refusalMessage(problems: readonly string[]): string {
  const head =
    problems.length === 1
      ? 'The mappings were not saved because of 1 problem:'
      : `The mappings were not saved because of ${problems.length} problems:`;
  return [head, ...problems.map((p) => `• ${p}`)].join('\n');
}
