import type { Rel } from '@mikro-orm/core';
import { Entity, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { TenantScopedEntity } from '../../db/tenant-scoped.entity.js';
import { AutomationExecution, AutomationRule } from './automation.entity.js';

export enum WebhookDeliveryStatus {
  /** Made, first attempt under way. */
  PENDING = 'PENDING',
  /** An attempt failed in a way worth repeating; the next one is at `nextAttemptAt`. */
  RETRYING = 'RETRYING',
  DELIVERED = 'DELIVERED',
  /** Refused for good (4xx, refused target) or out of attempts; a manager may retry it by hand. */
  FAILED = 'FAILED',
}
registerEnumType(WebhookDeliveryStatus, { name: 'WebhookDeliveryStatus' });

/**
 * One webhook call of one rule run, kept until it is delivered or given up: the request is stored
 * as first made (URL, exact body, signature), so every retry is byte-identical and carries the
 * same delivery id (`X-Switchboard-Delivery`, this row's id) for receivers to dedupe on.
 */
@ObjectType({ description: 'A webhook call of a rule run, with its retries.' })
@Entity({ tableName: 'automation_webhook_deliveries' })
@Index({ properties: ['status', 'nextAttemptAt'] })
export class WebhookDelivery extends TenantScopedEntity<
  'attempts' | 'nextAttemptAt' | 'lastStatusCode' | 'lastError' | 'deliveredAt'
> {
  @ManyToOne({ entity: () => AutomationExecution, deleteRule: 'cascade', index: true })
  execution!: Rel<AutomationExecution>;

  @ManyToOne({ entity: () => AutomationRule, deleteRule: 'cascade', index: true })
  rule!: Rel<AutomationRule>;

  /** The rule's action this call came from. */
  @Property({ length: 50 })
  actionId!: string;

  @Field()
  @Property({ type: 'text' })
  url!: string;

  @Property({ type: 'text' })
  body!: string;

  @Property({ length: 100 })
  signature!: string;

  @Property({ type: 'integer' })
  timeoutMs!: number;

  @Field(() => WebhookDeliveryStatus)
  @Property({ type: 'string', length: 20 })
  status!: WebhookDeliveryStatus;

  @Field(() => Int, { description: 'Attempts made so far (the first one included).' })
  @Property({ type: 'integer' })
  attempts: number = 0;

  @Field(() => Date, { nullable: true, description: 'When the next attempt is due (RETRYING).' })
  @Property({ type: 'timestamptz', nullable: true })
  nextAttemptAt?: Date | null;

  @Field(() => Int, { nullable: true, description: 'The HTTP status of the last answer, if any.' })
  @Property({ type: 'integer', nullable: true })
  lastStatusCode?: number | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  deliveredAt?: Date | null;
}
