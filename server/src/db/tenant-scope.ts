// Tenant isolation lives here and nowhere else.
//
// Every entity with a `tenant` relation is tenant-owned. Reads, updates and deletes of them go
// through the `tenant` filter, which MikroORM applies to every query of an EntityManager. The filter fails closed: an EntityManager
// that was not given a tenant throws instead of returning everything. Writes are checked at flush
// time: an entity of another tenant can neither be created nor changed through a scoped manager.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Dictionary, EntityMetadata, EventSubscriber, FilterDef, FlushEventArgs } from '@mikro-orm/core';

export const TENANT_FILTER = 'tenant';

export type TenantScope = { tenantId: string } | { allTenants: true };

function isTenantOwned(em: EntityManager | undefined, entityName: string | undefined): boolean {
  if (!em || !entityName) return false;
  return Boolean(em.getMetadata().find(entityName as never)?.properties.tenant);
}

export const tenantFilter: FilterDef = {
  name: TENANT_FILTER,
  default: true,
  cond: (args: Dictionary, _type, em: EntityManager, _options, entityName?: string) => {
    if (!isTenantOwned(em, entityName)) return {};
    if (args?.allTenants === true) return {};
    if (typeof args?.tenantId !== 'string') throw new Error(`No tenant in scope for a query of ${entityName}`);
    return { tenant: args.tenantId };
  },
  // Not `args: true`: the condition itself refuses to run without a tenant for tenant-owned entities.
  args: false,
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

/** Refuses to write (create, change or delete) a row of another tenant through a scoped manager. */
export function assertTenantWrite(em: EntityManager, meta: EntityMetadata, entity: object): void {
  if (!meta.properties.tenant) return;
  const scope = scopeOf(em);
  if (!scope) throw new Error(`No tenant in scope for writing a ${meta.className}`);
  if ('allTenants' in scope) return;
  const owner = (entity as { tenant?: { id?: string } | string }).tenant;
  const tenantId = typeof owner === 'string' ? owner : owner?.id;
  if (tenantId !== scope.tenantId) throw new TenantViolationError(meta.className);
}

/** Checks every flush (see assertTenantWrite); db/bulk-insert.ts checks its rows the same way. */
export class TenantWriteGuard implements EventSubscriber {
  onFlush(args: FlushEventArgs): void {
    for (const changeSet of args.uow.getChangeSets()) {
      assertTenantWrite(args.em as EntityManager, changeSet.meta as EntityMetadata, changeSet.entity);
    }
  }
}
