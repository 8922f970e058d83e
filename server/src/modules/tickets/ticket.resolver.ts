import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../graphql/context.js';
import { requireStaff, requireViewer } from '../../graphql/authorization.js';
import { uuidArg, isSequenceId } from '../../lib/ids.js';
import { DomainError } from '../../graphql/errors.js';
import { actorOf } from '../actor.js';
import { Company } from '../companies/company.entity.js';
import { Team } from '../teams/team.entity.js';
import { EmailAddress } from '../email/email-address.entity.js';
import { User, isStaffRole } from '../users/user.entity.js';
import { TimelineEvent } from '../timeline/timeline-event.entity.js';
import { Ticket } from './ticket.entity.js';
import { TicketStatus, allowedTransitions } from './ticket.enums.js';
import { ticketAudience } from './ticket.policy.js';
import { CreateTicketInput, TicketConnection, TicketFilter, TicketSort, UpdateTicketInput } from './ticket.types.js';

@Resolver(() => Ticket)
export class TicketResolver {
  @Query(() => Ticket, { nullable: true, description: 'null when missing or not visible to the caller.' })
  async ticket(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Ticket | null> {
    const { em, viewer } = requireViewer(ctx);
    return ctx.services.ticketQueries.byId(em, await ticketAudience(em, viewer), id);
  }

  @Query(() => TicketConnection)
  async tickets(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => TicketFilter, { nullable: true }) filter?: TicketFilter | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('sort', () => TicketSort, { nullable: true }) sort?: TicketSort | null,
  ): Promise<TicketConnection> {
    const { em, viewer } = requireViewer(ctx);
    const page = await ctx.services.ticketQueries.page(em, await ticketAudience(em, viewer), filter ?? {}, {
      first,
      after,
      sort,
    });
    return {
      nodes: page.nodes,
      countTotal: page.countTotal,
      pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage },
    };
  }

  @Mutation(() => Ticket)
  async createTicket(@Arg('input') input: CreateTicketInput, @Ctx() ctx: RequestContext): Promise<Ticket> {
    const { em, viewer } = requireViewer(ctx);
    if (input.assigneeId) uuidArg(input.assigneeId, 'assigneeId');
    if (input.teamId) uuidArg(input.teamId, 'teamId');
    if (input.emailAddressId) uuidArg(input.emailAddressId, 'emailAddressId');
    return ctx.services.tickets.create(em, actorOf(viewer), input);
  }

  @Mutation(() => Ticket)
  async updateTicket(@Arg('input') input: UpdateTicketInput, @Ctx() ctx: RequestContext): Promise<Ticket> {
    const { em, viewer } = requireStaff(ctx);
    const ticketId = uuidArg(input.ticketId, 'ticketId');
    if (input.assigneeId) uuidArg(input.assigneeId, 'assigneeId');
    if (input.teamId) uuidArg(input.teamId, 'teamId');
    return ctx.services.tickets.update(em, actorOf(viewer), { ...input, ticketId });
  }

  @Mutation(() => Ticket, { description: 'Sets who watches the ticket (agents; an empty list clears).' })
  setWatchers(
    @Arg('ticketId', () => ID) ticketId: string,
    @Arg('userIds', () => [ID]) userIds: string[],
    @Ctx() ctx: RequestContext,
  ): Promise<Ticket> {
    const { em, viewer } = requireStaff(ctx);
    return ctx.services.tickets.setWatchers(
      em,
      actorOf(viewer),
      uuidArg(ticketId, 'ticketId'),
      userIds.map((id) => uuidArg(id, 'userIds')),
    );
  }

  @Mutation(() => Ticket, { description: 'Starts or stops watching the ticket yourself.' })
  async watchTicket(
    @Arg('ticketId', () => ID) ticketId: string,
    @Arg('watching') watching: boolean,
    @Ctx() ctx: RequestContext,
  ): Promise<Ticket> {
    const { em, viewer } = requireStaff(ctx);
    const ticket = await ctx.services.ticketQueries.byId(
      em,
      await ticketAudience(em, viewer),
      uuidArg(ticketId, 'ticketId'),
    );
    if (!ticket) throw new DomainError('NOT_FOUND', 'No such ticket', 'ticketId');
    await ticket.watchers.init();
    const current = ticket.watchers
      .getItems()
      .map((u) => u.id)
      .filter((id) => id !== viewer.userId);
    return ctx.services.tickets.setWatchers(
      em,
      actorOf(viewer),
      ticket.id,
      watching ? [...current, viewer.userId] : current,
    );
  }

  @FieldResolver(() => User, { nullable: true })
  requester(@Root() ticket: Ticket, @Ctx() ctx: RequestContext): Promise<User | null> {
    return requireViewer(ctx).loaders.load(User, ticket.requester?.id);
  }

  @FieldResolver(() => User, { nullable: true })
  assignee(@Root() ticket: Ticket, @Ctx() ctx: RequestContext): Promise<User | null> {
    return requireViewer(ctx).loaders.load(User, ticket.assignee?.id);
  }

  @FieldResolver(() => Company, { nullable: true })
  company(@Root() ticket: Ticket, @Ctx() ctx: RequestContext): Promise<Company | null> {
    return requireViewer(ctx).loaders.load(Company, ticket.company?.id);
  }

  @FieldResolver(() => Team, { nullable: true })
  team(@Root() ticket: Ticket, @Ctx() ctx: RequestContext): Promise<Team | null> {
    return requireViewer(ctx).loaders.load(Team, ticket.team?.id);
  }

  @FieldResolver(() => EmailAddress, { nullable: true })
  emailAddress(@Root() ticket: Ticket, @Ctx() ctx: RequestContext): Promise<EmailAddress | null> {
    const { viewer, loaders } = requireViewer(ctx);
    // Mail server settings are staff business.
    if (!isStaffRole(viewer.role)) return Promise.resolve(null);
    return loaders.load(EmailAddress, ticket.emailAddress?.id);
  }

  @FieldResolver(() => [User])
  async watchers(@Root() ticket: Ticket, @Ctx() ctx: RequestContext): Promise<User[]> {
    requireStaff(ctx);
    await ticket.watchers.init();
    return ticket.watchers.getItems();
  }

  @FieldResolver(() => Boolean, { description: 'Whether the caller watches this ticket.' })
  async isWatching(@Root() ticket: Ticket, @Ctx() ctx: RequestContext): Promise<boolean> {
    const { viewer } = requireViewer(ctx);
    await ticket.watchers.init();
    return ticket.watchers.getItems().some((u) => u.id === viewer.userId);
  }

  @FieldResolver(() => [TicketStatus], { description: 'Statuses this ticket may move to now.' })
  allowedStatuses(@Root() ticket: Ticket): readonly TicketStatus[] {
    return allowedTransitions(ticket.status);
  }

  @FieldResolver(() => [TimelineEvent], { description: 'Oldest first; customers see public events only.' })
  async timeline(
    @Root() ticket: Ticket,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => ID, { nullable: true }) after?: string | null,
  ): Promise<TimelineEvent[]> {
    const { em, viewer } = requireViewer(ctx);
    const audience = await ticketAudience(em, viewer);
    return ctx.services.timeline.list(em, ticket.id, {
      afterId: after && isSequenceId(after) ? after : null,
      limit: Math.min(Math.max(first ?? 500, 1), 1000),
      includeInternal: audience.staff,
    });
  }
}

@Resolver(() => TicketConnection)
export class TicketConnectionResolver {
  @FieldResolver(() => Int, { description: 'All tickets matching the filter, on every page.' })
  totalCount(@Root() connection: TicketConnection): Promise<number> {
    return connection.countTotal();
  }
}
