import { Collection, type Rel } from '@mikro-orm/core';
import { Entity, Enum, ManyToMany, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { TenantScopedEntity } from '../../db/tenant-scoped.entity.js';
import { User } from '../users/user.entity.js';

export enum AssignmentMode {
  MANUAL = 'MANUAL',
  ROUND_ROBIN = 'ROUND_ROBIN',
  LEAST_LOADED = 'LEAST_LOADED',
}
registerEnumType(AssignmentMode, { name: 'AssignmentMode' });

@ObjectType()
@Entity({ tableName: 'teams' })
@Unique({ properties: ['tenant', 'name'] })
export class Team extends TenantScopedEntity<'assignmentMode' | 'lastAssignee'> {
  @Field()
  @Property()
  name!: string;

  @Field(() => AssignmentMode)
  @Enum({ items: () => AssignmentMode, nativeEnumName: 'assignment_mode' })
  assignmentMode: AssignmentMode = AssignmentMode.MANUAL;

  @ManyToMany({ entity: () => User, pivotTable: 'team_members' })
  members = new Collection<User>(this);

  /** The round-robin cursor: the member who got the previous ticket. */
  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null' })
  lastAssignee?: Rel<User> | null;
}
