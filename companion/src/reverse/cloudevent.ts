// The CloudEvents Relay sends the platform (docs/platform-api.md): `relay.salesforce.contact|lead.created|
// updated|deleted`, specversion 1.0, a fresh UUID per event, source `relay/salesforce/<org id>`,
// `subject` the record id, `data` = {id, fields, changedFields, tags}. The JSON text is built once and
// stored: the bytes signed at each attempt are the bytes stored.
import { randomUUID } from 'node:crypto';
import type { PersonObject } from './fields.js';
import type { OutboxEvent } from './outbox.js';

export type ChangeType = 'created' | 'updated' | 'deleted';

export interface RecordChange {
  object: PersonObject;
  kind: ChangeType;
  recordId: string;
  /** RFC 3339: when Salesforce recorded the change. */
  time: string;
  fields: Record<string, unknown>;
  changedFields: string[];
  tags: string[];
}

export function eventType(object: PersonObject, kind: ChangeType): string {
  return `relay.salesforce.${object.toLowerCase()}.${kind}`;
}

export function buildEvent(orgId: string, change: RecordChange): OutboxEvent {
  const eventId = randomUUID();
  const type = eventType(change.object, change.kind);
  const event = {
    specversion: '1.0',
    id: eventId,
    source: `relay/salesforce/${orgId}`,
    type,
    time: change.time,
    subject: change.recordId,
    datacontenttype: 'application/json',
    data: {
      id: change.recordId,
      fields: change.fields,
      changedFields: change.changedFields,
      tags: change.tags,
    },
  };
  return { eventId, type, recordId: change.recordId, body: JSON.stringify(event) };
}
