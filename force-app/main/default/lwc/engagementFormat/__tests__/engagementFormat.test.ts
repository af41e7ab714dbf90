import {
  dayHeading,
  dayKey,
  matchesFilter,
  relativeTime,
  signalBadgeClass,
  signalLevelLabel,
  signalTrendText,
} from 'c/engagementFormat';

// Local times, so the day boundaries hold in any time zone the tests run in.
const NOW = new Date(2026, 11, 7, 15, 0, 0);
const at = (day: number, hour: number, minute = 0) => new Date(2026, 11, day, hour, minute).toISOString();

describe('relativeTime', () => {
  it.each([
    [at(7, 14, 59), '1 min ago'],
    [at(7, 12, 0), '3 h ago'],
    [at(6, 23, 0), 'yesterday'],
    [at(4, 9, 0), '3 days ago'],
  ])('%s reads "%s"', (iso, expected) => {
    expect(relativeTime(iso, NOW)).toBe(expected);
  });

  it('says "just now" within a minute and the date after a week', () => {
    expect(relativeTime(new Date(NOW.getTime() - 20_000).toISOString(), NOW)).toBe('just now');
    expect(relativeTime(at(20, 10).replace('-12-', '-11-'), NOW)).toMatch(/Nov/);
    expect(relativeTime(null, NOW)).toBe('');
  });
});

describe('dayHeading and dayKey', () => {
  it('names today and yesterday, else the weekday and date', () => {
    expect(dayHeading(at(7, 9), NOW)).toBe('Today');
    expect(dayHeading(at(6, 9), NOW)).toBe('Yesterday');
    expect(dayHeading(at(2, 9), NOW)).toMatch(/Wednesday/);
    expect(dayKey(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
  });
});

describe('matchesFilter', () => {
  it('sorts the activity types the companion sends into the four filters', () => {
    expect(matchesFilter('relay.visit', 'visits')).toBe(true);
    expect(matchesFilter('relay.visit', 'messages')).toBe(false);
    expect(matchesFilter('relay.link.created', 'shares')).toBe(true);
    expect(matchesFilter('relay.space.created', 'shares')).toBe(true);
    expect(matchesFilter('relay.message.sent', 'messages')).toBe(true);
    expect(matchesFilter('relay.touchpoint.logged', 'messages')).toBe(true);
    expect(matchesFilter('relay.anything', 'all')).toBe(true);
  });
});

describe('signal words', () => {
  it('labels levels and trends, with a neutral fallback', () => {
    expect(signalLevelLabel('hot')).toBe('Hot');
    expect(signalBadgeClass('hot')).toBe('slds-theme_error');
    expect(signalLevelLabel('unknown')).toBe('No recent activity');
    expect(signalTrendText('rising')).toMatch(/^Rising/);
    expect(signalTrendText('none')).toBeNull();
  });
});
