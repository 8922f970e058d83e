import { BigIntType, type Rel } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Tenant } from '../tenants/tenant.entity.js';
import { SlaState } from './sla.enums.js';

/**
 * The board's counts of open tickets per SLA state, as an append-only ledger: a trigger on
 * ticket_slas inserts -1 for the old (open) state and +1 for the new one, so counting is a sum over
 * a handful of rows instead of a scan of every open ticket, and writers never wait on each other
 * (inserts only). SlaTimers.compactCounts folds the ledger into one row per state now and then.
 */
@Entity({ tableName: 'sla_state_deltas' })
@Index({ properties: ['tenant', 'state'] })
export class SlaStateDelta {
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string;

  @ManyToOne({ entity: () => Tenant, deleteRule: 'cascade', index: false })
  tenant!: Rel<Tenant>;

  @Enum({ items: () => SlaState, nativeEnumName: 'sla_state' })
  state!: SlaState;

  @Property({ type: 'integer' })
  delta!: number;
}
