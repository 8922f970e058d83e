import type { Agenda } from 'agenda';
import type { Runtime } from '@switchboard/server/app/runtime.js';
import { registerPurgeExpiredSessions } from './purge-expired-sessions.job.js';

/** Every job of the workers, registered on one Agenda. */
export async function registerJobs(agenda: Agenda, runtime: Runtime): Promise<void> {
  await registerPurgeExpiredSessions(agenda, runtime.services, runtime.env.HOUSEKEEPING_INTERVAL);
}
