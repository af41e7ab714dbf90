// Document visits (`relay.visit`): someone viewed a document. The Task is about the visitor (else
// the Account the visit names), owned by the document's owner. An active visit is written at most
// once per VisitResyncMinutes (../activity-candidates.ts); a visit through a tracked link adds its
// visitor to the link's Task (../link-visitors.ts).
import { normalizeEmail } from '../matching.js';
import { activityBase, iso, num, obj, opt, person, personLine, str, type ActivityBase, type Person } from './base.js';
import { documentPoint, type ActivityKind, type DataPoint } from './kind.js';

export interface VisitActivity extends ActivityBase {
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
  /** No startedAt: the visit started when its first event happened (../activity-candidates.ts). */
  startInferred?: true;
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

function ownerOf(d: Record<string, unknown>): string | undefined {
  const named = str(d.ownerEmail);
  return person(d.owner)?.email ?? person(d.createdBy)?.email ?? (named ? normalizeEmail(named) : undefined);
}

function figures(a: VisitActivity): DataPoint[] {
  return [
    {
      platformField: 'visit.durationSeconds',
      aliases: ['durationSeconds'],
      value: Math.round(a.durationSeconds),
      line: `Duration: ${formatDuration(a.durationSeconds)}`,
    },
    {
      platformField: 'visit.percentViewed',
      aliases: ['percentViewed'],
      value: round2(a.percentViewed),
      line: `Viewed: ${round2(a.percentViewed)} %`,
    },
  ];
}

export const visit: ActivityKind<VisitActivity> = {
  type: 'relay.visit',
  kind: 'visit',
  switchName: 'SyncVisits',
  idField: 'visitId',
  read(d, event, id) {
    const visitor = person(d.visitor);
    const documentName = str(obj(d.document).name);
    if (!visitor || !id || !documentName)
      return { invalid: 'data.visitId, data.visitor.email and data.document.name are required' };
    return {
      kind: 'visit',
      ...activityBase(event, id, iso(d.startedAt, event.time)),
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
      ...opt('ownerEmail', ownerOf(d)),
      ...(iso(d.startedAt, '') === '' ? { startInferred: true as const } : {}),
    };
  },
  personEmail: (a) => a.visitor.email,
  personName: (a) => a.visitor.name,
  accountName: (a) => a.accountName,
  platformUser: (a) => a.ownerEmail,
  subject: (a) => `Viewed: ${a.documentName}`,
  followUpSubject: (a) => `Follow up: ${a.visitor.email} viewed ${a.documentName}`,
  dataPoints: (a) => [
    documentPoint(a.documentName, a.documentUrl),
    ...figures(a),
    ...(a.statsUrl
      ? [
          {
            platformField: 'visit.statsUrl',
            aliases: ['statsUrl'],
            value: a.statsUrl,
            line: `Statistics: ${a.statsUrl}`,
          },
        ]
      : []),
  ],
  description: (a) => [
    `Visitor: ${personLine(a.visitor)}`,
    ...(a.accountName ? [`Account: ${a.accountName}`] : []),
    ...(a.spaceName ? [`Space: ${a.spaceName}`] : []),
    `Status: ${a.active ? 'still viewing' : 'visit ended'}`,
    `Started: ${a.occurredAt}`,
  ],
  details: (a) => ({
    documentName: a.documentName,
    durationSeconds: a.durationSeconds,
    percentViewed: a.percentViewed,
    ...(a.statsUrl ? { statsUrl: a.statsUrl } : {}),
  }),
  linkId: (a) => a.linkId,
  lastSeenAt: (a) => a.event.time,
};
