// Schema describe as the Apex controllers return it. The REST describe the preview reads spells
// types in lower case (`string`, `int`); Apex's `String.valueOf(DescribeFieldResult.getType())`
// gives the Schema.DisplayType name in upper case (`STRING`, `INTEGER`), which is what the LWCs
// receive from an org.
/// <reference path="../../../../types/apex.d.ts" />
import type { TargetField } from 'c/relayTypes';
import { mappingCatalog } from '../../sync/settings.js';
import type { DescribeField, PreviewOrg } from '../org.js';

/** FieldMappingController.UNMAPPABLE_TYPES: the package's list (c/mappingCatalog). */
const UNMAPPABLE_TYPES: ReadonlySet<string> = new Set(mappingCatalog.UNMAPPABLE_FIELD_TYPES);

export function displayType(restType: string): string {
  const t = restType.toLowerCase();
  return t === 'int' ? 'INTEGER' : t.toUpperCase();
}

/** MappingValidationService.isRequiredOnCreate. */
export function isRequiredOnCreate(field: DescribeField): boolean {
  return field.createable && !field.nillable && !field.defaultedOnCreate;
}

/** FieldMappingController.describeField. */
export function toTargetField(field: DescribeField): TargetField {
  return {
    name: field.name,
    label: field.label,
    type: displayType(field.type),
    length: field.length,
    createable: field.createable,
    updateable: field.updateable,
    calculated: field.calculated,
    nillable: field.nillable,
    required: isRequiredOnCreate(field),
    restrictedPicklist: field.restrictedPicklist === true,
    picklistValues: (field.picklistValues ?? [])
      .filter((p) => p.active)
      .map((p) => ({ value: p.value, label: p.label })),
  };
}

/** FieldMappingController.getTargetFields' list: mappable fields sorted by label, then name. */
export async function targetFieldsOf(org: PreviewOrg, objectName: string): Promise<TargetField[]> {
  const describe = await org.describe(objectName);
  return describe.fields
    .filter((f) => !UNMAPPABLE_TYPES.has(displayType(f.type)))
    .map((f) => ({ key: `${f.label.toLowerCase()}|${f.name}`, field: toTargetField(f) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((entry) => entry.field);
}
