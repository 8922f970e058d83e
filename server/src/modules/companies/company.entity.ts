import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { TenantScopedEntity } from '../../db/tenant-scoped.entity.js';

@ObjectType()
@Entity({ tableName: 'companies' })
export class Company extends TenantScopedEntity<'domains' | 'customersSeeCompanyTickets'> {
  @Field()
  @Property()
  name!: string;

  /** Mail from these domains is matched to the company. */
  @Field(() => [String])
  @Property({ type: 'text[]' })
  domains: string[] = [];

  /** Whether the company's customers may see all of the company's tickets. */
  @Field()
  @Property()
  customersSeeCompanyTickets: boolean = false;
}
