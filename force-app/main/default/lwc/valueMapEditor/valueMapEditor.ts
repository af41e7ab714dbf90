// Edits one mapping's value map: rows of platform value → Salesforce value, the Salesforce side
// chosen from the target field's picklist values (or true/false for a checkbox). It keeps its own
// rows, so a row being typed (or still empty) survives the round trip through the parent, and
// reports the whole map with a `change` event.
import { LightningElement, api } from 'lwc';
import type { PicklistValue } from 'c/relayTypes';

interface Entry {
  key: string;
  platformValue: string;
  salesforceValue: string;
}

export interface ValueMapChangeDetail {
  valueMap: Record<string, string>;
}

let nextKey = 0;

function newEntry(platformValue = '', salesforceValue = ''): Entry {
  nextKey += 1;
  return { key: `entry-${nextKey}`, platformValue, salesforceValue };
}

function toMap(entries: Entry[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const entry of entries) {
    map[entry.platformValue] = entry.salesforceValue;
  }
  return map;
}

function sameMap(a: Record<string, string>, b: Record<string, string>): boolean {
  const keysA = Object.keys(a);
  return keysA.length === Object.keys(b).length && keysA.every((k) => b[k] === a[k]);
}

export default class ValueMapEditor extends LightningElement {
  entries: Entry[] = [];

  /** Salesforce values to choose from: the target's picklist values, or true/false. */
  @api options: PicklistValue[] = [];

  /** The target field ("Lead.Rating"), used in the labels of the inputs. */
  @api fieldLabel = '';

  /** Platform value → Salesforce value. */
  @api
  get valueMap(): Record<string, string> {
    return toMap(this.entries);
  }
  set valueMap(value: Record<string, string> | null) {
    const incoming = value ?? {};
    if (!sameMap(incoming, toMap(this.entries))) {
      this.entries = Object.entries(incoming).map(([platformValue, salesforceValue]) =>
        newEntry(platformValue, salesforceValue),
      );
    }
  }

  get rows() {
    const counts = new Map<string, number>();
    for (const entry of this.entries) {
      counts.set(entry.platformValue, (counts.get(entry.platformValue) ?? 0) + 1);
    }
    return this.entries.map((entry, index) => ({
      ...entry,
      platformLabel: `Platform value ${index + 1} for ${this.fieldLabel}`,
      salesforceLabel: `Salesforce value ${index + 1} for ${this.fieldLabel}`,
      removeLabel: `Remove value ${index + 1} for ${this.fieldLabel}`,
      duplicate: !!entry.platformValue && (counts.get(entry.platformValue) ?? 0) > 1,
    }));
  }

  get hasEntries(): boolean {
    return this.entries.length > 0;
  }

  get comboboxOptions(): PicklistValue[] {
    return (this.options ?? []).map((o) => ({ label: o.label || o.value, value: o.value }));
  }

  handleAdd(): void {
    this.entries = [...this.entries, newEntry()];
    this.notify();
  }

  handleRemove(event: Event): void {
    const key = keyOf(event);
    this.entries = this.entries.filter((e) => e.key !== key);
    this.notify();
  }

  handlePlatformValue(event: CustomEvent<{ value?: string }>): void {
    this.update(keyOf(event), { platformValue: event.detail?.value ?? '' });
  }

  handleSalesforceValue(event: CustomEvent<{ value?: string }>): void {
    this.update(keyOf(event), { salesforceValue: event.detail?.value ?? '' });
  }

  private update(key: string | undefined, change: Partial<Entry>): void {
    this.entries = this.entries.map((e) => (e.key === key ? { ...e, ...change } : e));
    this.notify();
  }

  private notify(): void {
    const detail: ValueMapChangeDetail = { valueMap: toMap(this.entries) };
    this.dispatchEvent(new CustomEvent('change', { detail }));
  }
}

function keyOf(event: Event): string | undefined {
  const target = event.currentTarget;
  return target instanceof HTMLElement ? target.dataset.key : undefined;
}
