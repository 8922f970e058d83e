// Live streams of the team chat. Each bus event is loaded once per process (channel, members,
// message with its author and ticket links), however many subscribers it reaches; each subscriber
// is then authorised in memory against the members as they are at that event, so somebody removed
// from a private channel stops receiving from the next event on.
import type { MikroORM } from '@mikro-orm/postgresql';
import { closeWith, type EventBus, type LiveQueue } from '../../events/event-bus.js';
import type { BusMessage, EventPayload } from '../../events/registry.js';
import { forTenant } from '../../db/tenant-scope.js';
import type { Viewer } from '../../graphql/context.js';
import { DomainError } from '../../graphql/errors.js';
import { isUuid } from '../../lib/ids.js';
import { shareEvent, type SharedFields } from '../../graphql/shared-execution.js';
import { User } from '../users/user.entity.js';
import type { Ticket } from '../tickets/ticket.entity.js';
import { ChatChannel, ChatMember, ChatMessage } from './chat.entities.js';
import { canReadChannel } from './chat.policy.js';
import type { ChatService } from './chat.service.js';
import { PresenceStatus, type ChatPresenceService } from './chat-presence.service.js';
import type { ChatEvent, UserPresence } from './chat.types.js';

interface Delivery {
  channel: ChatChannel | null;
  memberIds: Set<string>;
  message: ChatMessage | null;
  user: User | null;
  /** The event as every authorised subscriber receives it: one object, executed once per query. */
  view?: ChatEvent;
}

const fields = (...names: string[]) => new Set(names);
const USER_FIELDS = fields('id', 'name', 'email', 'role', 'active', 'createdAt', 'updatedAt');
const TICKET_FIELDS = fields(
  'id',
  'number',
  'title',
  'status',
  'urgency',
  'importance',
  'issueType',
  'tags',
  'assignee',
  'parseProblem',
  'createdAt',
  'updatedAt',
  'lastActivityAt',
  'firstResponseAt',
  'resolvedAt',
  'closedAt',
);

/**
 * What a chat event's subscribers may select and still share one execution: nothing here depends
 * on who is asking (all of them are authorised staff of the tenant). Channel fields do (names of
 * direct conversations, unread counts), so a query selecting `message { channel }` runs per subscriber.
 */
const CHAT_EVENT_FIELDS: SharedFields = {
  ChatEvent: fields('kind', 'channelId', 'message', 'user'),
  ChatMessage: fields(
    'id',
    'channelId',
    'body',
    'deleted',
    'createdAt',
    'updatedAt',
    'editedAt',
    'deletedAt',
    'author',
    'ticketLinks',
    'addedToTickets',
  ),
  User: USER_FIELDS,
  Ticket: TICKET_FIELDS,
};

const PRESENCE_FIELDS: SharedFields = { UserPresence: fields('user', 'status'), User: USER_FIELDS };

const SHARED_FOR_MS = 10_000;

/** Ticket links loaded with a message for delivery, so resolvers do not query per subscriber. */
const preloadedLinks = new WeakMap<ChatMessage, Ticket[]>();

export function preloadTicketLinks(links: Map<ChatMessage, Ticket[]>): void {
  for (const [message, tickets] of links) preloadedLinks.set(message, tickets);
}

export function preloadedTicketLinks(message: ChatMessage): Ticket[] | undefined {
  return preloadedLinks.get(message);
}

export class ChatStreams {
  private readonly recent = new Map<string, Promise<Delivery>>();
  private readonly recentPresence = new Map<string, Promise<UserPresence | null>>();

  constructor(
    private readonly orm: MikroORM,
    private readonly bus: EventBus,
    private readonly chat: ChatService,
    private readonly presence: ChatPresenceService,
  ) {}

  /** Everything that happens in one channel the viewer can read (their own typing excepted). */
  channelEvents(viewer: Viewer, channelId: string): AsyncIterableIterator<ChatEvent> {
    if (!isUuid(channelId)) throw new DomainError('BAD_USER_INPUT', 'channelId is not a valid id', 'channelId');
    const live = this.bus.subscribe('chat.changed');
    return closeWith(live, this.inChannel(live, viewer, channelId.toLowerCase()));
  }

  /** What concerns the viewer in any channel: new messages where they are a member, their reads, membership changes. */
  myEvents(viewer: Viewer): AsyncIterableIterator<ChatEvent> {
    const live = this.bus.subscribe('chat.changed');
    return closeWith(live, this.mine(live, viewer));
  }

  /** A team member's presence whenever it changes. */
  presenceEvents(viewer: Viewer): AsyncIterableIterator<UserPresence> {
    const live = this.bus.subscribe('chat.presence-changed');
    return closeWith(live, this.presenceChanges(live, viewer));
  }

  private async *inChannel(
    live: LiveQueue<BusMessage<'chat.changed'>>,
    viewer: Viewer,
    channelId: string,
  ): AsyncGenerator<ChatEvent> {
    try {
      await this.chat.channel(forTenant(this.orm.em, viewer.tenantId), viewer.userId, channelId);
      for await (const { payload, at } of live) {
        if (payload.tenantId !== viewer.tenantId || payload.channelId !== channelId) continue;
        if (payload.kind === 'TYPING' && payload.userIds?.includes(viewer.userId)) continue;
        const delivery = await this.shared(payload, at);
        if (!delivery.channel) return;
        if (!canReadChannel(delivery.channel, delivery.memberIds.has(viewer.userId))) {
          if (payload.kind !== 'MEMBERS_CHANGED') continue;
          yield { kind: 'REMOVED', channelId, message: null, user: null };
          return;
        }
        yield view(payload, delivery);
      }
    } finally {
      await live.return();
    }
  }

  private async *mine(live: LiveQueue<BusMessage<'chat.changed'>>, viewer: Viewer): AsyncGenerator<ChatEvent> {
    try {
      for await (const { payload, at } of live) {
        if (payload.tenantId !== viewer.tenantId || payload.kind === 'TYPING') continue;
        const concernsMe = payload.userIds?.includes(viewer.userId) ?? false;
        if (payload.kind === 'READ' && !concernsMe) continue;
        const delivery = await this.shared(payload, at);
        if (!delivery.channel) continue;
        const member = delivery.memberIds.has(viewer.userId);
        if (payload.kind === 'MEMBERS_CHANGED' && concernsMe) {
          yield view(payload, delivery); // joined, invited, left or removed: the list changes
          continue;
        }
        if (!member || !canReadChannel(delivery.channel, member)) continue;
        yield view(payload, delivery);
      }
    } finally {
      await live.return();
    }
  }

  private async *presenceChanges(
    live: LiveQueue<BusMessage<'chat.presence-changed'>>,
    viewer: Viewer,
  ): AsyncGenerator<UserPresence> {
    try {
      for await (const { payload, at } of live) {
        if (payload.tenantId !== viewer.tenantId) continue;
        const key = `${payload.tenantId}:${payload.userId}:${at}`;
        let pending = this.recentPresence.get(key);
        if (!pending) {
          pending = this.loadPresence(payload.tenantId, payload.userId);
          this.remember(this.recentPresence, key, pending);
        }
        const presence = await pending;
        if (presence) yield shareEvent(presence, PRESENCE_FIELDS);
      }
    } finally {
      await live.return();
    }
  }

  private async loadPresence(tenantId: string, userId: string): Promise<UserPresence | null> {
    const em = forTenant(this.orm.em, tenantId);
    const user = await em.findOne(User, userId);
    if (!user) return null;
    const status = (await this.presence.statuses(em, [userId])).get(userId);
    return { user, status: status ?? PresenceStatus.OFFLINE };
  }

  /** One load per event per process. */
  private shared(payload: EventPayload<'chat.changed'>, at: number): Promise<Delivery> {
    const key = [payload.tenantId, payload.channelId, payload.kind, payload.messageId, payload.userIds, at].join(':');
    let pending = this.recent.get(key);
    if (!pending) {
      pending = this.load(payload);
      this.remember(this.recent, key, pending);
    }
    return pending;
  }

  private async load(payload: EventPayload<'chat.changed'>): Promise<Delivery> {
    const em = forTenant(this.orm.em, payload.tenantId);
    const channel = await em.findOne(ChatChannel, payload.channelId);
    if (!channel) return { channel: null, memberIds: new Set(), message: null, user: null };
    const members = await em.find(ChatMember, { channel }, { fields: ['user'] });
    let message: ChatMessage | null = null;
    if (payload.messageId) {
      message = await em.findOne(ChatMessage, payload.messageId, { populate: ['author'] });
      if (message) preloadTicketLinks(await this.chat.ticketLinks(em, [message]));
    }
    const userId = payload.kind === 'TYPING' || payload.kind === 'READ' ? payload.userIds?.[0] : undefined;
    const user = userId ? await em.findOne(User, userId) : null;
    return { channel, memberIds: new Set(members.map((m) => m.user.id)), message, user };
  }

  private remember<T>(cache: Map<string, Promise<T>>, key: string, pending: Promise<T>): void {
    cache.set(key, pending);
    setTimeout(() => cache.delete(key), SHARED_FOR_MS).unref();
  }
}

function view(payload: EventPayload<'chat.changed'>, delivery: Delivery): ChatEvent {
  delivery.view ??= shareEvent(
    { kind: payload.kind, channelId: payload.channelId, message: delivery.message, user: delivery.user },
    CHAT_EVENT_FIELDS,
  );
  return delivery.view;
}
