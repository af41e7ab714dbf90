// The Task record of an activity: its kind's Subject, data points and Description lines (kinds/),
// the data points in Description or in the package's custom Task fields where an active
// FieldMapping with TargetObject Task says so, who, what and owner, status and dates. Values are
// cut to Salesforce's field lengths here, on purpose, rather than failing the write with
// STRING_TOO_LONG: Subject 255, Description 32,000, relay__DocumentName__c 255,
// relay__EventType__c 80 (Object Reference; package metadata). A statistics URL longer than
// relay__StatsUrl__c's 255 is not cut (a cut URL is a broken link): it stays in Description instead.
import { createHash } from 'node:crypto';
import { kindOf, subjectOf, type Activity, type Person } from './activities.js';
import type { DataPoint, DescriptionContext } from './kinds/kind.js';
import type { FieldMapping, SyncSettings } from './settings.js';

export const TASK_EXTERNAL_ID = 'relay__ExternalKey__c';

export const LIMITS = {
  Subject: 255,
  Description: 32_000,
  relay__DocumentName__c: 255,
  relay__EventType__c: 80,
  relay__StatsUrl__c: 255,
} as const;

export function truncate(value: string, max: number): string {
  if (value.length <= max) return value;
  return `${value.slice(0, max - 1)}…`;
}

/** Who the Task is about and why (matching.ts, or the unmatched rules). */
export interface TaskTarget {
  /** Contact or Lead. */
  whoId: string | null;
  whoIsLead: boolean;
  /** Account (with a Contact, or alone); always null with a Lead WhoId. */
  whatId: string | null;
  /** User of the platform user, or null for the integration user. */
  ownerId: string | null;
  /** An open "Not Started" Task for the owner instead of a completed activity. */
  followUp: boolean;
  reason: string;
}

export interface TaskContext {
  settings: SyncSettings;
  /** Active mappings with TargetObject Task. */
  taskMappings: FieldMapping[];
  /** Whether Relay has written this Task before: create-only fields are left out of updates. */
  exists: boolean;
  /** For links: every visitor known so far (link.created lists and visits through the link). */
  visitors?: Person[];
}

export interface BuiltTask {
  record: Record<string, unknown>;
  /** Fingerprint of what an update would change: equal → nothing to write. */
  hash: string;
}

/** The event type, a data point of every kind (a Task mapping may name it). */
function typePoint(a: Activity): DataPoint {
  return { platformField: 'event.type', aliases: ['type', 'eventType'], value: a.type, line: '' };
}

function followUpSubject(a: Activity): string {
  return kindOf(a).followUpSubject?.(a) ?? `Follow up: ${subjectOf(a)}`;
}

function descriptionContext(ctx: TaskContext): DescriptionContext {
  return {
    includeContent: ctx.settings.IncludeMessageContent,
    ...(ctx.visitors ? { visitors: ctx.visitors } : {}),
  };
}

function mappingFor(point: DataPoint, mappings: FieldMapping[]): FieldMapping | undefined {
  return mappings.find((m) => m.platformField === point.platformField || point.aliases.includes(m.platformField));
}

function mappedValue(m: FieldMapping, point: DataPoint): unknown {
  const raw = point.value;
  if (m.valueMap && String(raw) in m.valueMap) return m.valueMap[String(raw)];
  const limit = (LIMITS as Record<string, number>)[m.targetField];
  if (typeof raw === 'string' && limit !== undefined) {
    // A URL is not cut (see the module comment); anything else is.
    if (m.targetField === 'relay__StatsUrl__c' && raw.length > limit) return undefined;
    return truncate(raw, limit);
  }
  return raw;
}

/** Each data point in the Task field its mapping names, or else as a Description line. */
function placePoints(
  points: DataPoint[],
  mappings: FieldMapping[],
): { fields: Record<string, unknown>; lines: string[] } {
  const fields: Record<string, unknown> = {};
  const lines: string[] = [];
  for (const point of points) {
    const m = mappingFor(point, mappings);
    const value = m ? mappedValue(m, point) : undefined;
    if (m && value !== undefined) fields[m.targetField] = value;
    else if (point.line) lines.push(point.line);
  }
  return { fields, lines };
}

/** The Task to upsert for an activity. */
export function buildTask(a: Activity, target: TaskTarget, ctx: TaskContext): BuiltTask {
  const kind = kindOf(a);
  const { fields, lines } = placePoints([typePoint(a), ...kind.dataPoints(a)], ctx.taskMappings);
  const description = truncate(
    [...lines, ...kind.description(a, descriptionContext(ctx)), '', `Relay: ${target.reason}`].join('\n'),
    LIMITS.Description,
  );
  const record: Record<string, unknown> = {
    Subject: truncate(target.followUp ? followUpSubject(a) : subjectOf(a), LIMITS.Subject),
    Description: description,
    ActivityDate: a.occurredAt.slice(0, 10),
    WhoId: target.whoId,
    // Salesforce refuses a Lead WhoId together with a WhatId (FIELD_INTEGRITY_EXCEPTION); sending
    // null also clears an Account left from an earlier match when the Task moves to a Lead.
    WhatId: target.whoIsLead ? null : target.whatId,
    ...fields,
  };
  if (!target.followUp) record.Status = 'Completed';
  const hash = createHash('sha256').update(JSON.stringify(record)).digest('base64url').slice(0, 22);
  if (!ctx.exists) {
    // Create-only: TaskSubtype is not updateable (an update carrying it fails), a follow-up's
    // "Not Started" must not reopen a Task the rep completed, and the owner must not be taken
    // back from a rep who reassigned the Task.
    if (target.followUp) record.Status = 'Not Started';
    record.TaskSubtype = kind.taskSubtype?.(a) ?? 'Task';
    if (target.ownerId) record.OwnerId = target.ownerId;
  }
  return { record: { attributes: { type: 'Task' }, [TASK_EXTERNAL_ID]: a.externalKey, ...record }, hash };
}
