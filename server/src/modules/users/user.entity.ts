import type { Rel } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { TenantScopedEntity } from '../../db/tenant-scoped.entity.js';
import { Company } from '../companies/company.entity.js';

export enum Role {
  SUPERADMIN = 'SUPERADMIN',
  ADMIN = 'ADMIN',
  MANAGER = 'MANAGER',
  AGENT = 'AGENT',
  CUSTOMER = 'CUSTOMER',
}
registerEnumType(Role, { name: 'Role' });

export const STAFF_ROLES: readonly Role[] = [Role.SUPERADMIN, Role.ADMIN, Role.MANAGER, Role.AGENT];

export function isStaffRole(role: Role): boolean {
  return STAFF_ROLES.includes(role);
}

@ObjectType()
@Entity({ tableName: 'users' })
@Unique({ properties: ['tenant', 'email'] })
export class User extends TenantScopedEntity<'active' | 'passwordHash' | 'company' | 'lastLoginAt'> {
  /** Stored lower-cased; unique within a tenant. */
  @Field()
  @Index()
  @Property()
  email!: string;

  @Field()
  @Property()
  name!: string;

  @Field(() => Role)
  @Enum({ items: () => Role, nativeEnumName: 'user_role' })
  role!: Role;

  /** argon2id; null for customers who only ever wrote mail. */
  @Property({ nullable: true, hidden: true, lazy: true })
  passwordHash?: string | null;

  @ManyToOne({ entity: () => Company, nullable: true, deleteRule: 'set null' })
  company?: Rel<Company> | null;

  @Field()
  @Property()
  active: boolean = true;

  @Property({ type: 'timestamptz', nullable: true })
  lastLoginAt?: Date | null;
}
