import { Entity, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';

@ObjectType()
@Entity({ tableName: 'tenants' })
export class Tenant extends BaseEntity {
  @Field()
  @Property()
  name!: string;

  @Field()
  @Unique()
  @Property()
  slug!: string;
}
