import { describe, expect, it } from 'vitest';
import { BusinessClock, calendarProblems, type BusinessCalendarSpec, type BusinessPeriod } from './business-time.js';

const HOUR = 3_600_000;
const weekdays = (start: string, end: string): BusinessPeriod[] =>
  [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start, end }));
const everyDay = (start: string, end: string): BusinessPeriod[] =>
  [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start, end }));
const calendar = (timeZone: string, periods: BusinessPeriod[], holidays: string[] = []): BusinessCalendarSpec => ({
  timeZone,
  periods,
  holidays,
});

const berlinOffice = calendar('Europe/Berlin', weekdays('09:00', '17:00'));
const berlinNights = calendar('Europe/Berlin', everyDay('22:00', '06:00'));
const newYorkSundays = calendar('America/New_York', [{ weekday: 7, start: '00:00', end: '24:00' }]);
const newYorkSplitDay = calendar('America/New_York', [...weekdays('09:00', '12:00'), ...weekdays('13:00', '17:00')]);

describe('due times in business time', () => {
  const cases: Array<{ name: string; spec: BusinessCalendarSpec | null; start: string; hours: number; due: string }> = [
    {
      name: 'around the clock counts real hours, even across the spring DST change',
      spec: null,
      start: '2026-03-28T12:00:00Z',
      hours: 24,
      due: '2026-03-29T12:00:00Z',
    },
    {
      name: 'Berlin office hours: Friday afternoon to Monday, over the weekend the clocks went forward',
      spec: berlinOffice,
      start: '2026-03-27T15:00:00Z', // Fri 16:00 CET
      hours: 2,
      due: '2026-03-30T08:00:00Z', // Mon 10:00 CEST
    },
    {
      name: 'a start outside business hours waits for the next period',
      spec: berlinOffice,
      start: '2026-06-06T10:00:00Z', // Saturday
      hours: 1,
      due: '2026-06-08T08:00:00Z', // Mon 10:00 CEST
    },
    {
      name: 'Berlin overnight shift on the night the clocks go forward is 7 real hours',
      spec: berlinNights,
      start: '2026-03-28T21:00:00Z', // Sat 22:00 CET
      hours: 8,
      due: '2026-03-29T21:00:00Z', // Sun 23:00 CEST: 7 h that night, 1 h the next
    },
    {
      name: 'Berlin overnight shift on the night the clocks go back is 9 real hours',
      spec: berlinNights,
      start: '2026-10-24T20:00:00Z', // Sat 22:00 CEST
      hours: 9,
      due: '2026-10-25T05:00:00Z', // Sun 06:00 CET
    },
    {
      name: 'New York: the Sunday the clocks go forward has 23 hours',
      spec: newYorkSundays,
      start: '2026-03-08T05:00:00Z', // Sun 00:00 EST
      hours: 24,
      due: '2026-03-15T05:00:00Z', // next Sunday 01:00 EDT
    },
    {
      name: 'New York: the Sunday the clocks go back has 25 hours',
      spec: newYorkSundays,
      start: '2026-11-01T04:00:00Z', // Sun 00:00 EDT
      hours: 25,
      due: '2026-11-02T05:00:00Z', // Mon 00:00 EST, the end of that Sunday
    },
    {
      name: 'several periods a day skip the lunch break',
      spec: newYorkSplitDay,
      start: '2026-06-01T15:00:00Z', // Mon 11:00 EDT
      hours: 2,
      due: '2026-06-01T18:00:00Z', // Mon 14:00 EDT
    },
    {
      name: 'a holiday is skipped like a weekend',
      spec: calendar('Europe/Berlin', weekdays('09:00', '17:00'), ['2026-12-25']),
      start: '2026-12-24T15:00:00Z', // Thu 16:00 CET
      hours: 3,
      due: '2026-12-28T10:00:00Z', // Mon 11:00 CET
    },
    {
      name: 'a holiday cuts overnight periods at its midnights',
      spec: calendar('Europe/Berlin', everyDay('22:00', '06:00'), ['2026-06-02']),
      start: '2026-06-01T20:00:00Z', // Mon 22:00 CEST
      hours: 3,
      due: '2026-06-02T23:00:00Z', // Wed 01:00 CEST (Mon 22–24, then Wed 00–01)
    },
  ];

  it.each(cases)('$name', ({ spec, start, hours, due }) => {
    const clock = new BusinessClock(spec);
    const dueAt = clock.add(new Date(start), hours * HOUR);
    expect(dueAt.toISOString()).toBe(new Date(due).toISOString());
    // Measuring the span back gives the same amount of business time.
    expect(clock.between(new Date(start), dueAt)).toBe(hours * HOUR);
  });
});

describe('business time between two instants', () => {
  const cases: Array<{ name: string; spec: BusinessCalendarSpec; from: string; to: string; hours: number }> = [
    {
      name: 'a full Berlin work week',
      spec: berlinOffice,
      from: '2026-06-01T00:00:00Z',
      to: '2026-06-08T00:00:00Z',
      hours: 40,
    },
    {
      name: 'office days across the spring DST change count in full',
      spec: berlinOffice,
      from: '2026-03-23T00:00:00Z',
      to: '2026-03-31T00:00:00Z',
      hours: 48, // Mon 23 … Mon 30 (six working days: 23–27 and 30)
    },
    {
      name: 'nothing at the weekend',
      spec: berlinOffice,
      from: '2026-06-06T00:00:00Z',
      to: '2026-06-07T22:00:00Z',
      hours: 0,
    },
    {
      name: 'overlapping periods are counted once',
      spec: calendar('Europe/Berlin', [
        { weekday: 1, start: '22:00', end: '06:00' },
        { weekday: 2, start: '00:00', end: '08:00' },
      ]),
      from: '2026-06-01T00:00:00Z',
      to: '2026-06-03T00:00:00Z',
      hours: 10, // Mon 22:00 → Tue 08:00
    },
  ];

  it.each(cases)('$name', ({ spec, from, to, hours }) => {
    expect(new BusinessClock(spec).between(new Date(from), new Date(to))).toBe(hours * HOUR);
  });
});

describe('calendar validation', () => {
  it('explains what is wrong with a calendar', () => {
    const problems = calendarProblems({
      timeZone: 'Mars/Olympus',
      periods: [{ weekday: 8, start: '9am', end: '17:00' }],
      holidays: ['25.12.2026'],
    });
    expect(problems).toEqual([
      'Unknown time zone "Mars/Olympus"',
      'Weekday 8 is not between 1 (Monday) and 7 (Sunday)',
      '"9am" is not a time of day (HH:mm)',
      '"25.12.2026" is not a date (YYYY-MM-DD)',
    ]);
    expect(calendarProblems(berlinOffice)).toEqual([]);
    expect(calendarProblems({ ...berlinOffice, periods: [] })).toEqual([
      'A calendar needs at least one working period',
    ]);
  });
});
