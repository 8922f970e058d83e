// Fires SLA warnings and breaches close to their due time: after each pass it sleeps until the
// earliest pending time (re-read whenever any SLA changes), and the `sla-timers` Agenda job wakes
// it every couple of seconds as a safety net. Every worker runs one; SlaTimers' row claiming and
// the sla_firings unique key keep them from recording anything twice.
import type { Services } from '@switchboard/server/app/services.js';
import { childLogger } from '@switchboard/server/lib/logger.js';

const log = childLogger('sla-timer-pump');
const BATCH = 100;
/** Sleep at most this long between passes even when nothing is due (the job wakes us anyway). */
const MAX_SLEEP_MS = 30_000;
/** Re-reading the next due time after SLA changes at most this often. */
const REARM_MS = 200;

export class SlaTimerPump {
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private rearmTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private stopChanges: (() => void) | null = null;
  /** Figures for the benchmark: recorded warnings/breaches and passes. */
  readonly stats = { fired: 0, passes: 0 };

  constructor(private readonly services: Services) {}

  start(): void {
    const changes = this.services.bus.subscribe('sla.changed');
    this.stopChanges = () => void changes.return();
    void (async () => {
      for await (const _change of changes) this.rearmSoon();
    })();
    void this.wake();
  }

  wake(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.drain()
      .catch((error: Error) => log.warn({ err: error.message }, 'SLA timer pass failed'))
      .finally(() => (this.running = null));
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopChanges?.();
    if (this.timer) clearTimeout(this.timer);
    if (this.rearmTimer) clearTimeout(this.rearmTimer);
    await this.running;
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      for (;;) {
        const pass = await this.services.slaTimers.fireDue(BATCH);
        this.stats.passes++;
        this.stats.fired += pass.fired;
        if (pass.fired) log.debug(pass, 'SLA timers fired');
        if (pass.checked < BATCH) break;
      }
    } while (this.again && !this.stopped);
    await this.services.slaTimers.compactCounts();
    await this.arm();
  }

  /** Sleeps until the earliest pending warning or breach. */
  private async arm(): Promise<void> {
    if (this.stopped) return;
    const next = await this.services.slaTimers.nextDueAt();
    const delay = next ? Math.max(0, Math.min(next.getTime() - Date.now(), MAX_SLEEP_MS)) : MAX_SLEEP_MS;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.wake(), delay);
    this.timer.unref();
  }

  private rearmSoon(): void {
    if (this.rearmTimer || this.stopped) return;
    this.rearmTimer = setTimeout(() => {
      this.rearmTimer = null;
      if (!this.running) void this.arm().catch(() => undefined);
    }, REARM_MS);
    this.rearmTimer.unref();
  }
}
