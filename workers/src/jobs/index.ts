import type { Agenda } from 'agenda';
import type { Runtime } from '@switchboard/server/app/runtime.js';
import { registerPurgeExpiredSessions } from './purge-expired-sessions.job.js';
import { registerSendOutbox } from './send-outbox.job.js';
import type { OutboxPump } from '../outbox/outbox-pump.js';
import type { AutomationPump } from '../automation/automation-pump.js';
import { registerRunAutomation } from './run-automation.job.js';
import { registerFireTimeRules } from './fire-time-rules.job.js';

/** Every job of the workers, registered on one Agenda. */
export async function registerJobs(
  agenda: Agenda,
  runtime: Runtime,
  pump: OutboxPump,
  automation: AutomationPump,
): Promise<void> {
  await registerPurgeExpiredSessions(agenda, runtime.services, runtime.env.HOUSEKEEPING_INTERVAL);
  await registerSendOutbox(agenda, pump);
  await registerRunAutomation(agenda, automation);
  await registerFireTimeRules(agenda, automation);
}
