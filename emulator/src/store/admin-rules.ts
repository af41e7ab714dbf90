// Behaviours an admin switches on in a real org and the emulator offers through the control plane
// and seeds: duplicate rules on Lead/Contact Email and simple validation rules. They run after
// Salesforce's own field checks, in Salesforce's order: validation rules, then duplicate rules.
import type { Row } from './store.js';

export interface DuplicateRuleConfig {
  /** Lead or Contact. */
  object: 'Lead' | 'Contact';
  /** `allow` (Salesforce's "Allow" + alert): an API save fails unless `allowSave=true`; `block`: always fails. */
  action?: 'allow' | 'block';
  /** Objects whose records are compared (default: the object itself; Lead also checks Contacts). */
  compareWith?: ('Lead' | 'Contact')[];
  message?: string;
  ruleName?: string;
}

export type ValidationOp = 'blank' | 'notBlank' | 'equals' | 'notEquals' | 'matches' | 'notMatches' | 'longerThan';

export interface ValidationRuleConfig {
  name: string;
  object: string;
  /** The record fails the rule (the formula is true) when `field op value` holds. */
  when: { field: string; op: ValidationOp; value?: string | number | boolean };
  message: string;
  /** Field the error is shown on; omitted → top of page (`fields: []`). */
  errorField?: string;
  active?: boolean;
}

export interface AdminRules {
  duplicateRules: DuplicateRuleConfig[];
  validationRules: ValidationRuleConfig[];
}

export function emptyAdminRules(): AdminRules {
  return { duplicateRules: [], validationRules: [] };
}

function isBlank(v: unknown): boolean {
  return v === null || v === undefined || v === '';
}

/** Whether a validation rule's condition holds for the record (so the save fails). */
export function ruleFires(rule: ValidationRuleConfig, row: Row): boolean {
  const key = Object.keys(row).find((k) => k.toLowerCase() === rule.when.field.toLowerCase());
  const v = key ? row[key] : undefined;
  const { op, value } = rule.when;
  switch (op) {
    case 'blank':
      return isBlank(v);
    case 'notBlank':
      return !isBlank(v);
    case 'equals':
      return String(v ?? '') === String(value ?? '');
    case 'notEquals':
      return String(v ?? '') !== String(value ?? '');
    case 'matches':
      return !isBlank(v) && new RegExp(String(value)).test(String(v));
    case 'notMatches':
      return !isBlank(v) && !new RegExp(String(value)).test(String(v));
    case 'longerThan':
      return !isBlank(v) && String(v).length > Number(value);
    default:
      return false;
  }
}
