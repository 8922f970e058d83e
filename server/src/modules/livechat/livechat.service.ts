// Live conversations between website visitors and agents. Every change is written with its
// `livechat.changed` event in one transaction (NOTIFY on commit); typing is announced, not stored.
import { LockMode } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { EventBus } from '../../events/event-bus.js';
import { forTenant, acrossTenants } from '../../db/tenant-scope.js';
import { DomainError } from '../../graphql/errors.js';
import { childLogger } from '../../lib/logger.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { User } from '../users/user.entity.js';
import { isEmail } from '../users/user.service.js';
import { normaliseEmail } from '../auth/auth.service.js';
import { hashToken, newToken } from '../auth/tokens.js';
import type { Actor } from '../actor.js';
import { systemActor } from '../actor.js';
import type { TicketService } from '../tickets/ticket.service.js';
import { Ticket } from '../tickets/ticket.entity.js';
import type { TimelineWriter } from '../timeline/timeline.writer.js';
import { TimelineKind } from '../timeline/timeline-event.entity.js';
import type { OutboxService } from '../email/outbox.service.js';
import {
  LiveChatMessage,
  LiveChatSettings,
  LiveConversation,
  LiveConversationStatus,
  LiveMessageAuthor,
} from './livechat.entities.js';
import type { LiveChatLimits } from './livechat-limits.js';
import { ticketTitle, transcriptText } from './transcript.js';

const log = childLogger('livechat');

export const MAX_MESSAGE = 4_000;
export const MAX_NAME = 100;
const MAX_MESSAGES_SHOWN = 500;

/** Who a visitor token stands for: one conversation of one tenant, nothing else. */
export interface VisitorPrincipal {
  tenantId: string;
  conversationId: string;
}

export interface VisitorContact {
  name?: string | null;
  email?: string | null;
}

export interface StartConversationData extends VisitorContact {
  pageUrl?: string | null;
  ip: string;
  userAgent: string | null;
}

function messageText(value: string): string {
  // Control characters other than newlines and tabs have no business in a chat line.
  const text = value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim();
  if (!text) throw new DomainError('BAD_USER_INPUT', 'The message is empty', 'body');
  if (text.length > MAX_MESSAGE) {
    throw new DomainError('BAD_USER_INPUT', `Messages are at most ${MAX_MESSAGE} characters`, 'body');
  }
  return text;
}

function contact(data: VisitorContact): { name: string | null; email: string | null } {
  const name = data.name?.replace(/\s+/g, ' ').trim() || null;
  if (name && name.length > MAX_NAME) {
    throw new DomainError('BAD_USER_INPUT', `Names are at most ${MAX_NAME} characters`, 'name');
  }
  const email = data.email?.trim() ? normaliseEmail(data.email) : null;
  if (email && (!isEmail(email) || email.length > 254)) {
    throw new DomainError('BAD_USER_INPUT', 'That does not look like an email address', 'email');
  }
  return { name, email };
}

const preview = (body: string) => body.replace(/\s+/g, ' ').slice(0, 200);

export class LiveChatService {
  constructor(
    private readonly orm: MikroORM,
    private readonly bus: EventBus,
    private readonly tickets: TicketService,
    private readonly writer: TimelineWriter,
    private readonly outbox: OutboxService,
    readonly limits: LiveChatLimits,
  ) {}

  // ---- visitors ------------------------------------------------------------------------------

  /** Starts a conversation on a tenant's widget; the token is shown once and stored hashed. */
  async start(
    settings: LiveChatSettings,
    data: StartConversationData,
  ): Promise<{ token: string; conversation: LiveConversation }> {
    const tenantId = settings.tenant.id;
    const who = contact(data);
    if (settings.requireEmail && settings.askForContact && !who.email) {
      throw new DomainError('BAD_USER_INPUT', 'Please leave your email address', 'email');
    }
    await this.limits.conversationStarted(tenantId, data.ip, settings.conversationsPerHourPerIp);
    const token = newToken('lcv');
    const em = forTenant(this.orm.em, tenantId);
    const conversation = await em.transactional(async (tx) => {
      const row = tx.create(LiveConversation, {
        tenant: tx.getReference(Tenant, tenantId),
        visitorTokenHash: hashToken(token),
        visitorName: who.name,
        visitorEmail: who.email,
        pageUrl: data.pageUrl?.slice(0, 1000) || null,
        userAgent: data.userAgent?.slice(0, 512) ?? null,
        ip: data.ip.slice(0, 100),
      });
      await tx.flush();
      await this.bus.publishInTransaction(tx, 'livechat.changed', {
        tenantId,
        conversationId: row.id,
        change: 'CREATED',
      });
      return row;
    });
    return { token, conversation };
  }

  /** The conversation behind a visitor token, on the widget it was started from; else null. */
  async authenticateVisitor(settings: LiveChatSettings, token: string): Promise<VisitorPrincipal | null> {
    if (!token.startsWith('lcv_')) return null;
    const found = await acrossTenants(this.orm.em).findOne(
      LiveConversation,
      { visitorTokenHash: hashToken(token), tenant: settings.tenant.id },
      { fields: ['id', 'tenant'] },
    );
    return found ? { tenantId: found.tenant.id, conversationId: found.id } : null;
  }

  visitorEm(visitor: VisitorPrincipal): EntityManager {
    return forTenant(this.orm.em, visitor.tenantId);
  }

  async conversationOf(visitor: VisitorPrincipal): Promise<LiveConversation> {
    return this.visitorEm(visitor).findOneOrFail(LiveConversation, visitor.conversationId);
  }

  async messages(em: EntityManager, conversationId: string): Promise<LiveChatMessage[]> {
    const latest = await em.find(
      LiveChatMessage,
      { conversation: conversationId },
      { orderBy: { id: 'desc' }, limit: MAX_MESSAGES_SHOWN },
    );
    return latest.reverse();
  }

  async sendVisitorMessage(visitor: VisitorPrincipal, settings: LiveChatSettings, body: string) {
    const text = messageText(body);
    await this.limits.visitorMessage(visitor.conversationId, settings.visitorMessagesPerMinute);
    return this.visitorEm(visitor).transactional(async (tx) => {
      const conversation = await this.lock(tx, visitor.conversationId);
      if (conversation.status !== LiveConversationStatus.OPEN) {
        throw new DomainError('BAD_USER_INPUT', 'This conversation has ended; start a new one');
      }
      const now = new Date();
      conversation.firstVisitorMessageAt ??= now;
      conversation.lastVisitorMessageAt = now;
      return this.append(tx, conversation, LiveMessageAuthor.VISITOR, text, null, now);
    });
  }

  async updateVisitorContact(visitor: VisitorPrincipal, data: VisitorContact): Promise<LiveConversation> {
    const who = contact(data);
    return this.visitorEm(visitor).transactional(async (tx) => {
      const conversation = await this.lock(tx, visitor.conversationId);
      if (who.name) conversation.visitorName = who.name;
      if (who.email) conversation.visitorEmail = who.email;
      await this.changed(tx, conversation, 'UPDATED');
      return conversation;
    });
  }

  async visitorTyping(visitor: VisitorPrincipal, typing: boolean): Promise<void> {
    if (!(await this.limits.typing(visitor.conversationId))) return;
    await this.bus.publish(this.visitorEm(visitor), 'livechat.typing', {
      tenantId: visitor.tenantId,
      conversationId: visitor.conversationId,
      side: 'VISITOR',
      userId: null,
      typing,
    });
  }

  /** Queues the transcript to the visitor (to the given address, remembered, or the one on file). */
  async emailTranscript(visitor: VisitorPrincipal, emailInput?: string | null): Promise<string> {
    const given = contact({ email: emailInput }).email;
    await this.limits.visitorMessage(visitor.conversationId, 5); // a mail is costlier than a line
    const em = this.visitorEm(visitor);
    return em.transactional(async (tx) => {
      const conversation = await this.lock(tx, visitor.conversationId);
      const to = given ?? conversation.visitorEmail;
      if (!to) throw new DomainError('BAD_USER_INPUT', 'Which email address should we send it to?', 'email');
      if (given && !conversation.visitorEmail) conversation.visitorEmail = given;
      const tenant = await tx.findOneOrFail(Tenant, visitor.tenantId);
      const text = await this.transcript(tx, conversation);
      const mail = await this.outbox.queueAutomated(tx, visitor.tenantId, to, {
        subject: `Your chat with ${tenant.name}`,
        text: `Here is the transcript of your chat with ${tenant.name}.\n\n${text}\n`,
      });
      if (!mail) throw new DomainError('BAD_USER_INPUT', 'Sending transcripts is not set up yet; sorry');
      await tx.flush();
      return to;
    });
  }

  // ---- agents --------------------------------------------------------------------------------

  list(em: EntityManager, statuses: LiveConversationStatus[]): Promise<LiveConversation[]> {
    return em.find(LiveConversation, statuses.length ? { status: { $in: statuses } } : {}, {
      orderBy: { lastMessageAt: 'desc', id: 'desc' },
      limit: 200,
    });
  }

  async reply(em: EntityManager, actor: Actor, conversationId: string, body: string): Promise<LiveChatMessage> {
    if (!actor.staff || !actor.userId) throw new DomainError('FORBIDDEN', 'Only agents answer live chats');
    const text = messageText(body);
    return em.transactional(async (tx) => {
      const conversation = await this.lock(tx, conversationId);
      if (conversation.status !== LiveConversationStatus.OPEN) {
        throw new DomainError('BAD_USER_INPUT', 'This conversation has ended');
      }
      const now = new Date();
      const agent = tx.getReference(User, actor.userId!);
      conversation.firstAgentReplyAt ??= now;
      conversation.lastAgentMessageAt = now;
      conversation.agent ??= agent;
      return this.append(tx, conversation, LiveMessageAuthor.AGENT, text, agent, now);
    });
  }

  async agentTyping(em: EntityManager, actor: Actor, conversationId: string, typing: boolean): Promise<boolean> {
    const conversation = await em.findOne(LiveConversation, conversationId);
    if (!conversation) throw new DomainError('NOT_FOUND', 'No such conversation', 'conversationId');
    if (conversation.status !== LiveConversationStatus.OPEN) return false;
    await this.bus.publish(em, 'livechat.typing', {
      tenantId: actor.tenantId,
      conversationId,
      side: 'AGENT',
      userId: actor.userId,
      typing,
    });
    return true;
  }

  async close(em: EntityManager, actor: Actor, conversationId: string): Promise<LiveConversation> {
    if (!actor.staff) throw new DomainError('FORBIDDEN', 'Only agents close live chats');
    return em.transactional(async (tx) => {
      const conversation = await this.lock(tx, conversationId);
      if (conversation.status !== LiveConversationStatus.OPEN) return conversation;
      conversation.status = LiveConversationStatus.CLOSED;
      conversation.closedAt = new Date();
      await this.append(tx, conversation, LiveMessageAuthor.SYSTEM, 'The agent ended this chat.', null, new Date());
      await this.changed(tx, conversation, 'UPDATED');
      return conversation;
    });
  }

  /**
   * Turns the conversation into a ticket (exactly once: under the conversation's row lock, a
   * conversation that already has its ticket returns that ticket). The transcript is the ticket's
   * first content; the requester is the visitor's email when known.
   */
  async convertToTicket(em: EntityManager, actor: Actor, conversationId: string): Promise<Ticket> {
    if (!actor.staff) throw new DomainError('FORBIDDEN', 'Only agents turn chats into tickets');
    return em.transactional(async (tx) => {
      const conversation = await this.lock(tx, conversationId);
      if (conversation.ticket) return tx.findOneOrFail(Ticket, conversation.ticket.id);
      return this.convertLocked(tx, actor, conversation);
    });
  }

  /** The job: conversations with a visitor email and no agent answer after the tenant's N minutes. */
  async convertUnanswered(now = new Date()): Promise<number> {
    const all = acrossTenants(this.orm.em);
    const tenants = await all.find(LiveChatSettings, { autoTicketAfterMinutes: { $ne: null } });
    let converted = 0;
    for (const settings of tenants) {
      const cutoff = new Date(now.getTime() - settings.autoTicketAfterMinutes! * 60_000);
      const em = forTenant(this.orm.em, settings.tenant.id);
      const due = await em.find(
        LiveConversation,
        {
          status: LiveConversationStatus.OPEN,
          ticket: null,
          visitorEmail: { $ne: null },
          firstAgentReplyAt: null,
          firstVisitorMessageAt: { $lte: cutoff },
        },
        { fields: ['id'], limit: 100 },
      );
      for (const { id } of due) {
        try {
          const made = await forTenant(this.orm.em, settings.tenant.id).transactional(async (tx) => {
            // Skip rows another worker holds; re-check under the lock: exactly once.
            const conversation = await tx.findOne(LiveConversation, id, {
              lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE,
              refresh: true,
            });
            if (!conversation) return false;
            const current = await this.reread(tx, id);
            if (current.ticket || current.firstAgentReplyAt || current.status !== LiveConversationStatus.OPEN) {
              return false;
            }
            await this.convertLocked(tx, systemActor(settings.tenant.id), current);
            return true;
          });
          if (made) converted += 1;
        } catch (error) {
          log.warn({ err: (error as Error).message, conversationId: id }, 'automatic conversion failed');
        }
      }
    }
    return converted;
  }

  private async convertLocked(tx: EntityManager, actor: Actor, conversation: LiveConversation): Promise<Ticket> {
    const messages = await this.messages(tx, conversation.id);
    const first = messages.find((m) => m.author === LiveMessageAuthor.VISITOR)?.body;
    const ticket = await this.tickets.create(tx, actor, {
      title: ticketTitle(conversation, first),
      description: await this.transcript(tx, conversation, messages),
      requesterEmail: conversation.visitorEmail ?? null,
      requesterName: conversation.visitorName ?? null,
      issueType: 'Question',
    });
    await this.writer.record(tx, ticket, actor, {
      kind: TimelineKind.NOTE,
      internal: true,
      body: actor.userId
        ? 'Turned into a ticket from a live chat with a website visitor.'
        : 'Turned into a ticket automatically: the visitor left an email address and no agent answered the live chat in time.',
      data: { liveConversationId: conversation.id, source: 'LIVE_CHAT' },
    });
    conversation.ticket = ticket;
    conversation.status = LiveConversationStatus.CONVERTED;
    conversation.closedAt = new Date();
    const notice = conversation.visitorEmail
      ? `We have turned this chat into support request #${ticket.number}; we will answer at ${conversation.visitorEmail}.`
      : `We have turned this chat into support request #${ticket.number}.`;
    await this.append(tx, conversation, LiveMessageAuthor.SYSTEM, notice, null, new Date());
    await this.changed(tx, conversation, 'UPDATED');
    return ticket;
  }

  async transcript(tx: EntityManager, conversation: LiveConversation, loaded?: LiveChatMessage[]): Promise<string> {
    const messages = loaded ?? (await this.messages(tx, conversation.id));
    const agentIds = [...new Set(messages.map((m) => m.agent?.id).filter((id): id is string => Boolean(id)))];
    const agents = agentIds.length ? await tx.find(User, { id: { $in: agentIds } }) : [];
    const names = new Map(agents.map((a) => [a.id, a.name]));
    return transcriptText(
      conversation,
      messages.map((message) => ({ message, agentName: message.agent ? names.get(message.agent.id) : null })),
    );
  }

  private async lock(tx: EntityManager, conversationId: string): Promise<LiveConversation> {
    const locked = await tx.findOne(LiveConversation, conversationId, {
      lockMode: LockMode.PESSIMISTIC_WRITE,
      refresh: true,
    });
    if (!locked) throw new DomainError('NOT_FOUND', 'No such conversation', 'conversationId');
    return this.reread(tx, conversationId);
  }

  /**
   * Reads the locked row again. After waiting for a lock, PostgreSQL re-checks the locked row but
   * the joined rows of that same statement (its ticket) still come from before the wait: a second
   * statement sees what the other transaction committed.
   */
  private async reread(tx: EntityManager, conversationId: string): Promise<LiveConversation> {
    return tx.findOneOrFail(LiveConversation, conversationId, { refresh: true });
  }

  private async append(
    tx: EntityManager,
    conversation: LiveConversation,
    author: LiveMessageAuthor,
    body: string,
    agent: User | null,
    at: Date,
  ): Promise<LiveChatMessage> {
    const message = tx.create(LiveChatMessage, {
      tenant: conversation.tenant,
      conversation,
      author,
      agent,
      body,
      createdAt: at,
    });
    conversation.lastMessageAt = at;
    conversation.preview = preview(body);
    await tx.flush();
    await this.bus.publishInTransaction(tx, 'livechat.changed', {
      tenantId: conversation.tenant.id,
      conversationId: conversation.id,
      change: 'MESSAGE',
      messageId: message.id,
    });
    return message;
  }

  private async changed(tx: EntityManager, conversation: LiveConversation, change: 'UPDATED'): Promise<void> {
    await tx.flush();
    await this.bus.publishInTransaction(tx, 'livechat.changed', {
      tenantId: conversation.tenant.id,
      conversationId: conversation.id,
      change,
    });
  }
}
