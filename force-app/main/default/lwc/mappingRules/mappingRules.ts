// The field mapping editor's validation: every rule that makes Salesforce reject a mapping (or
// makes Relay unable to match people), checked in the browser before any Apex call, with a reason
// per row that an admin can act on. Pure functions over the editor's rows and the org's describe
// (FieldMappingController.getTargetFields), so each rule is unit-tested without a DOM.
//
// The rules mirror MappingValidationService, which checks the same set again in Apex: a mapping
// "writes Salesforce" unless its direction is Salesforce to platform, and Relay both creates and
// updates records (upserts, visit re-syncs), so a written target must be createable, updateable
// and not calculated; a Salesforce-to-platform mapping only reads its field.
import type { Mapping, PlatformField, RecordMode, TargetField } from 'c/relayTypes';
import { DIRECTIONS, OBJECTS_OF_MODE, PERSON_OBJECTS, sendsToPlatform, writesSalesforce } from 'c/mappingCatalog';
import { developerNameFor } from 'c/mappingModel';

export { DIRECTIONS, OBJECTS_OF_MODE, developerNameFor };

export interface MappingContext {
  recordMode: RecordMode;
  platformFields: PlatformField[];
  /** Describe of each target object by API name; undefined while it loads or when it failed. */
  targetFields: Record<string, TargetField[] | undefined>;
}

export interface MappingValidation {
  valid: boolean;
  /** Reasons per row, in the order of the rows given (empty array: the row is fine). */
  rows: string[][];
  /** Reasons about the set as a whole: required fields left unmapped, no match key. */
  objects: string[];
}

/** Salesforce field types whose length limits a text value (MappingValidationService.TEXT_TYPES). */
export const TEXT_TYPES: ReadonlySet<string> = new Set([
  'string',
  'textarea',
  'email',
  'phone',
  'url',
  'encryptedstring',
]);
/** Picklist types (MappingValidationService.PICKLIST_TYPES). */
export const PICKLIST_TYPES: ReadonlySet<string> = new Set(['picklist', 'multipicklist']);

/**
 * Salesforce field types (Schema.DisplayType, lower case) that can store each platform type
 * (PlatformFieldCatalog's types, lower case): MappingValidationService's COMPATIBLE_TYPES, so the
 * browser and Apex refuse the same mappings (`npm run check:parity` compares the two). A platform
 * field of a type not listed here (the companion accepts any field name) is not type-checked.
 */
export const COMPATIBLE_TYPES: Readonly<Record<string, ReadonlySet<string>>> = {
  text: new Set(['string', 'textarea', 'encryptedstring', 'combobox', 'picklist', 'multipicklist']),
  email: new Set(['email', 'string', 'textarea']),
  phone: new Set(['phone', 'string']),
  url: new Set(['url', 'string', 'textarea']),
  number: new Set(['double', 'integer', 'long', 'currency', 'percent', 'string']),
  boolean: new Set(['boolean', 'string']),
  picklist: new Set(['picklist', 'multipicklist', 'combobox', 'string', 'textarea']),
  datetime: new Set(['datetime', 'date', 'string']),
};

const TYPE_NAMES: Record<string, string> = {
  string: 'text',
  text: 'text',
  textarea: 'long text',
  email: 'email',
  phone: 'phone',
  url: 'URL',
  picklist: 'picklist',
  multipicklist: 'multi-select picklist',
  combobox: 'combobox',
  encryptedstring: 'encrypted text',
  number: 'number',
  double: 'number',
  integer: 'number',
  long: 'number',
  currency: 'currency',
  percent: 'percent',
  boolean: 'checkbox',
  date: 'date',
  datetime: 'date/time',
  time: 'time',
  reference: 'lookup',
  id: 'record id',
  address: 'address',
  location: 'geolocation',
  base64: 'file',
};

function normaliseType(type: string | null | undefined): string {
  return (type ?? '').trim().toLowerCase();
}

/** A type as an admin reads it: "checkbox", "date/time", "lookup". */
export function typeName(type: string | null | undefined): string {
  const t = normaliseType(type);
  return TYPE_NAMES[t] ?? (t || 'unknown');
}

/** Targets whose values the editor maps value by value (picklists and checkboxes). */
export function hasValueMapEditor(target: TargetField | undefined | null): boolean {
  const t = normaliseType(target?.type);
  return PICKLIST_TYPES.has(t) || t === 'boolean';
}

/** Whether Salesforce accepts the platform type's values in a field of the target type. */
export function isCompatible(
  platformType: string | null | undefined,
  targetType: string,
  valueMapped: boolean,
): boolean {
  const allowed = COMPATIBLE_TYPES[normaliseType(platformType)];
  const target = normaliseType(targetType);
  if (!allowed || allowed.has(target)) {
    return true;
  }
  return valueMapped && (PICKLIST_TYPES.has(target) || target === 'boolean');
}

function hasEntries(valueMap: Record<string, string> | null | undefined): boolean {
  return !!valueMap && Object.keys(valueMap).length > 0;
}

function findField(fields: TargetField[], name: string): TargetField | undefined {
  const lower = name.toLowerCase();
  return fields.find((f) => f.name.toLowerCase() === lower);
}

function withArticle(noun: string): string {
  return /^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function isEmailOrPhone(type: string | null | undefined): boolean {
  const t = normaliseType(type);
  return t === 'email' || t === 'phone';
}

/** A match key must carry an email or phone: the platform field's type or the target's says so. */
function isMatchFieldCapable(platform: PlatformField | undefined, target: TargetField | undefined): boolean {
  return isEmailOrPhone(platform?.type) || isEmailOrPhone(target?.type);
}

function checkValueMap(mapping: Mapping, target: TargetField, qualified: string): string[] {
  const reasons: string[] = [];
  const t = normaliseType(target.type);
  // Checkboxes take true/false and restricted picklists only their values; other picklists accept
  // any value, as MappingValidationService allows.
  let allowed: string[] | null = null;
  if (t === 'boolean') {
    allowed = ['true', 'false'];
  } else if (PICKLIST_TYPES.has(t) && target.restrictedPicklist) {
    allowed = (target.picklistValues ?? []).map((p) => p.value);
  }
  for (const [platformValue, salesforceValue] of Object.entries(mapping.valueMap ?? {})) {
    if (!platformValue.trim()) {
      reasons.push('Value map: every row needs a platform value.');
    } else if (!salesforceValue) {
      reasons.push(`Value map: choose the Salesforce value for platform value "${platformValue}".`);
    } else if (allowed && !allowed.includes(salesforceValue)) {
      reasons.push(
        `Value map: "${platformValue}" becomes "${salesforceValue}", which ${qualified} doesn't accept (allowed: ${allowed.join(', ')}).`,
      );
    }
  }
  return reasons;
}

function checkRow(mapping: Mapping, ctx: MappingContext): string[] {
  const reasons: string[] = [];
  if (!mapping.platformField) {
    reasons.push('Choose a platform field.');
  }
  if (!mapping.targetObject) {
    reasons.push('Choose a target object.');
  }
  if (!mapping.targetField) {
    reasons.push('Choose a target field.');
  }
  if (reasons.length > 0 || !mapping.active) {
    // Inactive mappings are kept but never applied, so Salesforce never sees them.
    return reasons;
  }
  const fields = ctx.targetFields[mapping.targetObject];
  if (!fields) {
    return [`The fields of ${mapping.targetObject} are not loaded yet; wait or reload the page.`];
  }
  const qualified = `${mapping.targetObject}.${mapping.targetField}`;
  const target = findField(fields, mapping.targetField);
  if (!target) {
    return [`${mapping.targetObject} has no field ${mapping.targetField} that you can see.`];
  }
  const platform = ctx.platformFields.find((p) => p.name === mapping.platformField);
  const platformLabel = platform ? platform.label : mapping.platformField;

  if (mapping.isMatchField && !isMatchFieldCapable(platform, target)) {
    reasons.push('A match key must map an email or phone field; uncheck Match key or map email or phone.');
  }
  if (!writesSalesforce(mapping.direction)) {
    // Only read: describe lists just the fields the admin can read; the platform's rules remain.
    if (target.calculated && sendsToPlatform(mapping.direction)) {
      reasons.push(
        `${qualified} is a formula or roll-up field: Salesforce calculates it, and the platform takes no calculated values, so Relay never sends it. Map the fields it is calculated from instead.`,
      );
    }
    return reasons;
  }

  const readOnlyHint = ' Use the Salesforce to platform direction or pick another field.';
  if (target.calculated) {
    reasons.push(
      `${qualified} is a formula or roll-up field: Salesforce computes it and rejects writes, and the platform takes no calculated values. Pick another field.`,
    );
    return reasons;
  }
  if (!target.createable) {
    reasons.push(`${qualified} can't be set when a record is created (not createable).${readOnlyHint}`);
  }
  if (!target.updateable) {
    const direction = DIRECTIONS.find((d) => d.value === mapping.direction)?.label ?? mapping.direction;
    reasons.push(
      `${qualified} can't be changed once a record exists (not updateable), and ${direction} updates existing records.${readOnlyHint}`,
    );
  }

  const t = normaliseType(target.type);
  const valueMapped = hasEntries(mapping.valueMap);
  if (!isCompatible(platform?.type, t, valueMapped)) {
    const hint = hasValueMapEditor(target)
      ? ' Add a value map to translate them.'
      : ' Pick a field of a matching type.';
    reasons.push(
      `Type mismatch: ${qualified} is a ${typeName(t)} field; the platform's ${platformLabel} sends ${typeName(platform?.type)} values.${hint}`,
    );
    return reasons;
  }
  if (
    target.restrictedPicklist &&
    PICKLIST_TYPES.has(t) &&
    !valueMapped &&
    normaliseType(platform?.type) !== 'picklist'
  ) {
    reasons.push(
      `${qualified} is a restricted picklist and rejects values it doesn't list; add a value map from platform values to its values.`,
    );
  }
  if (hasValueMapEditor(target)) {
    reasons.push(...checkValueMap(mapping, target, qualified));
  }
  if (TEXT_TYPES.has(t) && target.length && platform?.maxLength && target.length < platform.maxLength) {
    reasons.push(
      `${qualified} holds at most ${target.length} characters but the platform's ${platformLabel} can be ${platform.maxLength} long. Pick a longer field.`,
    );
  }
  return reasons;
}

function checkDuplicates(mappings: Mapping[], rows: string[][]): void {
  const seen = new Map<string, number>();
  mappings.forEach((m, index) => {
    if (!m.active || !m.targetObject || !m.targetField || !writesSalesforce(m.direction)) {
      return;
    }
    const key = `${m.targetObject}.${m.targetField}`.toLowerCase();
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, index);
    } else {
      rows[index].push(`Row ${first + 1} already writes ${m.targetObject}.${m.targetField}; deactivate one of them.`);
    }
  });
}

function checkObjects(mappings: Mapping[], ctx: MappingContext): string[] {
  const reasons: string[] = [];
  const created = OBJECTS_OF_MODE[ctx.recordMode] ?? [];
  for (const objectName of created) {
    const fields = ctx.targetFields[objectName];
    if (!fields) {
      reasons.push(`The fields of ${objectName} are not loaded yet; wait or reload the page.`);
      continue;
    }
    const written = new Set(
      mappings
        .filter((m) => m.active && m.targetObject === objectName && m.targetField && writesSalesforce(m.direction))
        .map((m) => m.targetField.toLowerCase()),
    );
    for (const field of fields.filter((f) => f.required)) {
      if (!written.has(field.name.toLowerCase())) {
        reasons.push(
          `${objectName}.${field.name} (${field.label}) is required to create ${withArticle(objectName)}; map an active platform field to it.`,
        );
      }
    }
  }
  // People are matched among the objects Relay creates and any other person object a mapping uses.
  const people = new Set([...created, ...mappings.filter((m) => m.active).map((m) => m.targetObject)]);
  for (const objectName of [...people].filter((o) => PERSON_OBJECTS.includes(o)).sort()) {
    const fields = ctx.targetFields[objectName] ?? [];
    const hasKey = mappings.some(
      (m) =>
        m.active &&
        m.isMatchField &&
        m.targetObject === objectName &&
        isMatchFieldCapable(
          ctx.platformFields.find((p) => p.name === m.platformField),
          findField(fields, m.targetField),
        ),
    );
    if (!hasKey) {
      reasons.push(
        `No active ${objectName} mapping is a match key, so Relay couldn't find people among ${objectName}s; mark the email (or phone) mapping as the match key.`,
      );
    }
  }
  return reasons;
}

/**
 * Checks every mapping row, and the set as a whole for the record mode.
 * @example validateMappings(rows, { recordMode: 'Lead', platformFields, targetFields: { Lead } }).valid
 */
export function validateMappings(mappings: Mapping[], ctx: MappingContext): MappingValidation {
  const rows = mappings.map((m) => checkRow(m, ctx));
  checkDuplicates(mappings, rows);
  const objects = checkObjects(mappings, ctx);
  const valid = objects.length === 0 && rows.every((r) => r.length === 0);
  return { valid, rows, objects };
}

/** The mappings as saveMappings expects them: DeveloperNames filled, empty value maps as null. */
export function toSavedMappings(mappings: Mapping[]): Mapping[] {
  const taken = mappings.map((m) => m.developerName).filter((n): n is string => !!n);
  return mappings.map((m) => {
    let developerName = m.developerName;
    if (!developerName) {
      developerName = developerNameFor(m.targetObject, m.targetField, taken);
      taken.push(developerName);
    }
    return {
      developerName,
      platformField: m.platformField,
      targetObject: m.targetObject,
      targetField: m.targetField,
      direction: m.direction,
      valueMap: hasEntries(m.valueMap) ? { ...m.valueMap } : null,
      active: m.active,
      isMatchField: m.isMatchField,
    };
  });
}
