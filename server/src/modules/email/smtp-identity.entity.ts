import type { Rel } from '@mikro-orm/core';
import { Entity, Enum, OneToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { TenantScopedEntity } from '../../db/tenant-scoped.entity.js';
import { User } from '../users/user.entity.js';
import { SmtpSecurity } from './email-address.entity.js';

/**
 * An agent's own outgoing mail identity (seed 004): their public replies go out from their address
 * through their SMTP server, falling back to the ticket's support address when it is missing or
 * fails. The password is sealed and never returned.
 */
@ObjectType()
@Entity({ tableName: 'smtp_identities' })
export class SmtpIdentity extends TenantScopedEntity<
  'fromName' | 'username' | 'passwordSealed' | 'lastError' | 'lastUsedAt' | 'hasPassword'
> {
  @OneToOne({ entity: () => User, owner: true, unique: true, deleteRule: 'cascade' })
  user!: Rel<User>;

  @Field()
  @Property({ length: 320 })
  fromAddress!: string;

  @Field(() => String, { nullable: true })
  @Property({ length: 255, nullable: true })
  fromName?: string | null;

  @Field()
  @Property({ length: 255 })
  host!: string;

  @Field(() => Int)
  @Property({ type: 'integer' })
  port!: number;

  @Field(() => SmtpSecurity)
  @Enum({ items: () => SmtpSecurity, nativeEnumName: 'smtp_security' })
  security!: SmtpSecurity;

  @Field(() => String, { nullable: true })
  @Property({ length: 255, nullable: true })
  username?: string | null;

  @Property({ type: 'text', nullable: true, hidden: true })
  passwordSealed?: string | null;

  /** The server's words from the last failed send or test; cleared by a success. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  lastUsedAt?: Date | null;

  @Field({ description: 'A password is stored (it is never returned).' })
  get hasPassword(): boolean {
    return Boolean(this.passwordSealed);
  }
}
