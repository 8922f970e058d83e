import type { Rel } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { TenantScopedEntity } from '../../db/tenant-scoped.entity.js';
import { Ticket } from '../tickets/ticket.entity.js';
import { TimelineEvent } from '../timeline/timeline-event.entity.js';
import { EmailAddress } from './email-address.entity.js';

export enum MailDirection {
  IN = 'IN',
  OUT = 'OUT',
}
registerEnumType(MailDirection, { name: 'MailDirection' });

export enum MailStatus {
  /** In: stored and threaded. */
  RECEIVED = 'RECEIVED',
  /** In: over the sender's rate limit, waiting for an agent to release it. */
  HELD = 'HELD',
  /** In: held mail an agent discarded (kept in the mail log, never a ticket). */
  DISCARDED = 'DISCARDED',
  /** Out: in the outbox. */
  QUEUED = 'QUEUED',
  SENT = 'SENT',
  /** Out: gave up after retries, or the server refused it for good. */
  FAILED = 'FAILED',
  /** Out: sent, then a bounce came back for it. */
  BOUNCED = 'BOUNCED',
}
registerEnumType(MailStatus, { name: 'MailStatus' });

type Defaults =
  | 'emailAddress'
  | 'ticket'
  | 'event'
  | 'inReplyTo'
  | 'references'
  | 'fromName'
  | 'toAddresses'
  | 'ccAddresses'
  | 'rawKey'
  | 'size'
  | 'classification'
  | 'parseProblems'
  | 'receivedBy'
  | 'attempts'
  | 'nextAttemptAt'
  | 'lastError'
  | 'sentAt'
  | 'autoSubmitted'
  | 'textBody'
  | 'htmlBody'
  | 'smtpUserId';

/** Every mail in and out, kept with its raw bytes: the mail log, the outbox and the threading index. */
@ObjectType()
@Entity({ tableName: 'mail_messages' })
@Unique({ properties: ['tenant', 'direction', 'messageId'] })
@Index({ properties: ['tenant', 'messageId'] })
@Index({ properties: ['status', 'nextAttemptAt'] })
@Index({ properties: ['ticket'] })
export class MailMessage extends TenantScopedEntity<Defaults> {
  @Field(() => MailDirection)
  @Enum({ items: () => MailDirection, nativeEnumName: 'mail_direction' })
  direction!: MailDirection;

  @Field(() => MailStatus)
  @Enum({ items: () => MailStatus, nativeEnumName: 'mail_status' })
  status!: MailStatus;

  @ManyToOne({ entity: () => EmailAddress, nullable: true, deleteRule: 'set null' })
  emailAddress?: Rel<EmailAddress> | null;

  @ManyToOne({ entity: () => Ticket, nullable: true, deleteRule: 'set null' })
  ticket?: Rel<Ticket> | null;

  /** The timeline entry showing this mail (EMAIL_IN, or the reply it carries out). */
  @ManyToOne({ entity: () => TimelineEvent, nullable: true, deleteRule: 'set null' })
  event?: Rel<TimelineEvent> | null;

  /** With angle brackets, as in the header. Generated on our domain for outgoing mail. */
  @Field()
  @Property({ length: 998 })
  messageId!: string;

  @Field(() => String, { nullable: true })
  @Property({ length: 998, nullable: true })
  inReplyTo?: string | null;

  @Property({ type: 'text[]' })
  references: string[] = [];

  @Field()
  @Property({ type: 'text' })
  subject!: string;

  @Field()
  @Property({ length: 320 })
  fromAddress!: string;

  @Field(() => String, { nullable: true })
  @Property({ length: 255, nullable: true })
  fromName?: string | null;

  @Field(() => [String])
  @Property({ type: 'text[]' })
  toAddresses: string[] = [];

  @Field(() => [String])
  @Property({ type: 'text[]' })
  ccAddresses: string[] = [];

  @Property({ type: 'text', nullable: true })
  textBody?: string | null;

  /** Sanitised HTML for incoming mail; the rendered template for outgoing. */
  @Property({ type: 'text', nullable: true, lazy: true })
  htmlBody?: string | null;

  /** The raw RFC 5322 bytes in attachment storage. */
  @Property({ length: 255, nullable: true })
  rawKey?: string | null;

  @Field(() => Int)
  @Property({ type: 'integer' })
  size: number = 0;

  /** Auto-reply / bounce / bulk / own-loop verdicts of incoming mail. */
  @Property({ type: 'jsonb' })
  classification: Record<string, unknown> = {};

  @Field(() => [String])
  @Property({ type: 'text[]' })
  parseProblems: string[] = [];

  /** Ids of our addresses that received this same message (one ticket records them all). */
  @Property({ type: 'text[]' })
  receivedBy: string[] = [];

  @Field(() => Int)
  @Property({ type: 'integer' })
  attempts: number = 0;

  @Property({ type: 'timestamptz', nullable: true })
  nextAttemptAt?: Date | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  sentAt?: Date | null;

  /** Outgoing automated mail (notifications, acknowledgements) carries Auto-Submitted. */
  @Property()
  autoSubmitted: boolean = false;

  /** The agent whose own SMTP identity sends this reply (seed 004); null for the address's. */
  @Property({ type: 'uuid', nullable: true })
  smtpUserId?: string | null;
}
