// Quiet hours and digest times in the user's zone, across DST changes and midnight.
import { describe, expect, it } from 'vitest';
import { EmailDelivery } from './notification-kinds.js';
import { DEFAULT_SCHEDULE, emailDueAt, parseMinutes, quietUntil } from './notification-schedule.js';

const berlin = {
  ...DEFAULT_SCHEDULE,
  timeZone: 'Europe/Berlin',
  quietHoursEnabled: true,
  quietHoursStart: 22 * 60,
  quietHoursEnd: 7 * 60,
};

describe('quiet hours', () => {
  it.each([
    ['before they start', '2026-12-01T20:59:00Z', null],
    ['at the start (22:00 CET)', '2026-12-01T21:00:00Z', '2026-12-02T06:00:00.000Z'],
    ['after midnight', '2026-12-02T02:00:00Z', '2026-12-02T06:00:00.000Z'],
    ['at the end', '2026-12-02T06:00:00Z', null],
    // DST ends on 25 Oct 2026: 07:00 CET that morning is 06:00 UTC, 22:00 CEST the night before 20:00 UTC.
    ['the night summer time ends', '2026-10-24T20:30:00Z', '2026-10-25T06:00:00.000Z'],
    // DST starts on 29 Mar 2026: 07:00 CEST is 05:00 UTC.
    ['the night summer time starts', '2026-03-28T23:00:00Z', '2026-03-29T05:00:00.000Z'],
  ])('%s', (_name, now, until) => {
    expect(quietUntil(berlin, new Date(now))?.toISOString() ?? null).toBe(until);
  });

  it('also work within one day (13:00–14:00) and can be off', () => {
    const lunch = { ...berlin, quietHoursStart: 13 * 60, quietHoursEnd: 14 * 60 };
    expect(quietUntil(lunch, new Date('2026-12-01T12:30:00Z'))?.toISOString()).toBe('2026-12-01T13:00:00.000Z');
    expect(quietUntil(lunch, new Date('2026-12-01T13:30:00Z'))).toBeNull();
    expect(quietUntil({ ...berlin, quietHoursEnabled: false }, new Date('2026-12-01T23:00:00Z'))).toBeNull();
  });
});

describe('when notification mail is due', () => {
  it('is now for immediate mail outside quiet hours, and their end inside them', () => {
    const noon = new Date('2026-12-01T11:00:00Z');
    expect(emailDueAt(berlin, EmailDelivery.IMMEDIATELY, noon)).toEqual(noon);
    expect(emailDueAt(berlin, EmailDelivery.IMMEDIATELY, new Date('2026-12-01T23:00:00Z')).toISOString()).toBe(
      '2026-12-02T06:00:00.000Z',
    );
  });

  it('is the next full hour for the hourly digest, pushed past quiet hours', () => {
    expect(emailDueAt(berlin, EmailDelivery.HOURLY_DIGEST, new Date('2026-12-01T11:20:00Z')).toISOString()).toBe(
      '2026-12-01T12:00:00.000Z',
    );
    expect(emailDueAt(berlin, EmailDelivery.HOURLY_DIGEST, new Date('2026-12-01T20:30:00Z')).toISOString()).toBe(
      '2026-12-02T06:00:00.000Z',
    );
  });

  it('is the next digest hour in local time for the daily digest', () => {
    const daily = { ...berlin, quietHoursEnabled: false, dailyDigestHour: 8 };
    expect(emailDueAt(daily, EmailDelivery.DAILY_DIGEST, new Date('2026-12-01T06:00:00Z')).toISOString()).toBe(
      '2026-12-01T07:00:00.000Z',
    );
    expect(emailDueAt(daily, EmailDelivery.DAILY_DIGEST, new Date('2026-12-01T07:00:00Z')).toISOString()).toBe(
      '2026-12-02T07:00:00.000Z',
    );
    // Across the switch to summer time the local hour stays 08:00 (06:00 UTC on 29 March).
    expect(emailDueAt(daily, EmailDelivery.DAILY_DIGEST, new Date('2026-03-28T09:00:00Z')).toISOString()).toBe(
      '2026-03-29T06:00:00.000Z',
    );
  });

  it('reads times as HH:MM', () => {
    expect(parseMinutes('07:30')).toBe(450);
    expect(parseMinutes('24:00')).toBeNull();
    expect(parseMinutes('7')).toBeNull();
  });
});
