import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventBus } from '../../events/event-bus.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { STAFF_ROLES, User, isStaffRole } from '../users/user.entity.js';
import type { Ticket } from '../tickets/ticket.entity.js';
import type { TimelineEvent } from '../timeline/timeline-event.entity.js';
import { Notification } from './notification.entity.js';
import { DEFAULT_PREFERENCES, type KindPreference, type NotificationKind } from './notification-kinds.js';
import { systemClock, type Clock, type NotificationMailer, type PlannedEmail } from './notification-mailer.js';
import type { ScheduleSettings } from './notification-schedule.js';
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
    const [notification] = await this.notifyUsers(tx, [data]);
    return notification!;
  }

  /** `notifyUser` for many at once (of one tenant): preferences, rows and mail in a few queries. */
  async notifyUsers(tx: EntityManager, items: UserNotification[]): Promise<Notification[]> {
    if (items.length === 0) return [];
    const options = this.delivery
      ? await this.delivery.preferences.forDeliveries(tx, items)
      : items.map((data) => ({ preference: DEFAULT_PREFERENCES[data.kind], schedule: null }));
    const notifications = items.map((data, index) =>
      tx.create(Notification, {
        tenant: tx.getReference(Tenant, data.tenantId),
        user: tx.getReference(User, data.userId),
        kind: data.kind,
        title: data.title.slice(0, 500),
        ticket: data.ticket ?? null,
        event: data.event ?? null,
        actor: data.actor ?? null,
        link: data.link ?? null,
        shownInApp: options[index]!.preference.inApp,
      }),
    );
    await tx.flush();
    for (const [index, notification] of notifications.entries()) {
      if (!notification.shownInApp) continue;
      await this.bus.publishInTransaction(tx, 'notification.created', {
        tenantId: items[index]!.tenantId,
        userId: items[index]!.userId,
        notificationId: notification.id,
      });
    }
    if (this.delivery) await this.planMail(tx, items, notifications, options);
    return notifications;
  }

  private async planMail(
    tx: EntityManager,
    items: UserNotification[],
    notifications: Notification[],
    options: Array<{ preference: KindPreference; schedule: ScheduleSettings | null }>,
  ): Promise<void> {
    const recipients = await tx.find(User, { id: { $in: [...new Set(items.map((i) => i.userId))] } });
    const planned: PlannedEmail[] = [];
    for (const [index, data] of items.entries()) {
      const recipient = recipients.find((u) => u.id === data.userId);
      const { preference, schedule } = options[index]!;
      // Never about one's own action; staff notifications go to staff only (customers have ticket mail).
      if (!schedule || data.actor?.id === data.userId) continue;
      if (!recipient?.active || !recipient.email || !isStaffRole(recipient.role)) continue;
      planned.push({ notification: notifications[index]!, recipient, preference, schedule });
    }
    await this.delivery!.mailer.planMany(tx, planned, this.clock());
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
    const notified = await this.notifyUsers(
      tx,
      staff
        .filter((user) => user.id !== actorUserId)
        .map((user) => ({
          tenantId,
          userId: user.id,
          kind: 'CRITICAL_TICKET' as const,
          title: TITLES.CRITICAL_TICKET(ticket),
          ticket,
          event,
          actor,
        })),
    );
    return notified.length;
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
