import { Collection, type Rel } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToMany, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { TenantScopedEntity } from '../../db/tenant-scoped.entity.js';
import { User } from '../users/user.entity.js';
import { Company } from '../companies/company.entity.js';
import { Team } from '../teams/team.entity.js';
import { EmailAddress } from '../email/email-address.entity.js';
import { Level, TicketStatus } from './ticket.enums.js';

type TicketDefaults =
  | 'status'
  | 'urgency'
  | 'importance'
  | 'issueType'
  | 'tags'
  | 'requester'
  | 'company'
  | 'assignee'
  | 'team'
  | 'firstResponseAt'
  | 'resolvedAt'
  | 'closedAt'
  | 'lastActivityAt'
  | 'watchers'
  | 'emailAddress'
  | 'parseProblem'
  | 'searchVector';

@ObjectType()
@Entity({ tableName: 'tickets' })
@Unique({ properties: ['tenant', 'number'] })
// One index per inbox sort order (the trailing id is the keyset tie-breaker), so a page is an
// index range scan rather than a sort of every matching ticket.
@Index({ properties: ['tenant', 'createdAt', 'id'] })
@Index({ properties: ['tenant', 'status', 'createdAt', 'id'] })
@Index({ properties: ['tenant', 'lastActivityAt', 'id'] })
@Index({ properties: ['tenant', 'urgency', 'importance', 'createdAt', 'id'] })
@Index({ properties: ['tenant', 'assignee', 'status'] })
@Index({
  name: 'tickets_search_vector_index',
  expression: 'create index "tickets_search_vector_index" on "tickets" using gin ("search_vector")',
})
export class Ticket extends TenantScopedEntity<TicketDefaults> {
  /** Sequential per tenant: what people quote ("ticket #42") and what mail subjects carry. */
  @Field(() => Int)
  @Property({ type: 'integer' })
  number!: number;

  @Field()
  @Property({ length: 500 })
  title!: string;

  @Field()
  @Property({ type: 'text' })
  description!: string;

  @Field(() => TicketStatus)
  @Enum({ items: () => TicketStatus, nativeEnumName: 'ticket_status' })
  status: TicketStatus = TicketStatus.NEW;

  @Field(() => Level)
  @Enum({ items: () => Level, nativeEnumName: 'level' })
  urgency: Level = Level.MEDIUM;

  @Field(() => Level)
  @Enum({ items: () => Level, nativeEnumName: 'level' })
  importance: Level = Level.MEDIUM;

  @Field()
  @Property({ length: 100 })
  issueType: string = 'Question';

  @Field(() => [String])
  @Property({ type: 'text[]' })
  tags: string[] = [];

  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null', index: true })
  requester?: Rel<User> | null;

  @ManyToOne({ entity: () => Company, nullable: true, deleteRule: 'set null', index: true })
  company?: Rel<Company> | null;

  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null' })
  assignee?: Rel<User> | null;

  @ManyToOne({ entity: () => Team, nullable: true, deleteRule: 'set null' })
  team?: Rel<Team> | null;

  /** The support address the ticket came in on (or was opened for); replies go out from it. */
  @ManyToOne({ entity: () => EmailAddress, nullable: true, deleteRule: 'set null' })
  emailAddress?: Rel<EmailAddress> | null;

  /** Mail that could not be parsed fully: stored raw, shown with a warning. */
  @Field()
  @Property()
  parseProblem: boolean = false;

  @ManyToMany({ entity: () => User, pivotTable: 'ticket_watchers' })
  watchers = new Collection<User>(this);

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  firstResponseAt?: Date | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  resolvedAt?: Date | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  closedAt?: Date | null;

  @Field()
  @Property({ type: 'timestamptz' })
  lastActivityAt: Date = new Date();

  /** Full-text search over title and description, maintained by PostgreSQL. */
  @Property({
    columnType: 'tsvector',
    generated: "(to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(description, ''))) stored",
    lazy: true,
    hidden: true,
    nullable: true,
  })
  searchVector?: string;
}
