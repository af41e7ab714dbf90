// The contract of an activity kind: everything Relay knows about one CloudEvent type that becomes a
// Task, in one module per kind (visit.ts, link.ts, space.ts, message.ts), registered in the table
// in ../activities.ts. The engine (switches, lookups), matching (who and what the Task is about) and
// Task building (Subject, data points, Description, TaskSubtype) read the kinds; none of them
// switches on the kind itself.
import type { StoredEvent } from '../../queue/batch.js';
import type { SyncSettings } from '../settings.js';
import type { ActivityDetails } from '../state.js';
import type { ActivityBase, Obj, Person } from './base.js';

/**
 * A data point of an activity by platform field (the names of PlatformFieldCatalog.cls): written to
 * the Task field an active Task mapping names, or else as a Description line.
 */
export interface DataPoint {
  platformField: string;
  aliases: string[];
  value: string | number;
  line: string;
}

/**
 * The document an activity is about, as a data point (visits, links and spaces share it, so one
 * Task field mapping serves all three); its Description line names what it is (`Space:` for a space).
 */
export function documentPoint(name: string, url?: string, label = 'Document'): DataPoint {
  return {
    platformField: 'visit.documentName',
    aliases: ['document.name', 'documentName'],
    value: name,
    line: `${label}: ${name}${url ? ` (${url})` : ''}`,
  };
}

export interface DescriptionContext {
  /** IncludeMessageContent: message bodies only when the admin switched it on. */
  includeContent: boolean;
  /** For links: every visitor known so far (link.created lists and visits through the link). */
  visitors?: Person[];
}

/** Methods, not function properties: a kind of one activity type stands in the table of all. */
export interface ActivityKind<A extends ActivityBase & { kind: string }> {
  /** The CloudEvent type; its intake schema (DATA_SCHEMAS, src/intake/schemas.ts) validates the event first. */
  readonly type: string;
  readonly kind: A['kind'];
  /** The Sync* setting that switches the kind off (its events are then skipped). */
  readonly switchName: keyof SyncSettings;
  /** The data field holding the activity id: the Task's external key is `<workspace id>:<id>`. */
  readonly idField: string;
  /** The activity of a stored event, or what it lacks. */
  read(data: Obj, event: StoredEvent, id: string | undefined): A | { invalid: string };
  /** The person the Task is about, by email: matched to a Contact or Lead, else made a Lead. */
  personEmail?(a: A): string | undefined;
  /** The person by phone (E.164), when there is no email. */
  personPhone?(a: A): string | undefined;
  /** The person's name, for a Lead created for them. */
  personName?(a: A): string | undefined;
  /** The Account the Task goes to when no person matches. */
  accountName?(a: A): string | undefined;
  /** The platform user whose Salesforce User owns the Task. */
  platformUser(a: A): string | undefined;
  subject(a: A): string;
  /** The Subject of an open follow-up Task (FollowUpTasksForUnmatched); `Follow up: <subject>` by default. */
  followUpSubject?(a: A): string;
  /** TaskSubtype on create; `Task` by default. */
  taskSubtype?(a: A): string;
  /** Data points besides the event type, in Description order. */
  dataPoints(a: A): DataPoint[];
  /** The Description's lines after the data points. */
  description(a: A, ctx: DescriptionContext): string[];
  /** What the sidebar's timeline shows of the activity besides its title (the Subject). */
  details(a: A, includeContent: boolean): ActivityDetails;
  /** The tracked link the activity went through: its person joins that link's visitor list. */
  linkId?(a: A): string | undefined;
  /** When the person was last seen, for the sidebar's person facts (visits only). */
  lastSeenAt?(a: A): string | undefined;
}
