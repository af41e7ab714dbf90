// Messages (`relay.message.sent`): a platform user sent an email, a LinkedIn message, an SMS… The
// Task is about the recipient (by email, or by phone in E.164), owned by the sender; the body is
// written only with IncludeMessageContent.
import { normalizeEmail, normalizePhone } from '../matching.js';
import { activityBase, iso, obj, opt, person, personLine, str, type ActivityBase, type Person } from './base.js';
import type { ActivityKind } from './kind.js';

export interface MessageActivity extends ActivityBase {
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

function subjectOf(a: MessageActivity): string {
  const base = CHANNEL_SUBJECTS[a.channel] ?? 'Message sent';
  if (a.channel === 'email') return `${base}: ${a.subject ?? '(no subject)'}`;
  return a.subject ? `${base}: ${a.subject}` : base;
}

export const message: ActivityKind<MessageActivity> = {
  type: 'relay.message.sent',
  kind: 'message',
  switchName: 'SyncMessages',
  idField: 'messageId',
  read(d, event, id) {
    const from = person(d.from);
    const to = obj(d.to);
    const toEmail = str(to.email);
    const toPhone = str(to.phone);
    if (!id || !from || (!toEmail && !toPhone))
      return { invalid: 'data.messageId, data.from.email and data.to.email or data.to.phone are required' };
    return {
      kind: 'message',
      ...activityBase(event, id, iso(d.sentAt, event.time)),
      channel: str(d.channel) ?? 'email',
      from,
      ...opt('toEmail', toEmail ? normalizeEmail(toEmail) : undefined),
      ...opt('toPhone', toPhone ? normalizePhone(toPhone) : undefined),
      ...opt('toName', str(to.name)),
      ...opt('subject', str(d.subject)),
      ...opt('body', typeof d.body === 'string' && d.body !== '' ? d.body : undefined),
      ...opt('campaign', str(d.campaign)),
    };
  },
  personEmail: (a) => a.toEmail,
  personPhone: (a) => a.toPhone,
  personName: (a) => a.toName,
  platformUser: (a) => a.from.email,
  subject: subjectOf,
  followUpSubject: (a) => `Follow up: ${a.toEmail ?? a.toPhone ?? 'recipient'} (${subjectOf(a)})`,
  taskSubtype: (a) => CHANNEL_SUBTYPES[a.channel] ?? 'Task',
  dataPoints: (a) => [
    { platformField: 'message.channel', aliases: ['channel'], value: a.channel, line: `Channel: ${a.channel}` },
  ],
  description(a, ctx) {
    const to = a.toEmail ?? a.toPhone ?? '';
    return [
      `From: ${personLine(a.from)}`,
      `To: ${a.toName ? `${a.toName} <${to}>` : to}`,
      ...(a.subject ? [`Subject: ${a.subject}`] : []),
      ...(a.campaign ? [`Campaign: ${a.campaign}`] : []),
      `Sent: ${a.occurredAt}`,
      // The body only when the admin switched IncludeMessageContent on (privacy by default).
      ...(ctx.includeContent && a.body ? ['', a.body] : []),
    ];
  },
  details: (a, includeContent) => ({
    channel: a.channel,
    ...(a.subject ? { subject: a.subject } : {}),
    ...(includeContent && a.body ? { content: a.body } : {}),
  }),
};
