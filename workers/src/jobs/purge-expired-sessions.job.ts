// Housekeeping: removes expired and long-revoked sessions and spent reset tokens. Idempotent: a
// second run finds nothing to remove.
import type { Agenda } from 'agenda';
import type { Services } from '@switchboard/server/app/services.js';
import { childLogger } from '@switchboard/server/lib/logger.js';

export const PURGE_EXPIRED_SESSIONS = 'purge-expired-sessions';
const log = childLogger(PURGE_EXPIRED_SESSIONS);

export async function registerPurgeExpiredSessions(
  agenda: Agenda,
  services: Services,
  interval: string,
): Promise<void> {
  agenda.define(PURGE_EXPIRED_SESSIONS, async () => {
    const removed = await services.auth.purgeExpired();
    if (removed.sessions || removed.resetTokens) log.info(removed, 'purged expired sessions and reset tokens');
  });
  await agenda.every(interval, PURGE_EXPIRED_SESSIONS);
}
