// Dates and times as people read them in a helpdesk: short and relative when recent, absolute when old.
import { useEffect, useState } from 'react';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/** Whole calendar days between two dates in local time (0: same day, 1: `date` was yesterday). */
export function daysBetween(date: Date, now: Date): number {
  return Math.round((startOfDay(now) - startOfDay(date)) / DAY);
}

/** "Today", "Yesterday", "10 Oct" (the browser's order), or "10 Oct 2024" in another year. */
export function dayLabel(date: Date, now = new Date()): string {
  const days = daysBetween(date, now);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  return date.toLocaleDateString(undefined, {
    day: 'numeric',
    month: 'short',
    ...(date.getFullYear() === now.getFullYear() ? {} : { year: 'numeric' }),
  });
}

/** "10:30" (or "10:30 AM", as the browser's language has it). */
export function timeOfDay(date: Date): string {
  return date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/** "Saturday 22 November 2026, 10:30", for tooltips. */
export function fullDateTime(date: Date): string {
  return date.toLocaleString(undefined, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** Compact relative time for lists: "now", "4m", "3h", "Yesterday", "5d", "10 Oct". */
export function shortAgo(date: Date, now = new Date()): string {
  const elapsed = now.getTime() - date.getTime();
  if (elapsed < MINUTE) return 'now';
  if (elapsed < HOUR) return `${Math.floor(elapsed / MINUTE)}m`;
  if (elapsed < DAY && daysBetween(date, now) === 0) return `${Math.floor(elapsed / HOUR)}h`;
  const days = daysBetween(date, now);
  if (days <= 1) return days === 1 ? 'Yesterday' : `${Math.floor(elapsed / HOUR)}h`;
  if (days < 7) return `${days}d`;
  return dayLabel(date, now);
}

/** Sentence relative time: "just now", "4 minutes ago", "3 hours ago", "yesterday at 10:30", "on 10 Oct". */
export function longAgo(date: Date, now = new Date()): string {
  const elapsed = now.getTime() - date.getTime();
  if (elapsed < MINUTE) return 'just now';
  if (elapsed < HOUR) {
    const minutes = Math.floor(elapsed / MINUTE);
    return minutes === 1 ? '1 minute ago' : `${minutes} minutes ago`;
  }
  const days = daysBetween(date, now);
  if (days === 0) {
    const hours = Math.floor(elapsed / HOUR);
    return hours === 1 ? '1 hour ago' : `${hours} hours ago`;
  }
  if (days === 1) return `yesterday at ${timeOfDay(date)}`;
  return `on ${dayLabel(date, now)}`;
}

/** The current time, re-read every `intervalMs` so relative times stay true on an open page. */
export function useNow(intervalMs = 30_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** 1536 → "1.5 KB". */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] || name;
}
