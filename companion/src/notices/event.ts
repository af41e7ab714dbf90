// The CloudEvent a notice sends the platform (docs/platform-api.md, "Notices"), so it can e-mail its
// customer: `relay.notice.quota_warning` or `relay.notice.sync_stopped`, source
// `relay/notices/<workspace id>`, subject the cause, `data` = {cause, period, message, since,
// details}. Built once and stored in the reverse-sync outbox, which signs and delivers it.
import { randomUUID } from 'node:crypto';
import type { OutboxEvent } from '../reverse/outbox.js';
import { outboundType, type NoticeCause } from './causes.js';

export function buildNoticeEvent(
  notice: { workspaceId: string; cause: NoticeCause; period: string; message: string; openedAt: string },
  details: Record<string, unknown>,
): OutboxEvent {
  const eventId = randomUUID();
  const type = outboundType(notice.cause);
  const event = {
    specversion: '1.0',
    id: eventId,
    source: `relay/notices/${notice.workspaceId}`,
    type,
    time: notice.openedAt,
    subject: notice.cause,
    datacontenttype: 'application/json',
    data: {
      cause: notice.cause,
      period: notice.period || null,
      message: notice.message,
      since: notice.openedAt,
      details,
    },
  };
  // One outbox "record" per cause keeps a cause's notices in order behind each other.
  return { eventId, type, recordId: `notice:${notice.cause}`, body: JSON.stringify(event) };
}
