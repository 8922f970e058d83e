import type { Rel } from '@mikro-orm/core';
import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { TenantScopedEntity } from '../../db/tenant-scoped.entity.js';
import { Ticket } from '../tickets/ticket.entity.js';
import type { ActionDefinition, ConditionNode, TriggerDefinition } from './automation.definition.js';

/** One if-then rule of a tenant; rules run in `position` order. */
@ObjectType()
@Entity({ tableName: 'automation_rules' })
@Index({ properties: ['tenant', 'position'] })
export class AutomationRule extends TenantScopedEntity<'enabled' | 'activeSince'> {
  @Field()
  @Property({ length: 200 })
  name!: string;

  @Field()
  @Property()
  enabled: boolean = true;

  @Field(() => Int)
  @Property({ type: 'integer' })
  position!: number;

  /** Validated by automation.definition.ts (zod) before it is stored. */
  @Property({ type: 'jsonb' })
  trigger!: TriggerDefinition;

  @Property({ type: 'jsonb' })
  conditions!: ConditionNode;

  /** Webhook secrets are stored sealed (lib/secrets.ts) and never returned. */
  @Property({ type: 'jsonb' })
  actions!: ActionDefinition[];

  /** Events older than this never trigger the rule (set when it is created or enabled again). */
  @Field()
  @Property({ type: 'timestamptz' })
  activeSince: Date = new Date();
}

/** What one run of a rule did: the execution log. The unique key makes every run happen once. */
@ObjectType()
@Entity({ tableName: 'automation_executions' })
@Unique({ properties: ['rule', 'triggerKey'] })
@Index({ properties: ['rule', 'createdAt'] })
@Index({ properties: ['ticket', 'createdAt'] })
export class AutomationExecution extends TenantScopedEntity<
  'ticket' | 'sourceEventId' | 'occurrenceAt' | 'results' | 'error' | 'finishedAt' | 'depth'
> {
  @ManyToOne({ entity: () => AutomationRule, deleteRule: 'cascade' })
  rule!: Rel<AutomationRule>;

  /** The rule's name when it ran (the log stays readable after renames). */
  @Field()
  @Property({ length: 200 })
  ruleName!: string;

  @ManyToOne({ entity: () => Ticket, nullable: true, deleteRule: 'cascade' })
  ticket?: Rel<Ticket> | null;

  /** `event:<timeline event id>`, `tx:<ticket>:<transaction>` or `time:<ticket>:<since>`. */
  @Property({ length: 200 })
  triggerKey!: string;

  @Field()
  @Property({ length: 40 })
  trigger!: string;

  @Field(() => ID, { nullable: true })
  @Property({ type: 'bigint', nullable: true })
  sourceEventId?: string | null;

  /** Time triggers: when the state began (unassigned / pending / resolved since). */
  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  occurrenceAt?: Date | null;

  /** SUCCEEDED, PARTIAL (a webhook or mail failed), FAILED (nothing changed), NOT_MATCHED, SKIPPED. */
  @Field()
  @Property({ length: 20 })
  status!: string;

  /** How many rules ran before this one in the chain of automated changes (1 = started by a person). */
  @Field(() => Int)
  @Property({ type: 'integer' })
  depth: number = 1;

  @Property({ type: 'jsonb' })
  results: ActionResult[] = [];

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  error?: string | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  finishedAt?: Date | null;
}

export interface ActionResult {
  type: string;
  summary: string;
  ok: boolean;
  error?: string;
  /** Webhook calls: the delivery that carries it (and its retries). */
  deliveryId?: string;
}

/**
 * Where the engine is in the stream of timeline events: (transaction id, event id). Only events of
 * transactions older than every running one are read, so an event committed late can never fall
 * behind the cursor. One row, locked by the engine that processes (several workers are safe).
 */
@Entity({ tableName: 'automation_cursors' })
export class AutomationCursor {
  @PrimaryKey({ length: 50 })
  name!: string;

  @Property({ columnType: 'xid8' })
  txId!: string;

  @Property({ type: 'bigint' })
  eventId!: string;

  @Property({ type: 'timestamptz' })
  updatedAt: Date = new Date();
}
