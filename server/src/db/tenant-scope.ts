// Tenant isolation lives here and nowhere else.
//
// Reads, updates and deletes of every TenantScopedEntity go through the `tenant` filter, which
// MikroORM applies to every query of an EntityManager. The filter fails closed: an EntityManager
// that was not given a tenant throws instead of returning everything. Writes are checked at flush
// time: an entity of another tenant can neither be created nor changed through a scoped manager.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Dictionary, EventSubscriber, FilterDef, FlushEventArgs } from '@mikro-orm/core';
import { TenantScopedEntity } from './tenant-scoped.entity.js';

export const TENANT_FILTER = 'tenant';

export type TenantScope = { tenantId: string } | { allTenants: true };

export const tenantFilter: FilterDef = {
  name: TENANT_FILTER,
  default: true,
  cond: (args: Dictionary) => {
    if (args.allTenants === true) return {};
    if (typeof args.tenantId !== 'string') throw new Error('No tenant in scope for a tenant-scoped query');
    return { tenant: args.tenantId };
  },
  entity: [], // filled in orm.ts with every TenantScopedEntity
};

/** An EntityManager restricted to one tenant: what requests and tenant jobs use. */
export function forTenant(em: EntityManager, tenantId: string): EntityManager {
  const fork = em.fork({ clear: true, useContext: false });
  fork.setFilterParams(TENANT_FILTER, { tenantId });
  return fork;
}

/** An EntityManager over all tenants: platform jobs and the superadmin only. */
export function acrossTenants(em: EntityManager): EntityManager {
  const fork = em.fork({ clear: true, useContext: false });
  fork.setFilterParams(TENANT_FILTER, { allTenants: true });
  return fork;
}

export function scopeOf(em: EntityManager): TenantScope | undefined {
  const params = em.getFilterParams<Dictionary>(TENANT_FILTER);
  if (!params) return undefined;
  if (params.allTenants === true) return { allTenants: true };
  if (typeof params.tenantId === 'string') return { tenantId: params.tenantId };
  return undefined;
}

export class TenantViolationError extends Error {
  constructor(entity: string) {
    super(`Refused to write a ${entity} of another tenant`);
  }
}

/** Refuses any flush that would create, change or delete another tenant's rows. */
export class TenantWriteGuard implements EventSubscriber {
  onFlush(args: FlushEventArgs): void {
    const scope = scopeOf(args.em as EntityManager);
    for (const changeSet of args.uow.getChangeSets()) {
      const entity = changeSet.entity as unknown;
      if (!(entity instanceof TenantScopedEntity)) continue;
      if (!scope) throw new Error(`No tenant in scope for writing a ${changeSet.meta.className}`);
      if ('allTenants' in scope) continue;
      const tenantId = (entity.tenant as { id?: string } | undefined)?.id;
      if (tenantId !== scope.tenantId) throw new TenantViolationError(changeSet.meta.className);
    }
  }
}
