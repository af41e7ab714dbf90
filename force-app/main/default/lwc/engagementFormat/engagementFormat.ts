// Words of the record sidebar, kept pure so every rule is unit-tested with fixed dates: how long
// ago an activity happened, the day heading it falls under, which timeline filter it belongs to,
// and how the engagement signal reads.
import { activityKind } from 'c/relayFormat';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "5 min ago", "3 h ago", "yesterday", "4 days ago", then the date. */
export function relativeTime(iso: string | null | undefined, now: Date = new Date()): string {
  const at = iso ? new Date(iso) : null;
  if (!at || Number.isNaN(at.getTime())) {
    return '';
  }
  const ago = now.getTime() - at.getTime();
  if (ago < MINUTE) {
    return 'just now';
  }
  if (ago < HOUR) {
    return `${Math.floor(ago / MINUTE)} min ago`;
  }
  if (ago < DAY && dayKey(at) === dayKey(now)) {
    return `${Math.floor(ago / HOUR)} h ago`;
  }
  const days = daysBetween(at, now);
  if (days <= 1) {
    return 'yesterday';
  }
  return days < 7 ? `${days} days ago` : at.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

/** The local calendar day of a date, as a sortable key (YYYY-MM-DD). */
export function dayKey(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function daysBetween(earlier: Date, later: Date): number {
  const start = new Date(earlier.getFullYear(), earlier.getMonth(), earlier.getDate());
  const end = new Date(later.getFullYear(), later.getMonth(), later.getDate());
  return Math.round((end.getTime() - start.getTime()) / DAY);
}

/** "Today", "Yesterday", else the weekday and date ("Wednesday, Nov 18"). */
export function dayHeading(iso: string, now: Date = new Date()): string {
  const at = new Date(iso);
  const days = daysBetween(at, now);
  if (days === 0) {
    return 'Today';
  }
  if (days === 1) {
    return 'Yesterday';
  }
  const sameYear = at.getFullYear() === now.getFullYear();
  return at.toLocaleDateString(undefined, {
    weekday: 'long',
    month: 'short',
    day: 'numeric',
    ...(sameYear ? {} : { year: 'numeric' }),
  });
}

/** The timeline's filters, one per kind of activity the companion sends. */
export type TimelineFilter = 'all' | 'visits' | 'shares' | 'messages';

export const TIMELINE_FILTERS: { value: TimelineFilter; label: string }[] = [
  { value: 'all', label: 'All activity' },
  { value: 'visits', label: 'Visits' },
  { value: 'shares', label: 'Links and spaces' },
  { value: 'messages', label: 'Messages and touchpoints' },
];

export function matchesFilter(type: string | null | undefined, filter: TimelineFilter): boolean {
  const kind = activityKind(type);
  switch (filter) {
    case 'visits':
      return kind === 'visit';
    case 'shares':
      return kind === 'link' || kind === 'space';
    case 'messages':
      return kind === 'message';
    default:
      return true;
  }
}

const LEVELS: Record<string, { label: string; badgeClass: string }> = {
  hot: { label: 'Hot', badgeClass: 'slds-theme_error' },
  warm: { label: 'Warm', badgeClass: 'slds-theme_warning' },
  cool: { label: 'Cool', badgeClass: 'slds-theme_info' },
  none: { label: 'No recent activity', badgeClass: 'slds-badge_lightest' },
};

export function signalLevelLabel(level: string | null | undefined): string {
  return (level && LEVELS[level]?.label) || LEVELS.none.label;
}

export function signalBadgeClass(level: string | null | undefined): string {
  return (level && LEVELS[level]?.badgeClass) || LEVELS.none.badgeClass;
}

const TRENDS: Record<string, string> = {
  rising: 'Rising: more activity in the last 30 days than the two months before',
  steady: 'Steady: about as active as the two months before',
  falling: 'Falling: less activity in the last 30 days than the two months before',
  new: 'New: active in the last 30 days, not in the two months before',
};

export function signalTrendText(trend: string | null | undefined): string | null {
  return (trend && TRENDS[trend]) || null;
}

export const TREND_ICONS: Record<string, string> = {
  rising: 'utility:arrowup',
  steady: 'utility:right',
  falling: 'utility:arrowdown',
  new: 'utility:new',
};
