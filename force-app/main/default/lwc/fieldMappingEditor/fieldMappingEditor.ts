// Setup → Field mappings: which platform field goes to which Salesforce object.field, in which
// direction, with value maps for picklists and checkboxes, in Lead or Contact + Account mode. The
// mappings are grouped by the object they write (Lead, Contact, Account, Task: the order of
// c/mappingCatalog's TARGET_OBJECTS), each group a section with a heading and a table whose
// columns line up with the other groups' (stacked on a narrow screen); Direction and Match key
// explain themselves in help text.
// Target pickers list the org's own fields (FieldMappingController.getTargetFields, Schema
// describe). Save checks every rule of c/mappingRules first and calls Apex only when nothing would
// be rejected; then it follows the metadata deployment to its result.
import { LightningElement, api } from 'lwc';
import getMappingEditor from '@salesforce/apex/FieldMappingController.getMappingEditor';
import getTargetFields from '@salesforce/apex/FieldMappingController.getTargetFields';
import saveMappings from '@salesforce/apex/FieldMappingController.saveMappings';
import type {
  MappableObject,
  Mapping,
  MappingDirection,
  PicklistValue,
  PlatformField,
  RecordMode,
  TargetField,
} from 'c/relayTypes';
import {
  DIRECTIONS,
  OBJECTS_OF_MODE,
  hasValueMapEditor,
  toSavedMappings,
  typeName,
  validateMappings,
} from 'c/mappingRules';
import type { MappingValidation } from 'c/mappingRules';
import type { DeploymentCompleteDetail } from 'c/deploymentStatus';
import type { ValueMapChangeDetail } from 'c/valueMapEditor';
import { revealAndFocus, selectorValue, type FocusRequest } from 'c/focusTarget';
import { PERSON_OBJECTS, TARGET_OBJECTS, directionsExplained } from 'c/mappingCatalog';

interface Row extends Mapping {
  key: string;
}

type RowField = 'platformField' | 'targetField' | 'direction' | 'active' | 'isMatchField';

const ROW_FIELDS: ReadonlySet<string> = new Set([
  'platformField',
  'targetField',
  'direction',
  'active',
  'isMatchField',
]);

const RECORD_MODES: ReadonlyArray<{ label: string; value: RecordMode }> = [
  { label: 'Leads', value: 'Lead' },
  { label: 'Contacts and Accounts', value: 'ContactAccount' },
];

/** Help for the Match key column: what it does, in plain words. */
export const MATCH_KEY_HELP =
  'The match key is how Relay finds the person an event is about: before it creates a Lead or Contact, it looks ' +
  "for one whose mapped field holds the platform's value. Check it on one active email (or phone) mapping of " +
  'each person object. Accounts are found by name and Tasks by the activity, so they have no match key.';

/** What each group says under its heading. */
const GROUP_NOTES: Record<string, string> = {
  Lead: 'Used when Relay creates Leads for new prospects and sign-ups, and to keep those Leads up to date.',
  Contact: 'Used when Relay creates Contacts (with their Accounts), and to keep known Contacts up to date.',
  Account: "Used for the Account of a new Contact. Accounts are found by name, so they don't need a match key.",
  Task:
    "An activity's details (document name, duration, share viewed, statistics link, channel) go into its Task's " +
    'Description; an active Task mapping puts one into a Task field instead.',
};

const BOOLEAN_VALUES: PicklistValue[] = [
  { label: 'true (checked)', value: 'true' },
  { label: 'false (unchecked)', value: 'false' },
];

function isRecordMode(value: unknown): value is RecordMode {
  return value === 'Lead' || value === 'ContactAccount';
}

function isRowField(value: string | undefined): value is RowField {
  return value !== undefined && ROW_FIELDS.has(value);
}

function isDirection(value: unknown): value is MappingDirection {
  return DIRECTIONS.some((d) => d.value === value);
}

function dataOf(event: Event): DOMStringMap {
  const target = event.currentTarget;
  return target instanceof HTMLElement ? target.dataset : {};
}

let rowCounter = 0;

function toRow(mapping: Mapping): Row {
  rowCounter += 1;
  return { ...mapping, valueMap: mapping.valueMap ? { ...mapping.valueMap } : null, key: `row-${rowCounter}` };
}

/** The rows in the order of their groups (stable within a group), so row numbers follow the page. */
function inGroupOrder(rows: Row[], order: readonly string[]): Row[] {
  const rank = (row: Row) => {
    const index = order.indexOf(row.targetObject);
    return index === -1 ? order.length : index;
  };
  return rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => rank(a.row) - rank(b.row) || a.index - b.index)
    .map((entry) => entry.row);
}

export default class FieldMappingEditor extends LightningElement {
  rows: Row[] = [];
  recordMode: RecordMode = 'Lead';
  objects: MappableObject[] = [];
  platformFields: PlatformField[] = [];
  targetFields: Record<string, TargetField[] | undefined> = {};
  fieldLoadErrors: Record<string, unknown> = {};
  loadingObjects: string[] = [];

  isLoading = false;
  loadError: unknown = null;
  /** Errors are shown once the admin tried to save, then kept live while they edit. */
  showValidation = false;
  saving = false;
  saveError: unknown = null;
  jobId: string | null = null;
  /** Where the deployment's end is announced (the save answer says which channel). */
  deploymentChannel: string | null = null;
  deploying = false;
  /** A mapping another page asked to show (Sync health's fix), focused once it is rendered. */
  private focusWanted: FocusRequest | null = null;

  /** Brings the first mapping that writes the named Salesforce field into view and focuses it. */
  @api
  get focusField(): FocusRequest | null {
    return this.focusWanted;
  }
  set focusField(request: FocusRequest | null) {
    this.focusWanted = request?.name ? request : null;
  }

  override connectedCallback(): void {
    this.load();
  }

  override renderedCallback(): void {
    if (!this.focusWanted || !this.hasData) return;
    const field = selectorValue(this.focusWanted.name.toLowerCase());
    this.focusWanted = null;
    revealAndFocus(this.template, `tr[data-target-field="${field}"] lightning-combobox[data-field="targetField"]`);
  }

  async load(): Promise<void> {
    this.isLoading = true;
    this.loadError = null;
    try {
      const editor = await getMappingEditor();
      this.recordMode = isRecordMode(editor.recordMode) ? editor.recordMode : 'Lead';
      this.objects = editor.objects ?? [];
      this.platformFields = editor.platformFields ?? [];
      this.rows = inGroupOrder((editor.mappings ?? []).map(toRow), this.groupOrder);
      this.showValidation = false;
      await this.loadFieldsOf(this.objectsNeeded());
    } catch (error) {
      this.loadError = error;
    } finally {
      this.isLoading = false;
    }
  }

  /** Objects whose describe the editor needs: those of the record mode and of every row. */
  private objectsNeeded(): string[] {
    const names = new Set<string>(OBJECTS_OF_MODE[this.recordMode]);
    for (const row of this.rows) {
      if (row.targetObject) {
        names.add(row.targetObject);
      }
    }
    return [...names];
  }

  private async loadFieldsOf(objectNames: string[]): Promise<void> {
    const missing = objectNames.filter((name) => !this.targetFields[name] && !this.loadingObjects.includes(name));
    if (missing.length === 0) {
      return;
    }
    this.loadingObjects = [...this.loadingObjects, ...missing];
    await Promise.all(
      missing.map(async (objectName) => {
        try {
          const fields = await getTargetFields({ objectName });
          this.targetFields = { ...this.targetFields, [objectName]: fields };
          this.fieldLoadErrors = Object.fromEntries(
            Object.entries(this.fieldLoadErrors).filter(([name]) => name !== objectName),
          );
        } catch (error) {
          this.fieldLoadErrors = { ...this.fieldLoadErrors, [objectName]: error };
        } finally {
          this.loadingObjects = this.loadingObjects.filter((name) => name !== objectName);
        }
      }),
    );
  }

  // ---- view model -------------------------------------------------------------------------------

  get hasData(): boolean {
    return !this.isLoading && !this.loadError;
  }

  get showSpinner(): boolean {
    return this.isLoading;
  }

  get recordModeOptions() {
    return RECORD_MODES;
  }

  get directionOptions() {
    return DIRECTIONS;
  }

  /** Every direction in plain words (c/mappingCatalog), for the Direction column's help text. */
  get directionHelp(): string {
    return directionsExplained();
  }

  get matchKeyHelp(): string {
    return MATCH_KEY_HELP;
  }

  /** The objects mappings are grouped by: the org's mappable objects, then any other a row names. */
  get groupOrder(): string[] {
    const names = this.objects.length > 0 ? this.objects.map((o) => o.name) : [...TARGET_OBJECTS];
    for (const row of this.rows) {
      if (row.targetObject && !names.includes(row.targetObject)) {
        names.push(row.targetObject);
      }
    }
    return names;
  }

  /** One section per object, with its rows and what it is for. */
  get groups() {
    const views = this.rowViews;
    const modeLabel = RECORD_MODES.find((m) => m.value === this.recordMode)?.label ?? this.recordMode;
    return this.groupOrder.map((name) => {
      const label = this.objects.find((o) => o.name === name)?.label ?? name;
      const rows = views.filter((v) => v.targetObject === name);
      const notInMode = !this.isUsedInMode(name);
      return {
        key: `group-${name}`,
        name,
        title: `${label} mappings`,
        headingId: `mappings-${name}`,
        fieldHeading: `${label} field`,
        note: GROUP_NOTES[name] ?? '',
        notInMode,
        notInModeLabel: `Not used with ${modeLabel}`,
        addLabel: `Add ${label} mapping`,
        emptyText: `No ${label} mappings.`,
        noMatchKey: `${label} mappings have no match key`,
        rows,
        hasRows: rows.length > 0,
      };
    });
  }

  /** Whether the record mode uses an object's mappings (Tasks and objects no mode creates: always). */
  private isUsedInMode(objectName: string): boolean {
    return (
      objectName === 'Task' ||
      this.objectsInUse.includes(objectName) ||
      !Object.values(OBJECTS_OF_MODE).some((objects) => objects.includes(objectName))
    );
  }

  get platformFieldOptions() {
    const options = this.platformFields.map((p) => ({ label: `${p.label} (${p.name})`, value: p.name }));
    // A stored mapping may use a field the catalog does not list; keep it choosable.
    for (const row of this.rows) {
      if (row.platformField && !options.some((o) => o.value === row.platformField)) {
        options.push({ label: row.platformField, value: row.platformField });
      }
    }
    return options;
  }

  get objectsInUse(): readonly string[] {
    return OBJECTS_OF_MODE[this.recordMode];
  }

  get modeHelp(): string {
    return this.recordMode === 'Lead'
      ? 'Relay creates Leads for new prospects and sign-ups. Contact and Account mappings are kept but not used.'
      : 'Relay creates Contacts and their Accounts for new prospects and sign-ups. Lead mappings are kept but not used.';
  }

  get validation(): MappingValidation {
    return validateMappings(this.rows, {
      recordMode: this.recordMode,
      platformFields: this.platformFields,
      targetFields: this.targetFields,
    });
  }

  get rowViews() {
    const validation = this.showValidation ? this.validation : null;
    const platformFieldOptions = this.platformFieldOptions;
    return this.rows.map((row, index) => {
      const number = index + 1;
      const fields = this.targetFields[row.targetObject];
      const target = fields?.find((f) => f.name.toLowerCase() === row.targetField.toLowerCase());
      const fieldOptions = (fields ?? [])
        .map((f) => ({ label: `${f.label} (${f.name})`, value: f.name }))
        .sort((a, b) => a.label.localeCompare(b.label));
      if (row.targetField && !fieldOptions.some((o) => o.value === row.targetField)) {
        fieldOptions.unshift({ label: row.targetField, value: row.targetField });
      }
      const errors = validation?.rows[index] ?? [];
      const showValueMap = row.active && hasValueMapEditor(target);
      const qualified =
        row.targetObject && row.targetField ? `${row.targetObject}.${row.targetField}` : `row ${number}`;
      return {
        ...row,
        number,
        detailKey: `${row.key}-detail`,
        platformFieldOptions,
        fieldOptions,
        fieldsLoading: this.loadingObjects.includes(row.targetObject),
        fieldPlaceholder: this.loadingObjects.includes(row.targetObject) ? 'Loading fields…' : 'Choose a field',
        targetType: target ? typeName(target.type) : '',
        platformLabel: `Platform field, row ${number}`,
        fieldLabel: `Target field, row ${number}`,
        directionLabel: `Direction, row ${number}`,
        activeLabel: `Active, row ${number}`,
        matchKeyLabel: `Match key, row ${number}`,
        removeLabel: `Remove new mapping, row ${number}`,
        canRemove: !row.developerName,
        // People are matched on Leads and Contacts only; a stored match key elsewhere stays clearable.
        canBeMatchField: PERSON_OBJECTS.includes(row.targetObject) || row.isMatchField,
        showValueMap,
        valueMapOptions: hasValueMapEditor(target)
          ? target?.type.toLowerCase() === 'boolean'
            ? BOOLEAN_VALUES
            : (target?.picklistValues ?? [])
          : [],
        qualified,
        errors,
        hasErrors: errors.length > 0,
        showDetail: showValueMap || errors.length > 0,
        rowClass: errors.length > 0 ? 'slds-hint-parent relay-row relay-row_error' : 'slds-hint-parent relay-row',
        // Lower-cased: Sync health names a field as Salesforce reported it.
        targetFieldKey: row.targetField.toLowerCase(),
      };
    });
  }

  get objectErrors(): string[] {
    return this.showValidation ? this.validation.objects : [];
  }

  /** Row reasons prefixed with their row, for the summary panel's details. */
  get summaryErrors(): string[] {
    if (!this.showValidation) {
      return [];
    }
    return this.validation.rows.flatMap((reasons, index) => reasons.map((r) => `Row ${index + 1}: ${r}`));
  }

  get hasSummaryErrors(): boolean {
    return this.showValidation && !this.validation.valid;
  }

  get hasObjectErrors(): boolean {
    return this.objectErrors.length > 0;
  }

  get summaryTitle(): string {
    const rows = this.showValidation ? this.validation.rows.filter((r) => r.length > 0).length : 0;
    const objects = this.objectErrors.length;
    const parts: string[] = [];
    if (rows > 0) {
      parts.push(rows === 1 ? '1 mapping' : `${rows} mappings`);
    }
    if (objects > 0) {
      parts.push(objects === 1 ? '1 problem with the whole set' : `${objects} problems with the whole set`);
    }
    return `Not saved: fix ${parts.join(' and ')} first.`;
  }

  get fieldLoadErrorList() {
    return Object.entries(this.fieldLoadErrors).map(([objectName, error]) => ({
      objectName,
      error,
      message: `The fields of ${objectName} couldn't be loaded.`,
    }));
  }

  get saveDisabled(): boolean {
    return this.saving || this.deploying || this.isLoading;
  }

  get saveLabel(): string {
    return this.saving ? 'Saving…' : 'Save mappings';
  }

  // ---- editing ----------------------------------------------------------------------------------

  handleModeChange(event: CustomEvent<{ value?: string }>): void {
    const mode = event.detail?.value;
    if (isRecordMode(mode)) {
      this.recordMode = mode;
      this.loadFieldsOf(this.objectsNeeded());
    }
  }

  handleRowChange(event: CustomEvent<{ value?: string; checked?: boolean }>): void {
    const { key, field } = dataOf(event);
    if (!key || !isRowField(field)) {
      return;
    }
    const detail = event.detail ?? {};
    this.rows = this.rows.map((row) => (row.key === key ? this.changed(row, field, detail) : row));
  }

  private changed(row: Row, field: RowField, detail: { value?: string; checked?: boolean }): Row {
    switch (field) {
      case 'active':
      case 'isMatchField':
        return { ...row, [field]: detail.checked === true };
      case 'direction':
        return isDirection(detail.value) ? { ...row, direction: detail.value } : row;
      case 'targetField':
        return detail.value === row.targetField ? row : { ...row, targetField: detail.value ?? '', valueMap: null };
      default:
        return { ...row, platformField: detail.value ?? '' };
    }
  }

  handleValueMapChange(event: CustomEvent<ValueMapChangeDetail>): void {
    const { key } = dataOf(event);
    const entries = event.detail?.valueMap ?? {};
    const valueMap = Object.keys(entries).length > 0 ? entries : null;
    this.rows = this.rows.map((row) => (row.key === key ? { ...row, valueMap } : row));
  }

  /** Adds a row to the group whose Add button was pressed. */
  handleAddRow(event: Event): void {
    const targetObject = dataOf(event).object || this.objectsInUse[0] || this.groupOrder[0] || '';
    this.rows = inGroupOrder(
      [
        ...this.rows,
        toRow({
          developerName: null,
          platformField: '',
          targetObject,
          targetField: '',
          direction: 'PlatformToSalesforce',
          valueMap: null,
          active: true,
          isMatchField: false,
        }),
      ],
      this.groupOrder,
    );
    this.loadFieldsOf(this.objectsNeeded());
  }

  handleRemoveRow(event: Event): void {
    const { key } = dataOf(event);
    // Only rows never saved can go: Apex's metadata API creates and updates custom metadata
    // records but cannot delete them, so saved mappings are deactivated instead.
    this.rows = this.rows.filter((row) => row.key !== key || !!row.developerName);
  }

  handleReset(): void {
    this.jobId = null;
    this.saveError = null;
    this.load();
  }

  async handleSave(): Promise<void> {
    this.showValidation = true;
    this.saveError = null;
    if (!this.validation.valid) {
      return;
    }
    const mappings = toSavedMappings(this.rows);
    this.saving = true;
    try {
      const { jobId, channel } = await saveMappings({
        mappingsJson: JSON.stringify(mappings),
        recordMode: this.recordMode,
      });
      this.deploymentChannel = channel ?? null;
      // New rows keep the DeveloperName they were saved under, so saving again updates them.
      this.rows = this.rows.map((row, index) => ({ ...row, developerName: mappings[index].developerName }));
      this.jobId = jobId;
      this.deploying = true;
    } catch (error) {
      this.saveError = error;
    } finally {
      this.saving = false;
    }
  }

  handleDeploymentComplete(event: CustomEvent<DeploymentCompleteDetail>): void {
    if (event.detail?.jobId === this.jobId) {
      this.deploying = false;
    }
  }
}
