// The kinds of notification and what each user gets per kind unless they chose otherwise.
import { registerEnumType } from 'type-graphql';

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

/** The same kinds as a GraphQL enum (the `Notification.kind` field stays a string for old clients). */
export enum NotificationKindValue {
  MENTION = 'MENTION',
  ASSIGNED = 'ASSIGNED',
  WATCHED_COMMENT = 'WATCHED_COMMENT',
  SLA_WARNING = 'SLA_WARNING',
  SLA_BREACHED = 'SLA_BREACHED',
  CRITICAL_TICKET = 'CRITICAL_TICKET',
  AUTOMATION = 'AUTOMATION',
  CHAT_MENTION = 'CHAT_MENTION',
}
registerEnumType(NotificationKindValue, { name: 'NotificationKind', description: 'What a notification is about.' });

export const NOTIFICATION_KINDS = Object.values(NotificationKindValue) as NotificationKind[];

/** How e-mail for one kind reaches the user. */
export enum EmailDelivery {
  IMMEDIATELY = 'IMMEDIATELY',
  HOURLY_DIGEST = 'HOURLY_DIGEST',
  DAILY_DIGEST = 'DAILY_DIGEST',
  OFF = 'OFF',
}
registerEnumType(EmailDelivery, { name: 'EmailDelivery', description: 'When notification mail goes out.' });

export interface KindPreference {
  inApp: boolean;
  email: EmailDelivery;
}

/** Defaults: what needs action now comes by mail at once; chatter stays in the app. */
export const DEFAULT_PREFERENCES: Record<NotificationKind, KindPreference> = {
  MENTION: { inApp: true, email: EmailDelivery.IMMEDIATELY },
  ASSIGNED: { inApp: true, email: EmailDelivery.IMMEDIATELY },
  WATCHED_COMMENT: { inApp: true, email: EmailDelivery.OFF },
  SLA_WARNING: { inApp: true, email: EmailDelivery.IMMEDIATELY },
  SLA_BREACHED: { inApp: true, email: EmailDelivery.IMMEDIATELY },
  CRITICAL_TICKET: { inApp: true, email: EmailDelivery.IMMEDIATELY },
  AUTOMATION: { inApp: true, email: EmailDelivery.IMMEDIATELY },
  CHAT_MENTION: { inApp: true, email: EmailDelivery.OFF },
};

export const KIND_LABELS: Record<NotificationKind, string> = {
  MENTION: 'Mention',
  ASSIGNED: 'Assigned to you',
  WATCHED_COMMENT: 'Watched ticket',
  SLA_WARNING: 'SLA warning',
  SLA_BREACHED: 'SLA breached',
  CRITICAL_TICKET: 'Critical ticket',
  AUTOMATION: 'Automation rule',
  CHAT_MENTION: 'Chat mention',
};

export function isNotificationKind(value: string): value is NotificationKind {
  return (NOTIFICATION_KINDS as string[]).includes(value);
}
