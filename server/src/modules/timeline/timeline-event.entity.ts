import { BigIntType, OptionalProps, type Rel } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Tenant } from '../tenants/tenant.entity.js';
import { User } from '../users/user.entity.js';
import { Ticket } from '../tickets/ticket.entity.js';

/**
 * Every change of a ticket is one TimelineEvent, written in the transaction that makes the change.
 * Kinds are open-ended strings in the API (the contract lists the core ones).
 */
export enum TimelineKind {
  TICKET_CREATED = 'TICKET_CREATED',
  EMAIL_IN = 'EMAIL_IN',
  EMAIL_OUT = 'EMAIL_OUT',
  COMMENT = 'COMMENT',
  NOTE = 'NOTE',
  COMMENT_EDITED = 'COMMENT_EDITED',
  COMMENT_DELETED = 'COMMENT_DELETED',
  COMMENT_RESTORED = 'COMMENT_RESTORED',
  STATUS_CHANGED = 'STATUS_CHANGED',
  ASSIGNED = 'ASSIGNED',
  TEAM_CHANGED = 'TEAM_CHANGED',
  PRIORITY_CHANGED = 'PRIORITY_CHANGED',
  TAGS_CHANGED = 'TAGS_CHANGED',
  TITLE_CHANGED = 'TITLE_CHANGED',
  WATCHERS_CHANGED = 'WATCHERS_CHANGED',
  SLA_WARNING = 'SLA_WARNING',
  SLA_BREACHED = 'SLA_BREACHED',
  /** An incoming mail was moved to another ticket (`target`: its entry here). */
  EMAIL_MOVED = 'EMAIL_MOVED',
}
registerEnumType(TimelineKind, { name: 'TimelineKind' });

/** Kinds that carry a message body someone wrote (as opposed to system events). */
export const MESSAGE_KINDS: readonly TimelineKind[] = [
  TimelineKind.EMAIL_IN,
  TimelineKind.EMAIL_OUT,
  TimelineKind.COMMENT,
  TimelineKind.NOTE,
];

@ObjectType()
@Entity({ tableName: 'timeline_events' })
@Index({ properties: ['ticket', 'id'] })
@Index({ properties: ['txId', 'id'] })
export class TimelineEvent {
  [OptionalProps]?: 'createdAt' | 'internal' | 'data' | 'body' | 'actor' | 'editedAt' | 'deletedAt' | 'target' | 'txId';

  /** A bigint sequence: events of one ticket are written under the ticket's row lock, so their
   * ids grow in commit order, which is what lets `ticketEvents(after:)` resume without gaps. */
  @Field(() => ID)
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string;

  @ManyToOne({ entity: () => Tenant, deleteRule: 'cascade', index: true })
  tenant!: Rel<Tenant>;

  @ManyToOne({ entity: () => Ticket, deleteRule: 'cascade' })
  ticket!: Rel<Ticket>;

  // An open-ended string in the API (the contract's `kind: String!`), not the enum.
  @Field(() => String)
  @Enum({ items: () => TimelineKind, nativeEnumName: 'timeline_kind' })
  kind!: TimelineKind;

  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null' })
  actor?: Rel<User> | null;

  /** Plain text (markdown-ish) as written; for mail, the text part. */
  @Property({ type: 'text', nullable: true })
  body?: string | null;

  /** Internal events and notes never reach customers. */
  @Field()
  @Property()
  internal: boolean = false;

  /** Kind-specific details: { from, to } of a change, mentions, attachment ids, mail headers… */
  @Property({ type: 'jsonb' })
  data: Record<string, unknown> = {};

  /** For COMMENT_EDITED/DELETED/RESTORED: the comment or note they change. */
  @ManyToOne({ entity: () => TimelineEvent, nullable: true, deleteRule: 'cascade' })
  target?: Rel<TimelineEvent> | null;

  @Property({ type: 'timestamptz', nullable: true })
  editedAt?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  deletedAt?: Date | null;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  /**
   * The transaction that wrote the event, set by PostgreSQL. Readers of the whole event stream
   * (automation) only take events of transactions older than every running one, so an event that
   * commits late can never slip behind their cursor.
   */
  @Property({ columnType: 'xid8', defaultRaw: 'pg_current_xact_id()', lazy: true, hidden: true })
  txId?: string;
}

/** The earlier texts of an edited comment (its visible history). */
@ObjectType()
@Entity({ tableName: 'comment_revisions' })
export class CommentRevision {
  [OptionalProps]?: 'createdAt';

  @Field(() => ID)
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string;

  @ManyToOne({ entity: () => Tenant, deleteRule: 'cascade', index: true })
  tenant!: Rel<Tenant>;

  @ManyToOne({ entity: () => TimelineEvent, deleteRule: 'cascade', index: true })
  comment!: Rel<TimelineEvent>;

  @Field()
  @Property({ type: 'text' })
  body!: string;

  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null' })
  editedBy?: Rel<User> | null;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
