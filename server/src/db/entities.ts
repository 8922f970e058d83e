import { Tenant } from '../modules/tenants/tenant.entity.js';
import { User } from '../modules/users/user.entity.js';
import { Company } from '../modules/companies/company.entity.js';
import { PasswordResetToken, Session } from '../modules/auth/session.entity.js';
import { BaseEntity } from './base.entity.js';
import { TenantScopedEntity } from './tenant-scoped.entity.js';

/** Every entity, in one list: MikroORM discovery and the tenant filter both read it. */
export const entities = [BaseEntity, TenantScopedEntity, Tenant, User, Company, Session, PasswordResetToken];

export const tenantScopedEntities = entities.filter(
  (entity) => entity !== TenantScopedEntity && entity.prototype instanceof TenantScopedEntity,
);
