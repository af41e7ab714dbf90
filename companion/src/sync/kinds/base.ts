// What every activity kind shares: the fields of an activity read from its stored CloudEvent
// (validated at intake against its schema), and the readers the kinds build them with. Each
// activity Task has one external key, `<workspace id>:<activity id>` (README.md, "The package"), so that every
// write is an idempotent upsert on relay__ExternalKey__c.
import type { StoredEvent } from '../../queue/batch.js';
import { normalizeEmail } from '../matching.js';

export interface Person {
  email: string;
  name?: string;
}

export interface ActivityBase {
  event: StoredEvent;
  /** `relay.visit`… */
  type: string;
  /** visitId | linkId | spaceId | messageId. */
  activityId: string;
  externalKey: string;
  /** When it happened (visit start / message sent / event time), ISO 8601. */
  occurredAt: string;
}

export function externalKey(workspaceId: string, activityId: string): string {
  return `${workspaceId}:${activityId}`;
}

export function activityBase(event: StoredEvent, activityId: string, occurredAt: string): ActivityBase {
  return {
    event,
    type: event.type,
    activityId,
    externalKey: externalKey(event.workspaceId, activityId),
    occurredAt,
  };
}

export type Obj = Record<string, unknown>;
export const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
export const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
export const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : Number(v) || 0);

export function person(v: unknown): Person | undefined {
  if (typeof v === 'string') return str(v) ? { email: normalizeEmail(v) } : undefined;
  const o = obj(v);
  const email = str(o.email);
  if (!email) return undefined;
  const name = str(o.name);
  return name ? { email: normalizeEmail(email), name } : { email: normalizeEmail(email) };
}

export function iso(v: unknown, fallback: string): string {
  const s = str(v);
  if (!s) return fallback;
  const t = Date.parse(s);
  return Number.isNaN(t) ? fallback : new Date(t).toISOString();
}

/** `{ key: value }`, or nothing when the value is undefined (optional fields stay absent). */
export function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

export function personLine(p: Person): string {
  return p.name ? `${p.name} <${p.email}>` : p.email;
}
