// What the bell and the notification centre share: where a notification leads and how its kind looks
// (its words are in shared/labels/kinds.ts).
import type { BellNotificationFragment } from '../../gql/graphql';

/** The page a notification opens: its ticket, else its own link inside the app, else nothing. */
export function notificationTarget(notification: Pick<BellNotificationFragment, 'ticket' | 'link'>): string | null {
  if (notification.ticket) return `/tickets/${notification.ticket.id}`;
  // Only paths inside the app: a link is data, not a way to send someone elsewhere.
  if (notification.link?.startsWith('/') && !notification.link.startsWith('//')) return notification.link;
  return null;
}

/** Kinds that call for attention get the danger/warning tone in lists. */
export function kindTone(kind: string): 'danger' | 'warning' | null {
  if (kind === 'CRITICAL_TICKET' || kind === 'SLA_BREACHED') return 'danger';
  if (kind === 'SLA_WARNING') return 'warning';
  return null;
}
