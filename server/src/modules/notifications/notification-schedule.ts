// When notification mail may go out: quiet hours and digest times are local to the user's time
// zone (luxon does the zone arithmetic, DST included).
import { DateTime, IANAZone } from 'luxon';
import { EmailDelivery } from './notification-kinds.js';

export interface ScheduleSettings {
  timeZone: string;
  quietHoursEnabled: boolean;
  /** Minutes after local midnight. */
  quietHoursStart: number;
  quietHoursEnd: number;
  dailyDigestHour: number;
}

export const DEFAULT_SCHEDULE: ScheduleSettings = {
  timeZone: 'UTC',
  quietHoursEnabled: false,
  quietHoursStart: 22 * 60,
  quietHoursEnd: 7 * 60,
  dailyDigestHour: 8,
};

export function isValidTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

function local(now: Date, zone: string): DateTime {
  return DateTime.fromJSDate(now, { zone: isValidTimeZone(zone) ? zone : 'UTC' });
}

function atMinute(day: DateTime, minuteOfDay: number): DateTime {
  return day.startOf('day').set({ hour: Math.floor(minuteOfDay / 60), minute: minuteOfDay % 60 });
}

/** The end of the quiet period `now` falls in, or null when it is not quiet. */
export function quietUntil(settings: ScheduleSettings, now: Date): Date | null {
  const { quietHoursStart: start, quietHoursEnd: end } = settings;
  if (!settings.quietHoursEnabled || start === end) return null;
  const t = local(now, settings.timeZone);
  const minute = t.hour * 60 + t.minute;
  if (start < end) {
    return minute >= start && minute < end ? atMinute(t, end).toJSDate() : null;
  }
  // Overnight, e.g. 22:00–07:00.
  if (minute >= start) return atMinute(t.plus({ days: 1 }), end).toJSDate();
  if (minute < end) return atMinute(t, end).toJSDate();
  return null;
}

/** The next digest time for a delivery choice (strictly after `now`), before quiet hours apply. */
export function nextDigestAt(settings: ScheduleSettings, delivery: EmailDelivery, now: Date): Date {
  const t = local(now, settings.timeZone);
  if (delivery === EmailDelivery.HOURLY_DIGEST) return t.startOf('hour').plus({ hours: 1 }).toJSDate();
  if (delivery === EmailDelivery.DAILY_DIGEST) {
    const today = atMinute(t, settings.dailyDigestHour * 60);
    return (today > t ? today : atMinute(t.plus({ days: 1 }), settings.dailyDigestHour * 60)).toJSDate();
  }
  return now;
}

/** When mail for a notification created at `now` may go out; quiet hours push it to their end. */
export function emailDueAt(settings: ScheduleSettings, delivery: EmailDelivery, now: Date): Date {
  const planned = nextDigestAt(settings, delivery, now);
  return quietUntil(settings, planned) ?? planned;
}

export function formatMinutes(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** "HH:MM" → minutes after midnight, or null. */
export function parseMinutes(value: string): number | null {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value.trim());
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}
