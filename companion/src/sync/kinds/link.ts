// Tracked links (`relay.link.created`): a platform user shared a document through a link. The Task
// goes to the Account the link names, owned by its creator, and lists the link's visitors — those
// its events list and those visits through it add (../link-visitors.ts).
import type { LinkSnapshot } from '../state.js';
import { activityBase, obj, opt, person, personLine, str, type ActivityBase, type Obj, type Person } from './base.js';
import { documentPoint, type ActivityKind } from './kind.js';

export interface LinkActivity extends ActivityBase, LinkSnapshot {
  kind: 'link';
  visitors: Person[];
}

function visitorsOf(d: Obj): Person[] {
  const visitors: Person[] = [];
  for (const v of Array.isArray(d.visitors) ? d.visitors : []) {
    const p = person(v);
    if (p && !visitors.some((x) => x.email === p.email)) visitors.push(p);
  }
  return visitors;
}

/** The link without its event, identity and visitors: what its Task is rebuilt from later. */
function snapshotOf(a: LinkActivity): LinkSnapshot {
  const {
    event: _event,
    visitors: _visitors,
    kind: _kind,
    type: _type,
    externalKey: _key,
    activityId: _id,
    ...snapshot
  } = a;
  return snapshot;
}

export const link: ActivityKind<LinkActivity> = {
  type: 'relay.link.created',
  kind: 'link',
  switchName: 'SyncLinkCreation',
  idField: 'linkId',
  read(d, event, id) {
    const documentName = str(obj(d.document).name);
    const creator = person(d.createdBy);
    const accountName = str(d.accountName);
    if (!id || !documentName || !creator || !accountName)
      return { invalid: 'data.linkId, data.document.name, data.accountName and data.createdBy.email are required' };
    return {
      kind: 'link',
      ...activityBase(event, id, event.time),
      documentName,
      ...opt('documentUrl', str(obj(d.document).url)),
      ...opt('internalUrl', str(d.internalUrl)),
      ...opt('externalUrl', str(d.externalUrl)),
      accountName,
      creator,
      visitors: visitorsOf(d),
    };
  },
  accountName: (a) => a.accountName,
  platformUser: (a) => a.creator.email,
  subject: (a) => `Link created: ${a.documentName}`,
  dataPoints: (a) => [documentPoint(a.documentName, a.documentUrl)],
  description(a, ctx) {
    const visitors = ctx.visitors ?? a.visitors;
    return [
      `Account: ${a.accountName}`,
      `Created by: ${personLine(a.creator)}`,
      ...(a.externalUrl ? [`Link: ${a.externalUrl}`] : []),
      ...(a.internalUrl ? [`Manage: ${a.internalUrl}`] : []),
      `Visitors (${visitors.length}): ${visitors.length > 0 ? visitors.map(personLine).join(', ') : 'none yet'}`,
    ];
  },
  details: (a) => ({ documentName: a.documentName, link: snapshotOf(a) }),
};
