// Per-user notification preferences: in-app and e-mail per kind, quiet hours, time zone, digest
// time. Rows exist only for what a user changed; everything else is DEFAULT_PREFERENCES.
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from '../../graphql/errors.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { User } from '../users/user.entity.js';
import {
  DEFAULT_PREFERENCES,
  EmailDelivery,
  NOTIFICATION_KINDS,
  isNotificationKind,
  type KindPreference,
  type NotificationKind,
} from './notification-kinds.js';
import { NotificationPreference, NotificationSettings } from './notification-preference.entity.js';
import { DEFAULT_SCHEDULE, isValidTimeZone, parseMinutes, type ScheduleSettings } from './notification-schedule.js';

export interface KindPreferenceView extends KindPreference {
  kind: NotificationKind;
}

export interface PreferencesView extends ScheduleSettings {
  kinds: KindPreferenceView[];
}

export interface PreferencesUpdate {
  timeZone?: string | null;
  quietHoursEnabled?: boolean | null;
  /** "HH:MM", local. */
  quietHoursStart?: string | null;
  quietHoursEnd?: string | null;
  dailyDigestHour?: number | null;
  kinds?: Array<{ kind: string; inApp: boolean; email: EmailDelivery }> | null;
}

function scheduleOf(row: NotificationSettings | null): ScheduleSettings {
  if (!row) return { ...DEFAULT_SCHEDULE };
  return {
    timeZone: row.timeZone,
    quietHoursEnabled: row.quietHoursEnabled,
    quietHoursStart: row.quietHoursStart,
    quietHoursEnd: row.quietHoursEnd,
    dailyDigestHour: row.dailyDigestHour,
  };
}

export class NotificationPreferenceService {
  /** What one notification of `kind` to `userId` should do (inside the notifying transaction). */
  async forDelivery(
    tx: EntityManager,
    userId: string,
    kind: NotificationKind,
  ): Promise<{ preference: KindPreference; schedule: ScheduleSettings }> {
    const [row, settings] = await Promise.all([
      tx.findOne(NotificationPreference, { user: userId, kind }),
      tx.findOne(NotificationSettings, { user: userId }),
    ]);
    const preference = row ? { inApp: row.inApp, email: row.email } : DEFAULT_PREFERENCES[kind];
    return { preference, schedule: scheduleOf(settings) };
  }

  /** `forDelivery` for many notifications at once: two queries whatever their number. */
  async forDeliveries(
    tx: EntityManager,
    wanted: Array<{ userId: string; kind: NotificationKind }>,
  ): Promise<Array<{ preference: KindPreference; schedule: ScheduleSettings }>> {
    const userIds = [...new Set(wanted.map((w) => w.userId))];
    const kinds = [...new Set(wanted.map((w) => w.kind))];
    const [rows, settings] = await Promise.all([
      tx.find(NotificationPreference, { user: { $in: userIds }, kind: { $in: kinds } }),
      tx.find(NotificationSettings, { user: { $in: userIds } }),
    ]);
    return wanted.map(({ userId, kind }) => {
      const row = rows.find((r) => r.user.id === userId && r.kind === kind);
      return {
        preference: row ? { inApp: row.inApp, email: row.email } : DEFAULT_PREFERENCES[kind],
        schedule: scheduleOf(settings.find((s) => s.user.id === userId) ?? null),
      };
    });
  }

  async schedule(em: EntityManager, userId: string): Promise<ScheduleSettings> {
    return scheduleOf(await em.findOne(NotificationSettings, { user: userId }));
  }

  /** A staff user's preferences; customers get no kinds (staff notifications are not theirs). */
  async get(em: EntityManager, userId: string, staff: boolean): Promise<PreferencesView> {
    const [rows, settings] = await Promise.all([
      staff ? em.find(NotificationPreference, { user: userId }) : Promise.resolve([]),
      em.findOne(NotificationSettings, { user: userId }),
    ]);
    const kinds = staff
      ? NOTIFICATION_KINDS.map((kind) => {
          const row = rows.find((r) => r.kind === kind);
          return { kind, ...(row ? { inApp: row.inApp, email: row.email } : DEFAULT_PREFERENCES[kind]) };
        })
      : [];
    return { ...scheduleOf(settings), kinds };
  }

  /** Validates everything first: an invalid update changes nothing. */
  async update(
    em: EntityManager,
    tenantId: string,
    userId: string,
    staff: boolean,
    input: PreferencesUpdate,
  ): Promise<PreferencesView> {
    if (!staff) throw new DomainError('FORBIDDEN', 'Notification preferences are for staff accounts');
    const schedule = this.validSchedule(input);
    const kinds = input.kinds ?? [];
    for (const item of kinds) {
      if (!isNotificationKind(item.kind)) {
        throw new DomainError('BAD_USER_INPUT', `Unknown notification kind ${item.kind}`, 'kinds');
      }
    }
    if (new Set(kinds.map((k) => k.kind)).size !== kinds.length) {
      throw new DomainError('BAD_USER_INPUT', 'Each kind may appear once', 'kinds');
    }
    await em.transactional(async (tx) => {
      const tenant = tx.getReference(Tenant, tenantId);
      const user = tx.getReference(User, userId);
      if (Object.keys(schedule).length) {
        const row =
          (await tx.findOne(NotificationSettings, { user: userId })) ??
          tx.create(NotificationSettings, { tenant, user });
        Object.assign(row, schedule);
      }
      const existing = await tx.find(NotificationPreference, { user: userId });
      for (const item of kinds) {
        const row =
          existing.find((r) => r.kind === item.kind) ??
          tx.create(NotificationPreference, { tenant, user, kind: item.kind, inApp: item.inApp, email: item.email });
        row.inApp = item.inApp;
        row.email = item.email;
      }
      await tx.flush();
    });
    return this.get(em, userId, staff);
  }

  private validSchedule(input: PreferencesUpdate): Partial<ScheduleSettings> {
    const out: Partial<ScheduleSettings> = {};
    if (input.timeZone != null) {
      if (!isValidTimeZone(input.timeZone)) {
        throw new DomainError(
          'BAD_USER_INPUT',
          `"${input.timeZone}" is not a time zone (e.g. Europe/Berlin)`,
          'timeZone',
        );
      }
      out.timeZone = input.timeZone;
    }
    if (input.quietHoursEnabled != null) out.quietHoursEnabled = input.quietHoursEnabled;
    for (const field of ['quietHoursStart', 'quietHoursEnd'] as const) {
      const value = input[field];
      if (value == null) continue;
      const minutes = parseMinutes(value);
      if (minutes == null) throw new DomainError('BAD_USER_INPUT', `${field} must be a time like 22:00`, field);
      out[field] = minutes;
    }
    if (input.dailyDigestHour != null) {
      if (!Number.isInteger(input.dailyDigestHour) || input.dailyDigestHour < 0 || input.dailyDigestHour > 23) {
        throw new DomainError('BAD_USER_INPUT', 'dailyDigestHour must be an hour from 0 to 23', 'dailyDigestHour');
      }
      out.dailyDigestHour = input.dailyDigestHour;
    }
    return out;
  }
}
