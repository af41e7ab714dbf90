// The CloudEvents of one poll, from the changes decide() chose: the person facts' tags, the
// auto-created tag on `created` events when TagAutoCreated is on (so the platform can tell the
// contacts Salesforce made from people who signed up), and every field through the platform's value
// rules — a refused value is left out and named, the rest of the record is sent.
import type { OrgConfiguration, SyncSettings } from '../sync/settings.js';
import { buildEvent, eventType, type ChangeType, type RecordChange } from './cloudevent.js';
import type { OutboxEvent } from './outbox.js';
import type { PersonFieldFacts } from './platform-describe.js';
import { applyPlatformRules } from './platform-rules.js';
import type { RecordRejections } from './rejections.js';

export interface Composed {
  events: OutboxEvent[];
  rejections: RecordRejections[];
  /** `updated` changes not sent because every changed value was refused (named in `rejections`). */
  withheld: number;
}

/** Tags added by Relay's own settings: the auto-created tag on records the platform is told are new. */
export function settingTags(settings: Pick<SyncSettings, 'TagAutoCreated' | 'AutoCreatedTagText'>, kind: ChangeType) {
  const text = settings.AutoCreatedTagText.trim();
  return kind === 'created' && settings.TagAutoCreated && text !== '' ? [text] : [];
}

export interface ComposeInput {
  orgId: string;
  config: OrgConfiguration;
  facts: PersonFieldFacts | undefined;
  changes: readonly (RecordChange & { email: string | null })[];
  /** The person facts' tags of each change, by record id. */
  tagsOf: (change: RecordChange & { email: string | null }) => string[];
}

export function composeEvents(input: ComposeInput): Composed {
  const events: OutboxEvent[] = [];
  const rejections: RecordRejections[] = [];
  let withheld = 0;
  const source = `relay/salesforce/${input.orgId}`;
  for (const { email, ...change } of input.changes) {
    const ruled = applyPlatformRules(input.config, change.object, change.fields, input.facts);
    const refused = new Set(ruled.rejected.map((r) => r.field));
    const changedFields = change.changedFields.filter((f) => !refused.has(f));
    // An update whose every changed value was refused has nothing to tell the platform.
    const send = change.kind !== 'updated' || changedFields.length > 0;
    const event = send
      ? buildEvent(input.orgId, {
          ...change,
          fields: ruled.fields,
          changedFields,
          tags: [
            ...new Set([...input.tagsOf({ ...change, email }), ...settingTags(input.config.settings, change.kind)]),
          ],
        })
      : null;
    if (event) events.push(event);
    else withheld += 1;
    if (change.kind === 'deleted') continue; // its values were judged when they were current
    rejections.push({
      recordId: change.recordId,
      object: change.object,
      email,
      eventId: event?.eventId ?? null,
      eventType: eventType(change.object, change.kind),
      source,
      rejected: ruled.rejected,
      passed: Object.keys(ruled.fields),
    });
  }
  return { events, rejections, withheld };
}
