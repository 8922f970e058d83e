import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { wrap } from '@mikro-orm/core';
import type { RequestContext } from '../../graphql/context.js';
import { requireStaff, type SignedIn } from '../../graphql/authorization.js';
import { DomainError } from '../../graphql/errors.js';
import { isUuid, uuidArg } from '../../lib/ids.js';
import { actorOf } from '../actor.js';
import { User } from '../users/user.entity.js';
import { Ticket } from '../tickets/ticket.entity.js';
import { TimelineEvent } from '../timeline/timeline-event.entity.js';
import { ChannelKind, ChatChannel, ChatMessage } from './chat.entities.js';
import type { ChatActor } from './chat.service.js';
import { PresenceStatus } from './chat-presence.service.js';
import { preloadTicketLinks, preloadedTicketLinks } from './chat-streams.js';
import { ChatEvent, ChatMessagePage, CreateChannelInput, SendChatMessageInput, UserPresence } from './chat.types.js';

/** The caller's view of a channel, loaded for a whole list at once. */
interface ChannelState {
  joined: boolean;
  lastReadAt: Date | null;
  unreadCount: number;
  members?: User[];
}
const channelStates = new WeakMap<ChatChannel, ChannelState>();

function chatActor(signedIn: SignedIn): ChatActor {
  return { ...actorOf(signedIn.viewer), userId: signedIn.viewer.userId, role: signedIn.viewer.role };
}

/** Team chat is for agents, managers and admins: customers get FORBIDDEN. */
function staff(ctx: RequestContext): SignedIn & { actor: ChatActor } {
  const signedIn = requireStaff(ctx);
  return { ...signedIn, actor: chatActor(signedIn) };
}

async function describeChannels(ctx: RequestContext, channels: ChatChannel[]): Promise<ChatChannel[]> {
  const { em, viewer } = requireStaff(ctx);
  const chat = ctx.services.chat;
  const [memberships, unread] = await Promise.all([
    chat.memberships(em.fork(), viewer.userId),
    chat.unreadCounts(em.fork(), viewer.tenantId, viewer.userId),
  ]);
  const direct = channels.filter((c) => c.kind === ChannelKind.DIRECT).map((c) => c.id);
  const members = direct.length ? await chat.members(em.fork(), direct) : new Map<string, User[]>();
  for (const channel of channels) {
    const membership = memberships.get(channel.id);
    channelStates.set(channel, {
      joined: membership !== undefined,
      lastReadAt: membership?.lastReadAt ?? null,
      unreadCount: unread.get(channel.id) ?? 0,
      members: members.get(channel.id),
    });
  }
  return channels;
}

async function stateOf(ctx: RequestContext, channel: ChatChannel): Promise<ChannelState> {
  const known = channelStates.get(channel);
  if (known) return known;
  await describeChannels(ctx, [channel]);
  return channelStates.get(channel)!;
}

@Resolver(() => ChatChannel)
export class ChatChannelResolver {
  @Query(() => [ChatChannel], {
    description: 'Public channels and the caller’s private channels and direct conversations.',
  })
  async channels(@Ctx() ctx: RequestContext): Promise<ChatChannel[]> {
    const { em, viewer } = staff(ctx);
    return describeChannels(ctx, await ctx.services.chat.visibleChannels(em, viewer.userId));
  }

  @Query(() => ChatChannel, { nullable: true, description: 'null when missing or not visible to the caller.' })
  async channel(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<ChatChannel | null> {
    const { em, viewer } = staff(ctx);
    if (!isUuid(id)) return null;
    try {
      return await ctx.services.chat.channel(em, viewer.userId, id.toLowerCase());
    } catch (error) {
      if (error instanceof DomainError && error.code === 'NOT_FOUND') return null;
      throw error;
    }
  }

  @Mutation(() => ChatChannel)
  createChannel(@Arg('input') input: CreateChannelInput, @Ctx() ctx: RequestContext): Promise<ChatChannel> {
    const { em, actor } = staff(ctx);
    const memberIds = (input.memberIds ?? []).map((id) => uuidArg(id, 'memberIds'));
    return ctx.services.chat.createChannel(em, actor, { ...input, memberIds });
  }

  @Mutation(() => ChatChannel, {
    description: 'The direct conversation of the caller and these people (at most 8 in all); the same one every time.',
  })
  openDirectChannel(@Arg('userIds', () => [ID]) userIds: string[], @Ctx() ctx: RequestContext): Promise<ChatChannel> {
    const { em, actor } = staff(ctx);
    return ctx.services.chat.openDirectChannel(
      em,
      actor,
      userIds.map((id) => uuidArg(id, 'userIds')),
    );
  }

  @Mutation(() => ChatChannel)
  joinChannel(@Arg('channelId', () => ID) channelId: string, @Ctx() ctx: RequestContext): Promise<ChatChannel> {
    const { em, actor } = staff(ctx);
    return ctx.services.chat.joinChannel(em, actor, uuidArg(channelId, 'channelId'));
  }

  @Mutation(() => ChatChannel)
  leaveChannel(@Arg('channelId', () => ID) channelId: string, @Ctx() ctx: RequestContext): Promise<ChatChannel> {
    const { em, actor } = staff(ctx);
    return ctx.services.chat.leaveChannel(em, actor, uuidArg(channelId, 'channelId'));
  }

  @Mutation(() => ChatChannel)
  inviteToChannel(
    @Arg('channelId', () => ID) channelId: string,
    @Arg('userIds', () => [ID]) userIds: string[],
    @Ctx() ctx: RequestContext,
  ): Promise<ChatChannel> {
    const { em, actor } = staff(ctx);
    return ctx.services.chat.invite(
      em,
      actor,
      uuidArg(channelId, 'channelId'),
      userIds.map((id) => uuidArg(id, 'userIds')),
    );
  }

  @Mutation(() => ChatChannel)
  removeFromChannel(
    @Arg('channelId', () => ID) channelId: string,
    @Arg('userId', () => ID) userId: string,
    @Ctx() ctx: RequestContext,
  ): Promise<ChatChannel> {
    const { em, actor } = staff(ctx);
    return ctx.services.chat.removeMember(em, actor, uuidArg(channelId, 'channelId'), uuidArg(userId, 'userId'));
  }

  @Mutation(() => ChatChannel, { description: 'Moves the read marker to `messageId` (default: the latest message).' })
  markChannelRead(
    @Arg('channelId', () => ID) channelId: string,
    @Ctx() ctx: RequestContext,
    @Arg('messageId', () => ID, { nullable: true }) messageId?: string | null,
  ): Promise<ChatChannel> {
    const { em, actor } = staff(ctx);
    return ctx.services.chat.markRead(
      em,
      actor,
      uuidArg(channelId, 'channelId'),
      messageId ? uuidArg(messageId, 'messageId') : null,
    );
  }

  @FieldResolver(() => String, { description: 'For a direct conversation, the names of the other people in it.' })
  async name(@Root() channel: ChatChannel, @Ctx() ctx: RequestContext): Promise<string> {
    if (channel.kind !== ChannelKind.DIRECT) return channel.name ?? '';
    const { viewer } = requireStaff(ctx);
    const members = await this.members(channel, ctx);
    const others = members.filter((u) => u.id !== viewer.userId);
    return (others.length ? others : members)
      .map((u) => u.name)
      .sort((a, b) => a.localeCompare(b))
      .join(', ');
  }

  @FieldResolver(() => Boolean, { description: 'Members only (private channels and direct conversations).' })
  private(@Root() channel: ChatChannel): boolean {
    return channel.kind !== ChannelKind.PUBLIC;
  }

  @FieldResolver(() => Boolean, { description: 'Whether the caller is a member.' })
  async joined(@Root() channel: ChatChannel, @Ctx() ctx: RequestContext): Promise<boolean> {
    return (await stateOf(ctx, channel)).joined;
  }

  @FieldResolver(() => Int, { description: 'Messages by others after the caller’s read marker (0 when not a member).' })
  async unreadCount(@Root() channel: ChatChannel, @Ctx() ctx: RequestContext): Promise<number> {
    return (await stateOf(ctx, channel)).unreadCount;
  }

  @FieldResolver(() => Date, { nullable: true })
  async lastReadAt(@Root() channel: ChatChannel, @Ctx() ctx: RequestContext): Promise<Date | null> {
    return (await stateOf(ctx, channel)).lastReadAt;
  }

  @FieldResolver(() => [User])
  async members(@Root() channel: ChatChannel, @Ctx() ctx: RequestContext): Promise<User[]> {
    const state = await stateOf(ctx, channel);
    if (state.members) return state.members;
    const { em } = requireStaff(ctx);
    state.members = (await ctx.services.chat.members(em.fork(), [channel.id])).get(channel.id) ?? [];
    return state.members;
  }
}

@Resolver(() => ChatMessage)
export class ChatMessageResolver {
  @Query(() => ChatMessagePage, { description: 'History, newest page first: pass the oldest id you have as `before`.' })
  async chatMessages(
    @Arg('channelId', () => ID) channelId: string,
    @Ctx() ctx: RequestContext,
    @Arg('before', () => ID, { nullable: true }) before?: string | null,
    @Arg('first', () => Int, { defaultValue: 50 }) first = 50,
  ): Promise<ChatMessagePage> {
    const { em, viewer } = staff(ctx);
    const page = await ctx.services.chat.history(
      em,
      viewer.userId,
      uuidArg(channelId, 'channelId'),
      before ? uuidArg(before, 'before') : null,
      first,
    );
    preloadTicketLinks(await ctx.services.chat.ticketLinks(em, page.nodes));
    return page;
  }

  @Query(() => [ChatMessage], { description: 'Full-text search in every channel the caller can read, newest first.' })
  async searchChat(
    @Arg('query') query: string,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 20 }) first = 20,
  ): Promise<ChatMessage[]> {
    const { em, viewer } = staff(ctx);
    return ctx.services.chat.search(em, viewer.userId, query, first);
  }

  @Mutation(() => ChatMessage)
  sendChatMessage(@Arg('input') input: SendChatMessageInput, @Ctx() ctx: RequestContext): Promise<ChatMessage> {
    const { em, actor } = staff(ctx);
    return ctx.services.chat.send(em, actor, uuidArg(input.channelId, 'channelId'), input.body);
  }

  @Mutation(() => ChatMessage, { description: 'Authors edit their own messages.' })
  editChatMessage(
    @Arg('messageId', () => ID) messageId: string,
    @Arg('body') body: string,
    @Ctx() ctx: RequestContext,
  ): Promise<ChatMessage> {
    const { em, actor } = staff(ctx);
    return ctx.services.chat.edit(em, actor, uuidArg(messageId, 'messageId'), body);
  }

  @Mutation(() => ChatMessage, { description: 'Soft delete: the message stays, shown as deleted.' })
  deleteChatMessage(@Arg('messageId', () => ID) messageId: string, @Ctx() ctx: RequestContext): Promise<ChatMessage> {
    const { em, actor } = staff(ctx);
    return ctx.services.chat.delete(em, actor, uuidArg(messageId, 'messageId'));
  }

  @Mutation(() => Boolean, {
    description: 'The caller is typing in the channel; repeat every few seconds while typing.',
  })
  async reportChatTyping(@Arg('channelId', () => ID) channelId: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    const { em, actor } = staff(ctx);
    await ctx.services.chat.typing(em, actor, uuidArg(channelId, 'channelId'));
    return true;
  }

  @Mutation(() => TimelineEvent, {
    description: 'Adds the message to ticket #ticketNumber as an internal note that refers back to the chat.',
  })
  addChatMessageToTicket(
    @Arg('messageId', () => ID) messageId: string,
    @Arg('ticketNumber', () => Int) ticketNumber: number,
    @Ctx() ctx: RequestContext,
  ): Promise<TimelineEvent> {
    const { em, actor } = staff(ctx);
    return ctx.services.chat.addToTicket(em, actor, uuidArg(messageId, 'messageId'), ticketNumber);
  }

  @FieldResolver(() => ID)
  channelId(@Root() message: ChatMessage): string {
    return message.channel.id;
  }

  @FieldResolver(() => ChatChannel)
  async channel(@Root() message: ChatMessage, @Ctx() ctx: RequestContext): Promise<ChatChannel> {
    if (wrap(message.channel).isInitialized()) return message.channel;
    const channel = await requireStaff(ctx).loaders.load(ChatChannel, message.channel.id);
    if (!channel) throw new DomainError('NOT_FOUND', 'No such channel');
    return channel;
  }

  @FieldResolver(() => String, { description: 'Empty once deleted.' })
  body(@Root() message: ChatMessage): string {
    return message.deletedAt ? '' : message.body;
  }

  @FieldResolver(() => Boolean)
  deleted(@Root() message: ChatMessage): boolean {
    return Boolean(message.deletedAt);
  }

  @FieldResolver(() => User)
  async author(@Root() message: ChatMessage, @Ctx() ctx: RequestContext): Promise<User> {
    if (wrap(message.author).isInitialized()) return message.author;
    const author = await requireStaff(ctx).loaders.load(User, message.author.id);
    if (!author) throw new DomainError('NOT_FOUND', 'No such user');
    return author;
  }

  @FieldResolver(() => [Ticket], {
    description: 'Tickets the message links to (#123 or a ticket URL), for preview cards.',
  })
  async ticketLinks(@Root() message: ChatMessage, @Ctx() ctx: RequestContext): Promise<Ticket[]> {
    const preloaded = preloadedTicketLinks(message);
    if (preloaded) return preloaded;
    const { em } = requireStaff(ctx);
    return (await ctx.services.chat.ticketLinks(em.fork(), [message])).get(message) ?? [];
  }

  @FieldResolver(() => [Ticket], { description: 'Tickets this message was added to as an internal note.' })
  async addedToTickets(@Root() message: ChatMessage, @Ctx() ctx: RequestContext): Promise<Ticket[]> {
    const { loaders } = requireStaff(ctx);
    const tickets = await Promise.all(message.notedOn.map((note) => loaders.load(Ticket, note.ticketId)));
    return tickets.filter((t): t is Ticket => t !== null);
  }
}

@Resolver()
export class ChatPresenceResolver {
  @Query(() => [UserPresence], { description: 'Every team member with their presence in the agent app.' })
  teamPresence(@Ctx() ctx: RequestContext): Promise<UserPresence[]> {
    return ctx.services.chatPresence.team(staff(ctx).em);
  }

  @Mutation(() => PresenceStatus, {
    description: 'Opens or heartbeats this tab (every 15 s); `away` when the agent is idle or the tab hidden.',
  })
  reportChatPresence(
    @Arg('connectionId', { description: 'A random id per browser tab.' }) connectionId: string,
    @Arg('away') away: boolean,
    @Ctx() ctx: RequestContext,
  ): Promise<PresenceStatus> {
    const { em, viewer } = staff(ctx);
    return ctx.services.chatPresence.report(em, actorOf(viewer), connectionId, away);
  }

  @Mutation(() => Boolean, { description: 'The tab is closing.' })
  async leaveChatPresence(@Arg('connectionId') connectionId: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    const { em, viewer } = staff(ctx);
    await ctx.services.chatPresence.leave(em, actorOf(viewer), connectionId);
    return true;
  }

  @Subscription(() => UserPresence, {
    description: 'A team member’s presence whenever it changes.',
    subscribe: ({ context }) => {
      const ctx = context as RequestContext;
      return ctx.services.chatStreams.presenceEvents(requireStaff(ctx).viewer);
    },
  })
  teamPresenceEvents(@Root() presence: UserPresence): UserPresence {
    return presence;
  }
}

@Resolver()
export class ChatSubscriptions {
  @Subscription(() => ChatEvent, {
    description: 'Messages (new, edited, deleted), typing and reads in one channel the caller can read.',
    subscribe: ({ args, context }) => {
      const ctx = context as RequestContext;
      return ctx.services.chatStreams.channelEvents(requireStaff(ctx).viewer, args.channelId as string);
    },
  })
  chatEvents(@Root() event: ChatEvent, @Arg('channelId', () => ID) _channelId: string): ChatEvent {
    return event;
  }

  @Subscription(() => ChatEvent, {
    description: 'New messages in the caller’s channels, their own reads and their membership changes (unread badges).',
    subscribe: ({ context }) => {
      const ctx = context as RequestContext;
      return ctx.services.chatStreams.myEvents(requireStaff(ctx).viewer);
    },
  })
  myChatEvents(@Root() event: ChatEvent): ChatEvent {
    return event;
  }
}
