// Live streams for subscriptions. Each event is loaded fresh and re-authorised for the subscriber
// (a customer never receives internal events, whatever the event says about itself).
import type { MikroORM } from '@mikro-orm/postgresql';
import { closeWith, type EventBus, type LiveQueue } from '../../events/event-bus.js';
import type { BusMessage } from '../../events/registry.js';
import { forTenant } from '../../db/tenant-scope.js';
import type { Viewer } from '../../graphql/context.js';
import { DomainError } from '../../graphql/errors.js';
import { isSequenceId, isUuid } from '../../lib/ids.js';
import { Ticket } from '../tickets/ticket.entity.js';
import { canSeeEvent, canSeeTicket, ticketAudience } from '../tickets/ticket.policy.js';
import { TimelineEvent } from './timeline-event.entity.js';
import type { TimelineService } from './timeline.service.js';
import type { AttachmentService } from '../attachments/attachment.service.js';
import { isStaffRole } from '../users/user.entity.js';
import { preloadAttachments } from './preloaded.js';

export class TimelineStreams {
  private readonly recentEvents = new Map<string, Promise<TimelineEvent | null>>();

  constructor(
    private readonly orm: MikroORM,
    private readonly bus: EventBus,
    private readonly timeline: TimelineService,
    private readonly attachments: AttachmentService,
  ) {}

  /**
   * Replays the events after `after` from the database, then streams new ones. Listening starts
   * before the replay query and events are deduplicated by id, so nothing is lost or repeated at
   * the seam (ids of one ticket grow in commit order: see TimelineWriter.lockTicket).
   */
  ticketEvents(viewer: Viewer, ticketId: string, after: string | null): AsyncIterableIterator<TimelineEvent> {
    if (!isUuid(ticketId)) throw new DomainError('BAD_USER_INPUT', 'ticketId is not a valid id', 'ticketId');
    if (after !== null && !isSequenceId(after)) {
      throw new DomainError('BAD_USER_INPUT', 'after is not a valid id', 'after');
    }
    const live = this.bus.subscribe('timeline.created');
    return closeWith(live, this.replayThenLive(live, viewer, ticketId, after));
  }

  private async *replayThenLive(
    live: LiveQueue<BusMessage<'timeline.created'>>,
    viewer: Viewer,
    ticketId: string,
    after: string | null,
  ): AsyncGenerator<TimelineEvent> {
    try {
      const em = forTenant(this.orm.em, viewer.tenantId);
      const audience = await ticketAudience(em, viewer);
      const ticket = await em.findOne(Ticket, ticketId);
      if (!ticket || !canSeeTicket(audience, ticket)) throw new DomainError('NOT_FOUND', 'No such ticket', 'ticketId');
      // The cursor must be an event of this very ticket, not any id.
      if (after !== null && !(await em.findOne(TimelineEvent, { id: after, ticket: ticketId }, { fields: ['id'] }))) {
        throw new DomainError('BAD_USER_INPUT', 'after is not an event of this ticket', 'after');
      }
      let last = BigInt(after ?? (await this.latestEventId(em, ticketId)));
      if (after !== null) {
        const replay = await this.timeline.list(em, ticketId, { afterId: after, includeInternal: audience.staff });
        for (const event of replay) {
          yield event;
          last = BigInt(event.id);
        }
      }
      for await (const message of live) {
        const { tenantId, ticketId: eventTicket, eventId } = message.payload;
        if (tenantId !== viewer.tenantId || eventTicket !== ticketId || BigInt(eventId) <= last) continue;
        const event = await this.authorisedEvent(viewer, eventId);
        last = BigInt(eventId);
        if (event) yield event;
      }
    } finally {
      await live.return();
    }
  }

  /** Ticket creations and changes the subscriber may see (the live inbox). */
  inboxEvents(viewer: Viewer): AsyncIterableIterator<{ kind: string; ticket: Ticket }> {
    const live = this.bus.subscribe('ticket.changed');
    return closeWith(live, this.visibleChanges(live, viewer));
  }

  private async *visibleChanges(
    live: LiveQueue<BusMessage<'ticket.changed'>>,
    viewer: Viewer,
  ): AsyncGenerator<{ kind: string; ticket: Ticket }> {
    try {
      for await (const message of live) {
        if (message.payload.tenantId !== viewer.tenantId) continue;
        const em = forTenant(this.orm.em, viewer.tenantId);
        const ticket = await em.findOne(Ticket, message.payload.ticketId);
        if (!ticket || !canSeeTicket(await ticketAudience(em, viewer), ticket)) continue;
        yield { kind: message.payload.change, ticket };
      }
    } finally {
      await live.return();
    }
  }

  /**
   * One load per event per process, however many subscribers receive it (a popular ticket may have
   * thousands); each subscriber is then authorised against the loaded event.
   */
  private async authorisedEvent(viewer: Viewer, eventId: string): Promise<TimelineEvent | null> {
    const event = await this.sharedEvent(viewer.tenantId, eventId);
    if (!event) return null;
    const audience = isStaffRole(viewer.role)
      ? { staff: true, userId: viewer.userId, sharedCompanyId: null }
      : await ticketAudience(forTenant(this.orm.em, viewer.tenantId), viewer);
    return canSeeTicket(audience, event.ticket) && canSeeEvent(audience, event) ? event : null;
  }

  private sharedEvent(tenantId: string, eventId: string): Promise<TimelineEvent | null> {
    const key = `${tenantId}:${eventId}`;
    let pending = this.recentEvents.get(key);
    if (!pending) {
      pending = this.loadForDelivery(tenantId, eventId);
      this.recentEvents.set(key, pending);
      setTimeout(() => this.recentEvents.delete(key), 10_000).unref();
    }
    return pending;
  }

  private async loadForDelivery(tenantId: string, eventId: string): Promise<TimelineEvent | null> {
    const em = forTenant(this.orm.em, tenantId);
    const event = await em.findOne(TimelineEvent, eventId, { populate: ['ticket', 'actor'] });
    if (event) preloadAttachments(event, await this.attachments.forEvents(em, [event.id]));
    return event;
  }

  private async latestEventId(em: ReturnType<typeof forTenant>, ticketId: string): Promise<string> {
    const latest = await em.findOne(TimelineEvent, { ticket: ticketId }, { orderBy: { id: 'desc' }, fields: ['id'] });
    return latest?.id ?? '0';
  }
}
