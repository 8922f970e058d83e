import type { Rel } from '@mikro-orm/core';
import { ManyToOne } from '@mikro-orm/decorators/legacy';
import { ObjectType } from 'type-graphql';
import { Tenant } from '../modules/tenants/tenant.entity.js';
import { BaseEntity } from './base.entity.js';

/**
 * Everything that belongs to one business. The `tenant` filter (db/tenant-scope.ts) restricts
 * every read, update and delete of these entities to the tenant of the current request.
 */
@ObjectType()
export abstract class TenantScopedEntity<Optional extends string = never> extends BaseEntity<Optional> {
  @ManyToOne({ entity: () => Tenant, deleteRule: 'cascade', index: true })
  tenant!: Rel<Tenant>;
}
