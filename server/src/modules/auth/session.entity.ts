import type { Rel } from '@mikro-orm/core';
import { Entity, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { TenantScopedEntity } from '../../db/tenant-scoped.entity.js';
import { User } from '../users/user.entity.js';

/** A bearer token. Only its SHA-256 is stored, so a database leak reveals no usable token. */
@Entity({ tableName: 'sessions' })
export class Session extends TenantScopedEntity<'revokedAt' | 'ip' | 'userAgent'> {
  @ManyToOne({ entity: () => User, deleteRule: 'cascade' })
  user!: Rel<User>;

  @Unique()
  @Property()
  tokenHash!: string;

  @Index()
  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  revokedAt?: Date | null;

  @Property({ nullable: true })
  ip?: string | null;

  @Property({ nullable: true, length: 512 })
  userAgent?: string | null;
}

@Entity({ tableName: 'password_reset_tokens' })
export class PasswordResetToken extends TenantScopedEntity<'usedAt'> {
  @ManyToOne({ entity: () => User, deleteRule: 'cascade' })
  user!: Rel<User>;

  @Unique()
  @Property()
  tokenHash!: string;

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  usedAt?: Date | null;
}
