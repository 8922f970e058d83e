// The three SLA clocks of one ticket as plain data, and the pure rules that move them. The service
// loads them, applies what happened, and stores them again, all inside the ticket's transaction.
//
// Each clock banks the business time it has run so far (`elapsedMs`); while the ticket runs, time
// since `runningSince` is added on the next change. Due and warning times are derived from the
// remaining time, so a pause, a priority change or a policy switch is a recomputation, not a patch.
import type { BusinessClock } from './business-time.js';
import { SlaFiringKind, SlaState, SlaTargetKind } from './sla.enums.js';

export interface ClockState {
  /** Counting toward a target: first response and resolution from creation until met; next
   * response from a customer reply until the next agent reply. */
  active: boolean;
  /** Next-response clocks restart on each customer reply; each run is a cycle of its own. */
  cycle: number;
  elapsedMs: number;
  dueAt: string | null;
  warnAt: string | null;
  metAt: string | null;
  warnedAt: string | null;
  breachedAt: string | null;
}

export interface SlaClocks {
  /** When the clocks last started running; null while paused or stopped. */
  runningSince: string | null;
  FIRST_RESPONSE: ClockState;
  NEXT_RESPONSE: ClockState;
  RESOLUTION: ClockState;
}

export const TARGET_KINDS: readonly SlaTargetKind[] = [
  SlaTargetKind.FIRST_RESPONSE,
  SlaTargetKind.NEXT_RESPONSE,
  SlaTargetKind.RESOLUTION,
];

export type TargetMinutes = Record<SlaTargetKind, number | null>;

export interface TicketFacts {
  open: boolean;
  paused: boolean;
}

export type Activity = 'AGENT_REPLY' | 'CUSTOMER_REPLY' | null;

export interface DueFiring {
  target: SlaTargetKind;
  kind: SlaFiringKind;
  cycle: number;
  dueAt: string;
}

const clockState = (active: boolean): ClockState => ({
  active,
  cycle: 0,
  elapsedMs: 0,
  dueAt: null,
  warnAt: null,
  metAt: null,
  warnedAt: null,
  breachedAt: null,
});

export function initialClocks(): SlaClocks {
  return {
    runningSince: null,
    FIRST_RESPONSE: clockState(true),
    NEXT_RESPONSE: clockState(false),
    RESOLUTION: clockState(true),
  };
}

const iso = (date: Date) => date.toISOString();
const ms = (value: string) => new Date(value).getTime();

/** Adds the business time run since `runningSince` to every active clock (under the calendar that
 * was in force meanwhile). */
export function bank(clocks: SlaClocks, calendar: BusinessClock, now: Date): void {
  if (!clocks.runningSince) return;
  const ran = calendar.between(new Date(clocks.runningSince), now);
  for (const kind of TARGET_KINDS) if (clocks[kind].active) clocks[kind].elapsedMs += ran;
  clocks.runningSince = iso(now);
}

/** Replies: a public agent reply meets first and next response; a customer reply after the first
 * response starts a new next-response cycle (a second one before an answer keeps the first). */
export function applyActivity(clocks: SlaClocks, activity: Activity, now: Date): void {
  if (activity === 'AGENT_REPLY') {
    for (const kind of [SlaTargetKind.FIRST_RESPONSE, SlaTargetKind.NEXT_RESPONSE] as const) {
      const clock = clocks[kind];
      if (!clock.active) continue;
      clock.active = false;
      clock.metAt = iso(now);
      clock.dueAt = clock.warnAt = null;
    }
  } else if (activity === 'CUSTOMER_REPLY') {
    if (clocks.FIRST_RESPONSE.active || clocks.NEXT_RESPONSE.active) return;
    clocks.NEXT_RESPONSE = { ...clockState(true), cycle: clocks.NEXT_RESPONSE.cycle + 1 };
  }
}

/** Brings the clocks in line with the ticket (open, paused, resolved) and the targets in force,
 * and derives due and warning times. Call after `bank`. */
export function settle(
  clocks: SlaClocks,
  facts: TicketFacts,
  targets: TargetMinutes,
  warningMinutes: number,
  calendar: BusinessClock,
  now: Date,
): void {
  const resolution = clocks.RESOLUTION;
  if (!facts.open && resolution.active) {
    resolution.active = false;
    resolution.metAt = iso(now);
  } else if (facts.open && !resolution.active) {
    // Reopened: the resolution clock continues from where it stopped.
    resolution.active = true;
    resolution.metAt = null;
  }
  if (!facts.open) {
    clocks.NEXT_RESPONSE.active = false;
  }
  const running = facts.open && !facts.paused;
  clocks.runningSince = running ? iso(now) : null;
  for (const kind of TARGET_KINDS) {
    const clock = clocks[kind];
    const minutes = targets[kind];
    if (!clock.active || !running || minutes == null) {
      clock.dueAt = clock.warnAt = null;
      continue;
    }
    const targetMs = minutes * 60_000;
    const leadMs = Math.min(warningMinutes * 60_000, targetMs / 2);
    const remaining = Math.max(0, targetMs - clock.elapsedMs);
    // An overdue clock keeps the due time it missed (recomputing would push it to "now").
    if (remaining === 0 && clock.dueAt && ms(clock.dueAt) <= now.getTime()) continue;
    clock.dueAt = iso(calendar.add(now, remaining));
    clock.warnAt = iso(calendar.add(now, Math.max(0, remaining - leadMs)));
  }
}

/** Warnings and breaches whose time has come and that have not been recorded for this cycle. A
 * breach found late swallows its warning (nobody needs "at risk" and "breached" at once). */
export function dueFirings(clocks: SlaClocks, now: Date): DueFiring[] {
  const firings: DueFiring[] = [];
  for (const target of TARGET_KINDS) {
    const clock = clocks[target];
    if (!clock.active || !clock.dueAt) continue;
    if (!clock.breachedAt && ms(clock.dueAt) <= now.getTime()) {
      firings.push({ target, kind: SlaFiringKind.BREACH, cycle: clock.cycle, dueAt: clock.dueAt });
    } else if (!clock.warnedAt && !clock.breachedAt && clock.warnAt && ms(clock.warnAt) <= now.getTime()) {
      firings.push({ target, kind: SlaFiringKind.WARNING, cycle: clock.cycle, dueAt: clock.dueAt });
    }
  }
  return firings;
}

export function markFired(clocks: SlaClocks, firing: DueFiring, now: Date): void {
  const clock = clocks[firing.target];
  clock.warnedAt ??= iso(now);
  if (firing.kind === SlaFiringKind.BREACH) clock.breachedAt = iso(now);
}

export interface SlaSummary {
  state: SlaState;
  /** The earliest due time of a running clock (sorts the at-risk list). */
  soonestDueAt: Date | null;
  /** When the timer job must look at the ticket next. */
  nextCheckAt: Date | null;
}

export function summarise(
  clocks: SlaClocks,
  facts: TicketFacts,
  hasTargets: boolean,
  everBreached: boolean,
): SlaSummary {
  let soonest: number | null = null;
  let next: number | null = null;
  const earlier = (a: number | null, b: number) => (a === null || b < a ? b : a);
  let warned = false;
  for (const kind of TARGET_KINDS) {
    const clock = clocks[kind];
    if (!clock.active || !clock.dueAt) continue;
    soonest = earlier(soonest, ms(clock.dueAt));
    if (!clock.breachedAt) next = earlier(next, ms(clock.dueAt));
    if (!clock.warnedAt && !clock.breachedAt && clock.warnAt) next = earlier(next, ms(clock.warnAt));
    if (clock.warnedAt && !clock.breachedAt) warned = true;
  }
  let state: SlaState;
  if (!hasTargets) state = SlaState.NONE;
  else if (!facts.open) state = everBreached ? SlaState.BREACHED : SlaState.MET;
  else if (everBreached) state = SlaState.BREACHED;
  else if (facts.paused) state = SlaState.PAUSED;
  else if (warned) state = SlaState.WARNING;
  else state = SlaState.OK;
  return {
    state,
    soonestDueAt: soonest === null ? null : new Date(soonest),
    nextCheckAt: next === null ? null : new Date(next),
  };
}
