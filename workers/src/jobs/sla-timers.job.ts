// Records due SLA warnings and breaches. The pump sleeps until the next due time on its own; this
// job wakes it every two seconds as a safety net (a missed event, a clock jump), so a breach is
// recorded within a few seconds of its due time even then. Idempotent: SlaTimers claims rows with
// SKIP LOCKED and sla_firings' unique key refuses a second recording.
import type { Agenda } from 'agenda';
import type { SlaTimerPump } from '../sla/sla-timer-pump.js';

export const SLA_TIMERS = 'sla-timers';

export async function registerSlaTimers(agenda: Agenda, pump: SlaTimerPump): Promise<void> {
  agenda.define(SLA_TIMERS, async () => {
    await pump.wake();
  });
  await agenda.every('2 seconds', SLA_TIMERS);
}
