// Per-request batching of to-one lookups, so a page of 50 tickets loads its assignees in one query.
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityClass } from '@mikro-orm/core';
import { Attachment } from '../modules/attachments/attachment.entity.js';

export class Loaders {
  private readonly byEntity = new Map<EntityClass<object>, DataLoader<string, object | null>>();

  private readonly attachments: DataLoader<string, Attachment[]>;

  constructor(private readonly em: EntityManager) {
    this.attachments = new DataLoader(
      async (eventIds) => {
        const rows = await this.em
          .fork()
          .find(Attachment, { event: { $in: [...eventIds] } }, { orderBy: { createdAt: 'asc' } });
        return eventIds.map((id) => rows.filter((a) => a.event?.id === id));
      },
      { cache: false },
    );
  }

  /** The files of timeline events, batched across a whole timeline. */
  attachmentsOf(eventId: string): Promise<Attachment[]> {
    return this.attachments.load(eventId);
  }

  load<T extends object>(entity: EntityClass<T>, id: string | null | undefined): Promise<T | null> {
    if (!id) return Promise.resolve(null);
    let loader = this.byEntity.get(entity as EntityClass<object>);
    if (!loader) {
      // No cache and a fresh fork per batch: a subscription's context lives for hours, and each
      // event it delivers must show current data (the fork keeps the tenant scope).
      loader = new DataLoader<string, object | null>(
        async (ids) => {
          const rows = await this.em.fork().find(entity as EntityClass<{ id: string }>, { id: { $in: [...ids] } });
          const byId = new Map(rows.map((row) => [row.id, row]));
          return ids.map((key) => byId.get(key) ?? null);
        },
        { cache: false },
      );
      this.byEntity.set(entity as EntityClass<object>, loader);
    }
    return loader.load(id) as Promise<T | null>;
  }
}
