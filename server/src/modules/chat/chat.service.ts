// The team chat: channels (public, private, direct), messages, read markers, typing, mentions and
// "add to ticket". Every change is one method that writes it and publishes `chat.changed` inside
// its transaction (delivered on commit only).
import type { EntityManager } from '@mikro-orm/postgresql';
import { raw, type FilterQuery } from '@mikro-orm/core';
import type { EventBus } from '../../events/event-bus.js';
import type { ChatEventKind } from '../../events/registry.js';
import { DomainError } from '../../graphql/errors.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { Role, User, isStaffRole } from '../users/user.entity.js';
import { Ticket } from '../tickets/ticket.entity.js';
import type { Actor } from '../actor.js';
import type { NotificationService } from '../notifications/notification.service.js';
import type { TimelineService } from '../timeline/timeline.service.js';
import type { TimelineEvent } from '../timeline/timeline-event.entity.js';
import { mentionedUserIds, plainMentions } from '../timeline/mentions.js';
import { ChannelKind, ChatChannel, ChatMember, ChatMessage } from './chat.entities.js';
import { canReadChannel, moderates } from './chat.policy.js';
import { ticketRefs } from './ticket-refs.js';

export const MAX_CHAT_MESSAGE = 10_000;
export const MAX_DIRECT_MEMBERS = 8;
export const MAX_HISTORY_PAGE = 100;
/** 100 uuids keep an event well under PostgreSQL's 8,000-byte NOTIFY limit. */
const USER_IDS_PER_EVENT = 100;
const CHANNEL_NAME = /^[\p{L}\p{N}][\p{L}\p{N} _.-]{0,79}$/u;

export type ChatActor = Actor & { userId: string; role: Role };

export interface CreateChannelData {
  name: string;
  private?: boolean | null;
  memberIds?: string[] | null;
}

export interface HistoryPage {
  /** Oldest first. */
  nodes: ChatMessage[];
  hasOlder: boolean;
}

interface Access {
  channel: ChatChannel;
  member: ChatMember | null;
}

export class ChatService {
  constructor(
    private readonly bus: EventBus,
    private readonly notifications: NotificationService,
    private readonly timeline: TimelineService,
  ) {}

  // ---- channels ---------------------------------------------------------------------------

  async createChannel(em: EntityManager, actor: ChatActor, data: CreateChannelData): Promise<ChatChannel> {
    const name = data.name.trim().replace(/^#/, '');
    if (!CHANNEL_NAME.test(name)) {
      throw new DomainError(
        'BAD_USER_INPUT',
        'A channel name has 1–80 letters, digits, spaces, dots, dashes or underscores',
        'name',
      );
    }
    const nameKey = name.toLowerCase();
    return em.transactional(async (tx) => {
      await this.lock(tx, actor.tenantId, `name:${nameKey}`);
      if (await tx.findOne(ChatChannel, { nameKey }, { fields: ['id'] })) {
        throw new DomainError('BAD_USER_INPUT', `There is already a channel called "${name}"`, 'name');
      }
      const invited = await this.staffUsers(tx, data.memberIds ?? [], 'memberIds');
      const channel = tx.create(ChatChannel, {
        tenant: tx.getReference(Tenant, actor.tenantId),
        name,
        nameKey,
        kind: data.private ? ChannelKind.PRIVATE : ChannelKind.PUBLIC,
        createdBy: tx.getReference(User, actor.userId),
      });
      const memberIds = unique([actor.userId, ...invited.map((u) => u.id)]);
      for (const userId of memberIds) this.addMember(tx, actor.tenantId, channel, userId);
      await tx.flush();
      await this.publish(tx, actor.tenantId, channel.id, 'MEMBERS_CHANGED', { userIds: memberIds });
      return channel;
    });
  }

  /** A direct conversation with these people (the caller included); the same one every time. */
  async openDirectChannel(em: EntityManager, actor: ChatActor, userIds: string[]): Promise<ChatChannel> {
    const ids = unique([actor.userId, ...userIds.map((id) => id.toLowerCase())]).sort();
    if (ids.length > MAX_DIRECT_MEMBERS) {
      throw new DomainError(
        'BAD_USER_INPUT',
        `A direct conversation has at most ${MAX_DIRECT_MEMBERS} people`,
        'userIds',
      );
    }
    const directKey = ids.join(',');
    return em.transactional(async (tx) => {
      await this.staffUsers(tx, ids, 'userIds');
      await this.lock(tx, actor.tenantId, `direct:${directKey}`);
      const existing = await tx.findOne(ChatChannel, { directKey });
      if (existing) return existing;
      const channel = tx.create(ChatChannel, {
        tenant: tx.getReference(Tenant, actor.tenantId),
        kind: ChannelKind.DIRECT,
        directKey,
        createdBy: tx.getReference(User, actor.userId),
      });
      for (const userId of ids) this.addMember(tx, actor.tenantId, channel, userId);
      await tx.flush();
      await this.publish(tx, actor.tenantId, channel.id, 'MEMBERS_CHANGED', { userIds: ids });
      return channel;
    });
  }

  async joinChannel(em: EntityManager, actor: ChatActor, channelId: string): Promise<ChatChannel> {
    return em.transactional(async (tx) => {
      const { channel, member } = await this.access(tx, actor, channelId);
      if (channel.kind !== ChannelKind.PUBLIC) {
        throw new DomainError('FORBIDDEN', 'Only public channels can be joined; ask a member to invite you');
      }
      if (!member) {
        this.addMember(tx, actor.tenantId, channel, actor.userId);
        await tx.flush();
        await this.publish(tx, actor.tenantId, channel.id, 'MEMBERS_CHANGED', { userIds: [actor.userId] });
      }
      return channel;
    });
  }

  async leaveChannel(em: EntityManager, actor: ChatActor, channelId: string): Promise<ChatChannel> {
    return em.transactional(async (tx) => {
      const { channel, member } = await this.access(tx, actor, channelId);
      if (channel.kind === ChannelKind.DIRECT) {
        throw new DomainError('BAD_USER_INPUT', 'Direct conversations cannot be left', 'channelId');
      }
      if (member) {
        tx.remove(member);
        await tx.flush();
        await this.publish(tx, actor.tenantId, channel.id, 'MEMBERS_CHANGED', { userIds: [actor.userId] });
      }
      return channel;
    });
  }

  /** Members of a private channel (anyone, for a public one) bring colleagues in. */
  async invite(em: EntityManager, actor: ChatActor, channelId: string, userIds: string[]): Promise<ChatChannel> {
    return em.transactional(async (tx) => {
      const { channel, member } = await this.access(tx, actor, channelId);
      if (channel.kind === ChannelKind.DIRECT) {
        throw new DomainError('BAD_USER_INPUT', 'Open a new direct conversation to add people', 'channelId');
      }
      if (channel.kind === ChannelKind.PRIVATE && !member) throw new DomainError('FORBIDDEN', 'Not a member');
      const users = await this.staffUsers(tx, userIds, 'userIds');
      const present = new Set(
        (await tx.find(ChatMember, { channel, user: { $in: users.map((u) => u.id) } })).map((m) => m.user.id),
      );
      const added = users.filter((u) => !present.has(u.id)).map((u) => u.id);
      for (const userId of added) this.addMember(tx, actor.tenantId, channel, userId);
      await tx.flush();
      if (added.length) await this.publish(tx, actor.tenantId, channel.id, 'MEMBERS_CHANGED', { userIds: added });
      return channel;
    });
  }

  /** The channel's creator, admins and managers remove members; from then on they see nothing of it. */
  async removeMember(em: EntityManager, actor: ChatActor, channelId: string, userId: string): Promise<ChatChannel> {
    return em.transactional(async (tx) => {
      const { channel, member } = await this.access(tx, actor, channelId);
      if (channel.kind === ChannelKind.DIRECT) {
        throw new DomainError('BAD_USER_INPUT', 'Nobody can be removed from a direct conversation', 'channelId');
      }
      const mayRemove = userId === actor.userId || moderates(actor.role) || channel.createdBy?.id === actor.userId;
      if (!mayRemove || (channel.kind === ChannelKind.PRIVATE && !member && !moderates(actor.role))) {
        throw new DomainError('FORBIDDEN', 'Only the channel’s creator, managers and admins remove members');
      }
      if (!(await tx.findOne(User, userId, { fields: ['id'] }))) {
        throw new DomainError('BAD_USER_INPUT', 'No such agent', 'userId');
      }
      const removed = await tx.nativeDelete(ChatMember, { channel, user: userId });
      if (removed) await this.publish(tx, actor.tenantId, channel.id, 'MEMBERS_CHANGED', { userIds: [userId] });
      return channel;
    });
  }

  /** Public channels and the caller's others: names first, then direct conversations, latest first. */
  async visibleChannels(em: EntityManager, userId: string): Promise<ChatChannel[]> {
    const mine = await em.find(ChatMember, { user: userId }, { fields: ['channel'] });
    const channels = await em.find(ChatChannel, {
      $or: [{ kind: ChannelKind.PUBLIC }, { id: { $in: mine.map((m) => m.channel.id) } }],
    });
    return channels.sort(channelOrder);
  }

  async channel(em: EntityManager, userId: string, channelId: string): Promise<ChatChannel> {
    return (await this.access(em, { userId }, channelId)).channel;
  }

  /** channelId → unread messages (by others, after the read marker) for the user's channels. */
  async unreadCounts(em: EntityManager, tenantId: string, userId: string): Promise<Map<string, number>> {
    const rows = await em.getConnection().execute<Array<{ channel_id: string; unread: number }>>(
      `select m.channel_id, count(x.id)::int as unread
         from chat_members m
         join chat_messages x on x.channel_id = m.channel_id and x.created_at > m.last_read_at
                             and x.author_id <> m.user_id and x.deleted_at is null
        where m.tenant_id = ? and m.user_id = ?
        group by m.channel_id`,
      [tenantId, userId],
    );
    return new Map(rows.map((row) => [row.channel_id, Number(row.unread)]));
  }

  async memberships(em: EntityManager, userId: string): Promise<Map<string, ChatMember>> {
    const rows = await em.find(ChatMember, { user: userId });
    return new Map(rows.map((m) => [m.channel.id, m]));
  }

  async members(em: EntityManager, channelIds: string[]): Promise<Map<string, User[]>> {
    const rows = await em.find(
      ChatMember,
      { channel: { $in: channelIds } },
      { populate: ['user'], orderBy: { createdAt: 'asc' } },
    );
    const byChannel = new Map<string, User[]>(channelIds.map((id) => [id, []]));
    for (const row of rows) byChannel.get(row.channel.id)?.push(row.user);
    return byChannel;
  }

  // ---- messages ---------------------------------------------------------------------------

  /** Keyset pages backwards from `before` (a message id); each page oldest first. */
  async history(
    em: EntityManager,
    userId: string,
    channelId: string,
    before: string | null,
    first: number,
  ): Promise<HistoryPage> {
    const { channel } = await this.access(em, { userId }, channelId);
    const limit = Math.max(1, Math.min(first, MAX_HISTORY_PAGE));
    const where: FilterQuery<ChatMessage> = { channel };
    if (before) {
      const cursor = await em.findOne(ChatMessage, { id: before, channel }, { fields: ['id', 'createdAt'] });
      if (!cursor) throw new DomainError('BAD_USER_INPUT', 'before is not a message of this channel', 'before');
      where.$or = [{ createdAt: { $lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { $lt: cursor.id } }];
    }
    const rows = await em.find(ChatMessage, where, {
      orderBy: { createdAt: 'desc', id: 'desc' },
      limit: limit + 1,
      populate: ['author'],
    });
    return { nodes: rows.slice(0, limit).reverse(), hasOlder: rows.length > limit };
  }

  /** Full-text search over every channel the user can read, newest first. */
  async search(em: EntityManager, userId: string, query: string, first: number): Promise<ChatMessage[]> {
    const text = query.trim();
    if (!text) return [];
    if (text.length > 200) throw new DomainError('BAD_USER_INPUT', 'Search for at most 200 characters', 'query');
    const readable = (await this.visibleChannels(em, userId)).map((c) => c.id);
    if (readable.length === 0) return [];
    return em.find(
      ChatMessage,
      {
        channel: { $in: readable },
        deletedAt: null,
        [raw("search_vector @@ websearch_to_tsquery('simple', ?)", [text])]: true,
      } as FilterQuery<ChatMessage>,
      { orderBy: { createdAt: 'desc', id: 'desc' }, limit: Math.max(1, Math.min(first, 50)), populate: ['author'] },
    );
  }

  async send(em: EntityManager, actor: ChatActor, channelId: string, bodyInput: string): Promise<ChatMessage> {
    const body = checkedBody(bodyInput);
    return em.transactional(async (tx) => {
      const access = await this.access(tx, actor, channelId);
      const { channel } = access;
      let member = access.member;
      if (!member) {
        // Writing in a public channel joins it (its replies then count as unread).
        member = this.addMember(tx, actor.tenantId, channel, actor.userId);
        await tx.flush();
        await this.publish(tx, actor.tenantId, channel.id, 'MEMBERS_CHANGED', { userIds: [actor.userId] });
      }
      const message = tx.create(ChatMessage, {
        tenant: tx.getReference(Tenant, actor.tenantId),
        channel,
        author: tx.getReference(User, actor.userId),
        body,
      });
      channel.lastMessageAt = message.createdAt;
      if (member.lastReadAt < message.createdAt) member.lastReadAt = message.createdAt;
      await tx.flush();
      await this.notifyMentions(tx, actor, channel, message, []);
      await this.publish(tx, actor.tenantId, channel.id, 'MESSAGE_CREATED', { messageId: message.id });
      return message;
    });
  }

  async edit(em: EntityManager, actor: ChatActor, messageId: string, bodyInput: string): Promise<ChatMessage> {
    const body = checkedBody(bodyInput);
    return em.transactional(async (tx) => {
      const message = await this.readableMessage(tx, actor, messageId);
      if (message.author.id !== actor.userId) throw new DomainError('FORBIDDEN', 'Only the author edits a message');
      if (message.deletedAt) throw new DomainError('BAD_USER_INPUT', 'This message was deleted', 'messageId');
      if (message.body === body) return message;
      const before = mentionedUserIds(message.body);
      message.body = body;
      message.editedAt = new Date();
      await tx.flush();
      await this.notifyMentions(tx, actor, message.channel, message, before);
      await this.publish(tx, actor.tenantId, message.channel.id, 'MESSAGE_UPDATED', { messageId });
      return message;
    });
  }

  async delete(em: EntityManager, actor: ChatActor, messageId: string): Promise<ChatMessage> {
    return em.transactional(async (tx) => {
      const message = await this.readableMessage(tx, actor, messageId);
      if (message.author.id !== actor.userId && !moderates(actor.role)) {
        throw new DomainError('FORBIDDEN', 'Only the author, managers and admins delete a message');
      }
      if (message.deletedAt) return message;
      message.deletedAt = new Date();
      await tx.flush();
      await this.publish(tx, actor.tenantId, message.channel.id, 'MESSAGE_DELETED', { messageId });
      return message;
    });
  }

  /** Moves the caller's read marker forward to `messageId` (or to now); never backwards. */
  async markRead(
    em: EntityManager,
    actor: ChatActor,
    channelId: string,
    messageId: string | null,
  ): Promise<ChatChannel> {
    return em.transactional(async (tx) => {
      const { channel, member } = await this.access(tx, actor, channelId);
      if (!member) return channel;
      let upTo = new Date();
      if (messageId) {
        const message = await tx.findOne(ChatMessage, { id: messageId, channel }, { fields: ['id', 'createdAt'] });
        if (!message)
          throw new DomainError('BAD_USER_INPUT', 'messageId is not a message of this channel', 'messageId');
        upTo = message.createdAt;
      }
      if (upTo > member.lastReadAt) {
        member.lastReadAt = upTo;
        await tx.flush();
        await this.publish(tx, actor.tenantId, channel.id, 'READ', { userIds: [actor.userId] });
      }
      return channel;
    });
  }

  /** "… is typing": nothing is stored, so it is published at once (the client repeats it every few seconds). */
  async typing(em: EntityManager, actor: ChatActor, channelId: string): Promise<void> {
    await this.access(em, actor, channelId);
    await this.bus.publish(em, 'chat.changed', {
      tenantId: actor.tenantId,
      channelId,
      kind: 'TYPING',
      userIds: [actor.userId],
    });
  }

  /**
   * Adds the message to a ticket's timeline as an internal note (through the timeline's own
   * comment path), which keeps a reference back to the chat; the message remembers the ticket.
   */
  async addToTicket(
    em: EntityManager,
    actor: ChatActor,
    messageId: string,
    ticketNumber: number,
  ): Promise<TimelineEvent> {
    return em.transactional(async (tx) => {
      const message = await this.readableMessage(tx, actor, messageId);
      if (message.deletedAt) throw new DomainError('BAD_USER_INPUT', 'This message was deleted', 'messageId');
      const ticket = await tx.findOne(Ticket, { number: ticketNumber });
      if (!ticket) throw new DomainError('NOT_FOUND', `There is no ticket #${ticketNumber}`, 'ticketNumber');
      await tx.populate(message, ['author', 'channel']);
      const where = message.channel.kind === ChannelKind.DIRECT ? 'a direct message' : `#${message.channel.name}`;
      const quoted = plainMentions(message.body)
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n');
      const event = await this.timeline.addComment(tx, actor, {
        ticketId: ticket.id,
        body: `From team chat (${where}), ${message.author.name} wrote:\n\n${quoted}`,
        internal: true,
        reference: { chatChannelId: message.channel.id, chatMessageId: message.id },
      });
      message.notedOn = [...message.notedOn, { ticketId: ticket.id, eventId: event.id }];
      await tx.flush();
      await this.publish(tx, actor.tenantId, message.channel.id, 'MESSAGE_UPDATED', { messageId: message.id });
      return event;
    });
  }

  /** The tickets each message links to (staff see every ticket of the tenant), in one query. */
  async ticketLinks(em: EntityManager, messages: ChatMessage[]): Promise<Map<ChatMessage, Ticket[]>> {
    const refs = new Map(messages.map((m) => [m, m.deletedAt ? { numbers: [], ids: [] } : ticketRefs(m.body)]));
    const numbers = unique([...refs.values()].flatMap((r) => r.numbers));
    const ids = unique([...refs.values()].flatMap((r) => r.ids));
    const result = new Map<ChatMessage, Ticket[]>(messages.map((m) => [m, []]));
    if (numbers.length === 0 && ids.length === 0) return result;
    const tickets = await em.find(Ticket, { $or: [{ number: { $in: numbers } }, { id: { $in: ids } }] });
    const byNumber = new Map(tickets.map((t) => [t.number, t]));
    const byId = new Map(tickets.map((t) => [t.id, t]));
    for (const [message, ref] of refs) {
      const found = [...ref.ids.map((id) => byId.get(id)), ...ref.numbers.map((n) => byNumber.get(n))];
      result.set(message, unique(found.filter((t): t is Ticket => t !== undefined)));
    }
    return result;
  }

  // ---- helpers ----------------------------------------------------------------------------

  private async access(em: EntityManager, actor: { userId: string }, channelId: string): Promise<Access> {
    const channel = await em.findOne(ChatChannel, channelId);
    if (!channel) throw new DomainError('NOT_FOUND', 'No such channel', 'channelId');
    const member = await em.findOne(ChatMember, { channel, user: actor.userId });
    if (!canReadChannel(channel, member !== null)) throw new DomainError('NOT_FOUND', 'No such channel', 'channelId');
    return { channel, member };
  }

  private async readableMessage(tx: EntityManager, actor: ChatActor, messageId: string): Promise<ChatMessage> {
    const message = await tx.findOne(ChatMessage, messageId);
    if (!message) throw new DomainError('NOT_FOUND', 'No such message', 'messageId');
    try {
      await this.access(tx, actor, message.channel.id);
    } catch {
      throw new DomainError('NOT_FOUND', 'No such message', 'messageId');
    }
    return message;
  }

  private addMember(tx: EntityManager, tenantId: string, channel: ChatChannel, userId: string): ChatMember {
    return tx.create(ChatMember, {
      tenant: tx.getReference(Tenant, tenantId),
      channel,
      user: tx.getReference(User, userId),
      lastReadAt: new Date(),
    });
  }

  private async staffUsers(tx: EntityManager, ids: string[], field: string): Promise<User[]> {
    const wanted = unique(ids.map((id) => id.toLowerCase()));
    if (wanted.length === 0) return [];
    const users = await tx.find(User, { id: { $in: wanted }, active: true });
    if (users.length !== wanted.length || users.some((u) => !isStaffRole(u.role))) {
      throw new DomainError('BAD_USER_INPUT', 'Only active agents of your team can take part in the chat', field);
    }
    return users;
  }

  /** Mentioned agents who can read the channel get a notification (on edit: only the new ones). */
  private async notifyMentions(
    tx: EntityManager,
    actor: ChatActor,
    channel: ChatChannel,
    message: ChatMessage,
    alreadyMentioned: string[],
  ): Promise<void> {
    const ids = mentionedUserIds(message.body).filter((id) => id !== actor.userId && !alreadyMentioned.includes(id));
    if (ids.length === 0) return;
    let users = (await tx.find(User, { id: { $in: ids }, active: true })).filter((u) => isStaffRole(u.role));
    if (channel.kind !== ChannelKind.PUBLIC) {
      const members = new Set(
        (await tx.find(ChatMember, { channel, user: { $in: users.map((u) => u.id) } })).map((m) => m.user.id),
      );
      users = users.filter((u) => members.has(u.id));
    }
    if (users.length === 0) return;
    const author = await tx.findOneOrFail(User, actor.userId);
    const where = channel.kind === ChannelKind.DIRECT ? 'a direct message' : `#${channel.name}`;
    for (const user of users) {
      await this.notifications.notifyUser(tx, {
        tenantId: actor.tenantId,
        userId: user.id,
        kind: 'CHAT_MENTION',
        title: `${author.name} mentioned you in ${where}: ${excerpt(plainMentions(message.body))}`,
        actor: author,
        link: `/chat/${channel.id}`,
      });
    }
  }

  private async lock(tx: EntityManager, tenantId: string, key: string): Promise<void> {
    await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [`chat:${tenantId}:${key}`]);
  }

  private async publish(
    tx: EntityManager,
    tenantId: string,
    channelId: string,
    kind: ChatEventKind,
    extra: { messageId?: string; userIds?: string[] },
  ): Promise<void> {
    const { userIds, ...rest } = extra;
    if (!userIds || userIds.length <= USER_IDS_PER_EVENT) {
      await this.bus.publishInTransaction(tx, 'chat.changed', { tenantId, channelId, kind, ...extra });
      return;
    }
    // NOTIFY payloads are small: a channel created with hundreds of members is announced in parts.
    for (let i = 0; i < userIds.length; i += USER_IDS_PER_EVENT) {
      await this.bus.publishInTransaction(tx, 'chat.changed', {
        tenantId,
        channelId,
        kind,
        ...rest,
        userIds: userIds.slice(i, i + USER_IDS_PER_EVENT),
      });
    }
  }
}

function checkedBody(input: string): string {
  const body = input.trim();
  if (!body) throw new DomainError('BAD_USER_INPUT', 'A message needs some text', 'body');
  if (body.length > MAX_CHAT_MESSAGE) {
    throw new DomainError('BAD_USER_INPUT', `Messages are limited to ${MAX_CHAT_MESSAGE} characters`, 'body');
  }
  return body;
}

function excerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function channelOrder(a: ChatChannel, b: ChatChannel): number {
  const direct = Number(a.kind === ChannelKind.DIRECT) - Number(b.kind === ChannelKind.DIRECT);
  if (direct !== 0) return direct;
  if (a.kind === ChannelKind.DIRECT) return (b.lastMessageAt?.getTime() ?? 0) - (a.lastMessageAt?.getTime() ?? 0);
  return (a.nameKey ?? '').localeCompare(b.nameKey ?? '');
}
