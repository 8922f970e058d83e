import { BigIntType } from '@mikro-orm/core';
import { Entity, Enum, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { TenantScopedEntity } from '../../db/tenant-scoped.entity.js';

export enum SmtpSecurity {
  NONE = 'NONE',
  STARTTLS = 'STARTTLS',
  TLS = 'TLS',
}
registerEnumType(SmtpSecurity, { name: 'SmtpSecurity' });

/** How the address's mailbox is doing, shown in Settings → Email addresses. */
export enum MailboxHealth {
  UNKNOWN = 'UNKNOWN',
  OK = 'OK',
  ERROR = 'ERROR',
  AUTH_FAILED = 'AUTH_FAILED',
}
registerEnumType(MailboxHealth, { name: 'MailboxHealth' });

type Defaults =
  | 'color'
  | 'imapFolder'
  | 'smtpUser'
  | 'smtpPasswordSealed'
  | 'isDefault'
  | 'isActive'
  | 'lastCheckAt'
  | 'lastError'
  | 'health'
  | 'processedCount'
  | 'uidValidity'
  | 'lastUid'
  | 'leaseOwner'
  | 'leaseExpiresAt'
  | 'failures'
  | 'nextAttemptAt';

/** A support address of a tenant (seed 000): mail to it becomes tickets; replies go out from it. */
@ObjectType()
@Entity({ tableName: 'email_addresses' })
@Unique({ properties: ['tenant', 'address'] })
export class EmailAddress extends TenantScopedEntity<Defaults> {
  @Field()
  @Property({ length: 255 })
  displayName!: string;

  /** Lower-cased. */
  @Field()
  @Property({ length: 320 })
  address!: string;

  /** The ticket list's left border for tickets that came in here. */
  @Field()
  @Property({ length: 20 })
  color: string = '#4f6bed';

  @Field()
  @Property({ length: 255 })
  imapHost!: string;

  @Field(() => Int)
  @Property({ type: 'integer' })
  imapPort!: number;

  @Field()
  @Property()
  imapTls!: boolean;

  @Field()
  @Property({ length: 255 })
  imapUser!: string;

  /** AES-256-GCM sealed (lib/secrets.ts); never exposed through the API. */
  @Property({ type: 'text', hidden: true })
  imapPasswordSealed!: string;

  @Field()
  @Property({ length: 255 })
  imapFolder: string = 'INBOX';

  @Field()
  @Property({ length: 255 })
  smtpHost!: string;

  @Field(() => Int)
  @Property({ type: 'integer' })
  smtpPort!: number;

  @Field(() => SmtpSecurity)
  @Enum({ items: () => SmtpSecurity, nativeEnumName: 'smtp_security' })
  smtpSecurity!: SmtpSecurity;

  @Field(() => String, { nullable: true })
  @Property({ length: 255, nullable: true })
  smtpUser?: string | null;

  @Property({ type: 'text', nullable: true, hidden: true })
  smtpPasswordSealed?: string | null;

  @Field()
  @Property()
  isDefault: boolean = false;

  @Field()
  @Property()
  isActive: boolean = true;

  @Field(() => MailboxHealth)
  @Enum({ items: () => MailboxHealth, nativeEnumName: 'mailbox_health' })
  health: MailboxHealth = MailboxHealth.UNKNOWN;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  lastCheckAt?: Date | null;

  /** The mail server's own words, for the admin. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  @Field(() => Int)
  @Property({ type: 'integer' })
  processedCount: number = 0;

  /** The IMAP cursor: every message is handled exactly once across restarts. Read as strings
   * (a plain 'bigint' comes back as a JS bigint, which never === the string of a cursor). */
  @Property({ type: new BigIntType('string'), nullable: true })
  uidValidity?: string | null;

  @Property({ type: new BigIntType('string'), nullable: true })
  lastUid?: string | null;

  /** Which worker watches this mailbox, until when (renewed by heartbeat). */
  @Property({ length: 100, nullable: true })
  leaseOwner?: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  leaseExpiresAt?: Date | null;

  /** Consecutive failures: a failing address backs off without slowing the others. */
  @Property({ type: 'integer' })
  failures: number = 0;

  @Property({ type: 'timestamptz', nullable: true })
  nextAttemptAt?: Date | null;
}
