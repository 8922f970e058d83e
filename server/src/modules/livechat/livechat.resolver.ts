// Live chat for agents (staff only; customers get FORBIDDEN) and its settings (admins).
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { RequestContext } from '../../graphql/context.js';
import { requireAdmin, requireStaff } from '../../graphql/authorization.js';
import { uuidArg } from '../../lib/ids.js';
import { actorOf } from '../actor.js';
import { User } from '../users/user.entity.js';
import { Ticket } from '../tickets/ticket.entity.js';
import {
  LiveChatMessage,
  LiveChatSettings,
  LiveConversation,
  LiveConversationStatus,
  LiveMessageAuthor,
} from './livechat.entities.js';
import { LiveChatSettingsInput, LiveConversationEvent, ReplyToLiveConversationInput } from './livechat.types.js';
import type { LiveChatStreamEvent } from './livechat.streams.js';

@Resolver(() => LiveConversation)
export class LiveConversationResolver {
  @Query(() => [LiveConversation], { description: 'Website visitors\u2019 live chats, most recent first.' })
  liveConversations(
    @Ctx() ctx: RequestContext,
    @Arg('status', () => [LiveConversationStatus], { nullable: true }) status?: LiveConversationStatus[] | null,
  ): Promise<LiveConversation[]> {
    const { em } = requireStaff(ctx);
    return ctx.services.liveChat.list(em, status ?? []);
  }

  @Query(() => LiveConversation, { nullable: true, description: 'null when missing.' })
  async liveConversation(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID) id: string,
  ): Promise<LiveConversation | null> {
    const { em } = requireStaff(ctx);
    return em.findOne(LiveConversation, uuidArg(id, 'id'));
  }

  @Mutation(() => LiveChatMessage)
  replyToLiveConversation(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => ReplyToLiveConversationInput) input: ReplyToLiveConversationInput,
  ): Promise<LiveChatMessage> {
    const { em, viewer } = requireStaff(ctx);
    return ctx.services.liveChat.reply(
      em,
      actorOf(viewer),
      uuidArg(input.conversationId, 'conversationId'),
      input.body,
    );
  }

  @Mutation(() => Boolean, { description: 'Shows the visitor that an agent is typing (or stopped).' })
  setLiveConversationTyping(
    @Ctx() ctx: RequestContext,
    @Arg('conversationId', () => ID) conversationId: string,
    @Arg('typing') typing: boolean,
  ): Promise<boolean> {
    const { em, viewer } = requireStaff(ctx);
    return ctx.services.liveChat.agentTyping(em, actorOf(viewer), uuidArg(conversationId, 'conversationId'), typing);
  }

  @Mutation(() => Ticket, { description: 'The ticket the conversation became (the same one when asked again).' })
  convertLiveConversationToTicket(
    @Ctx() ctx: RequestContext,
    @Arg('conversationId', () => ID) conversationId: string,
  ): Promise<Ticket> {
    const { em, viewer } = requireStaff(ctx);
    return ctx.services.liveChat.convertToTicket(em, actorOf(viewer), uuidArg(conversationId, 'conversationId'));
  }

  @Mutation(() => LiveConversation)
  closeLiveConversation(
    @Ctx() ctx: RequestContext,
    @Arg('conversationId', () => ID) conversationId: string,
  ): Promise<LiveConversation> {
    const { em, viewer } = requireStaff(ctx);
    return ctx.services.liveChat.close(em, actorOf(viewer), uuidArg(conversationId, 'conversationId'));
  }

  @Subscription(() => LiveConversationEvent, {
    description: 'Live chat events of every conversation of the tenant, or of one (conversationId).',
    subscribe: ({ args, context }) => {
      const ctx = context as RequestContext;
      const { viewer } = requireStaff(ctx);
      const id = (args as { conversationId?: string | null }).conversationId;
      return ctx.services.liveChatStreams.forAgent(viewer, id ? uuidArg(id, 'conversationId') : null);
    },
  })
  liveConversationEvents(
    @Root() event: LiveChatStreamEvent,
    @Arg('conversationId', () => ID, { nullable: true }) _conversationId?: string | null,
  ): LiveConversationEvent {
    return event;
  }

  @FieldResolver(() => [LiveChatMessage])
  messages(@Root() conversation: LiveConversation, @Ctx() ctx: RequestContext): Promise<LiveChatMessage[]> {
    const { em } = requireStaff(ctx);
    return ctx.services.liveChat.messages(em, conversation.id);
  }

  @FieldResolver(() => Boolean, { description: 'Open, and the visitor spoke last.' })
  awaitingReply(@Root() c: LiveConversation): boolean {
    if (c.status !== LiveConversationStatus.OPEN || !c.lastVisitorMessageAt) return false;
    return !c.lastAgentMessageAt || c.lastAgentMessageAt < c.lastVisitorMessageAt;
  }

  @FieldResolver(() => User, { nullable: true })
  agent(@Root() c: LiveConversation, @Ctx() ctx: RequestContext): Promise<User | null> {
    return requireStaff(ctx).loaders.load(User, c.agent?.id);
  }

  @FieldResolver(() => Ticket, { nullable: true })
  ticket(@Root() c: LiveConversation, @Ctx() ctx: RequestContext): Promise<Ticket | null> {
    return requireStaff(ctx).loaders.load(Ticket, c.ticket?.id);
  }
}

@Resolver(() => LiveChatMessage)
export class LiveChatMessageResolver {
  @FieldResolver(() => ID)
  conversationId(@Root() m: LiveChatMessage): string {
    return m.conversation.id;
  }

  @FieldResolver(() => User, { nullable: true, description: 'The agent who wrote it (AGENT messages).' })
  agent(@Root() m: LiveChatMessage, @Ctx() ctx: RequestContext): Promise<User | null> {
    if (m.author !== LiveMessageAuthor.AGENT) return Promise.resolve(null);
    return requireStaff(ctx).loaders.load(User, m.agent?.id);
  }
}

@Resolver(() => LiveChatSettings)
export class LiveChatSettingsResolver {
  @Query(() => LiveChatSettings, { description: 'The chat widget\u2019s settings (admins).' })
  liveChatSettings(@Ctx() ctx: RequestContext): Promise<LiveChatSettings> {
    const { em, viewer } = requireAdmin(ctx);
    return ctx.services.liveChatSettings.forTenant(em, viewer.tenantId);
  }

  @Mutation(() => LiveChatSettings)
  updateLiveChatSettings(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => LiveChatSettingsInput) input: LiveChatSettingsInput,
  ): Promise<LiveChatSettings> {
    const { em, viewer } = requireAdmin(ctx);
    const minutes = input.autoTicketAfterMinutes;
    return ctx.services.liveChatSettings.update(em, viewer.tenantId, {
      ...input,
      autoTicketAfterMinutes: minutes === undefined || minutes === null ? undefined : minutes === 0 ? null : minutes,
    });
  }

  @Mutation(() => LiveChatSettings, { description: 'A new public widget key; the old one stops working at once.' })
  regenerateLiveChatWidgetKey(@Ctx() ctx: RequestContext): Promise<LiveChatSettings> {
    const { em, viewer } = requireAdmin(ctx);
    return ctx.services.liveChatSettings.regenerateKey(em, viewer.tenantId);
  }
}
