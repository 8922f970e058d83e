import type { Agenda } from 'agenda';
import type { Runtime } from '@switchboard/server/app/runtime.js';
import type { OutboxPump } from '../outbox/outbox-pump.js';
import type { SlaTimerPump } from '../sla/sla-timer-pump.js';
import type { AutomationPump } from '../automation/automation-pump.js';
import { registerPurgeExpiredSessions } from './purge-expired-sessions.job.js';
import { registerSendOutbox } from './send-outbox.job.js';
import { registerSendNotificationDigests } from './send-notification-digests.job.js';
import { registerSlaTimers } from './sla-timers.job.js';
import { registerRunAutomation } from './run-automation.job.js';
import { registerFireTimeRules } from './fire-time-rules.job.js';
import { registerLiveChatAutoTicket } from './livechat-auto-ticket.job.js';
import { registerSendWebhookDeliveries } from './send-webhook-deliveries.job.js';

/** The long-running loops of a worker process that some jobs wake or back up. */
export interface WorkerPumps {
  outbox: OutboxPump;
  slaTimers: SlaTimerPump;
  automation: AutomationPump;
}

/** Every job of the workers, registered on one Agenda. */
export async function registerJobs(agenda: Agenda, runtime: Runtime, pumps: WorkerPumps): Promise<void> {
  await registerPurgeExpiredSessions(agenda, runtime.services, runtime.env.HOUSEKEEPING_INTERVAL);
  await registerSendOutbox(agenda, pumps.outbox);
  await registerSendNotificationDigests(agenda, runtime.services);
  await registerSlaTimers(agenda, pumps.slaTimers);
  await registerRunAutomation(agenda, pumps.automation);
  await registerFireTimeRules(agenda, pumps.automation);
  await registerLiveChatAutoTicket(agenda, runtime.services);
  await registerSendWebhookDeliveries(agenda, runtime.services);
}
