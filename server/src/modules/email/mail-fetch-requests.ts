import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventBus } from '../../events/event-bus.js';
import { EmailAddress } from './email-address.entity.js';

/** "Fetch now": clears the address's backoff and tells the worker holding its lease. */
export class MailFetchRequests {
  constructor(private readonly bus: EventBus) {}

  async request(em: EntityManager, tenantId: string, emailAddressId: string): Promise<void> {
    await em.transactional(async (tx) => {
      await tx.nativeUpdate(EmailAddress, { id: emailAddressId }, { nextAttemptAt: null });
      await this.bus.publishInTransaction(tx, 'mailbox.fetch-requested', { tenantId, emailAddressId });
    });
  }
}
