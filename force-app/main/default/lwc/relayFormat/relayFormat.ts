// Pure presentation helpers shared by Relay's components: how an activity type, a channel, a
// sync status, a duration or an export file is named on screen. No DOM and no platform import, so
// every rule here is unit-tested directly.

/** The kinds of timeline entries the sidebar draws differently. */
export type ActivityKind = 'visit' | 'link' | 'space' | 'message' | 'other';

const KIND_OF_TYPE: Record<string, ActivityKind> = {
  'relay.visit': 'visit',
  'relay.link.created': 'link',
  'relay.space.created': 'space',
  'relay.message.sent': 'message',
  'relay.touchpoint': 'message',
};

/** Maps a CloudEvent type (docs/intake-api.md) to how the timeline draws it. */
export function activityKind(type: string | null | undefined): ActivityKind {
  if (!type) {
    return 'other';
  }
  if (KIND_OF_TYPE[type]) {
    return KIND_OF_TYPE[type];
  }
  // Touchpoint types the platform adds later (relay.touchpoint.logged…) read like messages.
  return type.startsWith('relay.touchpoint') || type.startsWith('relay.message') ? 'message' : 'other';
}

const ACTIVITY_LABELS: Record<ActivityKind, string> = {
  visit: 'Document visit',
  link: 'Link created',
  space: 'Space created',
  message: 'Message',
  other: 'Activity',
};

const ACTIVITY_ICONS: Record<ActivityKind, string> = {
  visit: 'utility:preview',
  link: 'utility:link',
  space: 'utility:open_folder',
  message: 'utility:comments',
  other: 'utility:event',
};

export function activityLabel(type: string | null | undefined): string {
  if (type && type.startsWith('relay.touchpoint')) {
    return 'Touchpoint';
  }
  return ACTIVITY_LABELS[activityKind(type)];
}

export function activityIcon(type: string | null | undefined, channel?: string | null): string {
  const kind = activityKind(type);
  if (kind === 'message' && channel) {
    return channelIcon(channel);
  }
  return ACTIVITY_ICONS[kind];
}

const CHANNELS: Record<string, { label: string; icon: string }> = {
  email: { label: 'Email', icon: 'utility:email' },
  linkedin: { label: 'LinkedIn', icon: 'utility:socialshare' },
  sms: { label: 'SMS', icon: 'utility:sms' },
  whatsapp: { label: 'WhatsApp', icon: 'utility:chat' },
  chat: { label: 'Chat', icon: 'utility:chat' },
  call: { label: 'Call', icon: 'utility:call' },
};

export function channelLabel(channel: string | null | undefined): string {
  if (!channel) {
    return '';
  }
  return CHANNELS[channel.toLowerCase()]?.label ?? channel.charAt(0).toUpperCase() + channel.slice(1);
}

export function channelIcon(channel: string | null | undefined): string {
  return (channel && CHANNELS[channel.toLowerCase()]?.icon) || 'utility:comments';
}

const SYNC_STATUSES: Record<string, { label: string; badgeClass: string }> = {
  synced: { label: 'Synced', badgeClass: 'slds-theme_success' },
  pending: { label: 'Pending', badgeClass: 'slds-badge_lightest' },
  retrying: { label: 'Retrying', badgeClass: 'slds-theme_warning' },
  failed: { label: 'Failed', badgeClass: 'slds-theme_error' },
};

export function syncStatusLabel(status: string | null | undefined): string {
  return (status && SYNC_STATUSES[status]?.label) || 'Unknown';
}

export function syncStatusBadgeClass(status: string | null | undefined): string {
  return (status && SYNC_STATUSES[status]?.badgeClass) || 'slds-badge_lightest';
}

/**
 * A visit's length as people say it: "45 s", "2 min 5 s", "1 h 2 min". Null for no value.
 * @example formatDuration(125) // '2 min 5 s'
 */
/**
 * Milliseconds since the epoch for an ISO date-time, null when there is none or it cannot be read.
 * lightning-relative-date-time accepts only a timestamp or a Date: given the ISO string the
 * companion sends, it renders nothing (and throws in debug mode).
 */
export function toTimestamp(iso: string | null | undefined): number | null {
  if (!iso) {
    return null;
  }
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

export function formatDuration(totalSeconds: number | null | undefined): string | null {
  if (totalSeconds === null || totalSeconds === undefined || !Number.isFinite(totalSeconds) || totalSeconds < 0) {
    return null;
  }
  const seconds = Math.round(totalSeconds);
  if (seconds < 60) {
    return `${seconds} s`;
  }
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (hours > 0) {
    return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  }
  return rest > 0 ? `${minutes} min ${rest} s` : `${minutes} min`;
}

/** Share of a limit in whole percent, 0–100, for progress bars; 0 when the limit is unknown. */
export function percentOf(used: number | null | undefined, limit: number | null | undefined): number {
  if (!used || !limit || limit <= 0) {
    return 0;
  }
  return Math.min(100, Math.max(0, Math.round((used / limit) * 100)));
}

/** `relay-sync-errors-validation-2026-11-22.csv`: the category (if any) and the local date. */
export function exportFileName(category: string | null | undefined, now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  const slug = category ? `-${category.toLowerCase().replace(/[^a-z0-9]+/g, '-')}` : '';
  return `relay-sync-errors${slug}-${date}.csv`;
}
