import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Ticket } from './ticket.entity.js';
import { Level, TicketStatus } from './ticket.enums.js';

@InputType()
export class CreateTicketInput {
  @Field()
  title!: string;

  @Field()
  description!: string;

  @Field(() => Level, { nullable: true })
  urgency?: Level | null;

  @Field(() => Level, { nullable: true })
  importance?: Level | null;

  @Field(() => String, { nullable: true, description: 'The customer the ticket is for; created when unknown.' })
  requesterEmail?: string | null;

  @Field(() => String, { nullable: true })
  requesterName?: string | null;

  @Field(() => ID, { nullable: true })
  emailAddressId?: string | null;

  @Field(() => ID, { nullable: true })
  assigneeId?: string | null;

  @Field(() => ID, { nullable: true })
  teamId?: string | null;

  @Field(() => [String], { nullable: true })
  tags?: string[] | null;

  @Field(() => String, { nullable: true })
  issueType?: string | null;
}

@InputType()
export class UpdateTicketInput {
  @Field(() => ID)
  ticketId!: string;

  @Field(() => TicketStatus, { nullable: true })
  status?: TicketStatus | null;

  @Field(() => ID, { nullable: true, description: 'null unassigns; omit to leave unchanged.' })
  assigneeId?: string | null;

  @Field(() => ID, { nullable: true, description: 'null removes the team; omit to leave unchanged.' })
  teamId?: string | null;

  @Field(() => Level, { nullable: true })
  urgency?: Level | null;

  @Field(() => Level, { nullable: true })
  importance?: Level | null;

  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => [String], { nullable: true })
  tags?: string[] | null;

  @Field(() => String, { nullable: true })
  issueType?: string | null;
}

export enum TicketSort {
  NEWEST = 'NEWEST',
  OLDEST = 'OLDEST',
  RECENT_ACTIVITY = 'RECENT_ACTIVITY',
  PRIORITY = 'PRIORITY',
}
registerEnumType(TicketSort, { name: 'TicketSort' });

@InputType()
export class TicketFilter {
  @Field(() => [TicketStatus], { nullable: true })
  status?: TicketStatus[] | null;

  @Field(() => String, { nullable: true, description: 'Words of the title or description, or a ticket number (#42).' })
  query?: string | null;

  @Field(() => [ID], { nullable: true })
  assigneeIds?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Only tickets nobody is assigned to.' })
  unassigned?: boolean | null;

  @Field(() => [Level], { nullable: true })
  urgency?: Level[] | null;

  @Field(() => [Level], { nullable: true })
  importance?: Level[] | null;

  @Field(() => [String], { nullable: true, description: 'Tickets carrying all of these tags.' })
  tags?: string[] | null;

  @Field(() => ID, { nullable: true })
  requesterId?: string | null;

  @Field(() => ID, { nullable: true })
  teamId?: string | null;

  @Field(() => ID, { nullable: true })
  emailAddressId?: string | null;
}

@ObjectType()
export class PageInfo {
  @Field(() => String, { nullable: true })
  endCursor!: string | null;

  @Field()
  hasNextPage!: boolean;
}

@ObjectType()
export class TicketConnection {
  @Field(() => [Ticket])
  nodes!: Ticket[];

  /** Resolved by TicketConnectionResolver.totalCount, only when selected. */
  countTotal!: () => Promise<number>;

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@ObjectType()
export class InboxEvent {
  @Field({ description: 'CREATED or UPDATED' })
  kind!: string;

  @Field(() => Ticket)
  ticket!: Ticket;
}
