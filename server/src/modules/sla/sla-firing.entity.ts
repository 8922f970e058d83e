import type { Rel } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { TenantScopedEntity } from '../../db/tenant-scoped.entity.js';
import { Ticket } from '../tickets/ticket.entity.js';
import { SlaFiringKind, SlaTargetKind } from './sla.enums.js';

/**
 * A warning or breach that has been recorded. The unique key is what makes a second firing of the
 * same timer impossible, whichever worker or transaction tries (ON CONFLICT DO NOTHING).
 */
@Entity({ tableName: 'sla_firings' })
@Unique({ properties: ['ticket', 'target', 'cycle', 'kind'] })
@Index({ properties: ['tenant', 'kind', 'firedAt'] })
export class SlaFiring extends TenantScopedEntity<'firedAt'> {
  @ManyToOne({ entity: () => Ticket, deleteRule: 'cascade' })
  ticket!: Rel<Ticket>;

  @Enum({ items: () => SlaTargetKind, nativeEnumName: 'sla_target_kind' })
  target!: SlaTargetKind;

  @Property({ type: 'integer' })
  cycle!: number;

  @Enum({ items: () => SlaFiringKind, nativeEnumName: 'sla_firing_kind' })
  kind!: SlaFiringKind;

  @Property({ type: 'timestamptz' })
  dueAt!: Date;

  @Property({ type: 'timestamptz' })
  firedAt: Date = new Date();
}
