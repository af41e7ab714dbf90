// When a field's change on one side meets a change on the other, and which side wins: pure rules,
// no I/O, shared by both syncs so the platform → Salesforce write and the Salesforce → platform
// announcement decide alike.
//
// A conflict needs a field whose values flow both ways — an active mapping of the person object with
// direction TwoWay or PreferSalesforceUnlessBlank (one-way fields have an owner and cannot conflict)
// — that is not the match key (people are found by it, so both sides hold the same value), a last
// synced value, and both sides holding a different value from it and from each other.
//
// Who wins is the field's direction:
//  - TwoWay: the most recent change, as the Direction__c picklist describes it ("last change wins").
//    The platform's time is its CloudEvent's `time`; Salesforce's is the record's LastModifiedDate
//    (Salesforce keeps no per-field time without field history, and reading it would cost a call).
//    A tie goes to Salesforce: a person's edit is not overwritten on a coin toss.
//  - PreferSalesforceUnlessBlank: Salesforce, unless its value is blank (then the platform fills it).
import { createHash } from 'node:crypto';
import { sameAsSent } from '../reverse/echo.js';
import type { MappingDirection, OrgConfiguration } from '../sync/settings.js';

export type Side = 'platform' | 'salesforce';

const BOTH_WAYS = new Set<MappingDirection>(['TwoWay', 'PreferSalesforceUnlessBlank']);

/** A field that can conflict: its Salesforce and platform names, direction and ValueMap. */
export interface ConflictField {
  field: string;
  platformField: string;
  direction: MappingDirection;
  valueMap: Record<string, unknown> | null;
}

/** The fields of `object` whose values flow both ways, the match key's excepted. */
export function conflictFields(config: OrgConfiguration, object: string, matchKeyField: string): ConflictField[] {
  return config.mappings
    .filter((m) => m.active && m.targetObject === object && BOTH_WAYS.has(m.direction))
    .filter((m) => !m.isMatchKey && m.platformField !== matchKeyField)
    .map((m) => ({
      field: m.targetField,
      platformField: m.platformField,
      direction: m.direction,
      valueMap: m.valueMap,
    }));
}

/** A field's value among `values`, and whether they hold it at all (field names ignore case). */
export function fieldValue(
  values: Record<string, unknown> | undefined,
  field: string,
): { known: boolean; value: unknown } {
  const key = values ? Object.keys(values).find((k) => k.toLowerCase() === field.toLowerCase()) : undefined;
  return key === undefined ? { known: false, value: null } : { known: true, value: values![key] ?? null };
}

/** The Salesforce value a platform value becomes (ValueMap applied, as the sync writes it). */
export function mapped(f: ConflictField, value: unknown): unknown {
  return f.valueMap && value !== null && value !== undefined && String(value) in f.valueMap
    ? f.valueMap[String(value)]
    : (value ?? null);
}

const blank = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

/** The side that wins a conflict on a field of this direction. */
export function winner(
  direction: MappingDirection,
  platformAt: number,
  salesforce: { value: unknown; at: number },
): Side {
  if (direction === 'PreferSalesforceUnlessBlank') return blank(salesforce.value) ? 'platform' : 'salesforce';
  return platformAt > salesforce.at ? 'platform' : 'salesforce';
}

/** One side's value of a field and when it changed (ms). */
export interface SideValue {
  value: unknown;
  at: number;
}

/**
 * Whether Salesforce alone changed the field since `baseline`: the platform still sends the value
 * last synced. Salesforce's change is then the most recent one, and an unchanged platform value does
 * not overwrite it (no conflict: one side changed).
 */
export function onlySalesforceChanged(
  f: ConflictField,
  baseline: { known: boolean; value: unknown },
  platformValue: unknown,
  salesforceValue: unknown,
): boolean {
  if (!baseline.known) return false;
  const same = (a: unknown, b: unknown) => sameAsSent(f.field, a ?? null, b ?? null) || (blank(a) && blank(b));
  return same(platformValue, baseline.value) && !same(salesforceValue, baseline.value);
}

/**
 * The winner when both sides changed the field since `baseline` (the last value synced), or null
 * when there is no conflict: no baseline known, the sides agree, or one side still holds it.
 */
export function conflictWinner(
  f: ConflictField,
  baseline: { known: boolean; value: unknown },
  platform: SideValue,
  salesforce: SideValue,
): Side | null {
  if (!baseline.known) return null;
  const same = (a: unknown, b: unknown) => sameAsSent(f.field, a ?? null, b ?? null) || (blank(a) && blank(b));
  if (same(platform.value, salesforce.value)) return null;
  if (same(platform.value, baseline.value) || same(salesforce.value, baseline.value)) return null;
  return winner(f.direction, platform.at, salesforce);
}

const canonical = (v: unknown) => (typeof v === 'string' ? v.trim() : (v ?? null));

/** The pair of values a conflict is about: the same pair found twice is the same conflict. */
export function fingerprint(platformValue: unknown, salesforceValue: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify([canonical(platformValue), canonical(salesforceValue)]))
    .digest('hex')
    .slice(0, 32);
}

/**
 * A known person's update without the fields Salesforce won. When it kept any, values Salesforce
 * already holds are dropped too: a write of nothing new would make Relay the record's last modifier,
 * and reverse sync takes a change last made by Relay for Relay's own (not announced) — the person's
 * winning value would never reach the platform.
 */
export function withoutSalesforceWins(
  fields: Record<string, unknown>,
  kept: ReadonlySet<string> | undefined,
  current: Record<string, unknown> | undefined,
): Record<string, unknown> {
  if (!kept || kept.size === 0) return fields;
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(fields)) {
    if (kept.has(field)) continue;
    if (current && field in current && sameAsSent(field, current[field] ?? null, value ?? null)) continue;
    out[field] = value;
  }
  return out;
}
