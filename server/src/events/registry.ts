// The typed registry of every event that crosses processes. Names are `<entity>.<verb>`.
// Payloads carry ids only: subscribers load what they need and re-authorise, and PostgreSQL's
// 8,000-byte NOTIFY limit never bites.
export interface EventMap {
  'session.revoked': { tenantId: string; userId: string; sessionId: string };
  'user.updated': { tenantId: string; userId: string };
  /** A ticket was created or any of its fields changed (the inbox listens). */
  'ticket.changed': { tenantId: string; ticketId: string; change: 'CREATED' | 'UPDATED' };
  /** A timeline event was written; `eventId` grows in commit order per ticket. */
  'timeline.created': { tenantId: string; ticketId: string; eventId: string; internal: boolean };
  /** Who is viewing or typing on a ticket changed. */
  'presence.changed': { tenantId: string; ticketId: string };
  'notification.created': { tenantId: string; userId: string; notificationId: string };
  /** An agent pressed "fetch now", or a mailbox's settings changed. */
  'mailbox.fetch-requested': { tenantId: string; emailAddressId: string };
  /** A mail was queued in the outbox: the sender job wakes up. */
  'mail.queued': { tenantId: string; mailId: string };
  /** A ticket's SLA state, due time or board grouping changed (the SLA board listens). */
  'sla.changed': { tenantId: string; ticketId: string };
  /** A website visitor's live conversation started, got a message, or changed state. */
  'livechat.changed': {
    tenantId: string;
    conversationId: string;
    change: 'CREATED' | 'MESSAGE' | 'UPDATED';
    messageId?: string;
  };
  /** A tenant's chat widget settings or key changed: open visitor sockets are admitted again. */
  'livechat.widget-changed': { tenantId: string };
  /** The visitor or an agent started or stopped typing in a live conversation (not stored). */
  'livechat.typing': {
    tenantId: string;
    conversationId: string;
    side: 'VISITOR' | 'AGENT';
    userId: string | null;
    typing: boolean;
  };
  /** Something happened in a team chat channel (see ChatEventKind); subscribers re-authorise. */
  'chat.changed': {
    tenantId: string;
    channelId: string;
    kind: ChatEventKind;
    messageId?: string;
    /** Who typed or read; for MEMBERS_CHANGED, who joined or left. */
    userIds?: string[];
  };
  /** A team member's chat presence (online, away, offline) may have changed. */
  'chat.presence-changed': { tenantId: string; userId: string };
}

export type ChatEventKind =
  'MESSAGE_CREATED' | 'MESSAGE_UPDATED' | 'MESSAGE_DELETED' | 'TYPING' | 'READ' | 'CHANNEL_UPDATED' | 'MEMBERS_CHANGED';

export type EventName = keyof EventMap;
export type EventPayload<N extends EventName> = EventMap[N];

export interface BusMessage<N extends EventName = EventName> {
  name: N;
  payload: EventPayload<N>;
  /** Milliseconds since the epoch when the event was published (for latency figures). */
  at: number;
}

export const EVENT_CHANNEL = 'switchboard_events';
/** NOTIFY payloads must stay below 8,000 bytes; ours are ids, so anything near this is a bug. */
export const MAX_EVENT_BYTES = 7_500;
