// Spaces (`relay.space.created`): a platform user created a space for an account. The Task goes to
// that Account, owned by the space's creator.
import { activityBase, opt, person, personLine, str, type ActivityBase, type Person } from './base.js';
import { documentPoint, type ActivityKind } from './kind.js';

export interface SpaceActivity extends ActivityBase {
  kind: 'space';
  name: string;
  url?: string;
  internalUrl?: string;
  accountName: string;
  creator: Person;
}

export const space: ActivityKind<SpaceActivity> = {
  type: 'relay.space.created',
  kind: 'space',
  switchName: 'SyncSpaceCreation',
  idField: 'spaceId',
  read(d, event, id) {
    const name = str(d.name);
    const creator = person(d.createdBy);
    const accountName = str(d.accountName);
    if (!id || !name || !creator || !accountName)
      return { invalid: 'data.spaceId, data.name, data.accountName and data.createdBy.email are required' };
    return {
      kind: 'space',
      ...activityBase(event, id, event.time),
      name,
      ...opt('url', str(d.url)),
      ...opt('internalUrl', str(d.internalUrl)),
      accountName,
      creator,
    };
  },
  accountName: (a) => a.accountName,
  platformUser: (a) => a.creator.email,
  subject: (a) => `Space created: ${a.name}`,
  dataPoints: (a) => [documentPoint(a.name, undefined, 'Space')],
  description: (a) => [
    `Account: ${a.accountName}`,
    `Created by: ${personLine(a.creator)}`,
    ...(a.url ? [`Link: ${a.url}`] : []),
    ...(a.internalUrl ? [`Manage: ${a.internalUrl}`] : []),
  ],
  details: (a) => ({ documentName: a.name }),
};
