import { Entity, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';

@ObjectType()
@Entity({ tableName: 'tenants' })
export class Tenant extends BaseEntity<'nextTicketNumber' | 'ticketSubjectPrefix'> {
  @Field()
  @Property()
  name!: string;

  @Field()
  @Unique()
  @Property()
  slug!: string;

  /** Allocated with `update … returning` under the row lock: gapless per tenant. */
  @Property({ type: 'integer', default: 1 })
  nextTicketNumber: number = 1;

  /** The subject token of outgoing mail: `[Ticket#42]` by default. */
  @Field()
  @Property({ length: 50, default: 'Ticket#' })
  ticketSubjectPrefix: string = 'Ticket#';
}
