import type { Rel } from '@mikro-orm/core';
import { Entity, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { TenantScopedEntity } from '../../db/tenant-scoped.entity.js';
import { User } from '../users/user.entity.js';
import { Ticket } from '../tickets/ticket.entity.js';
import { TimelineEvent } from '../timeline/timeline-event.entity.js';

/** An in-app notification for one user (mentions, assignments; SLA and rules add more). */
@ObjectType()
@Entity({ tableName: 'notifications' })
@Index({ properties: ['user', 'readAt', 'createdAt'] })
export class Notification extends TenantScopedEntity<'readAt' | 'ticket' | 'event' | 'actor' | 'link' | 'shownInApp'> {
  @ManyToOne({ entity: () => User, deleteRule: 'cascade' })
  user!: Rel<User>;

  /** MENTION, ASSIGNED, SLA_WARNING, CHAT_MENTION, … (NotificationKind) */
  @Field()
  @Property({ length: 50 })
  kind!: string;

  @Field()
  @Property({ length: 500 })
  title!: string;

  @ManyToOne({ entity: () => Ticket, nullable: true, deleteRule: 'cascade' })
  ticket?: Rel<Ticket> | null;

  @ManyToOne({ entity: () => TimelineEvent, nullable: true, deleteRule: 'cascade' })
  event?: Rel<TimelineEvent> | null;

  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null' })
  actor?: Rel<User> | null;

  /** Where it leads in the agent app when there is no ticket, e.g. `/chat/<channelId>`. */
  @Field(() => String, { nullable: true })
  @Property({ length: 500, nullable: true })
  link?: string | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  readAt?: Date | null;

  /** False when the user turned in-app off for this kind: the row only carries the mail. */
  @Property({ default: true })
  shownInApp: boolean = true;
}
