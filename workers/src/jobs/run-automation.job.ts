// Safety net for the automation engine: a pass over the timeline every few seconds, in case a
// `timeline.created` wake-up was missed (a listener reconnecting, a long transaction delaying events).
import type { Agenda } from 'agenda';
import type { AutomationPump } from '../automation/automation-pump.js';

export const RUN_AUTOMATION = 'run-automation';

export async function registerRunAutomation(agenda: Agenda, pump: AutomationPump): Promise<void> {
  agenda.define(RUN_AUTOMATION, async () => {
    await pump.wake();
  });
  await agenda.every('10 seconds', RUN_AUTOMATION);
}
