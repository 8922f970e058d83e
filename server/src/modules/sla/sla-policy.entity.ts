import type { Rel } from '@mikro-orm/core';
import { Entity, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { TenantScopedEntity } from '../../db/tenant-scoped.entity.js';
import { Level, TicketStatus } from '../tickets/ticket.enums.js';
import { SlaCalendar } from './sla-calendar.entity.js';

@ObjectType('SlaTarget', { description: 'Targets of one urgency × importance cell, in business minutes.' })
export class SlaTarget {
  @Field(() => Level)
  urgency!: Level;

  @Field(() => Level)
  importance!: Level;

  @Field(() => Int)
  firstResponseMinutes!: number;

  @Field(() => Int, { nullable: true, description: 'null: no next-response target' })
  nextResponseMinutes?: number | null;

  @Field(() => Int)
  resolutionMinutes!: number;
}

@ObjectType()
@Entity({ tableName: 'sla_policies' })
// At most one default policy per tenant.
@Index({
  name: 'sla_policies_one_default_per_tenant',
  expression:
    'create unique index "sla_policies_one_default_per_tenant" on "sla_policies" ("tenant_id") where "is_default"',
})
export class SlaPolicy extends TenantScopedEntity<'isDefault' | 'calendar' | 'pauseStatuses' | 'warningMinutes'> {
  @Field()
  @Property({ length: 200 })
  name!: string;

  /** Applies to tickets created while it is the default (companies may have their own). */
  @Field()
  @Property()
  isDefault: boolean = false;

  /** null: around the clock. */
  @ManyToOne({ entity: () => SlaCalendar, nullable: true, deleteRule: 'restrict' })
  calendar?: Rel<SlaCalendar> | null;

  @Field(() => [SlaTarget])
  @Property({ type: 'jsonb' })
  targets!: SlaTarget[];

  /** Statuses in which the clocks stop. */
  @Field(() => [TicketStatus])
  @Property({ type: 'text[]' })
  pauseStatuses: TicketStatus[] = [TicketStatus.PENDING_CUSTOMER];

  /** How long before a due time the warning fires (at most half the target, so short targets do
   * not warn the moment they start). */
  @Field(() => Int)
  @Property({ type: 'integer' })
  warningMinutes: number = 60;
}

export function targetFor(policy: SlaPolicy, urgency: Level, importance: Level): SlaTarget | null {
  return policy.targets.find((t) => t.urgency === urgency && t.importance === importance) ?? null;
}
