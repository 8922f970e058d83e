import type { Rel } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { TenantScopedEntity } from '../../db/tenant-scoped.entity.js';
import { User } from '../users/user.entity.js';
import { EmailDelivery } from './notification-kinds.js';

/** One user's choice for one kind; kinds without a row use DEFAULT_PREFERENCES. */
@Entity({ tableName: 'notification_preferences' })
@Unique({ properties: ['user', 'kind'] })
export class NotificationPreference extends TenantScopedEntity {
  @ManyToOne({ entity: () => User, deleteRule: 'cascade' })
  user!: Rel<User>;

  /** NotificationKind */
  @Property({ length: 50 })
  kind!: string;

  @Property()
  inApp!: boolean;

  @Enum({ items: () => EmailDelivery, nativeEnumName: 'email_delivery' })
  email!: EmailDelivery;
}

/** A user's time zone, quiet hours and digest time (one row per user, created on first save). */
@Entity({ tableName: 'notification_settings' })
@Unique({ properties: ['user'] })
export class NotificationSettings extends TenantScopedEntity<
  'timeZone' | 'quietHoursEnabled' | 'quietHoursStart' | 'quietHoursEnd' | 'dailyDigestHour'
> {
  @ManyToOne({ entity: () => User, deleteRule: 'cascade' })
  user!: Rel<User>;

  /** IANA zone, e.g. Europe/Berlin: quiet hours and the daily digest are local times. */
  @Property({ length: 64 })
  timeZone: string = 'UTC';

  @Property()
  quietHoursEnabled: boolean = false;

  /** Minutes after local midnight; start after end means overnight (22:00–07:00). */
  @Property()
  quietHoursStart: number = 22 * 60;

  @Property()
  quietHoursEnd: number = 7 * 60;

  /** Local hour (0–23) at which the daily digest goes out. */
  @Property()
  dailyDigestHour: number = 8;
}
