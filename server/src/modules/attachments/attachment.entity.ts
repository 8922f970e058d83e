import type { Rel } from '@mikro-orm/core';
import { Entity, ManyToOne, Property, Index } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { TenantScopedEntity } from '../../db/tenant-scoped.entity.js';
import { User } from '../users/user.entity.js';
import { Ticket } from '../tickets/ticket.entity.js';
import { TimelineEvent } from '../timeline/timeline-event.entity.js';

@ObjectType()
@Entity({ tableName: 'attachments' })
@Index({ properties: ['event'] })
export class Attachment extends TenantScopedEntity<'event' | 'uploadedBy' | 'contentId'> {
  @ManyToOne({ entity: () => Ticket, deleteRule: 'cascade', index: true })
  ticket!: Rel<Ticket>;

  /** Set when the upload is attached to a comment (or arrived with a mail). */
  @ManyToOne({ entity: () => TimelineEvent, nullable: true, deleteRule: 'cascade' })
  event?: Rel<TimelineEvent> | null;

  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null' })
  uploadedBy?: Rel<User> | null;

  @Field()
  @Property({ length: 255 })
  filename!: string;

  /** Sniffed from the bytes where possible, never just what the uploader claimed. */
  @Field()
  @Property({ length: 255 })
  contentType!: string;

  @Field(() => Int)
  @Property({ type: 'integer' })
  size!: number;

  @Property({ length: 64 })
  sha256!: string;

  @Property({ length: 255 })
  storageKey!: string;

  /** For inline mail images: the cid the HTML refers to. */
  @Property({ length: 255, nullable: true })
  contentId?: string | null;
}
