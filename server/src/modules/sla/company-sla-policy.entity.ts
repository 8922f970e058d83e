import type { Rel } from '@mikro-orm/core';
import { Entity, ManyToOne } from '@mikro-orm/decorators/legacy';
import { TenantScopedEntity } from '../../db/tenant-scoped.entity.js';
import { Company } from '../companies/company.entity.js';
import { SlaPolicy } from './sla-policy.entity.js';

/** A company's own SLA (seed 002: "Custom SLA by Company"), overriding the tenant default. Kept
 * beside the company rather than on it so the SLA module owns its schema. */
@Entity({ tableName: 'company_sla_policies' })
export class CompanySlaPolicy extends TenantScopedEntity {
  @ManyToOne({ entity: () => Company, deleteRule: 'cascade', unique: true })
  company!: Rel<Company>;

  @ManyToOne({ entity: () => SlaPolicy, deleteRule: 'cascade', index: true })
  policy!: Rel<SlaPolicy>;
}
