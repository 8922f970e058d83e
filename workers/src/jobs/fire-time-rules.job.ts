// Time-based automation ("unassigned for 2 h", "pending for 3 days", "resolved for 72 h"): every
// minute, settle the occurrences that are due. Each occurrence has a unique key, so workers that
// scan at the same moment never run a rule twice.
import type { Agenda } from 'agenda';
import { childLogger } from '@switchboard/server/lib/logger.js';
import type { AutomationPump } from '../automation/automation-pump.js';

export const FIRE_TIME_RULES = 'fire-time-rules';
const log = childLogger('fire-time-rules');

export async function registerFireTimeRules(agenda: Agenda, pump: AutomationPump): Promise<void> {
  agenda.define(FIRE_TIME_RULES, async () => {
    const settled = await pump.engine.scanTimeTriggers();
    if (settled) log.info({ settled }, 'time-based rules settled');
  });
  await agenda.every('1 minute', FIRE_TIME_RULES);
}
