// `POST /__emulator/schema/{Type}/fields`: what an admin does in Setup → Object Manager, for tests —
// add a custom field, or change a field's length, requiredness, picklist values, whether its
// picklist is restricted, or whether the running user may create and edit it (field-level
// security). Describe reports the change at once and its Last-Modified moves, so a client holding
// a copy sees it with If-Modified-Since; writes enforce it like any other field.
import type { Org } from '../org.js';
import { field, type FieldDef, type FieldSpec, type FieldType, type ObjectDef } from '../schema/types.js';

/** What a change may set. Unknown members are refused, so a typo never passes silently. */
const CHANGEABLE = new Set([
  'name',
  'type',
  'label',
  'length',
  'precision',
  'scale',
  'digits',
  'nillable',
  'createable',
  'updateable',
  'defaultedOnCreate',
  'restrictedPicklist',
  'picklist',
]);

const TYPES: ReadonlySet<string> = new Set<FieldType>([
  'string',
  'textarea',
  'email',
  'phone',
  'url',
  'picklist',
  'multipicklist',
  'boolean',
  'int',
  'double',
  'currency',
  'percent',
  'date',
  'datetime',
]);

/** The refusal of a change, in the control plane's words; undefined when it can be applied. */
export function fieldChangeError(def: ObjectDef | undefined, body: Record<string, unknown>): string | undefined {
  if (!def) return 'unknown object';
  const unknown = Object.keys(body).filter((k) => !CHANGEABLE.has(k));
  if (unknown.length > 0) return `cannot set ${unknown.join(', ')} (allowed: ${[...CHANGEABLE].join(', ')})`;
  if (typeof body.name !== 'string' || !/^[A-Za-z][A-Za-z0-9_]*$/.test(body.name))
    return 'name must be a field API name';
  const existing = def.fieldMap.get(body.name.toLowerCase());
  if (!existing && !body.name.endsWith('__c')) return 'a new field must be a custom field (its name ends in __c)';
  if (!existing && !TYPES.has(String(body.type))) return `type must be one of ${[...TYPES].join(', ')}`;
  if (existing && body.type !== undefined && body.type !== existing.type) return 'the type of a field cannot change';
  if (
    body.picklist !== undefined &&
    (!Array.isArray(body.picklist) || body.picklist.some((v) => typeof v !== 'string'))
  )
    return 'picklist must be an array of values';
  return undefined;
}

/** Applies a checked change (fieldChangeError) and answers the field as describe now reports it. */
export function changeField(org: Org, def: ObjectDef, body: Record<string, unknown>): FieldDef {
  const name = String(body.name);
  const existing = def.fieldMap.get(name.toLowerCase());
  const { picklist, name: _name, type, ...props } = body;
  const values = (picklist as string[] | undefined) ?? existing?.picklistValues.map((p) => p.value);
  const base: FieldSpec = existing
    ? { ...existing, required: undefined as unknown as boolean }
    : { label: name.replace(/__c$/, '').replace(/_/g, ' '), custom: true };
  const changed = field(existing?.name ?? name, (existing?.type ?? type) as FieldType, {
    ...base,
    ...(props as FieldSpec),
    ...(values ? { picklist: values } : {}),
    ...(existing?.picklistValues.find((p) => p.defaultValue)
      ? { picklistDefault: existing.picklistValues.find((p) => p.defaultValue)!.value }
      : {}),
  });
  if (existing) def.fields[def.fields.indexOf(existing)] = changed;
  else def.fields.push(changed);
  def.fieldMap.set(changed.name.toLowerCase(), changed);
  // Describe's Last-Modified moves on whole seconds, never backwards.
  def.lastModified = new Date(Math.max(org.now().getTime(), def.lastModified.getTime() + 1000));
  return changed;
}
