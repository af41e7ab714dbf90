// Stored CloudEvents (validated at intake against CONTRACTS §3) read into the typed activities the
// engine works with. Each activity Task has one external key, `<workspace id>:<activity id>`
// (CONTRACTS §4), so that every write is an idempotent upsert on relay__ExternalKey__c.
import type { StoredEvent } from '../queue/batch.js';
import { normalizeEmail } from './matching.js';

export interface Person {
  email: string;
  name?: string;
}

interface Base {
  event: StoredEvent;
  /** `relay.visit`… */
  type: string;
  /** visitId | linkId | spaceId | messageId. */
  activityId: string;
  externalKey: string;
  /** When it happened (visit start / message sent / event time), ISO 8601. */
  occurredAt: string;
}

export interface VisitActivity extends Base {
  kind: 'visit';
  visitor: Person;
  documentName: string;
  documentUrl?: string;
  spaceName?: string;
  accountName?: string;
  durationSeconds: number;
  percentViewed: number;
  active: boolean;
  statsUrl?: string;
  /** A visit through a tracked link carries the link's id; the link's Task lists its visitors. */
  linkId?: string;
  /** Platform user who owns the link or document, when the platform sends it. */
  ownerEmail?: string;
}

export interface LinkActivity extends Base {
  kind: 'link';
  documentName: string;
  documentUrl?: string;
  internalUrl?: string;
  externalUrl?: string;
  accountName: string;
  creator: Person;
  visitors: Person[];
}

export interface SpaceActivity extends Base {
  kind: 'space';
  name: string;
  url?: string;
  internalUrl?: string;
  accountName: string;
  creator: Person;
}

export interface MessageActivity extends Base {
  kind: 'message';
  channel: string;
  from: Person;
  toEmail?: string;
  toPhone?: string;
  toName?: string;
  subject?: string;
  body?: string;
  campaign?: string;
}

export type Activity = VisitActivity | LinkActivity | SpaceActivity | MessageActivity;

export const ACTIVITY_TYPES: Readonly<Record<string, Activity['kind']>> = {
  'relay.visit': 'visit',
  'relay.link.created': 'link',
  'relay.space.created': 'space',
  'relay.message.sent': 'message',
};

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : Number(v) || 0);

function person(v: unknown): Person | undefined {
  if (typeof v === 'string') return str(v) ? { email: normalizeEmail(v) } : undefined;
  const o = obj(v);
  const email = str(o.email);
  if (!email) return undefined;
  const name = str(o.name);
  return name ? { email: normalizeEmail(email), name } : { email: normalizeEmail(email) };
}

function iso(v: unknown, fallback: string): string {
  const s = str(v);
  if (!s) return fallback;
  const t = Date.parse(s);
  return Number.isNaN(t) ? fallback : new Date(t).toISOString();
}

function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

export function externalKey(workspaceId: string, activityId: string): string {
  return `${workspaceId}:${activityId}`;
}

/** The activity of an event, or a reason it cannot be one (should not happen after intake). */
export function readActivity(event: StoredEvent): Activity | { invalid: string } {
  const d = obj(event.data);
  const ws = event.workspaceId;
  switch (event.type) {
    case 'relay.visit': {
      const visitor = person(d.visitor);
      const visitId = str(d.visitId);
      const documentName = str(obj(d.document).name);
      if (!visitor || !visitId || !documentName)
        return { invalid: 'data.visitId, data.visitor.email and data.document.name are required' };
      return {
        kind: 'visit',
        event,
        type: event.type,
        activityId: visitId,
        externalKey: externalKey(ws, visitId),
        occurredAt: iso(d.startedAt, event.time),
        visitor,
        documentName,
        ...opt('documentUrl', str(obj(d.document).url)),
        ...opt('spaceName', str(obj(d.space).name)),
        ...opt('accountName', str(d.accountName)),
        durationSeconds: num(d.durationSeconds),
        percentViewed: num(d.percentViewed),
        active: d.active === true,
        ...opt('statsUrl', str(d.statsUrl)),
        ...opt('linkId', str(d.linkId) ?? str(obj(d.link).id)),
        ...opt(
          'ownerEmail',
          person(d.owner)?.email ??
            person(d.createdBy)?.email ??
            (str(d.ownerEmail) ? normalizeEmail(str(d.ownerEmail)!) : undefined),
        ),
      };
    }
    case 'relay.link.created': {
      const linkId = str(d.linkId);
      const documentName = str(obj(d.document).name);
      const creator = person(d.createdBy);
      const accountName = str(d.accountName);
      if (!linkId || !documentName || !creator || !accountName)
        return { invalid: 'data.linkId, data.document.name, data.accountName and data.createdBy.email are required' };
      const visitors: Person[] = [];
      for (const v of Array.isArray(d.visitors) ? d.visitors : []) {
        const p = person(v);
        if (p && !visitors.some((x) => x.email === p.email)) visitors.push(p);
      }
      return {
        kind: 'link',
        event,
        type: event.type,
        activityId: linkId,
        externalKey: externalKey(ws, linkId),
        occurredAt: event.time,
        documentName,
        ...opt('documentUrl', str(obj(d.document).url)),
        ...opt('internalUrl', str(d.internalUrl)),
        ...opt('externalUrl', str(d.externalUrl)),
        accountName,
        creator,
        visitors,
      };
    }
    case 'relay.space.created': {
      const spaceId = str(d.spaceId);
      const name = str(d.name);
      const creator = person(d.createdBy);
      const accountName = str(d.accountName);
      if (!spaceId || !name || !creator || !accountName)
        return { invalid: 'data.spaceId, data.name, data.accountName and data.createdBy.email are required' };
      return {
        kind: 'space',
        event,
        type: event.type,
        activityId: spaceId,
        externalKey: externalKey(ws, spaceId),
        occurredAt: event.time,
        name,
        ...opt('url', str(d.url)),
        ...opt('internalUrl', str(d.internalUrl)),
        accountName,
        creator,
      };
    }
    case 'relay.message.sent': {
      const messageId = str(d.messageId);
      const from = person(d.from);
      const to = obj(d.to);
      const toEmail = str(to.email);
      const toPhone = str(to.phone);
      if (!messageId || !from || (!toEmail && !toPhone))
        return { invalid: 'data.messageId, data.from.email and data.to.email or data.to.phone are required' };
      return {
        kind: 'message',
        event,
        type: event.type,
        activityId: messageId,
        externalKey: externalKey(ws, messageId),
        occurredAt: iso(d.sentAt, event.time),
        channel: str(d.channel) ?? 'email',
        from,
        ...opt('toEmail', toEmail ? normalizeEmail(toEmail) : undefined),
        ...opt('toPhone', toPhone ? normalizePhone(toPhone) : undefined),
        ...opt('toName', str(to.name)),
        ...opt('subject', str(d.subject)),
        ...opt('body', typeof d.body === 'string' && d.body !== '' ? d.body : undefined),
        ...opt('campaign', str(d.campaign)),
      };
    }
    default:
      return { invalid: `'${event.type}' is not an activity` };
  }
}

/** Phones are compared in E.164: digits with a leading +, separators dropped. */
export function normalizePhone(phone: string): string {
  const trimmed = phone.trim();
  const digits = trimmed.replace(/[^0-9]/g, '');
  return trimmed.startsWith('+') ? `+${digits}` : digits;
}

/** The person an activity is about (visits: the visitor; messages: the recipient). */
export function personEmail(a: Activity): string | undefined {
  if (a.kind === 'visit') return a.visitor.email;
  if (a.kind === 'message') return a.toEmail;
  return undefined;
}

/** The platform user whose Salesforce User owns the Task (link/space creator, message sender). */
export function platformUserEmail(a: Activity): string | undefined {
  if (a.kind === 'link' || a.kind === 'space') return a.creator.email;
  if (a.kind === 'message') return a.from.email;
  return a.ownerEmail;
}

export function accountNameOf(a: Activity): string | undefined {
  return a.kind === 'message' ? undefined : a.accountName;
}
