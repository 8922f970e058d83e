// Live conversation events for agents (all of a tenant's conversations, or one) and for one
// visitor (their own conversation only). Every event is reloaded through a tenant-scoped manager.
import type { MikroORM } from '@mikro-orm/postgresql';
import { closeWith, type EventBus, type LiveQueue } from '../../events/event-bus.js';
import type { BusMessage } from '../../events/registry.js';
import { forTenant } from '../../db/tenant-scope.js';
import type { Viewer } from '../../graphql/context.js';
import { User } from '../users/user.entity.js';
import { LiveChatMessage, LiveConversation } from './livechat.entities.js';
import type { VisitorPrincipal } from './livechat.service.js';

type ChatBusMessage = BusMessage<'livechat.changed'> | BusMessage<'livechat.typing'>;

export interface LiveChatStreamEvent {
  kind: 'CREATED' | 'MESSAGE' | 'UPDATED' | 'TYPING';
  conversation: LiveConversation;
  message: LiveChatMessage | null;
  typing: boolean | null;
  /** Who is typing: the agent's name for visitors, or null for the visitor. */
  typistName: string | null;
}

/** Both live chat event names as one queue, closed together. */
class MergedQueue {
  private readonly pending = new Map<
    LiveQueue<ChatBusMessage>,
    Promise<[LiveQueue<ChatBusMessage>, IteratorResult<ChatBusMessage>]>
  >();

  constructor(private readonly queues: LiveQueue<ChatBusMessage>[]) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<ChatBusMessage> {
    for (;;) {
      for (const queue of this.queues) {
        if (!this.pending.has(queue))
          this.pending.set(
            queue,
            queue.next().then((r) => [queue, r]),
          );
      }
      const [queue, result] = await Promise.race(this.pending.values());
      this.pending.delete(queue);
      if (result.done) return;
      yield result.value;
    }
  }

  async return(): Promise<void> {
    await Promise.all(this.queues.map((q) => q.return()));
  }
}

export class LiveChatStreams {
  constructor(
    private readonly orm: MikroORM,
    private readonly bus: EventBus,
  ) {}

  private listen(): MergedQueue {
    return new MergedQueue([
      this.bus.subscribe('livechat.changed') as LiveQueue<ChatBusMessage>,
      this.bus.subscribe('livechat.typing') as LiveQueue<ChatBusMessage>,
    ]);
  }

  /** For agents: events of every conversation of the tenant, or of one. */
  forAgent(viewer: Viewer, conversationId: string | null): AsyncIterableIterator<LiveChatStreamEvent> {
    const live = this.listen();
    return closeWith(live, this.agentEvents(live, viewer, conversationId));
  }

  /** For a visitor: their own conversation's messages, state changes and agent typing. */
  forVisitor(visitor: VisitorPrincipal): AsyncIterableIterator<LiveChatStreamEvent> {
    const live = this.listen();
    return closeWith(live, this.visitorEvents(live, visitor));
  }

  private async *agentEvents(
    live: MergedQueue,
    viewer: Viewer,
    conversationId: string | null,
  ): AsyncGenerator<LiveChatStreamEvent> {
    try {
      for await (const event of live) {
        const { payload } = event;
        if (payload.tenantId !== viewer.tenantId) continue;
        if (conversationId && payload.conversationId !== conversationId) continue;
        if (event.name === 'livechat.typing' && 'side' in payload && payload.userId === viewer.userId) continue;
        const loaded = await this.load(viewer.tenantId, event);
        if (loaded) yield loaded;
      }
    } finally {
      await live.return();
    }
  }

  private async *visitorEvents(live: MergedQueue, visitor: VisitorPrincipal): AsyncGenerator<LiveChatStreamEvent> {
    try {
      for await (const event of live) {
        const { payload } = event;
        if (payload.tenantId !== visitor.tenantId || payload.conversationId !== visitor.conversationId) continue;
        if ('side' in payload && payload.side === 'VISITOR') continue;
        const loaded = await this.load(visitor.tenantId, event);
        if (loaded) yield loaded;
      }
    } finally {
      await live.return();
    }
  }

  private async load(tenantId: string, event: ChatBusMessage): Promise<LiveChatStreamEvent | null> {
    const em = forTenant(this.orm.em, tenantId);
    const conversation = await em.findOne(LiveConversation, event.payload.conversationId);
    if (!conversation) return null;
    if (event.name === 'livechat.typing') {
      const payload = event.payload as BusMessage<'livechat.typing'>['payload'];
      const typist = payload.userId ? await em.findOne(User, payload.userId) : null;
      return { kind: 'TYPING', conversation, message: null, typing: payload.typing, typistName: typist?.name ?? null };
    }
    const payload = event.payload as BusMessage<'livechat.changed'>['payload'];
    const message = payload.messageId
      ? await em.findOne(LiveChatMessage, { id: payload.messageId, conversation: conversation.id })
      : null;
    return { kind: payload.change, conversation, message, typing: null, typistName: null };
  }
}
