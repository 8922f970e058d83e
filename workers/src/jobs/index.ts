import type { Agenda } from 'agenda';
import type { Runtime } from '@switchboard/server/app/runtime.js';
import { registerPurgeExpiredSessions } from './purge-expired-sessions.job.js';
import { registerSendOutbox } from './send-outbox.job.js';
import type { OutboxPump } from '../outbox/outbox-pump.js';
import { registerLiveChatAutoTicket } from './livechat-auto-ticket.job.js';

/** Every job of the workers, registered on one Agenda. */
export async function registerJobs(agenda: Agenda, runtime: Runtime, pump: OutboxPump): Promise<void> {
  await registerPurgeExpiredSessions(agenda, runtime.services, runtime.env.HOUSEKEEPING_INTERVAL);
  await registerSendOutbox(agenda, pump);
  await registerLiveChatAutoTicket(agenda, runtime.services);
}
