import {
  activityIcon,
  activityKind,
  activityLabel,
  channelIcon,
  channelLabel,
  exportFileName,
  formatDuration,
  percentOf,
  syncStatusBadgeClass,
  syncStatusLabel,
  toTimestamp,
} from 'c/relayFormat';

describe('c-relay-format', () => {
  it('formats durations the way people say them', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(120)).toBe('2 min');
    expect(formatDuration(125)).toBe('2 min 5 s');
    expect(formatDuration(3600)).toBe('1 h');
    expect(formatDuration(3725)).toBe('1 h 2 min');
    expect(formatDuration(59.6)).toBe('1 min');
    expect(formatDuration(null)).toBeNull();
    expect(formatDuration(undefined)).toBeNull();
    expect(formatDuration(-3)).toBeNull();
    expect(formatDuration(Number.NaN)).toBeNull();
  });

  it('maps CloudEvent types to kinds, labels and icons', () => {
    expect(activityKind('relay.visit')).toBe('visit');
    expect(activityKind('relay.link.created')).toBe('link');
    expect(activityKind('relay.space.created')).toBe('space');
    expect(activityKind('relay.message.sent')).toBe('message');
    expect(activityKind('relay.touchpoint.logged')).toBe('message');
    expect(activityKind('relay.prospect.upserted')).toBe('other');
    expect(activityKind(null)).toBe('other');
    expect(activityLabel('relay.touchpoint.logged')).toBe('Touchpoint');
    expect(activityLabel('relay.space.created')).toBe('Space created');
    expect(activityIcon('relay.visit')).toBe('utility:preview');
    expect(activityIcon('relay.message.sent', 'sms')).toBe('utility:sms');
    expect(activityIcon('relay.message.sent', null)).toBe('utility:comments');
  });

  it('names channels and picks their icons', () => {
    expect(channelLabel('whatsapp')).toBe('WhatsApp');
    expect(channelLabel('EMAIL')).toBe('Email');
    expect(channelLabel('fax')).toBe('Fax');
    expect(channelLabel(null)).toBe('');
    expect(channelIcon('call')).toBe('utility:call');
    expect(channelIcon('fax')).toBe('utility:comments');
  });

  it('names sync statuses with a badge theme', () => {
    expect(syncStatusLabel('failed')).toBe('Failed');
    expect(syncStatusBadgeClass('failed')).toBe('slds-theme_error');
    expect(syncStatusLabel('weird')).toBe('Unknown');
    expect(syncStatusBadgeClass(null)).toBe('slds-badge_lightest');
  });

  it('computes whole percentages capped at 100', () => {
    expect(percentOf(812, 100000)).toBe(1);
    expect(percentOf(85, 100)).toBe(85);
    expect(percentOf(150, 100)).toBe(100);
    expect(percentOf(5, 0)).toBe(0);
    expect(percentOf(null, 100)).toBe(0);
  });

  it('names export files with the category and the local date', () => {
    const date = new Date(2026, 10, 22, 9, 30);
    expect(exportFileName('validation', date)).toBe('relay-sync-errors-validation-2026-11-22.csv');
    expect(exportFileName(null, date)).toBe('relay-sync-errors-2026-11-22.csv');
    expect(exportFileName('Field Level Security', new Date(2026, 0, 5))).toBe(
      'relay-sync-errors-field-level-security-2026-01-05.csv',
    );
  });
});

describe('toTimestamp', () => {
  it('turns an ISO date-time into milliseconds for lightning-relative-date-time', () => {
    expect(toTimestamp('2026-11-20T10:00:00.000Z')).toBe(Date.UTC(2026, 10, 20, 10, 0, 0));
  });

  it('gives null for nothing or an unreadable value', () => {
    expect(toTimestamp(null)).toBeNull();
    expect(toTimestamp(undefined)).toBeNull();
    expect(toTimestamp('not a date')).toBeNull();
  });
});
