import type { Rel } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { TenantScopedEntity } from '../../db/tenant-scoped.entity.js';
import { User } from '../users/user.entity.js';
import { MailMessage } from '../email/mail-message.entity.js';
import { Notification } from './notification.entity.js';

export enum NotificationEmailStatus {
  /** Held: for a digest or until quiet hours end. */
  PENDING = 'PENDING',
  /** Queued in the outbox (alone or in a digest). */
  QUEUED = 'QUEUED',
  /** Could not be mailed (no support address to send from, or the user has no address). */
  SKIPPED = 'SKIPPED',
}

/**
 * The mail owed for one notification. Rows are the digest's persisted state: a digest queues its
 * mail and marks its rows in one transaction, so a restart neither skips nor repeats one.
 */
@Entity({ tableName: 'notification_emails' })
@Index({ properties: ['status', 'dueAt'] })
@Index({ properties: ['user', 'status'] })
export class NotificationEmail extends TenantScopedEntity<'status' | 'mail' | 'queuedAt' | 'digest'> {
  @ManyToOne({ entity: () => User, deleteRule: 'cascade' })
  user!: Rel<User>;

  @ManyToOne({ entity: () => Notification, deleteRule: 'cascade' })
  notification!: Rel<Notification>;

  /** When it may go out: now, the end of quiet hours, or the next hourly/daily digest. */
  @Property({ type: 'timestamptz' })
  dueAt!: Date;

  /** Chosen for a digest (rather than held by quiet hours). */
  @Property()
  digest: boolean = false;

  @Enum({ items: () => NotificationEmailStatus, nativeEnumName: 'notification_email_status' })
  status: NotificationEmailStatus = NotificationEmailStatus.PENDING;

  @ManyToOne({ entity: () => MailMessage, nullable: true, deleteRule: 'set null' })
  mail?: Rel<MailMessage> | null;

  @Property({ type: 'timestamptz', nullable: true })
  queuedAt?: Date | null;
}
