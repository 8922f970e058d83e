// Drains the outbox: when a mail is queued (event from any process) and on a timer as a safety
// net. One drain at a time per process; a wake-up during a drain runs it once more.
import type { Services } from '@switchboard/server/app/services.js';
import { childLogger } from '@switchboard/server/lib/logger.js';

const log = childLogger('outbox-pump');
const BATCH = 20;

export class OutboxPump {
  private running: Promise<void> | null = null;
  private again = false;
  private stopQueued: (() => void) | null = null;

  constructor(private readonly services: Services) {}

  start(): void {
    const queued = this.services.bus.subscribe('mail.queued');
    this.stopQueued = () => void queued.return();
    void (async () => {
      for await (const _message of queued) void this.wake();
    })();
  }

  wake(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.drain()
      .catch((error: Error) => log.warn({ err: error.message }, 'outbox pass failed'))
      .finally(() => (this.running = null));
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopQueued?.();
    await this.running;
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      for (;;) {
        const result = await this.services.outbox.sendDue(BATCH);
        const handled = result.sent + result.failed + result.retried;
        if (handled) log.debug(result, 'outbox pass');
        if (handled < BATCH) break;
      }
    } while (this.again);
  }
}
