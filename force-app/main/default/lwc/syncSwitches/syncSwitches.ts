// Setup → Sync switches: every SyncSetting__mdt record (what Relay syncs, quotas, record mode…)
// with its description and default, edited with the input its type calls for, in sections, with a
// setting that needs another switch disabled while that switch is off (c/switchLayout). Save sends
// only the values that changed and follows the metadata deployment to its result. The inputs are
// native (SLDS markup) so that each one's aria-describedby names its setting's description, range,
// dependency, problem and default: lightning-input keeps its own input out of reach of this
// template's ids.
import { LightningElement, api } from 'lwc';
import getSettings from '@salesforce/apex/SyncSettingsController.getSettings';
import saveSettings from '@salesforce/apex/SyncSettingsController.saveSettings';
import type { PicklistValue, SyncSetting } from 'c/relayTypes';
import type { DeploymentCompleteDetail } from 'c/deploymentStatus';
import { parseSettingValue, settingBounds, textLimit } from 'c/settingRules';
import type { SettingRule } from 'c/settingRules';
import { revealAndFocus, selectorValue, type FocusRequest } from 'c/focusTarget';
import { SET_ELSEWHERE, SWITCH_SECTIONS, blockingSwitch, sectionOf } from 'c/switchLayout';

/** A setting's value as text, the way SyncSetting__mdt.Value__c stores it. */
function valueText(value: SyncSetting['value']): string {
  if (value === null || value === undefined) {
    return '';
  }
  return String(value);
}

/** The value Relay uses: the stored one, or the default when it is blank (README, SyncSetting__mdt). */
export function effectiveValue(setting: SyncSetting): string {
  const stored = valueText(setting.value).trim();
  const text = stored !== '' ? stored : valueText(setting.defaultValue).trim();
  return setting.type === 'Boolean' ? String(text.toLowerCase() === 'true') : text;
}

function choiceOptions(setting: SyncSetting): PicklistValue[] {
  return (setting.choices ?? []).map((choice) => {
    if (typeof choice === 'string') {
      return { label: choice, value: choice };
    }
    return { label: choice.label || choice.value, value: choice.value };
  });
}

/** The setting's rule as c/settingRules reads it: its type, choices and bounds travel with it. */
function ruleOf(setting: SyncSetting): SettingRule {
  return {
    developerName: setting.developerName,
    label: setting.label,
    type: setting.type,
    choices: choiceOptions(setting).map((o) => o.value),
    minimum: setting.minimum ?? null,
    maximum: setting.maximum ?? null,
  };
}

/**
 * What a number setting accepts, worded for this page from the bounds c/settingRules reads off the
 * record, so the range is stated wherever a value is refused (not "The number is too high.").
 */
export function rangeMessage(setting: SyncSetting): string {
  const bounds = settingBounds(ruleOf(setting));
  return bounds ? `Enter a whole number from ${bounds.minimum} to ${bounds.maximum}.` : 'Enter a whole number.';
}

/**
 * Why a number setting's text is not acceptable, or null when it is: the text is refused exactly
 * when Apex would refuse it on save (c/settingRules), and the reason is worded for this page.
 */
export function numberProblem(setting: SyncSetting, text: string): string | null {
  if (text.trim() === '' || !Number.isFinite(Number(text))) {
    return 'Enter a number.';
  }
  if (parseSettingValue(ruleOf(setting), text) !== null) {
    return null;
  }
  return rangeMessage(setting);
}

/** Why a setting's text can't be saved (SyncSettingsController refuses blank values), or null. */
function settingProblem(setting: SyncSetting, text: string): string | null {
  if (setting.type === 'Number') {
    return numberProblem(setting, text);
  }
  if (setting.type !== 'Boolean' && text.trim() === '') {
    return setting.type === 'Choice' ? 'Choose a value.' : 'Enter a value.';
  }
  const longest = textLimit(ruleOf(setting));
  if (setting.type !== 'Boolean' && setting.type !== 'Choice' && text.trim().length > longest) {
    return `Enter at most ${longest} characters.`;
  }
  return null;
}

function bySortOrder(a: SyncSetting, b: SyncSetting): number {
  const orderA = a.sortOrder ?? Number.MAX_SAFE_INTEGER;
  const orderB = b.sortOrder ?? Number.MAX_SAFE_INTEGER;
  return orderA - orderB || a.label.localeCompare(b.label);
}

function dataOf(event: Event): DOMStringMap {
  const target = event.currentTarget;
  return target instanceof HTMLElement ? target.dataset : {};
}

export default class SyncSwitches extends LightningElement {
  settings: SyncSetting[] = [];
  /** The values as loaded (or last saved), by developer name. */
  saved: Record<string, string> = {};
  /** The values on screen, by developer name. */
  values: Record<string, string> = {};
  isLoading = false;
  loadError: unknown = null;
  showProblems = false;
  saving = false;
  saveError: unknown = null;
  jobId: string | null = null;
  /** Where the deployment's end is announced (the save answer says which channel). */
  deploymentChannel: string | null = null;
  deploying = false;
  /** The values sent with the running deployment; they become `saved` when it succeeds. */
  private pending: Record<string, string> = {};
  /** A switch another page asked to show (Sync health's fix), focused once it is rendered. */
  private focusWanted: FocusRequest | null = null;

  /** Brings a setting (by developer name) into view and focuses its input, once loaded. */
  @api
  get focusSetting(): FocusRequest | null {
    return this.focusWanted;
  }
  set focusSetting(request: FocusRequest | null) {
    this.focusWanted = request?.name ? request : null;
  }

  override connectedCallback(): void {
    this.load();
  }

  override renderedCallback(): void {
    if (!this.focusWanted || !this.hasData) return;
    const selector = `[data-name="${selectorValue(this.focusWanted.name)}"]`;
    this.focusWanted = null;
    revealAndFocus(this.template, selector);
  }

  async load(): Promise<void> {
    this.isLoading = true;
    this.loadError = null;
    try {
      const settings = await getSettings();
      this.settings = [...(settings ?? [])].sort(bySortOrder);
      this.saved = Object.fromEntries(this.settings.map((s) => [s.developerName, effectiveValue(s)]));
      this.values = { ...this.saved };
      this.showProblems = false;
    } catch (error) {
      this.loadError = error;
    } finally {
      this.isLoading = false;
    }
  }

  get hasData(): boolean {
    return !this.isLoading && !this.loadError;
  }

  get hasSettings(): boolean {
    return this.settings.length > 0;
  }

  get changes(): Record<string, string> {
    return Object.fromEntries(Object.entries(this.values).filter(([name, value]) => this.saved[name] !== value));
  }

  get changeCount(): number {
    return Object.keys(this.changes).length;
  }

  get problems(): Array<{ key: string; message: string }> {
    return this.settings
      .map((s) => ({ setting: s, problem: settingProblem(s, this.values[s.developerName] ?? '') }))
      .filter((p) => p.problem !== null)
      .map((p) => ({ key: p.setting.developerName, message: `${p.setting.label}: ${p.problem}` }));
  }

  get visibleProblems(): string[] {
    return this.showProblems ? this.problems.map((p) => p.message) : [];
  }

  get hasVisibleProblems(): boolean {
    return this.visibleProblems.length > 0;
  }

  /** The rows in their sections (c/switchLayout), sections without a setting left out. */
  get sections() {
    const rows = this.rows;
    const known = SWITCH_SECTIONS.map((s) => ({ key: s.key, title: s.title }));
    return [...known, { key: 'other', title: 'Other settings' }]
      .map((section) => ({
        ...section,
        headingId: `switches-${section.key}`,
        rows: rows.filter((r) => !(r.developerName in SET_ELSEWHERE) && sectionOf(r.developerName) === section.key),
        elsewhere: this.elsewhereNotes(section.key),
      }))
      .filter((section) => section.rows.length > 0 || section.elsewhere.length > 0);
  }

  /** Lines for the settings of a section that another tab edits: what it is now, and where. */
  private elsewhereNotes(sectionKey: string): Array<{ key: string; text: string }> {
    return this.settings
      .filter((s) => SET_ELSEWHERE[s.developerName]?.section === sectionKey)
      .map((s) => ({
        key: s.developerName,
        text: `${s.label}: ${this.display(s, this.values[s.developerName] ?? '')}. Change it on the ${
          SET_ELSEWHERE[s.developerName]!.tab
        } tab, with the mappings it decides.`,
      }));
  }

  get rows() {
    const labelOf = (name: string) => this.settings.find((s) => s.developerName === name)?.label ?? name;
    return this.settings.map((setting) => {
      const name = setting.developerName;
      const value = this.values[name] ?? '';
      const changed = this.saved[name] !== value;
      // A setting that matters only while another switch is on is disabled, with the reason.
      const blocking = blockingSwitch(name, (other) => this.values[other] === 'true' || !(other in this.values));
      const dependencyNote = blocking ? `Turn on "${labelOf(blocking)}" to use this.` : '';
      const defaultText = valueText(setting.defaultValue).trim();
      const problem = this.showProblems ? settingProblem(setting, value) : null;
      const isNumber = setting.type === 'Number';
      const ids = {
        inputId: `setting-${name}`,
        descriptionId: `setting-${name}-description`,
        rangeId: `setting-${name}-range`,
        needsId: `setting-${name}-needs`,
        problemId: `setting-${name}-problem`,
        defaultId: `setting-${name}-default`,
      };
      // What a screen reader reads after the input's name: only ids of elements on the page.
      const describedBy = [
        setting.description ? ids.descriptionId : '',
        isNumber ? ids.rangeId : '',
        dependencyNote ? ids.needsId : '',
        problem ? ids.problemId : '',
        ids.defaultId,
      ]
        .filter((id) => id !== '')
        .join(' ');
      return {
        key: name,
        ...ids,
        describedBy,
        invalid: problem ? 'true' : 'false',
        formElementClass: problem ? 'slds-form-element slds-has-error' : 'slds-form-element',
        developerName: name,
        label: setting.label,
        description: setting.description ?? '',
        defaultLabel: defaultText === '' ? 'No default' : `Default: ${this.display(setting, defaultText)}`,
        isBoolean: setting.type === 'Boolean',
        isNumber,
        isChoice: setting.type === 'Choice',
        isText: setting.type !== 'Boolean' && setting.type !== 'Number' && setting.type !== 'Choice',
        checked: value === 'true',
        value,
        options: choiceOptions(setting).map((o) => ({ ...o, selected: o.value === value })),
        min: setting.minimum ?? null,
        max: setting.maximum ?? null,
        // A Text setting's longest value (its Maximum__c, else what Value__c holds).
        maxLength: textLimit(ruleOf(setting)),
        // The range is stated under the input (and read with it), not only once a value is refused.
        rangeMessage: isNumber ? rangeMessage(setting) : '',
        changed,
        problem,
        disabled: blocking !== null,
        dependencyNote,
        itemClass: changed
          ? 'slds-p-vertical_small relay-setting relay-setting_changed'
          : 'slds-p-vertical_small relay-setting',
      };
    });
  }

  private display(setting: SyncSetting, text: string): string {
    if (setting.type === 'Boolean') {
      return text.toLowerCase() === 'true' ? 'On' : 'Off';
    }
    const choice = choiceOptions(setting).find((o) => o.value === text);
    return choice ? choice.label : text;
  }

  get saveDisabled(): boolean {
    return this.saving || this.deploying || this.changeCount === 0;
  }

  get saveLabel(): string {
    if (this.saving) {
      return 'Saving…';
    }
    return this.changeCount > 0
      ? `Save ${this.changeCount === 1 ? '1 change' : `${this.changeCount} changes`}`
      : 'Save';
  }

  get resetDisabled(): boolean {
    return this.saving || this.changeCount === 0;
  }

  handleToggle(event: Event): void {
    const { name } = dataOf(event);
    const input = event.currentTarget;
    if (name && input instanceof HTMLInputElement) {
      this.values = { ...this.values, [name]: input.checked ? 'true' : 'false' };
    }
  }

  handleValue(event: Event): void {
    const { name } = dataOf(event);
    const input = event.currentTarget;
    if (name && (input instanceof HTMLInputElement || input instanceof HTMLSelectElement)) {
      this.values = { ...this.values, [name]: input.value };
    }
  }

  handleReset(): void {
    this.values = { ...this.saved };
    this.showProblems = false;
  }

  async handleSave(): Promise<void> {
    this.showProblems = true;
    this.saveError = null;
    const changes = this.changes;
    if (this.problems.length > 0 || Object.keys(changes).length === 0) {
      return;
    }
    this.saving = true;
    try {
      const { jobId, channel } = await saveSettings({ valuesJson: JSON.stringify(changes) });
      this.deploymentChannel = channel ?? null;
      this.pending = changes;
      this.jobId = jobId;
      this.deploying = true;
    } catch (error) {
      this.saveError = error;
    } finally {
      this.saving = false;
    }
  }

  handleDeploymentComplete(event: CustomEvent<DeploymentCompleteDetail>): void {
    if (event.detail?.jobId !== this.jobId) {
      return;
    }
    this.deploying = false;
    if (event.detail.status === 'Succeeded') {
      this.saved = { ...this.saved, ...this.pending };
    }
    this.pending = {};
  }
}
