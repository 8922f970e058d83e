// Notification mail: queued in the notification's own transaction when it may go out now, or held
// as a NotificationEmail row until quiet hours end or the user's digest is due; `sendDue` (run by
// the digest job) turns due rows into one mail per user.
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { DateTime } from 'luxon';
import { acrossTenants, forTenant } from '../../db/tenant-scope.js';
import { env } from '../../config/env.js';
import { childLogger } from '../../lib/logger.js';
import { Tenant } from '../tenants/tenant.entity.js';
import type { User } from '../users/user.entity.js';
import { Ticket } from '../tickets/ticket.entity.js';
import { TimelineEvent, TimelineKind } from '../timeline/timeline-event.entity.js';
import { plainMentions } from '../timeline/mentions.js';
import type { OutboxService } from '../email/outbox.service.js';
import { MailTemplateEvent } from '../email/mail-template.entity.js';
import { renderTemplate, type MailTemplateService, type TemplateVariables } from '../email/mail-templates.js';
import type { MailMessage } from '../email/mail-message.entity.js';
import { EmailDelivery, KIND_LABELS, isNotificationKind, type KindPreference } from './notification-kinds.js';
import { emailDueAt, type ScheduleSettings } from './notification-schedule.js';
import type { NotificationPreferenceService } from './notification-preferences.service.js';
import { NotificationEmail, NotificationEmailStatus } from './notification-email.entity.js';
import type { Notification } from './notification.entity.js';

const log = childLogger('notification-mail');

export type Clock = () => Date;

export interface PlannedEmail {
  notification: Notification;
  recipient: User;
  preference: KindPreference;
  schedule: ScheduleSettings;
}
export const systemClock: Clock = () => new Date();

function publicUrl(): string {
  return env().PUBLIC_URL ?? `http://localhost:${env().PORT}`;
}

function kindLabel(kind: string): string {
  return isNotificationKind(kind) ? KIND_LABELS[kind] : kind;
}

export function notificationUrl(notification: Pick<Notification, 'ticket' | 'link'>): string {
  if (notification.ticket) return `${publicUrl()}/tickets/${notification.ticket.id}`;
  if (notification.link?.startsWith('/')) return `${publicUrl()}${notification.link}`;
  return `${publicUrl()}/notifications`;
}

export class NotificationMailer {
  constructor(
    private readonly orm: MikroORM,
    private readonly outbox: OutboxService,
    private readonly templates: MailTemplateService,
    private readonly preferences: NotificationPreferenceService,
  ) {}

  /** Inside the notification's transaction: mail it now, hold it for later, or neither. */
  async plan(
    tx: EntityManager,
    notification: Notification,
    recipient: User,
    preference: KindPreference,
    schedule: ScheduleSettings,
    now: Date,
  ): Promise<NotificationEmail | null> {
    return (await this.planMany(tx, [{ notification, recipient, preference, schedule }], now))[0] ?? null;
  }

  /** `plan` for many notifications of one transaction (e.g. every agent): one template, one flush. */
  async planMany(tx: EntityManager, entries: PlannedEmail[], now: Date): Promise<NotificationEmail[]> {
    const rows: NotificationEmail[] = [];
    const immediate: Array<{ row: NotificationEmail; entry: PlannedEmail }> = [];
    for (const entry of entries) {
      const { notification, recipient, preference, schedule } = entry;
      if (preference.email === EmailDelivery.OFF) continue;
      const dueAt = emailDueAt(schedule, preference.email, now);
      const digest = preference.email !== EmailDelivery.IMMEDIATELY;
      const row = tx.create(NotificationEmail, {
        tenant: notification.tenant,
        user: recipient,
        notification,
        dueAt,
        digest,
      });
      rows.push(row);
      if (!digest && dueAt.getTime() <= now.getTime()) immediate.push({ row, entry });
    }
    if (immediate.length) {
      const mails = await this.mailEach(
        tx,
        immediate.map((i) => i.entry),
      );
      immediate.forEach(({ row }, index) => this.markQueued(row, mails[index] ?? null, now));
    }
    if (rows.length) await tx.flush();
    return rows;
  }

  /**
   * Mails every held notification that is due by `now`: one mail per user (a digest when there are
   * several). Each user's batch is claimed under a transaction-scoped advisory lock and marked in
   * the transaction that queues its mail, so concurrent or restarted runs never send it twice.
   */
  async sendDue(now: Date, maxUsers = 500): Promise<{ mails: number; notifications: number }> {
    const result = { mails: 0, notifications: 0 };
    const candidates = await acrossTenants(this.orm.em)
      .getConnection()
      .execute<Array<{ tenant_id: string; user_id: string }>>(
        `select distinct tenant_id, user_id from notification_emails where status = ? and due_at <= ? limit ?`,
        [NotificationEmailStatus.PENDING, now, maxUsers],
      );
    for (const { tenant_id: tenantId, user_id: userId } of candidates) {
      try {
        const sent = await this.sendDueFor(tenantId, userId, now);
        if (sent) {
          result.mails += sent.mail ? 1 : 0;
          result.notifications += sent.count;
        }
      } catch (error) {
        log.warn({ err: (error as Error).message, userId }, 'could not mail held notifications');
      }
    }
    return result;
  }

  private async sendDueFor(
    tenantId: string,
    userId: string,
    now: Date,
  ): Promise<{ mail: MailMessage | null; count: number } | null> {
    return forTenant(this.orm.em, tenantId).transactional(async (tx) => {
      const [lock] = await tx.execute<Array<{ ok: boolean }>>('select pg_try_advisory_xact_lock(hashtext(?)) as ok', [
        `notification-mail:${userId}`,
      ]);
      if (!lock?.ok) return null; // another worker is mailing this user right now
      const rows = await tx.find(
        NotificationEmail,
        { user: userId, status: NotificationEmailStatus.PENDING, dueAt: { $lte: now } },
        {
          populate: ['user', 'notification', 'notification.ticket', 'notification.event'],
          orderBy: { createdAt: 'asc' },
        },
      );
      if (rows.length === 0) return null;
      const recipient = rows[0]!.user;
      const schedule = await this.preferences.schedule(tx, userId);
      const notifications = rows.map((r) => r.notification as Notification);
      // Someone deactivated while their mail was held gets none.
      const mail = !recipient.active
        ? null
        : notifications.length === 1
          ? await this.mailOne(tx, recipient, notifications[0]!, schedule)
          : await this.mailDigest(tx, recipient, notifications, schedule);
      for (const row of rows) this.markQueued(row, mail, now);
      await tx.flush();
      return { mail, count: rows.length };
    });
  }

  private markQueued(row: NotificationEmail, mail: MailMessage | null, now: Date): void {
    row.status = mail ? NotificationEmailStatus.QUEUED : NotificationEmailStatus.SKIPPED;
    row.mail = mail;
    row.queuedAt = now;
  }

  private async mailOne(
    tx: EntityManager,
    recipient: User,
    notification: Notification,
    schedule: ScheduleSettings,
  ): Promise<MailMessage | null> {
    const [mail] = await this.mailEach(tx, [{ notification, recipient, schedule }]);
    return mail ?? null;
  }

  /** One AGENT_NOTIFICATION mail per entry (all of one tenant), queued together. */
  private async mailEach(
    tx: EntityManager,
    entries: Array<Pick<PlannedEmail, 'notification' | 'recipient' | 'schedule'>>,
  ): Promise<Array<MailMessage | null>> {
    const template = await this.templates.forEvent(tx, MailTemplateEvent.AGENT_NOTIFICATION);
    if (!template || entries.length === 0) return entries.map(() => null);
    const tenantId = entries[0]!.recipient.tenant.id;
    const base = await this.outbox.baseVariables(tx, tenantId);
    const aboutTicket = new Map<string, Partial<TemplateVariables>>();
    const mails: Array<{ to: string; rendered: { subject: string; text: string } }> = [];
    for (const { notification, recipient, schedule } of entries) {
      const key = `${notification.ticket?.id ?? ''}/${notification.event?.id ?? ''}`;
      if (!aboutTicket.has(key)) aboutTicket.set(key, await this.ticketVariables(tx, notification));
      const variables: TemplateVariables = {
        ...base,
        recipient_name: recipient.name,
        preferences_url: `${publicUrl()}/notifications/preferences`,
        ...aboutTicket.get(key),
        notification_title: notification.title,
        notification_kind: kindLabel(notification.kind),
        notification_url: notificationUrl(notification),
        notification_count: 1,
        notifications: [this.item(notification, schedule)],
      };
      mails.push({ to: recipient.email, rendered: await renderTemplate(template, variables) });
    }
    return this.outbox.queueAutomatedMany(tx, tenantId, mails);
  }

  private async mailDigest(
    tx: EntityManager,
    recipient: User,
    notifications: Notification[],
    schedule: ScheduleSettings,
  ): Promise<MailMessage | null> {
    const template = await this.templates.forEvent(tx, MailTemplateEvent.NOTIFICATION_DIGEST);
    if (!template) return null;
    const variables: TemplateVariables = {
      ...(await this.baseVariables(tx, recipient)),
      notification_count: notifications.length,
      notifications: notifications.map((n) => this.item(n, schedule)),
    };
    return this.outbox.queueAutomated(
      tx,
      recipient.tenant.id,
      recipient.email,
      await renderTemplate(template, variables),
    );
  }

  private item(notification: Notification, schedule: ScheduleSettings) {
    const zone = schedule.timeZone;
    return {
      title: notification.title,
      kind: kindLabel(notification.kind),
      url: notificationUrl(notification),
      created_at: DateTime.fromJSDate(notification.createdAt, { zone }).toFormat('ccc d LLL, HH:mm'),
    };
  }

  private async baseVariables(tx: EntityManager, recipient: User): Promise<TemplateVariables> {
    return {
      ...(await this.outbox.baseVariables(tx, recipient.tenant.id)),
      recipient_name: recipient.name,
      preferences_url: `${publicUrl()}/notifications/preferences`,
    };
  }

  private async ticketVariables(tx: EntityManager, notification: Notification): Promise<Partial<TemplateVariables>> {
    if (!notification.ticket) return {};
    const [ticket, tenant] = await Promise.all([
      tx.findOne(Ticket, notification.ticket.id),
      tx.findOneOrFail(Tenant, notification.tenant.id),
    ]);
    if (!ticket) return {};
    const event = notification.event ? await tx.findOne(TimelineEvent, notification.event.id) : null;
    const written = event && (event.kind === TimelineKind.COMMENT || event.kind === TimelineKind.NOTE);
    return {
      ticket_number: `[${tenant.ticketSubjectPrefix}${ticket.number}]`,
      subject: ticket.title,
      description: ticket.description,
      status: ticket.status,
      priority: `${ticket.urgency} / ${ticket.importance}`,
      urgency: ticket.urgency,
      importance: ticket.importance,
      created_at: ticket.createdAt.toISOString(),
      ticket_url: notificationUrl(notification),
      comment: written ? plainMentions(event.body ?? '') : '',
    };
  }
}
