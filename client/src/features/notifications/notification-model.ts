// What the bell and the notification centre share: where a notification leads and how its kind reads.
import type { BellNotificationFragment } from '../../gql/graphql';

/** The page a notification opens: its ticket, else its own link inside the app, else nothing. */
export function notificationTarget(notification: Pick<BellNotificationFragment, 'ticket' | 'link'>): string | null {
  if (notification.ticket) return `/tickets/${notification.ticket.id}`;
  // Only paths inside the app: a link is data, not a way to send someone elsewhere.
  if (notification.link?.startsWith('/') && !notification.link.startsWith('//')) return notification.link;
  return null;
}

const KIND_LABELS: Record<string, string> = {
  MENTION: 'Mention',
  ASSIGNED: 'Assigned',
  WATCHED_COMMENT: 'Watched ticket',
  SLA_WARNING: 'SLA warning',
  SLA_BREACHED: 'SLA breached',
  CRITICAL_TICKET: 'Critical ticket',
  AUTOMATION: 'Automation',
  CHAT_MENTION: 'Chat',
};

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? 'Update';
}

/** Kinds that call for attention get the danger/warning tone in lists. */
export function kindTone(kind: string): 'danger' | 'warning' | null {
  if (kind === 'CRITICAL_TICKET' || kind === 'SLA_BREACHED') return 'danger';
  if (kind === 'SLA_WARNING') return 'warning';
  return null;
}
