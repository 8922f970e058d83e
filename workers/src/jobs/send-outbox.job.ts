// Sends due outbox mail every few seconds (retries after backoff); new mail is sent at once by the
// pump's `mail.queued` listener. Claiming rows with SKIP LOCKED makes several workers safe.
import type { Agenda } from 'agenda';
import type { OutboxPump } from '../outbox/outbox-pump.js';

export const SEND_OUTBOX = 'send-outbox';

export async function registerSendOutbox(agenda: Agenda, pump: OutboxPump): Promise<void> {
  agenda.define(SEND_OUTBOX, async () => {
    await pump.wake();
  });
  await agenda.every('5 seconds', SEND_OUTBOX);
}
