// Runs the automation engine over new timeline events as soon as any process writes one (the
// `timeline.created` event) and on a timer as a safety net. One pass at a time per process; a
// wake-up during a pass runs it once more. Across processes the engine's cursor lock decides.
import type { Services } from '@switchboard/server/app/services.js';
import { childLogger } from '@switchboard/server/lib/logger.js';
import { AutomationEngine, MAX_EVENTS_PER_PASS } from '@switchboard/server/modules/automation/automation.engine.js';
import { AutomationRunner } from '@switchboard/server/modules/automation/automation.runner.js';

const log = childLogger('automation-pump');

export class AutomationPump {
  readonly engine: AutomationEngine;
  private running: Promise<void> | null = null;
  private again = false;
  private stopCreated: (() => void) | null = null;

  constructor(private readonly services: Services) {
    this.engine = new AutomationEngine(services.orm, new AutomationRunner(services.orm, services));
  }

  start(): void {
    const created = this.services.bus.subscribe('timeline.created');
    this.stopCreated = () => void created.return();
    void (async () => {
      for await (const _message of created) void this.wake();
    })();
  }

  wake(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.drain()
      .catch((error: Error) => log.warn({ err: error.message }, 'automation pass failed'))
      .finally(() => (this.running = null));
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopCreated?.();
    await this.running;
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      // A pass reads up to its limit; keep going while there is more.
      while ((await this.engine.processEvents()) >= MAX_EVENTS_PER_PASS);
    } while (this.again);
  }
}
