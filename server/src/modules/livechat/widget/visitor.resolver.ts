// The visitor API (served at /widget/graphql, its own schema): a visitor token opens exactly one
// conversation and no operation takes an id, so there is nothing to point at someone else's.
import { Arg, Ctx, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Ticket } from '../../tickets/ticket.entity.js';
import { User } from '../../users/user.entity.js';
import { LiveMessageAuthor, type LiveChatMessage, type LiveConversation } from '../livechat.entities.js';
import type { LiveChatStreamEvent } from '../livechat.streams.js';
import { requireVisitor, type VisitorContext } from './visitor.context.js';
import {
  StartConversationInput,
  StartedConversation,
  VisitorConversation,
  VisitorEvent,
  VisitorMessage,
  WidgetInfo,
} from './visitor.types.js';

/** Agents appear to visitors by first name only. */
function firstName(name: string | undefined): string | null {
  return name?.split(/\s+/)[0] ?? null;
}

async function agentNames(em: EntityManager, messages: LiveChatMessage[]): Promise<Map<string, string>> {
  const ids = [...new Set(messages.map((m) => m.agent?.id).filter((id): id is string => Boolean(id)))];
  if (ids.length === 0) return new Map();
  const users = await em.find(User, { id: { $in: ids } }, { fields: ['name'] });
  return new Map(users.map((u) => [u.id, u.name]));
}

function toMessage(m: LiveChatMessage, names: Map<string, string>): VisitorMessage {
  return {
    id: m.id,
    author: m.author,
    body: m.body,
    createdAt: m.createdAt,
    agentName: m.author === LiveMessageAuthor.AGENT && m.agent ? firstName(names.get(m.agent.id)) : null,
  };
}

async function toConversation(
  ctx: VisitorContext,
  em: EntityManager,
  c: LiveConversation,
): Promise<VisitorConversation> {
  const messages = await ctx.services.liveChat.messages(em, c.id);
  const names = await agentNames(em, messages);
  const ticket = c.ticket ? await em.findOne(Ticket, c.ticket.id, { fields: ['number'] }) : null;
  return {
    status: c.status,
    name: c.visitorName ?? null,
    email: c.visitorEmail ?? null,
    ticketNumber: ticket?.number ?? null,
    messages: messages.map((m) => toMessage(m, names)),
  };
}

@Resolver()
export class VisitorResolver {
  @Query(() => WidgetInfo)
  async widget(@Ctx() ctx: VisitorContext): Promise<WidgetInfo> {
    const s = ctx.settings;
    return {
      teamName: await ctx.services.liveChatSettings.tenantName(s.tenant.id),
      greeting: s.greeting,
      color: s.color,
      askForContact: s.askForContact,
      requireEmail: s.requireEmail,
    };
  }

  @Query(() => VisitorConversation, {
    nullable: true,
    description: "The caller's conversation; null before one started.",
  })
  async conversation(@Ctx() ctx: VisitorContext): Promise<VisitorConversation | null> {
    if (!ctx.visitor) return null;
    const em = ctx.services.liveChat.visitorEm(ctx.visitor);
    return toConversation(ctx, em, await ctx.services.liveChat.conversationOf(ctx.visitor));
  }

  @Mutation(() => StartedConversation)
  async startConversation(
    @Ctx() ctx: VisitorContext,
    @Arg('input', () => StartConversationInput, { nullable: true }) input?: StartConversationInput | null,
  ): Promise<StartedConversation> {
    const { token, conversation } = await ctx.services.liveChat.start(ctx.settings, {
      name: input?.name,
      email: input?.email,
      pageUrl: input?.pageUrl,
      ip: ctx.ip,
      userAgent: ctx.userAgent,
    });
    const em = ctx.services.liveChat.visitorEm({ tenantId: ctx.settings.tenant.id, conversationId: conversation.id });
    return { token, conversation: await toConversation(ctx, em, conversation) };
  }

  @Mutation(() => VisitorMessage)
  async sendMessage(@Ctx() ctx: VisitorContext, @Arg('body') body: string): Promise<VisitorMessage> {
    const visitor = requireVisitor(ctx);
    const message = await ctx.services.liveChat.sendVisitorMessage(visitor, ctx.settings, body);
    return toMessage(message, new Map());
  }

  @Mutation(() => VisitorConversation)
  async updateContact(
    @Ctx() ctx: VisitorContext,
    @Arg('name', () => String, { nullable: true }) name?: string | null,
    @Arg('email', () => String, { nullable: true }) email?: string | null,
  ): Promise<VisitorConversation> {
    const visitor = requireVisitor(ctx);
    const conversation = await ctx.services.liveChat.updateVisitorContact(visitor, { name, email });
    return toConversation(ctx, ctx.services.liveChat.visitorEm(visitor), conversation);
  }

  @Mutation(() => Boolean, { description: 'Tells the agents the visitor is typing (or stopped).' })
  async setTyping(@Ctx() ctx: VisitorContext, @Arg('typing') typing: boolean): Promise<boolean> {
    await ctx.services.liveChat.visitorTyping(requireVisitor(ctx), typing);
    return true;
  }

  @Mutation(() => String, { description: 'Queues the transcript by email; returns the address it goes to.' })
  emailTranscript(
    @Ctx() ctx: VisitorContext,
    @Arg('email', () => String, { nullable: true }) email?: string | null,
  ): Promise<string> {
    return ctx.services.liveChat.emailTranscript(requireVisitor(ctx), email);
  }

  @Subscription(() => VisitorEvent, {
    description: "New messages, state changes and agent typing of the caller's conversation.",
    subscribe: ({ context }) => {
      const ctx = context as VisitorContext;
      return ctx.services.liveChatStreams.forVisitor(requireVisitor(ctx));
    },
  })
  async conversationEvents(@Root() event: LiveChatStreamEvent, @Ctx() ctx: VisitorContext): Promise<VisitorEvent> {
    const names = new Map<string, string>();
    if (event.message?.agent) {
      const em = ctx.services.liveChat.visitorEm(requireVisitor(ctx));
      for (const [id, name] of await agentNames(em, [event.message])) names.set(id, name);
    }
    return {
      kind: event.kind,
      status: event.conversation.status,
      message: event.message ? toMessage(event.message, names) : null,
      typing: event.typing,
      agentName: event.kind === 'TYPING' ? firstName(event.typistName ?? undefined) : null,
    };
  }
}
