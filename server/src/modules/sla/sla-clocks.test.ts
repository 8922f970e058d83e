// The clock rules on their own, with explicit instants: pause and resume, replies, priority
// changes and reopening, around the clock and in business hours.
import { describe, expect, it } from 'vitest';
import { BusinessClock } from './business-time.js';
import {
  applyActivity,
  bank,
  dueFirings,
  initialClocks,
  markFired,
  settle,
  summarise,
  type Activity,
  type SlaClocks,
  type TargetMinutes,
  type TicketFacts,
} from './sla-clocks.js';
import { SlaState } from './sla.enums.js';

const T0 = '2026-06-01T08:00:00Z'; // Monday 10:00 in Berlin
const at = (minutes: number, from = T0) => new Date(new Date(from).getTime() + minutes * 60_000);
const aroundTheClock = new BusinessClock(null);
const berlinOffice = new BusinessClock({
  timeZone: 'Europe/Berlin',
  periods: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '17:00' })),
  holidays: [],
});
const TARGETS: TargetMinutes = { FIRST_RESPONSE: 60, NEXT_RESPONSE: 120, RESOLUTION: 480 };
const OPEN: TicketFacts = { open: true, paused: false };

type Step = { at: Date; facts?: TicketFacts; activity?: Activity; targets?: TargetMinutes };

/** Runs a ticket's history through the rules the way the tracker does. */
function run(steps: Step[], calendar = aroundTheClock): SlaClocks {
  const clocks = initialClocks();
  clocks.runningSince = steps[0]!.at.toISOString();
  for (const step of steps) {
    bank(clocks, calendar, step.at);
    applyActivity(clocks, step.activity ?? null, step.at);
    settle(clocks, step.facts ?? OPEN, step.targets ?? TARGETS, 30, calendar, step.at);
  }
  return clocks;
}

describe('SLA clocks', () => {
  it('start at creation with due times per target and warnings the lead time before', () => {
    const clocks = run([{ at: at(0) }]);
    expect(clocks.FIRST_RESPONSE.dueAt).toBe(at(60).toISOString());
    expect(clocks.FIRST_RESPONSE.warnAt).toBe(at(30).toISOString());
    expect(clocks.RESOLUTION.dueAt).toBe(at(480).toISOString());
    expect(clocks.RESOLUTION.warnAt).toBe(at(450).toISOString());
    expect(clocks.NEXT_RESPONSE.dueAt).toBeNull();
  });

  it('caps the warning lead at half of a short target', () => {
    const clocks = run([{ at: at(0), targets: { FIRST_RESPONSE: 15, NEXT_RESPONSE: null, RESOLUTION: 120 } }]);
    expect(clocks.FIRST_RESPONSE.warnAt).toBe(at(7.5).toISOString());
  });

  it('pause and resume move the due times by the paused time', () => {
    const clocks = run([
      { at: at(0) },
      { at: at(10), facts: { open: true, paused: true } },
      { at: at(70), facts: OPEN },
    ]);
    expect(clocks.FIRST_RESPONSE.dueAt).toBe(at(120).toISOString());
    expect(clocks.RESOLUTION.dueAt).toBe(at(540).toISOString());
  });

  it('has no due times while paused, and says PAUSED', () => {
    const clocks = run([{ at: at(0) }, { at: at(10), facts: { open: true, paused: true } }]);
    expect(clocks.FIRST_RESPONSE.dueAt).toBeNull();
    expect(summarise(clocks, { open: true, paused: true }, true, false).state).toBe(SlaState.PAUSED);
  });

  it('pausing over a weekend in business hours: the week-end never counted anyway', () => {
    // Friday 16:00 Berlin, paused Friday 16:30, resumed Monday 09:00: 30 business minutes used.
    const friday = '2026-06-05T14:00:00Z';
    const clocks = run(
      [
        { at: at(0, friday) },
        { at: at(30, friday), facts: { open: true, paused: true } },
        { at: new Date('2026-06-08T07:00:00Z'), facts: OPEN },
      ],
      berlinOffice,
    );
    // 60-minute first response: 30 used, 30 left from Monday 09:00 → 09:30 CEST.
    expect(clocks.FIRST_RESPONSE.dueAt).toBe('2026-06-08T07:30:00.000Z');
  });

  it('a public agent reply meets the first response; a customer reply then starts next response', () => {
    const clocks = run([
      { at: at(0) },
      { at: at(20), activity: 'AGENT_REPLY' },
      { at: at(100), activity: 'CUSTOMER_REPLY' },
    ]);
    expect(clocks.FIRST_RESPONSE.metAt).toBe(at(20).toISOString());
    expect(clocks.FIRST_RESPONSE.dueAt).toBeNull();
    expect(clocks.NEXT_RESPONSE.active).toBe(true);
    expect(clocks.NEXT_RESPONSE.cycle).toBe(1);
    expect(clocks.NEXT_RESPONSE.dueAt).toBe(at(220).toISOString());
  });

  it('a second customer message before an answer keeps the running next-response clock', () => {
    const clocks = run([
      { at: at(0) },
      { at: at(20), activity: 'AGENT_REPLY' },
      { at: at(100), activity: 'CUSTOMER_REPLY' },
      { at: at(150), activity: 'CUSTOMER_REPLY' },
    ]);
    expect(clocks.NEXT_RESPONSE.dueAt).toBe(at(220).toISOString());
    expect(clocks.NEXT_RESPONSE.cycle).toBe(1);
  });

  it('customer messages before the first response do not start next response', () => {
    const clocks = run([{ at: at(0) }, { at: at(5), activity: 'CUSTOMER_REPLY' }]);
    expect(clocks.NEXT_RESPONSE.active).toBe(false);
  });

  it('a priority change recomputes from the time already used', () => {
    const clocks = run([
      { at: at(0) },
      { at: at(40), targets: { FIRST_RESPONSE: 240, NEXT_RESPONSE: null, RESOLUTION: 960 } },
    ]);
    expect(clocks.FIRST_RESPONSE.dueAt).toBe(at(240).toISOString());
    expect(clocks.RESOLUTION.dueAt).toBe(at(960).toISOString());
  });

  it('a tighter target already used up is due at once, and stays due at that time', () => {
    const tight = { FIRST_RESPONSE: 15, NEXT_RESPONSE: null, RESOLUTION: 480 };
    const clocks = run([{ at: at(0) }, { at: at(40), targets: tight }, { at: at(45), targets: tight }]);
    expect(clocks.FIRST_RESPONSE.dueAt).toBe(at(40).toISOString());
  });

  it('resolving meets resolution; reopening continues the clock where it stopped', () => {
    const clocks = run([
      { at: at(0) },
      { at: at(100), facts: { open: false, paused: false } },
      { at: at(1000), facts: OPEN },
    ]);
    expect(clocks.RESOLUTION.active).toBe(true);
    expect(clocks.RESOLUTION.dueAt).toBe(at(1380).toISOString());
  });

  it('fires a warning, then the breach, each once', () => {
    const clocks = run([{ at: at(0) }]);
    expect(dueFirings(clocks, at(29))).toEqual([]);
    const warnings = dueFirings(clocks, at(31));
    expect(warnings.map((f) => [f.target, f.kind])).toEqual([['FIRST_RESPONSE', 'WARNING']]);
    markFired(clocks, warnings[0]!, at(31));
    expect(dueFirings(clocks, at(40))).toEqual([]);
    expect(summarise(clocks, OPEN, true, false).state).toBe(SlaState.WARNING);
    const breaches = dueFirings(clocks, at(61));
    expect(breaches.map((f) => [f.target, f.kind])).toEqual([['FIRST_RESPONSE', 'BREACH']]);
    markFired(clocks, breaches[0]!, at(61));
    expect(dueFirings(clocks, at(62))).toEqual([]);
  });

  it('a breach found late swallows its warning', () => {
    const clocks = run([{ at: at(0) }]);
    expect(dueFirings(clocks, at(70)).map((f) => [f.target, f.kind])).toEqual([['FIRST_RESPONSE', 'BREACH']]);
  });

  it('tells the timer when to look next', () => {
    const clocks = run([{ at: at(0) }]);
    expect(summarise(clocks, OPEN, true, false).nextCheckAt?.toISOString()).toBe(at(30).toISOString());
    expect(summarise(clocks, OPEN, true, false).soonestDueAt?.toISOString()).toBe(at(60).toISOString());
    expect(summarise(clocks, { open: false, paused: false }, true, false).state).toBe(SlaState.MET);
    expect(summarise(clocks, { open: false, paused: false }, true, true).state).toBe(SlaState.BREACHED);
    expect(summarise(clocks, OPEN, false, false).state).toBe(SlaState.NONE);
  });
});
