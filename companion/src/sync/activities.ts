// The activity kinds: the table of every CloudEvent type that becomes a Task, one module per kind
// (kinds/). The engine, matching and Task building ask here — by event type or by activity — and
// never switch on the kind themselves; adding a kind is one module, imported and listed in `KINDS`
// below (README.md, "Adding an activity kind").
import type { StoredEvent } from '../queue/batch.js';
import type { SyncSettings } from './settings.js';
import type { ActivityDetails } from './state.js';
import { obj, str } from './kinds/base.js';
import type { ActivityKind } from './kinds/kind.js';
import { link } from './kinds/link.js';
import { message } from './kinds/message.js';
import { space } from './kinds/space.js';
import { visit } from './kinds/visit.js';

export { externalKey, type Person } from './kinds/base.js';

const KINDS = [visit, link, space, message] as const;

type ActivityOf<K> = K extends ActivityKind<infer A> ? A : never;

/** An activity of any kind in KINDS (a union discriminated by `kind`). */
export type Activity = ActivityOf<(typeof KINDS)[number]>;

const BY_TYPE = new Map(KINDS.map((k) => [k.type, k]));
const BY_KIND = new Map(KINDS.map((k) => [k.kind, k]));

export function isActivityType(type: string): boolean {
  return BY_TYPE.has(type);
}

export function kindOf(a: Activity): ActivityKind<Activity> {
  return BY_KIND.get(a.kind)!;
}

/** The activity of an event, or a reason it cannot be one (should not happen after intake). */
export function readActivity(event: StoredEvent): Activity | { invalid: string } {
  const kind = BY_TYPE.get(event.type);
  if (!kind) return { invalid: `'${event.type}' is not an activity` };
  const data = obj(event.data);
  return kind.read(data, event, str(data[kind.idField]));
}

/** The Sync* setting that switches the activity's kind off. */
export function switchOf(a: Activity): keyof SyncSettings {
  return kindOf(a).switchName;
}

/** The person an activity is about (visits: the visitor; messages: the recipient). */
export function personEmail(a: Activity): string | undefined {
  return kindOf(a).personEmail?.(a);
}

/** The person by phone, when the activity names no email. */
export function personPhone(a: Activity): string | undefined {
  return personEmail(a) ? undefined : kindOf(a).personPhone?.(a);
}

export function personName(a: Activity): string | undefined {
  return kindOf(a).personName?.(a);
}

/** The platform user whose Salesforce User owns the Task (link/space creator, message sender). */
export function platformUserEmail(a: Activity): string | undefined {
  return kindOf(a).platformUser(a);
}

export function accountNameOf(a: Activity): string | undefined {
  return kindOf(a).accountName?.(a);
}

export function subjectOf(a: Activity): string {
  return kindOf(a).subject(a);
}

/** What the sidebar shows of an activity; its title is the Task's Subject, so both read alike. */
export function detailsOf(a: Activity, includeContent: boolean): ActivityDetails {
  return { title: subjectOf(a), ...kindOf(a).details(a, includeContent) };
}

/** When the person an activity is about was last seen (visits), for the sidebar's person facts. */
export function lastSeenAt(a: Activity): string | undefined {
  return kindOf(a).lastSeenAt?.(a);
}

/** The tracked link an activity went through (visits through a link). */
export function linkIdOf(a: Activity): string | undefined {
  return kindOf(a).linkId?.(a);
}
