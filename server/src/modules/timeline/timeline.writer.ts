// The one way a ticket change is recorded: inside the caller's transaction, with the ticket row
// locked, write the TimelineEvent and queue its notifications (delivered when the transaction
// commits, dropped if it rolls back).
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventBus, PendingEvent } from '../../events/event-bus.js';
import { DomainError } from '../../graphql/errors.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { User } from '../users/user.entity.js';
import { Ticket } from '../tickets/ticket.entity.js';
import { TimelineEvent, TimelineKind } from './timeline-event.entity.js';
import type { Actor } from '../actor.js';

export interface EventSpec {
  kind: TimelineKind;
  body?: string | null;
  internal?: boolean;
  data?: Record<string, unknown>;
  target?: TimelineEvent | null;
}

/** One written event, with its (locked) ticket and who caused it. */
export interface Observation {
  ticket: Ticket;
  event: TimelineEvent;
  actor: Actor;
}

/**
 * Called inside the transaction once events have their ids, with their tickets still locked: for
 * bookkeeping that must commit or roll back with the change (SLA clocks). One event at a time from
 * record(), a batch's events in order from a batch writer (mail ingest), so an observer can do its
 * reads once per batch. Observers change or create entities and leave the flush to the caller
 * (record() flushes after them; a batch writer writes them with the rest of its batch in one
 * flush). Observers may record events themselves (they are observed too, so an observer must
 * ignore its own kinds). Reactions that may run after commit (automation, mail) belong on the
 * event bus instead.
 */
export type TimelineObserver = (tx: EntityManager, observations: Observation[]) => Promise<void>;

export class TimelineWriter {
  private readonly observers: TimelineObserver[] = [];

  constructor(private readonly bus: EventBus) {}

  /** Adds an observer of every event recorded from now on (see TimelineObserver). */
  observe(observer: TimelineObserver): void {
    this.observers.push(observer);
  }

  /** Locks the ticket for the rest of the transaction; events of one ticket are thereby serialised. */
  async lockTicket(tx: EntityManager, ticketId: string): Promise<Ticket> {
    const ticket = await tx.findOne(Ticket, ticketId, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (!ticket) throw new DomainError('NOT_FOUND', 'No such ticket', 'ticketId');
    return ticket;
  }

  async record(tx: EntityManager, ticket: Ticket, actor: Actor, spec: EventSpec): Promise<TimelineEvent> {
    const event = tx.create(TimelineEvent, {
      tenant: tx.getReference(Tenant, actor.tenantId),
      ticket,
      kind: spec.kind,
      actor: actor.userId ? tx.getReference(User, actor.userId) : null,
      body: spec.body ?? null,
      internal: spec.internal ?? false,
      // Changes made by a rule say so ("Automation: <rule>") and carry the chain for the loop guard.
      data: actor.automation ? { ...spec.data, automation: actor.automation } : (spec.data ?? {}),
      target: spec.target ?? null,
    });
    ticket.lastActivityAt = new Date();
    await tx.flush();
    await this.bus.publishInTransaction(tx, 'timeline.created', {
      tenantId: actor.tenantId,
      ticketId: ticket.id,
      eventId: event.id,
      internal: event.internal,
    });
    if (this.observers.length) {
      await this.observed(tx, [{ ticket, event, actor }]);
      await tx.flush();
    }
    return event;
  }

  /**
   * Runs the observers for events once they have ids, in order, and leaves their changes to the
   * caller's flush: record() does both itself; a caller of stage() must do both, or staged events
   * (mail ingest) would skip the SLA clocks.
   */
  async observed(tx: EntityManager, observations: Observation[]): Promise<void> {
    if (observations.length === 0) return;
    for (const observer of this.observers) await observer(tx, observations);
  }

  /**
   * The batched form of record(): the event is created but neither flushed nor published. The
   * caller flushes once and publishes `published(event)` with the rest of its batch, in order.
   */
  stage(tx: EntityManager, ticket: Ticket, actor: Actor, spec: EventSpec): TimelineEvent {
    const event = tx.create(TimelineEvent, {
      tenant: tx.getReference(Tenant, actor.tenantId),
      ticket,
      kind: spec.kind,
      actor: actor.userId ? tx.getReference(User, actor.userId) : null,
      body: spec.body ?? null,
      internal: spec.internal ?? false,
      data: spec.data ?? {},
      target: spec.target ?? null,
    });
    ticket.lastActivityAt = new Date();
    return event;
  }

  /**
   * Ids for staged events, in the order given, from the events' own sequence: one multi-row
   * insert would not keep that order, and `ticketEvents(after:)` relies on ids growing with it.
   */
  async identify(tx: EntityManager, events: TimelineEvent[]): Promise<void> {
    if (events.length === 0) return;
    const rows = await tx.execute<Array<{ id: string }>>(
      "select nextval('timeline_events_id_seq')::text as id from generate_series(1, ?)",
      [events.length],
    );
    const ids = rows.map((r) => BigInt(r.id)).sort((a, b) => (a < b ? -1 : 1));
    events.forEach((event, i) => (event.id = String(ids[i])));
  }

  /** The bus message for a staged event (its id is known once flushed). */
  published(event: TimelineEvent): PendingEvent {
    return {
      name: 'timeline.created',
      payload: { tenantId: event.tenant.id, ticketId: event.ticket.id, eventId: event.id, internal: event.internal },
    };
  }

  async ticketChanged(tx: EntityManager, ticket: Ticket, change: 'CREATED' | 'UPDATED'): Promise<void> {
    await this.bus.publishInTransaction(tx, 'ticket.changed', {
      tenantId: ticket.tenant.id,
      ticketId: ticket.id,
      change,
    });
  }
}
