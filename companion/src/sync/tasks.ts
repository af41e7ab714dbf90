// The Task record of an activity: subject per type, data points in Description (or in the
// package's custom Task fields where an active FieldMapping with TargetObject Task says so), who,
// what and owner, status and dates. Values are cut to Salesforce's field lengths here, on purpose,
// rather than failing the write with STRING_TOO_LONG: Subject 255, Description 32,000,
// relay__DocumentName__c 255, relay__EventType__c 80 (Object Reference; package metadata). A
// statistics URL longer than relay__StatsUrl__c's 255 is not cut (a cut URL is a broken link): it
// stays in Description instead.
import { createHash } from 'node:crypto';
import type { Activity, LinkActivity, MessageActivity, Person, SpaceActivity, VisitActivity } from './activities.js';
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

const CHANNEL_SUBJECTS: Record<string, string> = {
  email: 'Email sent',
  linkedin: 'LinkedIn message sent',
  sms: 'SMS sent',
  whatsapp: 'WhatsApp message sent',
  chat: 'Chat message sent',
  call: 'Call logged',
};

/** TaskSubtype (createable, not updateable: sent only when Relay creates the Task). */
const CHANNEL_SUBTYPES: Record<string, string> = { email: 'Email', linkedin: 'LinkedIn', call: 'Call' };

export function subjectOf(a: Activity): string {
  switch (a.kind) {
    case 'visit':
      return `Viewed: ${a.documentName}`;
    case 'link':
      return `Link created: ${a.documentName}`;
    case 'space':
      return `Space created: ${a.name}`;
    case 'message': {
      const base = CHANNEL_SUBJECTS[a.channel] ?? 'Message sent';
      return a.channel === 'email'
        ? `${base}: ${a.subject ?? '(no subject)'}`
        : a.subject
          ? `${base}: ${a.subject}`
          : base;
    }
  }
}

function followUpSubject(a: Activity): string {
  switch (a.kind) {
    case 'visit':
      return `Follow up: ${a.visitor.email} viewed ${a.documentName}`;
    case 'message':
      return `Follow up: ${a.toEmail ?? a.toPhone ?? 'recipient'} (${subjectOf(a)})`;
    default:
      return `Follow up: ${subjectOf(a)}`;
  }
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${rest} s`;
  return `${rest} s`;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * Data points by platform field (the names of PlatformFieldCatalog.cls). Each is written to the
 * Task field a mapping names, or else as a Description line.
 */
interface DataPoint {
  platformField: string;
  aliases: string[];
  value: string | number;
  line: string;
}

function dataPoints(a: Activity): DataPoint[] {
  const points: DataPoint[] = [
    { platformField: 'event.type', aliases: ['type', 'eventType'], value: a.type, line: '' },
  ];
  const doc = (name: string, url?: string): DataPoint => ({
    platformField: 'visit.documentName',
    aliases: ['document.name', 'documentName'],
    value: name,
    line: `Document: ${name}${url ? ` (${url})` : ''}`,
  });
  switch (a.kind) {
    case 'visit':
      points.push(doc(a.documentName, a.documentUrl));
      points.push({
        platformField: 'visit.durationSeconds',
        aliases: ['durationSeconds'],
        value: Math.round(a.durationSeconds),
        line: `Duration: ${formatDuration(a.durationSeconds)}`,
      });
      points.push({
        platformField: 'visit.percentViewed',
        aliases: ['percentViewed'],
        value: round2(a.percentViewed),
        line: `Viewed: ${round2(a.percentViewed)} %`,
      });
      if (a.statsUrl)
        points.push({
          platformField: 'visit.statsUrl',
          aliases: ['statsUrl'],
          value: a.statsUrl,
          line: `Statistics: ${a.statsUrl}`,
        });
      break;
    case 'link':
      points.push(doc(a.documentName, a.documentUrl));
      break;
    case 'space':
      points.push(doc(a.name, a.url));
      break;
    case 'message':
      points.push({
        platformField: 'message.channel',
        aliases: ['channel'],
        value: a.channel,
        line: `Channel: ${a.channel}`,
      });
      break;
  }
  return points;
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

function personLine(p: Person): string {
  return p.name ? `${p.name} <${p.email}>` : p.email;
}

function contextLines(a: Activity, ctx: TaskContext): string[] {
  switch (a.kind) {
    case 'visit':
      return visitLines(a);
    case 'link':
      return linkLines(a, ctx.visitors ?? a.visitors);
    case 'space':
      return spaceLines(a);
    case 'message':
      return messageLines(a, ctx.settings.IncludeMessageContent);
  }
}

function visitLines(a: VisitActivity): string[] {
  return [
    `Visitor: ${personLine(a.visitor)}`,
    ...(a.accountName ? [`Account: ${a.accountName}`] : []),
    ...(a.spaceName ? [`Space: ${a.spaceName}`] : []),
    `Status: ${a.active ? 'still viewing' : 'visit ended'}`,
    `Started: ${a.occurredAt}`,
  ];
}

function linkLines(a: LinkActivity, visitors: Person[]): string[] {
  return [
    `Account: ${a.accountName}`,
    `Created by: ${personLine(a.creator)}`,
    ...(a.externalUrl ? [`Link: ${a.externalUrl}`] : []),
    ...(a.internalUrl ? [`Manage: ${a.internalUrl}`] : []),
    `Visitors (${visitors.length}): ${visitors.length > 0 ? visitors.map(personLine).join(', ') : 'none yet'}`,
  ];
}

function spaceLines(a: SpaceActivity): string[] {
  return [
    `Account: ${a.accountName}`,
    `Created by: ${personLine(a.creator)}`,
    ...(a.url ? [`Space: ${a.url}`] : []),
    ...(a.internalUrl ? [`Manage: ${a.internalUrl}`] : []),
  ];
}

function messageLines(a: MessageActivity, includeContent: boolean): string[] {
  const to = a.toEmail ?? a.toPhone ?? '';
  return [
    `From: ${personLine(a.from)}`,
    `To: ${a.toName ? `${a.toName} <${to}>` : to}`,
    ...(a.subject ? [`Subject: ${a.subject}`] : []),
    ...(a.campaign ? [`Campaign: ${a.campaign}`] : []),
    `Sent: ${a.occurredAt}`,
    // The body only when the admin switched IncludeMessageContent on (privacy by default).
    ...(includeContent && a.body ? ['', a.body] : []),
  ];
}

/** The Task to upsert for an activity. */
export function buildTask(a: Activity, target: TaskTarget, ctx: TaskContext): BuiltTask {
  const fields: Record<string, unknown> = {};
  const lines: string[] = [];
  for (const point of dataPoints(a)) {
    const m = mappingFor(point, ctx.taskMappings);
    if (m) {
      const value = mappedValue(m, point);
      if (value !== undefined) {
        fields[m.targetField] = value;
        continue;
      }
    }
    if (point.line) lines.push(point.line);
  }
  const description = truncate(
    [...lines, ...contextLines(a, ctx), '', `Relay: ${target.reason}`].join('\n'),
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
    const subtype = a.kind === 'message' ? (CHANNEL_SUBTYPES[a.channel] ?? 'Task') : 'Task';
    record.TaskSubtype = subtype;
    if (target.ownerId) record.OwnerId = target.ownerId;
  }
  return { record: { attributes: { type: 'Task' }, [TASK_EXTERNAL_ID]: a.externalKey, ...record }, hash };
}
