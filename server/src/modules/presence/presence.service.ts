// Collision detection: who is viewing a ticket and who is typing a reply, correct across servers.
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { LockMode } from '@mikro-orm/core';
import type { EventBus } from '../../events/event-bus.js';
import { acrossTenants } from '../../db/tenant-scope.js';
import { DomainError } from '../../graphql/errors.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { Ticket } from '../tickets/ticket.entity.js';
import { User } from '../users/user.entity.js';
import type { Actor } from '../actor.js';
import { TicketPresence } from './presence.entity.js';

/** Clients heartbeat every 10 s; a tab that misses three heartbeats has left. */
export const PRESENCE_TTL_MS = 30_000;

export interface PresenceEntry {
  user: User;
  typing: boolean;
  since: Date;
}

export class PresenceService {
  constructor(
    private readonly orm: MikroORM,
    private readonly bus: EventBus,
  ) {}

  /** Joins or heartbeats; announces a change only when what others see changes. */
  async report(
    em: EntityManager,
    actor: Actor,
    ticketId: string,
    connectionId: string,
    typing: boolean,
  ): Promise<void> {
    if (!actor.staff || !actor.userId) throw new DomainError('FORBIDDEN', 'Only agents share presence');
    if (!/^[A-Za-z0-9_-]{8,64}$/.test(connectionId)) {
      throw new DomainError('BAD_USER_INPUT', 'connectionId must be 8–64 letters, digits, _ or -', 'connectionId');
    }
    const expiresAt = new Date(Date.now() + PRESENCE_TTL_MS);
    await em.transactional(async (tx) => {
      const ticket = await tx.findOne(Ticket, ticketId);
      if (!ticket) throw new DomainError('NOT_FOUND', 'No such ticket', 'ticketId');
      const existing = await tx.findOne(TicketPresence, { ticket: ticketId, connectionId });
      if (existing && existing.user.id !== actor.userId) throw new DomainError('FORBIDDEN', 'Not your connection');
      const changed = !existing || existing.typing !== typing;
      if (existing) {
        existing.typing = typing;
        existing.expiresAt = expiresAt;
      } else {
        tx.create(TicketPresence, {
          ticket,
          connectionId,
          tenant: tx.getReference(Tenant, actor.tenantId),
          user: tx.getReference(User, actor.userId!),
          typing,
          expiresAt,
        });
      }
      await tx.flush();
      if (changed) await this.bus.publishInTransaction(tx, 'presence.changed', { tenantId: actor.tenantId, ticketId });
    });
  }

  async leave(em: EntityManager, actor: Actor, ticketId: string, connectionId: string): Promise<void> {
    await em.transactional(async (tx) => {
      if (!(await tx.findOne(Ticket, ticketId))) throw new DomainError('NOT_FOUND', 'No such ticket', 'ticketId');
      const removed = await tx.nativeDelete(TicketPresence, { ticket: ticketId, connectionId, user: actor.userId });
      if (removed > 0)
        await this.bus.publishInTransaction(tx, 'presence.changed', { tenantId: actor.tenantId, ticketId });
    });
  }

  /** Everyone on the ticket now, one entry per person (typing if any of their tabs types). */
  async current(em: EntityManager, ticketId: string): Promise<PresenceEntry[]> {
    const rows = await em.find(
      TicketPresence,
      { ticket: ticketId, expiresAt: { $gt: new Date() } },
      { populate: ['user'], orderBy: { since: 'asc' } },
    );
    const byUser = new Map<string, PresenceEntry>();
    for (const row of rows) {
      const entry = byUser.get(row.user.id);
      if (entry) entry.typing ||= row.typing;
      else byUser.set(row.user.id, { user: row.user, typing: row.typing, since: row.since });
    }
    return [...byUser.values()];
  }

  /** Removes tabs that stopped heartbeating and announces it; every API server runs this. */
  async sweepExpired(): Promise<number> {
    const em = acrossTenants(this.orm.em);
    return em.transactional(async (tx) => {
      const expired = await tx.find(
        TicketPresence,
        { expiresAt: { $lt: new Date() } },
        { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE },
      );
      if (expired.length === 0) return 0;
      const tickets = new Map(expired.map((p) => [p.ticket.id, p.tenant.id]));
      for (const row of expired) tx.remove(row);
      await tx.flush();
      for (const [ticketId, tenantId] of tickets) {
        await this.bus.publishInTransaction(tx, 'presence.changed', { tenantId, ticketId });
      }
      return expired.length;
    });
  }
}
