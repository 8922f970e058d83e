// Retries webhook deliveries whose backoff has passed (30 s, 2 min, 10 min, 1 h, 6 h). The first
// attempt is made by the rule run itself; this job only picks up what failed in a way worth
// repeating. Rows are claimed with FOR UPDATE SKIP LOCKED and a lease, so several workers never send
// one delivery twice, and a worker that dies mid-send leaves the row due again for the others.
import type { Agenda } from 'agenda';
import type { Services } from '@switchboard/server/app/services.js';
import { childLogger } from '@switchboard/server/lib/logger.js';

export const SEND_WEBHOOK_DELIVERIES = 'send-webhook-deliveries';
const log = childLogger(SEND_WEBHOOK_DELIVERIES);

export async function registerSendWebhookDeliveries(agenda: Agenda, services: Services): Promise<void> {
  agenda.define(SEND_WEBHOOK_DELIVERIES, async () => {
    const attempts = await services.webhookDeliveries.sendDue(20, new Date());
    if (attempts) log.info({ attempts }, 'retried webhook deliveries');
  });
  await agenda.every('15 seconds', SEND_WEBHOOK_DELIVERIES);
}
