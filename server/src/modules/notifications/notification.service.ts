import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventBus } from '../../events/event-bus.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { User } from '../users/user.entity.js';
import type { Ticket } from '../tickets/ticket.entity.js';
import type { TimelineEvent } from '../timeline/timeline-event.entity.js';
import { Notification } from './notification.entity.js';

export type NotificationKind = 'MENTION' | 'ASSIGNED' | 'WATCHED_COMMENT';

const TITLES: Record<NotificationKind, (ticket: Ticket) => string> = {
  MENTION: (t) => `You were mentioned on #${t.number} ${t.title}`,
  ASSIGNED: (t) => `#${t.number} ${t.title} was assigned to you`,
  WATCHED_COMMENT: (t) => `New message on #${t.number} ${t.title}, which you watch`,
};

export class NotificationService {
  constructor(private readonly bus: EventBus) {}

  /** Inside the caller's transaction; the bell rings when it commits. */
  async notify(
    tx: EntityManager,
    tenantId: string,
    userId: string,
    kind: NotificationKind,
    ticket: Ticket,
    event: TimelineEvent | null,
  ): Promise<Notification> {
    const notification = tx.create(Notification, {
      tenant: tx.getReference(Tenant, tenantId),
      user: tx.getReference(User, userId),
      kind,
      title: TITLES[kind](ticket).slice(0, 500),
      ticket,
      event,
      actor: event?.actor ?? null,
    });
    await tx.flush();
    await this.bus.publishInTransaction(tx, 'notification.created', {
      tenantId,
      userId,
      notificationId: notification.id,
    });
    return notification;
  }

  async list(em: EntityManager, userId: string, unreadOnly: boolean, limit = 50): Promise<Notification[]> {
    return em.find(
      Notification,
      { user: userId, ...(unreadOnly ? { readAt: null } : {}) },
      { orderBy: { createdAt: 'desc' }, limit, populate: ['ticket', 'actor'] },
    );
  }

  async unreadCount(em: EntityManager, userId: string): Promise<number> {
    return em.count(Notification, { user: userId, readAt: null });
  }

  async markRead(em: EntityManager, userId: string, ids: string[] | null): Promise<number> {
    return em.nativeUpdate(
      Notification,
      { user: userId, readAt: null, ...(ids ? { id: { $in: ids } } : {}) },
      { readAt: new Date() },
    );
  }
}
