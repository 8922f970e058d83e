// Team presence for the chat: online, away or offline per person, correct across API servers.
// Each browser tab heartbeats a row in PostgreSQL; a person is online when any of their tabs is
// active, away when all of their tabs are idle, offline when none is left. Every API server sweeps
// tabs that stopped heartbeating; changes go through the event bus.
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { LockMode } from '@mikro-orm/core';
import { registerEnumType } from 'type-graphql';
import type { EventBus } from '../../events/event-bus.js';
import { acrossTenants } from '../../db/tenant-scope.js';
import { DomainError } from '../../graphql/errors.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { Role, User } from '../users/user.entity.js';
import type { Actor } from '../actor.js';
import { ChatPresence } from './chat.entities.js';

/** Clients heartbeat every 15 s; a tab that misses three heartbeats has gone. */
export const CHAT_PRESENCE_TTL_MS = 45_000;

export enum PresenceStatus {
  ONLINE = 'ONLINE',
  AWAY = 'AWAY',
  OFFLINE = 'OFFLINE',
}
registerEnumType(PresenceStatus, { name: 'PresenceStatus' });

export interface MemberPresence {
  user: User;
  status: PresenceStatus;
}

const CONNECTION_ID = /^[A-Za-z0-9_-]{8,64}$/;

export class ChatPresenceService {
  constructor(
    private readonly orm: MikroORM,
    private readonly bus: EventBus,
  ) {}

  /** Opens or heartbeats a tab; announces the person's presence only when it changes. */
  async report(em: EntityManager, actor: Actor, connectionId: string, away: boolean): Promise<PresenceStatus> {
    if (!actor.staff || !actor.userId) throw new DomainError('FORBIDDEN', 'Only agents share presence');
    const userId = actor.userId;
    if (!CONNECTION_ID.test(connectionId)) {
      throw new DomainError('BAD_USER_INPUT', 'connectionId must be 8–64 letters, digits, _ or -', 'connectionId');
    }
    return em.transactional(async (tx) => {
      await this.lockUser(tx, userId);
      const before = await this.statusIn(tx, userId);
      const existing = await tx.findOne(ChatPresence, { connectionId });
      if (existing && existing.user.id !== userId) throw new DomainError('FORBIDDEN', 'Not your connection');
      const expiresAt = new Date(Date.now() + CHAT_PRESENCE_TTL_MS);
      if (existing) {
        existing.away = away;
        existing.expiresAt = expiresAt;
      } else {
        tx.create(ChatPresence, {
          connectionId,
          tenant: tx.getReference(Tenant, actor.tenantId),
          user: tx.getReference(User, userId),
          away,
          expiresAt,
        });
      }
      await tx.flush();
      const after = await this.statusIn(tx, userId);
      if (after !== before) await this.announce(tx, actor.tenantId, userId);
      return after;
    });
  }

  /** The tab closed. */
  async leave(em: EntityManager, actor: Actor, connectionId: string): Promise<void> {
    if (!actor.userId) return;
    const userId = actor.userId;
    await em.transactional(async (tx) => {
      await this.lockUser(tx, userId);
      const removed = await tx.nativeDelete(ChatPresence, { connectionId, user: userId });
      if (removed > 0 && (await this.statusIn(tx, userId)) === PresenceStatus.OFFLINE) {
        await this.announce(tx, actor.tenantId, userId);
      }
    });
  }

  /** Everyone on the team (agents, managers, admins) with their presence, by name. */
  async team(em: EntityManager): Promise<MemberPresence[]> {
    const users = await em.find(User, { role: { $ne: Role.CUSTOMER }, active: true }, { orderBy: { name: 'asc' } });
    const statuses = await this.statuses(
      em,
      users.map((u) => u.id),
    );
    return users.map((user) => ({ user, status: statuses.get(user.id) ?? PresenceStatus.OFFLINE }));
  }

  async statuses(em: EntityManager, userIds: string[]): Promise<Map<string, PresenceStatus>> {
    if (userIds.length === 0) return new Map();
    const rows = await em.find(ChatPresence, { user: { $in: userIds }, expiresAt: { $gt: new Date() } });
    const result = new Map<string, PresenceStatus>();
    for (const row of rows) {
      if (!row.away) result.set(row.user.id, PresenceStatus.ONLINE);
      else if (!result.has(row.user.id)) result.set(row.user.id, PresenceStatus.AWAY);
    }
    return result;
  }

  /** Removes tabs that stopped heartbeating and announces their people; every API server runs this. */
  async sweepExpired(): Promise<number> {
    const em = acrossTenants(this.orm.em);
    return em.transactional(async (tx) => {
      const expired = await tx.find(
        ChatPresence,
        { expiresAt: { $lt: new Date() } },
        { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE },
      );
      if (expired.length === 0) return 0;
      const people = new Map(expired.map((p) => [p.user.id, p.tenant.id]));
      for (const row of expired) tx.remove(row);
      await tx.flush();
      for (const [userId, tenantId] of people) await this.announce(tx, tenantId, userId);
      return expired.length;
    });
  }

  private async statusIn(tx: EntityManager, userId: string): Promise<PresenceStatus> {
    return (await this.statuses(tx, [userId])).get(userId) ?? PresenceStatus.OFFLINE;
  }

  /** Tabs of one person report one after another, so "did the status change" is answered right. */
  private async lockUser(tx: EntityManager, userId: string): Promise<void> {
    await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [`chat-presence:${userId}`]);
  }

  private async announce(tx: EntityManager, tenantId: string, userId: string): Promise<void> {
    await this.bus.publishInTransaction(tx, 'chat.presence-changed', { tenantId, userId });
  }
}
