import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventBus } from '../../events/event-bus.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { User } from '../users/user.entity.js';
import type { Ticket } from '../tickets/ticket.entity.js';
import type { TimelineEvent } from '../timeline/timeline-event.entity.js';
import { Notification } from './notification.entity.js';

/** Every kind of notification; preferences and e-mail delivery are chosen per kind. */
export type NotificationKind =
  | 'MENTION'
  | 'ASSIGNED'
  | 'WATCHED_COMMENT'
  | 'SLA_WARNING'
  | 'SLA_BREACHED'
  | 'CRITICAL_TICKET'
  | 'AUTOMATION'
  | 'CHAT_MENTION';

export type TicketNotificationKind = Exclude<NotificationKind, 'AUTOMATION' | 'CHAT_MENTION'>;

const TITLES: Record<TicketNotificationKind, (ticket: Ticket) => string> = {
  MENTION: (t) => `You were mentioned on #${t.number} ${t.title}`,
  ASSIGNED: (t) => `#${t.number} ${t.title} was assigned to you`,
  WATCHED_COMMENT: (t) => `New message on #${t.number} ${t.title}, which you watch`,
  SLA_WARNING: (t) => `SLA at risk on #${t.number} ${t.title}`,
  SLA_BREACHED: (t) => `SLA breached on #${t.number} ${t.title}`,
  CRITICAL_TICKET: (t) => `Critical ticket #${t.number} ${t.title}`,
};

export interface UserNotification {
  tenantId: string;
  userId: string;
  kind: NotificationKind;
  title: string;
  ticket?: Ticket | null;
  event?: TimelineEvent | null;
  actor?: User | null;
  /** Where the notification leads in the agent app when it has no ticket (e.g. `/chat/<channel>`). */
  link?: string | null;
}

export class NotificationService {
  constructor(private readonly bus: EventBus) {}

  /** A notification about a ticket, inside the caller's transaction; the bell rings when it commits. */
  notify(
    tx: EntityManager,
    tenantId: string,
    userId: string,
    kind: TicketNotificationKind,
    ticket: Ticket,
    event: TimelineEvent | null,
  ): Promise<Notification> {
    return this.notifyUser(tx, {
      tenantId,
      userId,
      kind,
      title: TITLES[kind](ticket),
      ticket,
      event,
      actor: event?.actor ?? null,
    });
  }

  /** Any notification (ticket or not), inside the caller's transaction. */
  async notifyUser(tx: EntityManager, data: UserNotification): Promise<Notification> {
    const notification = tx.create(Notification, {
      tenant: tx.getReference(Tenant, data.tenantId),
      user: tx.getReference(User, data.userId),
      kind: data.kind,
      title: data.title.slice(0, 500),
      ticket: data.ticket ?? null,
      event: data.event ?? null,
      actor: data.actor ?? null,
      link: data.link ?? null,
    });
    await tx.flush();
    await this.bus.publishInTransaction(tx, 'notification.created', {
      tenantId: data.tenantId,
      userId: data.userId,
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
