// How notification kinds and mail template events read in the app, in one place. The tables are
// keyed by the schema's enums, so a kind added to the schema fails the typecheck here until it has
// its words.
import type { MailTemplateEvent, NotificationKind } from '../../gql/graphql';

export const NOTIFICATION_KINDS: Record<
  NotificationKind,
  {
    /** The short tag on a notification in the bell and the notification centre. */
    badge: string;
    /** The kind's row in the notification preferences. */
    label: string;
    hint: string;
  }
> = {
  MENTION: { badge: 'Mention', label: 'Mentions', hint: 'Someone @mentions you in a reply or note.' },
  ASSIGNED: { badge: 'Assigned', label: 'Assignments', hint: 'A ticket is assigned to you.' },
  WATCHED_COMMENT: { badge: 'Watched ticket', label: 'Watched tickets', hint: 'New messages on tickets you watch.' },
  SLA_WARNING: { badge: 'SLA warning', label: 'SLA warnings', hint: 'A ticket of yours is about to miss its SLA.' },
  SLA_BREACHED: { badge: 'SLA breached', label: 'SLA breaches', hint: 'A ticket of yours missed its SLA.' },
  CRITICAL_TICKET: {
    badge: 'Critical ticket',
    label: 'Critical tickets',
    hint: 'A ticket becomes critical urgency and importance.',
  },
  AUTOMATION: { badge: 'Automation', label: 'Automation rules', hint: 'A rule notifies you.' },
  CHAT_MENTION: { badge: 'Chat', label: 'Chat mentions', hint: 'Someone mentions you in team chat.' },
};

/** The tag of a notification's kind; 'Update' for a kind this client does not know yet. */
export function notificationKindBadge(kind: string): string {
  return Object.hasOwn(NOTIFICATION_KINDS, kind) ? NOTIFICATION_KINDS[kind as NotificationKind].badge : 'Update';
}

export const MAIL_TEMPLATE_EVENTS: Record<MailTemplateEvent, { label: string; when: string }> = {
  TICKET_CREATED: { label: 'Ticket created', when: 'To the customer when their request arrives.' },
  TICKET_ASSIGNED: { label: 'Ticket assigned', when: 'When someone takes the ticket.' },
  TICKET_UPDATED: { label: 'Ticket updated', when: 'When the status changes.' },
  TICKET_RESOLVED: { label: 'Ticket resolved', when: 'When the ticket is resolved.' },
  TICKET_CLOSED: { label: 'Ticket closed', when: 'When the ticket is closed.' },
  COMMENT_ADDED: { label: 'Reply added', when: 'With every public reply to the customer.' },
  PASSWORD_RESET: { label: 'Password reset', when: 'When someone asks to reset their password.' },
  AGENT_NOTIFICATION: {
    label: 'Agent notification',
    when: 'To an agent, for a mention, an assignment, an SLA warning or a critical ticket (per their preferences).',
  },
  NOTIFICATION_DIGEST: {
    label: 'Notification digest',
    when: 'To an agent who chose an hourly or daily digest: several notifications in one mail.',
  },
};
