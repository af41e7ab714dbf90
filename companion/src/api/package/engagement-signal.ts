// The engagement signal of the record sidebar: how warm a person or account is (a 0–100 score, a
// level and a 30-day trend against the 60 days before) and why, in one sentence a rep can act on.
// Pure: it reads the activities the companion already stores and the time of the question, so the
// rules are unit-tested with fixed dates (test/engagement-signal.test.ts).

export interface SignalActivity {
  type: string;
  occurredAt: Date;
  documentName: string | null;
}

export type SignalLevel = 'hot' | 'warm' | 'cool' | 'none';
export type SignalTrend = 'rising' | 'steady' | 'falling' | 'new' | 'none';

export interface EngagementSignal {
  score: number;
  level: SignalLevel;
  trend: SignalTrend;
  reason: string;
}

const DAY = 86_400_000;

// A visit is the buyer acting; a link, space or message is the rep reaching out, worth less.
const WEIGHT = { visit: 10, other: 3 };
// Recent activity counts fully; older activity fades, so a buyer active last month scores lower.
const decay = (ageDays: number): number => (ageDays <= 7 ? 1 : ageDays <= 30 ? 0.5 : 0.2);

const isVisit = (a: SignalActivity): boolean => a.type === 'relay.visit';
const ageDays = (a: SignalActivity, now: Date): number => (now.getTime() - a.occurredAt.getTime()) / DAY;
const within = (list: SignalActivity[], now: Date, from: number, to: number) =>
  list.filter((a) => ageDays(a, now) >= from && ageDays(a, now) < to);

export function signalScore(activities: SignalActivity[], now: Date): number {
  const sum = within(activities, now, 0, 90).reduce(
    (total, a) => total + (isVisit(a) ? WEIGHT.visit : WEIGHT.other) * decay(ageDays(a, now)),
    0,
  );
  return Math.min(100, Math.round(sum));
}

export function signalLevel(score: number): SignalLevel {
  if (score >= 60) return 'hot';
  if (score >= 25) return 'warm';
  return score > 0 ? 'cool' : 'none';
}

/** The last 30 days against the monthly average of the 60 days before. */
export function signalTrend(activities: SignalActivity[], now: Date): SignalTrend {
  const recent = within(activities, now, 0, 30).length;
  const before = within(activities, now, 30, 90).length / 2;
  if (recent === 0 && before === 0) return 'none';
  if (before === 0) return 'new';
  if (recent > before * 1.25) return 'rising';
  return recent < before * 0.75 ? 'falling' : 'steady';
}

const times = (n: number): string => (n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`);
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The document viewed most in a list of visits, with its count (ties: the latest viewed). */
function topDocument(visits: SignalActivity[]): { name: string; count: number } | null {
  const counts = new Map<string, number>();
  for (const v of visits) if (v.documentName) counts.set(v.documentName, (counts.get(v.documentName) ?? 0) + 1);
  let top: { name: string; count: number } | null = null;
  for (const [name, count] of counts) if (!top || count > top.count) top = { name, count };
  return top;
}

function visitReason(visits: SignalActivity[], period: string): string {
  const top = topDocument(visits);
  if (top && top.count === visits.length) return `Viewed “${top.name}” ${times(top.count)} ${period}`;
  if (top && top.count > 1)
    return `Viewed “${top.name}” ${times(top.count)} ${period}, ${plural(visits.length, 'visit')} in all`;
  return `${plural(visits.length, 'document visit')} ${period}`;
}

export function signalReason(activities: SignalActivity[], now: Date): string {
  const visits = activities.filter(isVisit);
  const week = within(visits, now, 0, 7);
  if (week.length > 0) return visitReason(week, 'this week');
  const month = within(visits, now, 0, 30);
  if (month.length > 0) return visitReason(month, 'in the last 30 days');
  const reached = within(activities, now, 0, 30).length;
  if (reached > 0) {
    const sent = reached === 1 ? '1 message or share' : `${reached} messages or shares`;
    return `No visits in 30 days; ${sent} sent without a view`;
  }
  const older = within(activities, now, 0, 90);
  if (older.length > 0) {
    const days = Math.floor(Math.min(...older.map((a) => ageDays(a, now))));
    return `Quiet: the last activity was ${days} days ago`;
  }
  return 'No activity in the last 90 days';
}

export function engagementSignal(activities: SignalActivity[], now: Date): EngagementSignal {
  const score = signalScore(activities, now);
  return {
    score,
    level: signalLevel(score),
    trend: signalTrend(activities, now),
    reason: signalReason(activities, now),
  };
}
