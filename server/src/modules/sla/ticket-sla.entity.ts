import type { Rel } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { TenantScopedEntity } from '../../db/tenant-scoped.entity.js';
import { Ticket } from '../tickets/ticket.entity.js';
import { SlaPolicy } from './sla-policy.entity.js';
import { SlaState } from './sla.enums.js';
import { initialClocks, type SlaClocks } from './sla-clocks.js';

type Defaults =
  | 'basePolicy'
  | 'policy'
  | 'state'
  | 'open'
  | 'clocks'
  | 'soonestDueAt'
  | 'nextCheckAt'
  | 'breachedAt'
  | 'resolvedAt'
  | 'assigneeId'
  | 'teamId'
  | 'companyId';

/**
 * The SLA of one ticket, kept in step with the ticket inside every transaction that changes it.
 * Board figures are columns (indexed); the clocks' details are one JSON document.
 */
@Entity({ tableName: 'ticket_slas' })
// The board: counts by state and the at-risk list (breached first, then soonest due).
@Index({ properties: ['tenant', 'open', 'state', 'soonestDueAt'] })
@Index({ properties: ['tenant', 'resolvedAt'] })
// The timer job: only tickets with something still to fire.
@Index({
  name: 'ticket_slas_next_check_at_index',
  expression:
    'create index "ticket_slas_next_check_at_index" on "ticket_slas" ("next_check_at") where "next_check_at" is not null',
})
export class TicketSla extends TenantScopedEntity<Defaults> {
  @ManyToOne({ entity: () => Ticket, deleteRule: 'cascade', unique: true })
  ticket!: Rel<Ticket>;

  /** The tenant default when the ticket was created (a later default applies to later tickets). */
  @ManyToOne({ entity: () => SlaPolicy, nullable: true, deleteRule: 'set null' })
  basePolicy?: Rel<SlaPolicy> | null;

  /** The policy in force: the company's own, else the base policy. */
  @ManyToOne({ entity: () => SlaPolicy, nullable: true, deleteRule: 'set null', index: true })
  policy?: Rel<SlaPolicy> | null;

  @Enum({ items: () => SlaState, nativeEnumName: 'sla_state' })
  state: SlaState = SlaState.NONE;

  /** Not resolved or closed: what the board counts. */
  @Property()
  open: boolean = true;

  @Property({ type: 'jsonb' })
  clocks: SlaClocks = initialClocks();

  @Property({ type: 'timestamptz', nullable: true })
  soonestDueAt?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  nextCheckAt?: Date | null;

  /** The first breach of the ticket (compliance counts it once). */
  @Property({ type: 'timestamptz', nullable: true })
  breachedAt?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  resolvedAt?: Date | null;

  // Copies of the ticket's people, so board breakdowns read one table.
  @Property({ type: 'uuid', nullable: true })
  assigneeId?: string | null;

  @Property({ type: 'uuid', nullable: true })
  teamId?: string | null;

  @Property({ type: 'uuid', nullable: true })
  companyId?: string | null;
}
