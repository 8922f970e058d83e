// Live chat with website visitors: one settings row per tenant, conversations started through the
// public widget, and their messages.
import { BigIntType, OptionalProps, type Rel } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { TenantScopedEntity } from '../../db/tenant-scoped.entity.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { User } from '../users/user.entity.js';
import { Ticket } from '../tickets/ticket.entity.js';

export enum LiveConversationStatus {
  OPEN = 'OPEN',
  CLOSED = 'CLOSED',
  /** Became a ticket; the conversation is read-only from then on. */
  CONVERTED = 'CONVERTED',
}
registerEnumType(LiveConversationStatus, { name: 'LiveConversationStatus' });

export enum LiveMessageAuthor {
  VISITOR = 'VISITOR',
  AGENT = 'AGENT',
  SYSTEM = 'SYSTEM',
}
registerEnumType(LiveMessageAuthor, { name: 'LiveMessageAuthor' });

type SettingsDefaults =
  | 'enabled'
  | 'allowedOrigins'
  | 'askForContact'
  | 'requireEmail'
  | 'greeting'
  | 'color'
  | 'autoTicketAfterMinutes'
  | 'visitorMessagesPerMinute'
  | 'conversationsPerHourPerIp';

/** How a tenant's chat widget behaves. Created on first use with the defaults below. */
@ObjectType()
@Entity({ tableName: 'livechat_settings' })
@Unique({ properties: ['tenant'] })
export class LiveChatSettings extends TenantScopedEntity<SettingsDefaults> {
  @Field()
  @Property({ default: false })
  enabled: boolean = false;

  /** Public (it is in the site's HTML); names the tenant to the widget endpoint. Regenerable. */
  @Field()
  @Unique()
  @Property({ length: 64 })
  publicKey!: string;

  /** Exact origins (`https://shop.example.com`) or `https://*.example.com`; empty: nowhere. */
  @Field(() => [String])
  @Property({ type: 'text[]' })
  allowedOrigins: string[] = [];

  /** Show the name/email form before the first message reaches agents. */
  @Field()
  @Property({ default: true })
  askForContact: boolean = true;

  @Field()
  @Property({ default: false })
  requireEmail: boolean = false;

  @Field()
  @Property({ length: 500, default: 'Hi! How can we help you today?' })
  greeting: string = 'Hi! How can we help you today?';

  @Field()
  @Property({ length: 7, default: '#4f46e5' })
  color: string = '#4f46e5';

  /** A conversation with a visitor email and no agent answer becomes a ticket after this long; null: never. */
  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true, default: 10 })
  autoTicketAfterMinutes?: number | null = 10;

  @Field(() => Int)
  @Property({ type: 'integer', default: 20 })
  visitorMessagesPerMinute: number = 20;

  @Field(() => Int)
  @Property({ type: 'integer', default: 10 })
  conversationsPerHourPerIp: number = 10;
}

type ConversationDefaults =
  | 'status'
  | 'visitorName'
  | 'visitorEmail'
  | 'pageUrl'
  | 'userAgent'
  | 'ip'
  | 'agent'
  | 'ticket'
  | 'firstVisitorMessageAt'
  | 'lastVisitorMessageAt'
  | 'firstAgentReplyAt'
  | 'lastAgentMessageAt'
  | 'lastMessageAt'
  | 'closedAt'
  | 'preview';

@ObjectType()
@Entity({ tableName: 'live_conversations' })
@Index({ properties: ['tenant', 'status', 'lastMessageAt'] })
export class LiveConversation extends TenantScopedEntity<ConversationDefaults> {
  @Field(() => LiveConversationStatus)
  @Enum({ items: () => LiveConversationStatus })
  status: LiveConversationStatus = LiveConversationStatus.OPEN;

  /** SHA-256 of the visitor's token (like sessions): the only key to this conversation from outside. */
  @Unique()
  @Property({ length: 64, hidden: true })
  visitorTokenHash!: string;

  @Field(() => String, { nullable: true })
  @Property({ length: 100, nullable: true })
  visitorName?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ length: 254, nullable: true })
  visitorEmail?: string | null;

  /** The page the visitor started from (as the browser reported it). */
  @Field(() => String, { nullable: true })
  @Property({ length: 1000, nullable: true })
  pageUrl?: string | null;

  @Property({ length: 512, nullable: true })
  userAgent?: string | null;

  @Property({ length: 100, nullable: true })
  ip?: string | null;

  /** The agent who answered first. */
  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null' })
  agent?: Rel<User> | null;

  @Unique()
  @ManyToOne({ entity: () => Ticket, nullable: true, deleteRule: 'set null' })
  ticket?: Rel<Ticket> | null;

  @Property({ type: 'timestamptz', nullable: true })
  firstVisitorMessageAt?: Date | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  lastVisitorMessageAt?: Date | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  firstAgentReplyAt?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  lastAgentMessageAt?: Date | null;

  @Field()
  @Property({ type: 'timestamptz' })
  lastMessageAt: Date = new Date();

  /** The last message, shortened, for the list. */
  @Field()
  @Property({ length: 200, default: '' })
  preview: string = '';

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  closedAt?: Date | null;
}

@ObjectType()
@Entity({ tableName: 'live_chat_messages' })
@Index({ properties: ['conversation', 'id'] })
export class LiveChatMessage {
  [OptionalProps]?: 'createdAt' | 'agent';

  /** A bigint sequence: messages of one conversation are written under its row lock, in order. */
  @Field(() => ID)
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string;

  @ManyToOne({ entity: () => Tenant, deleteRule: 'cascade', index: true })
  tenant!: Rel<Tenant>;

  @ManyToOne({ entity: () => LiveConversation, deleteRule: 'cascade' })
  conversation!: Rel<LiveConversation>;

  @Field(() => LiveMessageAuthor)
  @Enum({ items: () => LiveMessageAuthor })
  author!: LiveMessageAuthor;

  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null' })
  agent?: Rel<User> | null;

  /** Plain text as typed; never rendered as HTML anywhere. */
  @Field()
  @Property({ type: 'text' })
  body!: string;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}

/** Counters of rate-limiter-flexible for the widget, mapped so schema diffs leave them alone. */
@Entity({ tableName: 'livechat_rate_limits' })
export class LiveChatRateLimit {
  @PrimaryKey({ length: 255 })
  key!: string;

  @Property({ type: 'integer', default: 0 })
  points!: number;

  @Property({ type: 'bigint', nullable: true })
  expire?: string | null;
}
