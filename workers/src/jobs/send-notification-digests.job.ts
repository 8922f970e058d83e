// Mails held notifications once they are due: hourly and daily digests, and what quiet hours held
// back. The state lives in PostgreSQL (notification_emails): a batch is queued in the outbox and
// marked in one transaction, so a restart neither skips a digest (due rows stay due) nor sends one
// twice (sent rows are no longer pending). Running every minute keeps digests close to the hour.
import type { Agenda } from 'agenda';
import type { Services } from '@switchboard/server/app/services.js';
import { childLogger } from '@switchboard/server/lib/logger.js';

export const SEND_NOTIFICATION_DIGESTS = 'send-notification-digests';
const log = childLogger(SEND_NOTIFICATION_DIGESTS);

export async function registerSendNotificationDigests(agenda: Agenda, services: Services): Promise<void> {
  agenda.define(SEND_NOTIFICATION_DIGESTS, async () => {
    const sent = await services.notificationMailer.sendDue(new Date());
    if (sent.mails) log.info(sent, 'mailed held notifications');
  });
  await agenda.every('1 minute', SEND_NOTIFICATION_DIGESTS);
}
