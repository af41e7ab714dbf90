// Layout describes of an sObject: `describe/layouts` (and one by record type id), `namedLayouts`,
// `describe/compactLayouts` and `describe/approvalLayouts`. The org has one page layout per object
// (no record types), generated from its describe: an "<Object> Information" section with the
// fields a user edits, a "System Information" section with the audit fields, and the standard
// Edit/Delete buttons; the compact layout shows the name field and the owner. Shapes: REST API
// Developer Guide, "sObject Describe Layouts", "Compact Layouts" and "Approval Layouts" (the
// DescribeLayoutResult, DescribeCompactLayoutsResult and DescribeApprovalLayoutResult types).
import { describeField } from '../schema/describe.js';
import type { FieldDef, ObjectDef } from '../schema/types.js';
import { fail, json, notFound, type RestCall, type RestResponse } from './http.js';
import type { RestRouter } from './router.js';

const SYSTEM_FIELDS = new Set(['CreatedById', 'LastModifiedById']);
/** Layout object ids are 00h (page layout), 0AH (compact layout), 01B (section). */
function layoutId(prefix: string, def: ObjectDef): string {
  const body = `${prefix}5g${def.keyPrefix}0000001`;
  return body.slice(0, 15);
}

function component(f: FieldDef, tabOrder: number): Record<string, unknown> {
  return { details: describeField(f), displayLines: 1, tabOrder, type: 'Field', value: f.name };
}

function item(f: FieldDef, tabOrder: number, editable: boolean): Record<string, unknown> {
  return {
    editableForNew: editable && f.createable,
    editableForUpdate: editable && f.updateable,
    label: f.label,
    layoutComponents: [component(f, tabOrder)],
    placeholder: false,
    required: f.required,
  };
}

function section(def: ObjectDef, heading: string, fields: FieldDef[], editable: boolean, n: number) {
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < fields.length; i += 2) {
    const pair = fields.slice(i, i + 2).map((f, k) => item(f, i + k + 1, editable));
    rows.push({ layoutItems: pair, numItems: pair.length });
  }
  return {
    collapsed: false,
    columns: 2,
    heading,
    layoutRows: rows,
    layoutSectionId: `01B5g${def.keyPrefix}00000${n}`.slice(0, 15),
    parentLayoutId: layoutId('00h', def),
    rows: rows.length,
    tabOrder: 'TopToBottom',
    useCollapsibleSection: false,
    useHeading: true,
  };
}

/** The fields a page layout shows: editable ones, the name, and the owner. */
function layoutFields(def: ObjectDef): FieldDef[] {
  return def.fields.filter(
    (f) =>
      !SYSTEM_FIELDS.has(f.name) &&
      f.type !== 'id' &&
      !f.compoundFieldName &&
      (f.createable || f.updateable || f.nameField) &&
      !f.name.startsWith('Recurrence') &&
      f.name !== 'MasterRecordId',
  );
}

function button(name: string, label: string): Record<string, unknown> {
  return {
    behavior: null,
    colors: null,
    content: null,
    contentSource: null,
    custom: false,
    encoding: null,
    height: null,
    icons: null,
    label,
    menubar: false,
    name,
    overridden: false,
    resizeable: false,
    scrollbars: false,
    showsLocation: false,
    showsStatus: false,
    toolbar: false,
    url: null,
    width: null,
    windowPosition: null,
  };
}

export function pageLayout(def: ObjectDef): Record<string, unknown> {
  const fields = layoutFields(def);
  const system = def.fields.filter((f) => SYSTEM_FIELDS.has(f.name));
  const detail = [
    section(def, `${def.label} Information`, fields, false, 1),
    section(def, 'System Information', system, false, 2),
  ];
  const edit = [section(def, `${def.label} Information`, fields, true, 1)];
  return {
    buttonLayoutSection: { detailButtons: [button('Edit', 'Edit'), button('Delete', 'Delete')] },
    detailLayoutSections: detail,
    editLayoutSections: edit,
    feedView: null,
    highlightsPanelLayoutSection: null,
    id: layoutId('00h', def),
    multirowEditLayoutSections: [],
    offlineLinks: [],
    quickActionList: { quickActionListItems: [] },
    relatedContent: null,
    relatedLists: [],
    saveOptions: [],
  };
}

function typeOf(call: RestCall): ObjectDef | undefined {
  const def = call.ctx.org.describe(call.params.type ?? '');
  return def && def.layoutable && !def.customMetadata ? def : undefined;
}

function layouts(call: RestCall): RestResponse {
  const def = typeOf(call);
  if (!def) return notFound();
  // Without record types the answer carries one layout and no mappings.
  return json(200, { layouts: [pageLayout(def)], recordTypeMappings: [], recordTypeSelectorRequired: [false] });
}

function layoutForRecordType(call: RestCall): RestResponse {
  const def = typeOf(call);
  if (!def) return notFound();
  // The org has no record types; the master record type id 012000000000000AAA is the only one.
  if (!/^012000000000000(AAA)?$/.test(call.params.recordTypeId ?? '')) return notFound();
  return json(200, pageLayout(def));
}

function namedLayout(call: RestCall): RestResponse {
  const def = typeOf(call);
  // User's alternate layout (UserAlt) is the named layout Salesforce ships.
  if (!def || def.name !== 'User' || (call.params.name ?? '').toLowerCase() !== 'useralt') return notFound();
  return json(200, { layouts: [pageLayout(def)], recordTypeMappings: [], recordTypeSelectorRequired: [false] });
}

function compactLayouts(call: RestCall): RestResponse {
  const def = typeOf(call);
  if (!def) return notFound();
  const shown = def.fields.filter((f) => f.nameField || f.name === 'OwnerId' || f.name === 'Phone').slice(0, 4);
  const id = layoutId('0AH', def);
  const layout = {
    actions: [button('Edit', 'Edit'), button('Delete', 'Delete')],
    fieldItems: shown.map((f, i) => item(f, i + 1, false)),
    id: null,
    imageItems: [],
    label: 'System Default',
    name: 'SYSTEM',
    objectType: def.name,
  };
  return json(200, {
    compactLayouts: [layout],
    defaultCompactLayoutId: id,
    recordTypeCompactLayoutMappings: [],
  });
}

function approvalLayouts(call: RestCall): RestResponse {
  const def = typeOf(call);
  if (!def) return notFound();
  // No approval processes run in the emulator, so no object has an approval layout.
  return json(200, { approvalLayouts: [] });
}

/** Salesforce's 404 text, naming the resource the emulator does not serve. */
export function unservedMessage(path: string): string {
  return `The requested resource does not exist: ${path} is not served by the emulator`;
}

/** A describe sub-resource the emulator does not serve: say which one, never a misleading error. */
export function unsupported(call: RestCall): RestResponse {
  return fail(404, 'NOT_FOUND', unservedMessage(call.path));
}

/** sObject sub-resources Salesforce serves and the emulator does not. */
const UNSERVED_SOBJECT_RESOURCES = [
  'quickActions',
  'defaultValues',
  'eventSchema',
  'richTextImageFields',
  'relationships',
  'suggestedArticles',
  'platformaction',
  'userPassword',
];

export function registerLayoutRoutes(router: RestRouter): void {
  for (const name of UNSERVED_SOBJECT_RESOURCES) {
    router.add('GET', `/sobjects/:type/${name}`, unsupported).add('GET', `/sobjects/:type/${name}/:more`, unsupported);
  }
  router
    .add('GET', '/sobjects/:type/describe/layouts', layouts)
    .add('GET', '/sobjects/:type/describe/layouts/:recordTypeId', layoutForRecordType)
    .add('GET', '/sobjects/:type/describe/namedLayouts/:name', namedLayout)
    .add('GET', '/sobjects/:type/describe/compactLayouts', compactLayouts)
    .add('GET', '/sobjects/:type/describe/compactLayouts/primary', compactLayouts)
    .add('GET', '/sobjects/:type/describe/approvalLayouts', approvalLayouts)
    .add('GET', '/sobjects/:type/describe/:resource', unsupported)
    .add('GET', '/sobjects/:type/describe/:resource/:name', unsupported);
}
