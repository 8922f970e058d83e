import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventBus } from '../../events/event-bus.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { STAFF_ROLES, User, isStaffRole } from '../users/user.entity.js';
import type { Ticket } from '../tickets/ticket.entity.js';
import type { TimelineEvent } from '../timeline/timeline-event.entity.js';
import { Notification } from './notification.entity.js';
import { DEFAULT_PREFERENCES, type NotificationKind } from './notification-kinds.js';
import { systemClock, type Clock, type NotificationMailer } from './notification-mailer.js';
import type { NotificationPreferenceService } from './notification-preferences.service.js';

export type { NotificationKind } from './notification-kinds.js';

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

/** With no preferences service (tests that build the service bare), defaults apply and nothing is mailed. */
export interface NotificationDelivery {
  preferences: NotificationPreferenceService;
  mailer: NotificationMailer;
}

export class NotificationService {
  constructor(
    private readonly bus: EventBus,
    private readonly delivery: NotificationDelivery | null = null,
    /** Injectable so tests can place a notification inside or outside quiet hours. */
    readonly clock: Clock = systemClock,
  ) {}

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

  /**
   * Any notification (ticket or not), inside the caller's transaction: in the app and by mail as
   * the user's preferences say. Mail is queued (or held for quiet hours / a digest) in the same
   * transaction, and never goes to the actor who caused the notification.
   */
  async notifyUser(tx: EntityManager, data: UserNotification): Promise<Notification> {
    const options = this.delivery
      ? await this.delivery.preferences.forDelivery(tx, data.userId, data.kind)
      : { preference: DEFAULT_PREFERENCES[data.kind], schedule: null };
    const notification = tx.create(Notification, {
      tenant: tx.getReference(Tenant, data.tenantId),
      user: tx.getReference(User, data.userId),
      kind: data.kind,
      title: data.title.slice(0, 500),
      ticket: data.ticket ?? null,
      event: data.event ?? null,
      actor: data.actor ?? null,
      link: data.link ?? null,
      shownInApp: options.preference.inApp,
    });
    await tx.flush();
    if (notification.shownInApp) {
      await this.bus.publishInTransaction(tx, 'notification.created', {
        tenantId: data.tenantId,
        userId: data.userId,
        notificationId: notification.id,
      });
    }
    if (this.delivery && options.schedule && data.actor?.id !== data.userId) {
      const recipient = await tx.findOne(User, data.userId);
      // Staff notifications are mailed to staff only; customers have their own ticket mail.
      if (recipient?.active && recipient.email && isStaffRole(recipient.role)) {
        await this.delivery.mailer.plan(
          tx,
          notification,
          recipient,
          options.preference,
          options.schedule,
          this.clock(),
        );
      }
    }
    return notification;
  }

  /**
   * Seed 002: a ticket that is (or becomes) critical urgency × critical importance notifies every
   * agent of the tenant, except whoever made it so. Callers call this once per transition.
   */
  async notifyCriticalTicket(
    tx: EntityManager,
    tenantId: string,
    ticket: Ticket,
    actorUserId: string | null,
    event: TimelineEvent | null,
  ): Promise<number> {
    const staff = await tx.find(User, { role: { $in: [...STAFF_ROLES] }, active: true }, { orderBy: { id: 'asc' } });
    const actor = actorUserId ? (staff.find((u) => u.id === actorUserId) ?? tx.getReference(User, actorUserId)) : null;
    let notified = 0;
    for (const user of staff) {
      if (user.id === actorUserId) continue;
      await this.notifyUser(tx, {
        tenantId,
        userId: user.id,
        kind: 'CRITICAL_TICKET',
        title: TITLES.CRITICAL_TICKET(ticket),
        ticket,
        event,
        actor,
      });
      notified += 1;
    }
    return notified;
  }

  async list(
    em: EntityManager,
    userId: string,
    unreadOnly: boolean,
    limit = 50,
    before: Notification | null = null,
  ): Promise<Notification[]> {
    return em.find(
      Notification,
      {
        user: userId,
        shownInApp: true,
        ...(unreadOnly ? { readAt: null } : {}),
        ...(before
          ? {
              $or: [{ createdAt: { $lt: before.createdAt } }, { createdAt: before.createdAt, id: { $lt: before.id } }],
            }
          : {}),
      },
      { orderBy: { createdAt: 'desc', id: 'desc' }, limit, populate: ['ticket', 'actor'] },
    );
  }

  async unreadCount(em: EntityManager, userId: string): Promise<number> {
    return em.count(Notification, { user: userId, readAt: null, shownInApp: true });
  }

  async markRead(em: EntityManager, userId: string, ids: string[] | null): Promise<number> {
    return em.nativeUpdate(
      Notification,
      { user: userId, readAt: null, ...(ids ? { id: { $in: ids } } : {}) },
      { readAt: new Date() },
    );
  }

  async markUnread(em: EntityManager, userId: string, ids: string[]): Promise<number> {
    return em.nativeUpdate(Notification, { user: userId, readAt: { $ne: null }, id: { $in: ids } }, { readAt: null });
  }
}
