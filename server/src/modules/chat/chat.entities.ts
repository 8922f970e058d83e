import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { TenantScopedEntity } from '../../db/tenant-scoped.entity.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { User } from '../users/user.entity.js';

export enum ChannelKind {
  /** Any agent of the tenant can read, join and leave it. */
  PUBLIC = 'PUBLIC',
  /** Members only; members invite others. */
  PRIVATE = 'PRIVATE',
  /** A direct conversation of two to eight people; its members never change. */
  DIRECT = 'DIRECT',
}
registerEnumType(ChannelKind, { name: 'ChannelKind' });

/** A room of the team chat. Direct conversations have no name: each member sees the others' names. */
@ObjectType('Channel')
@Entity({ tableName: 'chat_channels' })
// Channel names are unique per tenant (case-insensitively); a direct conversation is unique per
// set of people, so opening it again finds the same one. NULLs never collide in a unique index.
@Unique({ properties: ['tenant', 'nameKey'] })
@Unique({ properties: ['tenant', 'directKey'] })
export class ChatChannel extends TenantScopedEntity<'name' | 'nameKey' | 'directKey' | 'createdBy' | 'lastMessageAt'> {
  @Property({ length: 80, nullable: true })
  name?: string | null;

  @Property({ length: 80, nullable: true, hidden: true })
  nameKey?: string | null;

  /** The sorted user ids of a direct conversation, joined with commas. */
  @Property({ type: 'text', nullable: true, hidden: true })
  directKey?: string | null;

  @Field(() => ChannelKind)
  @Enum({ items: () => ChannelKind, nativeEnumName: 'chat_channel_kind' })
  kind!: ChannelKind;

  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null' })
  createdBy?: Rel<User> | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  lastMessageAt?: Date | null;
}

/** Membership, with the read marker: everything after `lastReadAt` by someone else is unread. */
@Entity({ tableName: 'chat_members' })
@Unique({ properties: ['channel', 'user'] })
@Index({ properties: ['user'] })
export class ChatMember extends TenantScopedEntity {
  @ManyToOne({ entity: () => ChatChannel, deleteRule: 'cascade' })
  channel!: Rel<ChatChannel>;

  @ManyToOne({ entity: () => User, deleteRule: 'cascade' })
  user!: Rel<User>;

  @Property({ type: 'timestamptz' })
  lastReadAt!: Date;
}

/** A message of the team chat; edits keep no history, deletes are soft (shown as deleted). */
@ObjectType()
@Entity({ tableName: 'chat_messages' })
// History pages walk this index backwards from a (createdAt, id) cursor.
@Index({ properties: ['channel', 'createdAt', 'id'] })
@Index({
  name: 'chat_messages_search_vector_index',
  expression: 'create index "chat_messages_search_vector_index" on "chat_messages" using gin ("search_vector")',
})
export class ChatMessage extends TenantScopedEntity<'editedAt' | 'deletedAt' | 'searchVector' | 'notedOn'> {
  @ManyToOne({ entity: () => ChatChannel, deleteRule: 'cascade' })
  channel!: Rel<ChatChannel>;

  @ManyToOne({ entity: () => User, deleteRule: 'cascade' })
  author!: Rel<User>;

  @Property({ type: 'text' })
  body!: string;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  editedAt?: Date | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  deletedAt?: Date | null;

  /** Tickets this message was added to as an internal note: [{ ticketId, eventId }]. */
  @Property({ type: 'json' })
  notedOn: Array<{ ticketId: string; eventId: string }> = [];

  /** Full-text search over the body, maintained by PostgreSQL; deleted messages are not found. */
  @Property({
    columnType: 'tsvector',
    generated:
      "(case when deleted_at is null then to_tsvector('simple', coalesce(body, '')) else ''::tsvector end) stored",
    lazy: true,
    hidden: true,
    nullable: true,
  })
  searchVector?: string;
}

/**
 * Who has the agent app open, per browser tab, kept alive by heartbeats; shared by all API servers
 * (the migration makes the table UNLOGGED: it is not worth a WAL write).
 */
@Entity({ tableName: 'chat_presence' })
@Index({ properties: ['expiresAt'] })
@Index({ properties: ['tenant', 'user'] })
export class ChatPresence {
  [OptionalProps]?: 'away';

  @PrimaryKey({ length: 64 })
  connectionId!: string;

  @ManyToOne({ entity: () => Tenant, deleteRule: 'cascade' })
  tenant!: Rel<Tenant>;

  @ManyToOne({ entity: () => User, deleteRule: 'cascade' })
  user!: Rel<User>;

  /** The tab is open but its agent has not touched it for a while (or it is hidden). */
  @Property()
  away: boolean = false;

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;
}
