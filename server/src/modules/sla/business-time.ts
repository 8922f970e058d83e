// Business time: how much of a span falls into a calendar's working periods, and when a given
// amount of working time has passed. Wall-clock periods are turned into instants with luxon in the
// calendar's time zone, so DST changes, overnight periods and holidays come out right; durations
// are real elapsed milliseconds inside those periods (an 8-hour night shift on the night the clocks
// go back is 9 real hours of business time).
import { DateTime } from 'luxon';

/** A working period on one weekday (1 = Monday … 7 = Sunday) in local time. An end at or before
 * the start runs into the next day (22:00–06:00); an end of 24:00 means midnight. */
export interface BusinessPeriod {
  weekday: number;
  start: string;
  end: string;
}

export interface BusinessCalendarSpec {
  timeZone: string;
  periods: BusinessPeriod[];
  /** Whole local days (YYYY-MM-DD) without business time, also cutting overnight periods. */
  holidays: string[];
}

type Span = [start: number, end: number];

/** One local day of a calendar, with its working spans and links to its neighbours, computed once
 * per clock: luxon's zone arithmetic is the expensive part, walking cached days is not. */
interface Day {
  start: number;
  spans: Span[];
  next: Day | null;
  previous: Day | null;
}

const TIME = /^([01]\d|2[0-4]):([0-5]\d)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** How far ahead a due time is searched (a calendar with one hour a week still fits). */
const MAX_DAYS = 3_700;

function minutesOf(time: string): number {
  const match = TIME.exec(time);
  if (!match) throw new Error(`"${time}" is not a time of day (HH:mm)`);
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  if (minutes > 24 * 60) throw new Error(`"${time}" is not a time of day (HH:mm)`);
  return minutes;
}

/** Problems with a calendar spec, in words for the person who typed it; empty when it is usable. */
export function calendarProblems(spec: BusinessCalendarSpec): string[] {
  const problems: string[] = [];
  if (!DateTime.now().setZone(spec.timeZone).isValid) problems.push(`Unknown time zone "${spec.timeZone}"`);
  if (spec.periods.length === 0) problems.push('A calendar needs at least one working period');
  for (const period of spec.periods) {
    if (!Number.isInteger(period.weekday) || period.weekday < 1 || period.weekday > 7) {
      problems.push(`Weekday ${period.weekday} is not between 1 (Monday) and 7 (Sunday)`);
    }
    for (const time of [period.start, period.end]) {
      try {
        minutesOf(time);
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
    if (period.start === '24:00') problems.push('A period cannot start at 24:00');
  }
  for (const day of spec.holidays) {
    if (!DATE.test(day) || !DateTime.fromISO(day).isValid) problems.push(`"${day}" is not a date (YYYY-MM-DD)`);
  }
  return problems;
}

export class BusinessClock {
  private readonly holidays: Set<string>;
  private readonly byWeekday = new Map<number, Array<{ start: number; end: number }>>();
  private readonly days = new Map<number, Day>();
  /** The day of the last lookup: most lookups in a row are for the same instant or day. */
  private recent: Day | null = null;

  /** `null` is around the clock: every millisecond counts. */
  constructor(private readonly spec: BusinessCalendarSpec | null) {
    this.holidays = new Set(spec?.holidays ?? []);
    for (const period of spec?.periods ?? []) {
      const start = minutesOf(period.start);
      let end = minutesOf(period.end);
      if (end <= start) end += 24 * 60;
      const list = this.byWeekday.get(period.weekday) ?? [];
      list.push({ start, end });
      this.byWeekday.set(period.weekday, list);
    }
    if (spec && this.byWeekday.size === 0) throw new Error('A calendar needs at least one working period');
  }

  get aroundTheClock(): boolean {
    return this.spec === null;
  }

  /** The instant at which `ms` of business time have passed since `start`. */
  add(start: Date, ms: number): Date {
    if (ms <= 0) return start;
    if (!this.spec) return new Date(start.getTime() + ms);
    let remaining = ms;
    let cursor = start.getTime();
    // Start a day early: yesterday's overnight period may still be running.
    let day = this.previousDay(this.dayAt(cursor));
    for (let i = 0; i < MAX_DAYS; i++, day = this.nextDay(day)) {
      for (const [from, to] of day.spans) {
        if (to <= cursor) continue;
        const begin = Math.max(from, cursor);
        if (to - begin >= remaining) return new Date(begin + remaining);
        remaining -= to - begin;
        cursor = to;
      }
    }
    throw new Error('No business time found within ten years; check the calendar');
  }

  /** Business milliseconds in [from, to). */
  between(from: Date, to: Date): number {
    const a = from.getTime();
    const b = to.getTime();
    if (b <= a) return 0;
    if (!this.spec) return b - a;
    const spans: Span[] = [];
    const last = this.dayAt(b);
    for (let day = this.previousDay(this.dayAt(a)); ; day = this.nextDay(day)) {
      spans.push(...day.spans);
      if (day.start >= last.start) break;
    }
    spans.sort((x, y) => x[0] - y[0]);
    let total = 0;
    let cursor = a;
    for (const [start, end] of spans) {
      const begin = Math.max(start, cursor);
      const finish = Math.min(end, b);
      if (finish > begin) {
        total += finish - begin;
        cursor = finish;
      }
    }
    return total;
  }

  /** The cached local day containing an instant. */
  private dayAt(ms: number): Day {
    const recent = this.recent;
    if (recent && ms >= recent.start && recent.next && ms < recent.next.start) return recent;
    const day = this.lookUpDay(ms);
    this.recent = day;
    return day;
  }

  private lookUpDay(ms: number): Day {
    const start = this.localDay(ms);
    const key = start.toMillis();
    let day = this.days.get(key);
    if (!day) {
      // A long-running process sees many calendars and dates; keep the cache bounded.
      if (this.days.size > 20_000) this.days.clear();
      day = { start: key, spans: this.spansOf(start), next: null, previous: null };
      this.days.set(key, day);
    }
    return day;
  }

  private nextDay(day: Day): Day {
    if (!day.next) {
      const start = DateTime.fromMillis(day.start, { zone: this.spec!.timeZone }).plus({ days: 1 });
      day.next = this.dayAt(start.toMillis());
      day.next.previous ??= day;
    }
    return day.next;
  }

  private previousDay(day: Day): Day {
    if (!day.previous) {
      const start = DateTime.fromMillis(day.start, { zone: this.spec!.timeZone }).minus({ days: 1 });
      day.previous = this.dayAt(start.toMillis());
      day.previous.next ??= day;
    }
    return day.previous;
  }

  private localDay(ms: number): DateTime {
    return DateTime.fromMillis(ms, { zone: this.spec!.timeZone }).startOf('day');
  }

  /** The working spans of periods that start on one local day, minus holidays, sorted. */
  private spansOf(day: DateTime): Span[] {
    const periods = this.byWeekday.get(day.weekday);
    if (!periods) return [];
    const spans: Span[] = [];
    for (const period of periods) {
      const start = this.at(day, period.start);
      const end = this.at(day, period.end);
      spans.push(...this.withoutHolidays(start, end));
    }
    return spans.sort((x, y) => x[0] - y[0]);
  }

  /** Local wall-clock minutes after a day's midnight as an instant; luxon resolves DST gaps. */
  private at(day: DateTime, minutes: number): number {
    const date = day.plus({ days: Math.floor(minutes / 1440) });
    const rest = minutes % 1440;
    return DateTime.fromObject(
      { year: date.year, month: date.month, day: date.day, hour: Math.floor(rest / 60), minute: rest % 60 },
      { zone: this.spec!.timeZone },
    ).toMillis();
  }

  private withoutHolidays(start: number, end: number): Span[] {
    if (this.holidays.size === 0) return end > start ? [[start, end]] : [];
    const spans: Span[] = [];
    for (let day = this.localDay(start); day.toMillis() < end; day = day.plus({ days: 1 })) {
      if (this.holidays.has(day.toISODate()!)) continue;
      const from = Math.max(start, day.toMillis());
      const to = Math.min(end, day.plus({ days: 1 }).toMillis());
      if (to > from) spans.push([from, to]);
    }
    return spans;
  }
}
